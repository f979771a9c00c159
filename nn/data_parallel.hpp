// Data-parallel gradients: the samples of a minibatch computed on several threads at once, with the
// same numbers, to the last bit, as on one thread.
//
// The gradient of a minibatch's loss is the sum of its samples' gradients, and each sample's graph
// is independent of the others': so the samples can be split over threads, each thread building
// and backpropagating its own graphs. Three things make that correct and repeatable:
//
// 1. Threads never write the same node. A parameter's grad is a plain double that backward() adds
//    to, so two threads backpropagating into the same model would race. Each thread works on a
//    replica instead: a model with the same numbers in Values of its own (the caller's factory
//    makes it; the model's numbers, buffers and settings (ModuleSettings, module by module) are
//    copied into it before every batch).
//    The nodes of a sample's graph go on the tape of the thread that builds it (engine/tape.hpp),
//    released in one go once its gradients are read.
// 2. The sum does not depend on the thread count. Floating-point addition is not associative, so
//    "each thread sums its samples, then the threads' sums are added" would give other bits for
//    another thread count. Instead each sample's gradient goes into a slot of its own, and once
//    every thread is done the slots are added in sample order: sample 0, then 1, then 2, ...
//    whichever thread computed each (a plain loop over the samples adds in that order too).
// 3. Random draws do not depend on the thread count. Before each sample the thread restarts its
//    generator on a stream given by the sample's position in the run (nn::seed_this_thread), so
//    Dropout draws the same masks for a sample whichever thread computes it, and when.
//
//   nn::DataParallel parallel(net, [] { return std::make_unique<nn::MLP>(784, sizes); }, threads);
//   parallel.accumulate_gradients(batch.size(), [&](const nn::Module& replica, std::size_t i) {
//     return loss_of(static_cast<const nn::MLP&>(replica), batch[i]);
//   }, first_stream);
//   optimizer.step();  // net's parameters now hold the batch's summed gradient
//
// The calling thread computes replica 0's samples itself; the other replicas' threads start with
// the DataParallel and wait between batches. Starting them for each batch cost 50-200
// microseconds per batch, but above all it threw away what each thread keeps from one batch to
// the next: its tape, and the tape's references to the replica's parameters (engine/tape.hpp),
// which a new thread must take again, one atomic count per parameter. (The calling thread's own
// random generator and tape are left as they were.)
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "engine/value.hpp"
#include "nn/module.hpp"

namespace micrograd::nn {

class DataParallel {
 public:
  // Makes a fresh model with the architecture and settings of the one being trained (its numbers
  // do not matter: they are overwritten before every batch).
  using ReplicaFactory = std::function<std::unique_ptr<Module>()>;
  // The loss of sample `sample` (0 .. count-1 of the batch) computed on `replica`, as a graph
  // ready for backward(). Called on several threads at once: it may read shared data and write to
  // per-sample places (element `sample` of a vector), nothing else, and must build its graph on
  // `replica`, never on the model being trained.
  using SampleLoss = std::function<Value(const Module& replica, std::size_t sample)>;

  // `threads`: how many threads a batch uses; 0 means one per core. Makes one replica per thread
  // with `make_replica`, on this thread, leaving this thread's random generator as it was (a
  // factory that draws initial weights would otherwise change what the caller draws next), also
  // when the factory throws. Throws std::invalid_argument if a replica does not match the model:
  // its parameters or buffers shaped otherwise, another describe() (a tanh MLP for a relu one),
  // or other child modules. `model` must outlive this object.
  DataParallel(Module& model, const ReplicaFactory& make_replica, std::size_t threads = 0);
  ~DataParallel();  // stops and joins the threads
  DataParallel(const DataParallel&) = delete;
  DataParallel& operator=(const DataParallel&) = delete;

  // Runs samples 0 .. count-1 of a batch, each on some thread's replica: the loss, backward(), and
  // the gradient of every parameter kept in the sample's slot. Then adds the slots, in sample
  // order, to the grad of the model's parameters (call zero_grad first, as before backward()).
  // Sample i draws its random numbers from stream first_stream + i (nn::seed_this_thread): give
  // each sample of a run its own, e.g. 1 + its position in the run (stream 0 is the seed's own).
  // Returns each sample's loss.
  //
  // The workers use this thread's anomaly and no-grad modes (engine/modes.hpp). If samples throw,
  // every thread stops and this function throws what the first failing sample (in sample order)
  // threw; the model's grads are then unchanged. Throws std::invalid_argument for a module in
  // training mode that has buffers (BatchNorm1d: its statistics need the whole batch in one
  // graph). Memory: count x parameter_count doubles for the slots, kept for the next batch.
  std::vector<double> accumulate_gradients(std::size_t count, const SampleLoss& sample_loss,
                                           std::uint64_t first_stream);

  // Runs work(replica, sample) for samples 0 .. count-1 on the threads, each on some thread's
  // replica with the model's current numbers and modes, e.g. predictions on a test set:
  //   const NoGradGuard no_graph;  // the workers take this thread's modes
  //   parallel.for_each_sample(n, [&](const nn::Module& replica, std::size_t i) {
  //     predictions[i] = argmax(replica_forward(replica, i)); });
  // `work` may write only to per-sample places. It draws no random stream (for evaluation, where
  // nothing is random); errors are handled as in accumulate_gradients.
  using SampleWork = std::function<void(const Module& replica, std::size_t sample)>;
  void for_each_sample(std::size_t count, const SampleWork& work);

  std::size_t thread_count() const { return replicas_.size(); }

  // Whether each sample's graph is recorded on its thread's tape and swept once (engine/tape.hpp:
  // the default), or built of ordinary nodes and sorted (the reference engine, to compare with).
  void use_tape(bool on = true) { use_tape_ = on; }
  bool uses_tape() const { return use_tape_; }

 private:
  struct Replica {
    std::unique_ptr<Module> module;
    std::vector<Value> parameters;       // module->parameters(), in the model's order
    std::vector<Node*> parameter_nodes;  // their nodes (each sample reads and zeroes every grad)
    std::vector<Value> buffers;          // the Values of module->named_buffers(), in order
  };

  // Copies the model's numbers and settings to the replicas, then runs per_sample(replica, i) for
  // every sample on the threads (on a tape unless use_tape(false)); rethrows the first failing
  // sample's exception.
  void run_samples(std::size_t count, const std::function<void(Replica&, std::size_t)>& per_sample);

  class Workers;

  Module& model_;
  std::vector<Replica> replicas_;
  std::vector<double> gradient_slots_;  // accumulate_gradients' per-sample gradients
  std::unique_ptr<Workers> workers_;    // after replicas_: its threads stop before they go
  bool use_tape_ = true;
};

}  // namespace micrograd::nn
