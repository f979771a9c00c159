// Data-parallel gradients (see data_parallel.hpp for the idea).
#include "nn/data_parallel.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <thread>

#if defined(__x86_64__) && defined(__SSE2__)
#include <immintrin.h>
#endif

#include "engine/modes.hpp"
#include "engine/tape.hpp"
#include "nn/random.hpp"

namespace micrograd::nn {

namespace {

std::string shapes_of(const Module& module) {
  std::string text;
  for (const NamedTensor& tensor : module.named_parameters()) {
    text += " " + tensor.name + "[";
    for (std::size_t i = 0; i < tensor.shape.size(); ++i) {
      text += (i > 0 ? "," : "") + std::to_string(tensor.shape[i]);
    }
    text += "]";
  }
  return text;
}

// A module that keeps buffers computes them from the whole batch in training mode (BatchNorm1d),
// which a sample on its own cannot do.
void check_no_batch_statistics(const Module& model) {
  for (const Module* module : model.modules()) {
    if (module->children().empty() && module->is_training() && !module->named_buffers().empty()) {
      throw std::invalid_argument(
          "DataParallel: " + module->describe() +
          " is in training mode and keeps statistics of the whole batch, but data-parallel "
          "training computes each sample on its own. Call eval() on it, or train it without "
          "DataParallel");
    }
  }
}

// Every buffer's Values (BatchNorm1d's running statistics), in named_buffers() order.
std::vector<Value> buffer_values(const Module& module) {
  std::vector<Value> values;
  for (const NamedTensor& tensor : module.named_buffers()) {
    values.insert(values.end(), tensor.values.begin(), tensor.values.end());
  }
  return values;
}

// *slot = value, for a slot that another core reads next (the caller's thread adds the slots up).
// An ordinary store first fetches the slot's cache line, which that core read at the previous
// batch, and waits for it; a non-temporal store writes it without fetching it. (Measured on the
// demo's step with 2 threads: 0.415 -> 0.372 ms.)
inline void store_for_another_core(double* slot, double value) {
#if defined(__x86_64__) && defined(__SSE2__)
  long long bits = 0;
  std::memcpy(&bits, &value, sizeof bits);
  _mm_stream_si64(reinterpret_cast<long long*>(slot), bits);
#else
  *slot = value;
#endif
}
// Orders the non-temporal stores above before what this thread writes next (the mutex that tells
// the caller's thread a job is done).
inline void finish_stores_for_another_core() {
#if defined(__x86_64__) && defined(__SSE2__)
  _mm_sfence();
#endif
}

std::string buffer_shapes_of(const Module& module) {
  std::string text;
  for (const NamedTensor& tensor : module.named_buffers()) {
    text += " " + tensor.name + shape_string(tensor.shape);
  }
  return text;
}

// A replica must compute what the model computes: the same architecture (describe() names the
// activations and settings such as BatchNorm's eps, which shapes alone do not show), the same
// parameters and buffers, and the same tree of modules (whose modes are copied one by one).
void check_replica(const Module& model, const Module* replica) {
  const auto refuse = [&](const std::string& what) {
    throw std::invalid_argument("DataParallel: the replica factory made " + what +
                                ", but the model being trained is " + model.describe() +
                                " with parameters" + shapes_of(model) +
                                ". The factory must make a new model of the same architecture, "
                                "activations and settings as the model");
  };
  if (replica == nullptr) refuse("no model");
  if (shapes_of(*replica) != shapes_of(model) ||
      replica->parameters().size() != model.parameters().size()) {
    refuse(replica->describe() + " with parameters" + shapes_of(*replica));
  }
  if (replica->describe() != model.describe()) {
    refuse(replica->describe() + " (described differently: another activation or setting?)");
  }
  if (buffer_shapes_of(*replica) != buffer_shapes_of(model) ||
      buffer_values(*replica).size() != buffer_values(model).size()) {
    refuse(replica->describe() + " with buffers" + buffer_shapes_of(*replica) +
           " (the model's:" + buffer_shapes_of(model) + ")");
  }
  if (!replica->has_same_tree_as(model)) {  // settings are copied module by module
    refuse(replica->describe() + " made of other child modules");
  }
}

}  // namespace

// The threads of replicas 1, 2, ..., started with the DataParallel and waiting between batches;
// replica 0's samples run on the calling thread, which would otherwise only wait. A batch wakes
// the threads, the calling thread runs its own job meanwhile, and run() returns once all are done.
// (std::jthread asks its thread to stop and joins it when destroyed; the wait below wakes up for
// that, so destroying the workers never hangs, also when starting one of them throws.)
class DataParallel::Workers {
 public:
  explicit Workers(std::size_t replicas) {
    threads_.reserve(replicas - 1);
    for (std::size_t t = 1; t < replicas; ++t) {
      threads_.emplace_back([this, t](const std::stop_token& stop) { serve(t, stop); });
    }
  }

  // Runs job(t) for t = 0 .. count-1 at once, job(0) on this thread, and waits for them all;
  // rethrows what a job threw.
  void run(std::size_t count, const std::function<void(std::size_t)>& job) {
    if (count == 0) return;
    {
      const std::lock_guard lock(mutex_);
      job_ = &job;
      active_ = count;
      pending_ = count - 1;
      error_ = nullptr;
      ++batch_;
    }
    if (count > 1) wake_.notify_all();
    std::exception_ptr own_error;
    try {
      job(0);
    } catch (...) {
      own_error = std::current_exception();
    }
    std::unique_lock lock(mutex_);
    done_.wait(lock, [&] { return pending_ == 0; });
    job_ = nullptr;
    if (own_error) std::rethrow_exception(own_error);
    if (error_) std::rethrow_exception(error_);
  }

 private:
  void serve(std::size_t t, const std::stop_token& stop) {
    std::uint64_t seen = 0;
    std::unique_lock lock(mutex_);
    while (wake_.wait(lock, stop, [&] { return batch_ != seen; })) {
      seen = batch_;
      if (t >= active_) continue;
      const std::function<void(std::size_t)>& job = *job_;
      lock.unlock();
      std::exception_ptr error;
      try {
        job(t);
      } catch (...) {
        error = std::current_exception();
      }
      lock.lock();
      if (error && !error_) error_ = error;
      if (--pending_ == 0) done_.notify_one();
    }
  }

  std::mutex mutex_;
  std::condition_variable_any wake_;  // _any: its wait also ends when the thread is asked to stop
  std::condition_variable done_;
  const std::function<void(std::size_t)>* job_ = nullptr;
  std::size_t active_ = 0;   // replicas the current batch uses
  std::size_t pending_ = 0;  // of the threads' jobs, those not yet done
  std::uint64_t batch_ = 0;  // counts the batches run
  std::exception_ptr error_;
  std::vector<std::jthread> threads_;  // last: stopped and joined before the members above go
};

DataParallel::DataParallel(Module& model, const ReplicaFactory& make_replica, std::size_t threads)
    : model_(model) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  const std::mt19937_64 caller_generator = random_generator();
  // The caller's generator comes back whatever happens: the factory draws initial weights, and it
  // (or a check of what it made) may throw.
  try {
    for (std::size_t i = 0; i < threads; ++i) {
      std::unique_ptr<Module> module = make_replica ? make_replica() : nullptr;
      check_replica(model, module.get());
      std::vector<Value> parameters = module->parameters();
      std::vector<Value> buffers = buffer_values(*module);
      std::vector<Node*> parameter_nodes;
      parameter_nodes.reserve(parameters.size());
      for (const Value& parameter : parameters) parameter_nodes.push_back(&parameter.node());
      replicas_.push_back({std::move(module), std::move(parameters), std::move(parameter_nodes),
                           std::move(buffers)});
    }
  } catch (...) {
    random_generator() = caller_generator;
    throw;
  }
  random_generator() = caller_generator;
  workers_ = std::make_unique<Workers>(replicas_.size());
}

DataParallel::~DataParallel() = default;

void DataParallel::run_samples(std::size_t count,
                               const std::function<void(Replica&, std::size_t)>& per_sample) {
  check_no_batch_statistics(model_);
  const std::vector<Value> parameters = model_.parameters();
  const std::size_t parameter_count = parameters.size();
  if (parameter_count != replicas_.front().parameters.size()) {
    throw std::logic_error("DataParallel: the model has " + std::to_string(parameter_count) +
                           " parameters now, its replicas " +
                           std::to_string(replicas_.front().parameters.size()) +
                           ": a model's parameters must stay the ones it was made with");
  }
  // Before the batch: every replica gets the model's modes (here), numbers and buffers
  // (BatchNorm1d's running statistics, which eval mode computes with; each thread copies its own
  // replica's, below).
  const std::vector<Value> buffers = buffer_values(model_);
  if (buffers.size() != replicas_.front().buffers.size()) {
    throw std::logic_error("DataParallel: the model has " + std::to_string(buffers.size()) +
                           " buffer values now, its replicas " +
                           std::to_string(replicas_.front().buffers.size()) +
                           ": a model's buffers must stay the ones it was made with");
  }
  for (Replica& replica : replicas_) replica.module->copy_settings_from(model_);

  std::vector<std::exception_ptr> errors(count);
  std::atomic<std::size_t> next_sample{0};
  std::atomic<bool> failed{false};
  const bool anomaly = anomaly_mode_enabled();
  const bool grad = grad_enabled();

  // Each thread takes the next sample not yet taken, until none is left or one has failed. Samples
  // are taken in increasing order, so every sample before a failing one has been taken and is
  // finished: the first failure in sample order is always among those recorded.
  auto work = [&](std::size_t thread) {
    Replica& replica = replicas_[thread];
    // Each thread refreshes its own replica, grads to 0: its numbers then sit in the cache of the
    // core that reads them, sample after sample (written by the caller's thread, every first read
    // of a batch was a transfer from another core).
    for (std::size_t i = 0; i < parameter_count; ++i) {
      Node& node = *replica.parameter_nodes[i];
      node.data = parameters[i].data();
      node.grad = 0.0;
    }
    for (std::size_t i = 0; i < buffers.size(); ++i) replica.buffers[i].data() = buffers[i].data();
    // Each batch starts the thread's generator as a new thread's (the program's seed), so that
    // work that draws without choosing a stream draws the same numbers at every batch.
    seed_this_thread(0);
    const AnomalyGuard anomaly_mode(anomaly);
    std::optional<NoGradGuard> no_grad;
    if (!grad) no_grad.emplace();
    while (!failed.load(std::memory_order_relaxed)) {
      const std::size_t sample = next_sample.fetch_add(1, std::memory_order_relaxed);
      if (sample >= count) break;
      try {
        std::optional<TapeGuard> tape;  // the sample's graph, released in one go when it is done
        if (use_tape_) tape.emplace();
        per_sample(replica, sample);
      } catch (...) {
        errors[sample] = std::current_exception();
        failed.store(true, std::memory_order_relaxed);
      }
    }
  };
  // Replica 0's samples run on this thread: they must leave its random generator and its tape (a
  // caller that records its step on one) as they were.
  const std::mt19937_64 caller_generator = random_generator();
  try {
    const detail::RecordingPause own_tapes;
    workers_->run(std::min(replicas_.size(), count), work);
  } catch (...) {
    random_generator() = caller_generator;
    throw;
  }
  random_generator() = caller_generator;
  for (const std::exception_ptr& error : errors) {
    if (error) std::rethrow_exception(error);
  }
}

std::vector<double> DataParallel::accumulate_gradients(std::size_t count,
                                                       const SampleLoss& sample_loss,
                                                       std::uint64_t first_stream) {
  const std::size_t parameter_count = replicas_.front().parameters.size();
  std::vector<double> losses(count, 0.0);
  // Sample i's gradient at i * parameter_count. Kept from batch to batch: every slot a batch reads
  // is written by its sample first.
  gradient_slots_.resize(count * parameter_count);
  // A replica's grads start at 0 (run_samples), and each sample hands its gradient over to its
  // slot and leaves them at 0 again: one pass over the parameters per sample, not two.
  run_samples(count, [&](Replica& replica, std::size_t sample) {
    seed_this_thread(first_stream + sample);
    const Value loss = sample_loss(*replica.module, sample);
    losses[sample] = loss.data();
    loss.backward();
    double* slot = gradient_slots_.data() + sample * parameter_count;
    for (std::size_t i = 0; i < parameter_count; ++i) {
      Node& parameter = *replica.parameter_nodes[i];
      store_for_another_core(slot + i, parameter.grad);
      parameter.grad = 0.0;
    }
    finish_stores_for_another_core();
  });

  // The sum in sample order, starting from the grads the parameters already hold.
  const std::vector<Value> parameters = model_.parameters();
  std::vector<double> totals(parameter_count);
  for (std::size_t i = 0; i < parameter_count; ++i) totals[i] = parameters[i].grad();
  for (std::size_t sample = 0; sample < count; ++sample) {
    const double* slot = gradient_slots_.data() + sample * parameter_count;
    for (std::size_t i = 0; i < parameter_count; ++i) totals[i] += slot[i];
  }
  for (std::size_t i = 0; i < parameter_count; ++i) parameters[i].grad() = totals[i];
  return losses;
}

void DataParallel::for_each_sample(std::size_t count, const SampleWork& work) {
  run_samples(count, [&](Replica& replica, std::size_t sample) { work(*replica.module, sample); });
}

}  // namespace micrograd::nn
