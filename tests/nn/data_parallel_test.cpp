// Tests of nn/data_parallel.hpp: the batch's gradient on 1, 2, 3 and 4 threads is, to the last bit,
// the one a plain loop gets by adding the samples' gradients in order; Dropout draws the same masks
// for any thread count; the model's modes reach the replicas; the first failing sample's exception
// reaches the caller. Its own test program, so that the ThreadSanitizer build (the tsan preset)
// compiles only this.
#include "nn/data_parallel.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "common/errors.hpp"
#include "engine/modes.hpp"
#include "engine/tape.hpp"
#include "nn/nn.hpp"

namespace micrograd::nn {
namespace {

constexpr std::size_t kInputs = 6;
constexpr std::size_t kClasses = 3;
constexpr std::size_t kSamples = 11;  // not a multiple of 2, 3 or 4: threads get unequal shares
constexpr std::uint64_t kFirstStream = 100;

// Sample i's input and label: numbers that differ per sample and per input.
std::vector<double> input_of(std::size_t sample, std::size_t size) {
  std::vector<double> x(size);
  for (std::size_t j = 0; j < size; ++j) {
    x[j] = std::sin(0.7 * static_cast<double>(sample * size + j) + 0.3);
  }
  return x;
}
std::size_t label_of(std::size_t sample) {
  return (sample * 7) % kClasses;
}

Value sample_loss(const TensorModule& net, const Shape& shape, std::size_t sample) {
  const Tensor logits = net(Tensor::from_data(shape, input_of(sample, element_count(shape))));
  return cross_entropy(logits.values(), label_of(sample));
}

std::unique_ptr<Module> make_mlp() {
  return std::make_unique<MLP>(kInputs, std::vector<std::size_t>{5, kClasses});
}
std::unique_ptr<Module> make_conv_net() {
  // 1x6x6 -> 2x4x4 -> 2x2x2 -> 8 -> 3
  return std::make_unique<Sequential>(Conv2D(1, 2, 3), Tanh(), MaxPool2D(2), Flatten(),
                                      Layer(8, kClasses, Activation::none));
}
std::unique_ptr<Module> make_dropout_net() {
  return std::make_unique<Sequential>(Layer(kInputs, 8), Dropout(0.5),
                                      Layer(8, kClasses, Activation::none));
}

struct Case {
  const char* name;
  std::unique_ptr<Module> (*make)();
  Shape input_shape;
};
const Case kMlp{"MLP", make_mlp, {kInputs}};
const Case kConvNet{"conv net", make_conv_net, {1, 6, 6}};
const Case kDropoutNet{"Dropout net", make_dropout_net, {kInputs}};

std::vector<double> grads_of(const Module& model) {
  std::vector<double> grads;
  for (const Value& parameter : model.parameters()) grads.push_back(parameter.grad());
  return grads;
}

// What the threads must reproduce: one sample after another on the model itself, each sample's
// gradient taken alone (zero_grad, backward) and added to a running total in sample order, each
// sample drawing from its own stream as DataParallel's workers do, and recorded on a tape as
// theirs are (or not, with `on_tape` false).
std::vector<double> serial_gradient(const Module& model, const Shape& shape, bool on_tape = true) {
  const std::vector<Value> parameters = model.parameters();
  std::vector<double> total(parameters.size(), 0.0);
  for (std::size_t sample = 0; sample < kSamples; ++sample) {
    seed_this_thread(kFirstStream + sample);
    zero_grad(parameters);
    std::optional<TapeGuard> tape;
    if (on_tape) tape.emplace();
    sample_loss(static_cast<const TensorModule&>(model), shape, sample).backward();
    for (std::size_t i = 0; i < parameters.size(); ++i) total[i] += parameters[i].grad();
  }
  zero_grad(parameters);
  return total;
}

std::vector<double> parallel_gradient(Module& model, const Case& net, std::size_t threads,
                                      bool on_tape = true) {
  DataParallel parallel(model, net.make, threads);
  parallel.use_tape(on_tape);
  EXPECT_EQ(parallel.thread_count(), threads);
  model.zero_grad();
  parallel.accumulate_gradients(
      kSamples,
      [&](const Module& replica, std::size_t sample) {
        return sample_loss(static_cast<const TensorModule&>(replica), net.input_shape, sample);
      },
      kFirstStream);
  return grads_of(model);
}

// Equal to the last bit: EXPECT_EQ on doubles would also pass 0.0 against -0.0.
void expect_same_bits(const std::vector<double>& actual, const std::vector<double>& expected,
                      const std::string& what) {
  ASSERT_EQ(actual.size(), expected.size()) << what;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(std::bit_cast<std::uint64_t>(actual[i]), std::bit_cast<std::uint64_t>(expected[i]))
        << what << ": the gradient of parameter " << i << " is " << actual[i] << ", expected "
        << expected[i] << " (the samples' gradients must be added in sample order, whichever "
        << "thread computed each)";
  }
}

void expect_serial_numbers_on_any_thread_count(const Case& net) {
  manual_seed(3);
  const std::unique_ptr<Module> model = net.make();
  const std::vector<double> expected = serial_gradient(*model, net.input_shape);
  bool any_nonzero = false;
  for (double grad : expected) any_nonzero = any_nonzero || grad != 0.0;
  ASSERT_TRUE(any_nonzero) << net.name << ": the test needs a gradient that is not all 0";
  for (std::size_t threads = 1; threads <= 4; ++threads) {
    expect_same_bits(parallel_gradient(*model, net, threads), expected,
                     std::string(net.name) + " on " + std::to_string(threads) + " threads");
  }
}

TEST(DataParallel, WithoutTheTapeItGivesTheReferenceEnginesNumbers) {
  manual_seed(3);
  const std::unique_ptr<Module> model = kConvNet.make();
  const std::vector<double> expected = serial_gradient(*model, kConvNet.input_shape, false);
  for (std::size_t threads = 1; threads <= 2; ++threads) {
    expect_same_bits(parallel_gradient(*model, kConvNet, threads, false), expected,
                     "conv net without the tape on " + std::to_string(threads) + " threads");
  }
}

TEST(DataParallel, ForEachSampleComputesWhatTheModelComputesOnAnyThreadCount) {
  manual_seed(3);
  const std::unique_ptr<Module> model = kConvNet.make();
  std::vector<double> expected(kSamples);
  for (std::size_t sample = 0; sample < kSamples; ++sample) {
    expected[sample] =
        sample_loss(static_cast<const TensorModule&>(*model), kConvNet.input_shape, sample).data();
  }
  for (std::size_t threads = 1; threads <= 3; ++threads) {
    DataParallel parallel(*model, kConvNet.make, threads);
    std::vector<double> losses(kSamples, -1.0);
    const NoGradGuard no_graph;
    parallel.for_each_sample(kSamples, [&](const Module& replica, std::size_t sample) {
      losses[sample] =
          sample_loss(static_cast<const TensorModule&>(replica), kConvNet.input_shape, sample)
              .data();
    });
    expect_same_bits(
        losses, expected,
        "for_each_sample on " + std::to_string(threads) + " threads (the loss of each sample)");
  }
}

TEST(DataParallel, MlpGradientIsTheSerialSumOnOneToFourThreads) {
  expect_serial_numbers_on_any_thread_count(kMlp);
}

TEST(DataParallel, ConvNetGradientIsTheSerialSumOnOneToFourThreads) {
  expect_serial_numbers_on_any_thread_count(kConvNet);
}

TEST(DataParallel, DropoutDrawsTheSameMasksOnAnyThreadCount) {
  expect_serial_numbers_on_any_thread_count(kDropoutNet);
  // And it did drop: the gradient in eval mode (no dropout) is another one.
  manual_seed(3);
  const std::unique_ptr<Module> model = make_dropout_net();
  const std::vector<double> training = parallel_gradient(*model, kDropoutNet, 2);
  model->eval();
  EXPECT_NE(parallel_gradient(*model, kDropoutNet, 2), training)
      << "in training mode Dropout should have zeroed some units";
}

TEST(DataParallel, TheModelsModesReachTheReplicas) {
  manual_seed(3);
  const std::unique_ptr<Module> model = make_dropout_net();
  // Only the Dropout child in eval mode: the replicas must copy each module's own mode, not just
  // the model's.
  const_cast<Module*>(model->children()[1])->eval();
  const std::vector<double> expected = serial_gradient(*model, kDropoutNet.input_shape);
  expect_same_bits(parallel_gradient(*model, kDropoutNet, 3), expected, "Dropout in eval mode");
}

TEST(DataParallel, TheModelsFusedOpsReachTheReplicas) {
  manual_seed(3);
  const std::unique_ptr<Module> model = make_conv_net();
  model->use_fused_ops();
  const std::vector<double> expected = serial_gradient(*model, kConvNet.input_shape);
  DataParallel parallel(*model, kConvNet.make, 3);
  model->zero_grad();
  std::atomic<std::size_t> fused_samples = 0;
  parallel.accumulate_gradients(
      kSamples,
      [&](const Module& replica, std::size_t sample) {
        // The conv layer, and a neuron of the last Layer: the setting must reach both.
        const Module& neuron = *replica.children()[4]->children()[0];
        if (replica.children()[0]->uses_fused_ops() && neuron.uses_fused_ops()) ++fused_samples;
        return sample_loss(static_cast<const TensorModule&>(replica), kConvNet.input_shape, sample);
      },
      kFirstStream);
  EXPECT_EQ(fused_samples, kSamples) << "the replicas built op-for-op graphs for a fused model";
  expect_same_bits(grads_of(*model), expected, "fused conv net on 3 threads");
}

TEST(DataParallel, ReplicasTakeTheModelsCurrentNumbersAtEveryBatch) {
  manual_seed(3);
  const std::unique_ptr<Module> model = make_mlp();
  DataParallel parallel(*model, make_mlp, 2);
  const auto loss = [](const Module& replica, std::size_t sample) {
    return sample_loss(static_cast<const TensorModule&>(replica), {kInputs}, sample);
  };
  parallel.accumulate_gradients(kSamples, loss, kFirstStream);
  for (const Value& parameter : model->parameters()) parameter.data() -= 0.1 * parameter.grad();
  model->zero_grad();
  const std::vector<double> losses = parallel.accumulate_gradients(kSamples, loss, kFirstStream);
  const std::vector<double> parallel_grads = grads_of(*model);
  expect_same_bits(parallel_grads, serial_gradient(*model, {kInputs}), "after a step");
  for (std::size_t sample = 0; sample < kSamples; ++sample) {
    EXPECT_EQ(losses[sample],
              sample_loss(static_cast<const TensorModule&>(*model), {kInputs}, sample).data())
        << "the loss of sample " << sample << " is computed with the model's numbers of now";
  }
}

TEST(DataParallel, GradientsAddToWhatTheParametersHold) {
  manual_seed(3);
  const std::unique_ptr<Module> model = make_mlp();
  const std::vector<double> batch = serial_gradient(*model, {kInputs});
  const std::vector<Value> parameters = model->parameters();
  for (const Value& parameter : parameters) parameter.grad() = 0.5;
  DataParallel parallel(*model, make_mlp, 2);
  parallel.accumulate_gradients(
      kSamples,
      [](const Module& replica, std::size_t sample) {
        return sample_loss(static_cast<const TensorModule&>(replica), {kInputs}, sample);
      },
      kFirstStream);
  // 0.5 + g0 + g1 + ... in that order; 0.5 + (g0 + g1 + ...) can differ in the last bit, so the
  // check allows for rounding.
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    EXPECT_NEAR(parameters[i].grad(), 0.5 + batch[i], 1e-12)
        << "like backward(), the batch's gradient is added to the grad a parameter holds";
  }
}

TEST(DataParallel, TheFirstFailingSampleInOrderIsWhatTheCallerGets) {
  manual_seed(3);
  const std::unique_ptr<Module> model = make_mlp();
  for (std::size_t threads = 1; threads <= 4; ++threads) {
    DataParallel parallel(*model, make_mlp, threads);
    model->zero_grad();
    const std::string message = testing::message_of<std::invalid_argument>([&] {
      parallel.accumulate_gradients(
          kSamples,
          [](const Module& replica, std::size_t sample) {
            // Sample 4 fails last in time (on 2 threads or more): the first failure in sample
            // order is what counts, not the first one a thread happened to meet.
            if (sample == 4) std::this_thread::sleep_for(std::chrono::milliseconds(20));
            if (sample == 4 || sample == 5 || sample == 9) {
              throw std::invalid_argument("bad sample " + std::to_string(sample));
            }
            return sample_loss(static_cast<const TensorModule&>(replica), {kInputs}, sample);
          },
          kFirstStream);
    });
    EXPECT_EQ(message, "bad sample 4") << "on " << threads << " threads";
    for (double grad : grads_of(*model)) {
      ASSERT_EQ(grad, 0.0) << "a failed batch leaves the model's grads as they were";
    }
  }
}

// A replica's grads are left at 0 by every sample that finishes; one that fails after gradients
// reached the replica leaves them as they are, and the next batch must not add them in.
TEST(DataParallel, ABatchAfterAFailedOneGivesTheSerialNumbers) {
  manual_seed(3);
  const std::unique_ptr<Module> model = make_mlp();
  const std::vector<double> expected = serial_gradient(*model, {kInputs});
  for (std::size_t threads = 1; threads <= 2; ++threads) {
    DataParallel parallel(*model, make_mlp, threads);
    EXPECT_THROW(parallel.accumulate_gradients(
                     kSamples,
                     [](const Module& replica, std::size_t sample) {
                       const Value loss = sample_loss(static_cast<const TensorModule&>(replica),
                                                      {kInputs}, sample);
                       if (sample == 3) {
                         loss.backward();  // the replica's grads now hold something
                         throw std::runtime_error("fails after its backward");
                       }
                       return loss;
                     },
                     kFirstStream),
                 std::runtime_error);
    model->zero_grad();
    parallel.accumulate_gradients(
        kSamples,
        [](const Module& replica, std::size_t sample) {
          return sample_loss(static_cast<const TensorModule&>(replica), {kInputs}, sample);
        },
        kFirstStream);
    expect_same_bits(grads_of(*model), expected,
                     "the batch after a failed one on " + std::to_string(threads) + " threads");
  }
}

TEST(DataParallel, TheCallersAnomalyModeReachesTheWorkers) {
  manual_seed(3);
  const std::unique_ptr<Module> model = make_mlp();
  DataParallel parallel(*model, make_mlp, 2);
  const AnomalyGuard anomaly;
  const std::string message = testing::message_of<std::domain_error>([&] {
    parallel.accumulate_gradients(
        kSamples,
        [](const Module& replica, std::size_t sample) {
          const Value loss =
              sample_loss(static_cast<const TensorModule&>(replica), {kInputs}, sample);
          return sample == 3 ? (loss - 100.0).log() : loss;
        },
        kFirstStream);
  });
  EXPECT_NE(message.find("log"), std::string::npos)
      << "anomaly mode should have named the log of a negative number; got: " << message;
}

TEST(DataParallel, ZeroThreadsMeansOnePerCore) {
  const std::unique_ptr<Module> model = make_mlp();
  const DataParallel parallel(*model, make_mlp, 0);
  EXPECT_EQ(parallel.thread_count(), std::max(1u, std::thread::hardware_concurrency()));
}

TEST(DataParallel, TheSameThreadsComputeEveryBatch) {
  // Started once and kept waiting between batches: each keeps its tape, and the references its
  // tape holds to its replica's parameters, from one batch to the next.
  const std::unique_ptr<Module> model = make_mlp();
  DataParallel parallel(*model, make_mlp, 2);
  auto threads_of_a_batch = [&] {
    std::vector<std::thread::id> ids(kSamples);
    parallel.for_each_sample(kSamples, [&](const Module&, std::size_t sample) {
      ids[sample] = std::this_thread::get_id();
      std::this_thread::sleep_for(std::chrono::milliseconds(2));  // so that both threads take some
    });
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
  };
  const std::vector<std::thread::id> first = threads_of_a_batch();
  EXPECT_EQ(first.size(), 2u);
  EXPECT_EQ(std::count(first.begin(), first.end(), std::this_thread::get_id()), 1)
      << "the caller computes replica 0's samples, one worker thread replica 1's";
  for (int batch = 0; batch < 3; ++batch) EXPECT_EQ(threads_of_a_batch(), first);
}

TEST(DataParallel, TheCallersRandomNumbersAndTapeAreLeftAsTheyWere) {
  // The caller computes replica 0's samples itself, and each sample chooses its own stream and
  // records on a tape of its own: none of that may show on the caller's generator or tape.
  const std::unique_ptr<Module> model = make_mlp();
  DataParallel parallel(*model, make_mlp, 2);
  const auto drawing_loss = [](const Module& replica, std::size_t sample) {
    const Value x = uniform(-1.0, 1.0);  // from the sample's stream
    return sample_loss(static_cast<const TensorModule&>(replica), {kInputs}, sample) * x;
  };
  manual_seed(21);
  const std::vector<double> reference = parallel.accumulate_gradients(kSamples, drawing_loss, 1);
  manual_seed(21);
  std::mt19937_64 expected = random_generator();
  const TapeGuard callers_tape;
  const Value recorded = Value(1.0) * 2.0;
  const std::size_t recorded_nodes = callers_tape.tape().size();
  model->zero_grad();
  EXPECT_EQ(parallel.accumulate_gradients(kSamples, drawing_loss, 1), reference);
  EXPECT_EQ(callers_tape.tape().size(), recorded_nodes) << "a sample was recorded on the caller's";
  EXPECT_EQ(random_generator()(), expected()) << "the samples' streams used the caller's numbers";
  EXPECT_EQ(recorded.data(), 2.0);
}

TEST(DataParallel, WorkThatDrawsWithoutAStreamDrawsTheSameAtEveryBatch) {
  // As on a thread started for the batch: each batch starts the workers' generators from the
  // program's seed.
  manual_seed(11);
  const std::unique_ptr<Module> model = make_mlp();
  DataParallel parallel(*model, make_mlp, 1);
  auto draws = [&] {
    std::vector<double> drawn(3);
    parallel.for_each_sample(drawn.size(), [&](const Module&, std::size_t sample) {
      drawn[sample] = uniform01(random_generator());
    });
    return drawn;
  };
  const std::vector<double> first = draws();
  EXPECT_EQ(draws(), first);
  std::mt19937_64 fresh(11);
  EXPECT_EQ(first[0], uniform01(fresh)) << "a worker's first draw of a batch is a new thread's";
}

TEST(DataParallel, MakingReplicasLeavesTheCallersRandomNumbersAlone) {
  manual_seed(5);
  const std::unique_ptr<Module> model = make_mlp();
  std::mt19937_64 expected = random_generator();
  const DataParallel parallel(*model, make_mlp, 3);  // the factory draws weights, 3 times
  EXPECT_EQ(random_generator()(), expected())
      << "the replicas' weights must not use up the caller's random numbers";
}

TEST(DataParallel, AFactoryOfAnotherArchitectureIsRefused) {
  const std::unique_ptr<Module> model = make_mlp();
  const std::string message = testing::message_of<std::invalid_argument>([&] {
    DataParallel(
        *model,
        [] {
          return std::make_unique<MLP>(kInputs, std::vector<std::size_t>{4, 3});
        },
        2);
  });
  EXPECT_NE(message.find("same architecture"), std::string::npos) << message;
  EXPECT_NE(message.find("0.weight[5,6]"), std::string::npos)
      << "the message should show the model's shapes; got: " << message;
  EXPECT_NE(testing::message_of<std::invalid_argument>([&] {
              DataParallel(
                  *model, [] { return std::unique_ptr<Module>(); }, 1);
            }).find("no model"),
            std::string::npos);
}

// A model whose BatchNorm1d needs the whole batch in training mode.
struct NormalisedNet : Module {
  BatchNorm1d norm{kInputs};
  std::vector<const Module*> children() const override { return {&norm}; }
};

TEST(DataParallel, BatchStatisticsInTrainingModeAreRefused) {
  NormalisedNet model;
  DataParallel parallel(
      model, [] { return std::make_unique<NormalisedNet>(); }, 2);
  const auto loss = [](const Module&, std::size_t) { return Value(1.0); };
  const std::string message = testing::message_of<std::invalid_argument>(
      [&] { parallel.accumulate_gradients(2, loss, kFirstStream); });
  EXPECT_NE(message.find("eval()"), std::string::npos) << message;
  model.eval();
  EXPECT_NO_THROW(parallel.accumulate_gradients(2, loss, kFirstStream))
      << "in eval mode BatchNorm1d works sample by sample";
}

// A BatchNorm1d in eval mode computes with the model's running statistics: the replicas must use
// the model's, not the 0 and 1 a new BatchNorm1d starts with.
struct EvalNormNet : Module {
  Layer layer{kInputs, 4, Activation::tanh};
  BatchNorm1d norm{4};
  std::vector<const Module*> children() const override { return {&layer, &norm}; }
};

Value eval_norm_loss(const Module& module, std::size_t sample) {
  const auto& net = static_cast<const EvalNormNet&>(module);
  std::vector<Value> x;
  for (double number : input_of(sample, kInputs)) x.emplace_back(number);
  const std::vector<Value> out = net.norm({net.layer(x)}).front();
  return cross_entropy(out, label_of(sample));
}

TEST(DataParallel, ReplicasComputeWithTheModelsBuffers) {
  manual_seed(3);
  EvalNormNet model;
  model.eval();
  for (std::size_t j = 0; j < 4; ++j) {
    model.norm.running_mean()[j].data() = 0.3 * static_cast<double>(j) - 0.4;
    model.norm.running_var()[j].data() = 0.2 + 0.5 * static_cast<double>(j);
  }
  const std::vector<Value> parameters = model.parameters();
  std::vector<double> expected(parameters.size(), 0.0);
  std::vector<double> expected_losses;
  for (std::size_t sample = 0; sample < kSamples; ++sample) {
    zero_grad(parameters);
    const Value loss = eval_norm_loss(model, sample);
    expected_losses.push_back(loss.data());
    loss.backward();
    for (std::size_t i = 0; i < parameters.size(); ++i) expected[i] += parameters[i].grad();
  }
  for (std::size_t threads = 1; threads <= 3; ++threads) {
    DataParallel parallel(
        model, [] { return std::make_unique<EvalNormNet>(); }, threads);
    model.zero_grad();
    const std::vector<double> losses =
        parallel.accumulate_gradients(kSamples, eval_norm_loss, kFirstStream);
    EXPECT_EQ(losses, expected_losses)
        << "on " << threads << " threads: the replicas' BatchNorm1d must use the model's "
        << "running statistics";
    expect_same_bits(grads_of(model), expected,
                     "eval-mode BatchNorm1d on " + std::to_string(threads) + " threads");
  }
}

TEST(DataParallel, AFactoryOfAnotherActivationIsRefused) {
  const MLP model(kInputs, {5, kClasses}, Activation::relu);
  const std::string message = testing::message_of<std::invalid_argument>([&] {
    DataParallel(
        const_cast<MLP&>(model),
        [] {
          return std::make_unique<MLP>(kInputs, std::vector<std::size_t>{5, kClasses},
                                       Activation::tanh);
        },
        2);
  });
  EXPECT_NE(message.find("tanh"), std::string::npos) << message;
  EXPECT_NE(message.find("relu"), std::string::npos) << message;
}

TEST(DataParallel, AFactoryOfAnotherBatchNormSettingIsRefused) {
  NormalisedNet model;
  struct OtherEps : Module {
    BatchNorm1d norm{kInputs, 1e-3};
    std::vector<const Module*> children() const override { return {&norm}; }
  };
  const std::string message = testing::message_of<std::invalid_argument>([&] {
    DataParallel(
        model, [] { return std::make_unique<OtherEps>(); }, 1);
  });
  EXPECT_NE(message.find("eps=0.001"), std::string::npos) << message;
}

// Two modules that describe themselves alike but are made of other children: the modes could not
// be copied child by child.
struct Described : Module {
  explicit Described(std::size_t dropouts) : drops(dropouts, Dropout(0.5)) {}
  std::vector<Dropout> drops;
  Layer layer{kInputs, kClasses};
  std::vector<const Module*> children() const override {
    std::vector<const Module*> result{&layer};
    for (const Dropout& drop : drops) result.push_back(&drop);
    return result;
  }
  std::string describe() const override { return "Described"; }
};

TEST(DataParallel, AFactoryOfOtherChildModulesIsRefused) {
  Described model(1);
  const std::string message = testing::message_of<std::invalid_argument>([&] {
    DataParallel(
        model, [] { return std::make_unique<Described>(2); }, 1);
  });
  EXPECT_NE(message.find("child modules"), std::string::npos) << message;
}

TEST(DataParallel, AFactoryThatThrowsLeavesTheCallersRandomNumbersAlone) {
  manual_seed(5);
  const std::unique_ptr<Module> model = make_mlp();
  std::mt19937_64 expected = random_generator();
  int made = 0;
  EXPECT_THROW(DataParallel(
                   *model,
                   [&]() -> std::unique_ptr<Module> {
                     if (++made == 2) throw std::runtime_error("out of replicas");
                     return make_mlp();  // draws weights
                   },
                   3),
               std::runtime_error);
  EXPECT_EQ(random_generator()(), expected())
      << "a factory that throws must not use up the caller's random numbers either";
  // And a replica refused after drawing its weights.
  manual_seed(5);
  expected = random_generator();
  EXPECT_THROW(DataParallel(
                   *model,
                   [] {
                     return std::make_unique<MLP>(kInputs, std::vector<std::size_t>{5, kClasses},
                                                  Activation::tanh);
                   },
                   2),
               std::invalid_argument);
  EXPECT_EQ(random_generator()(), expected());
}

}  // namespace
}  // namespace micrograd::nn
