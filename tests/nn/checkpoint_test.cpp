// Tests of nn/checkpoint.hpp: round trips, every kind of damaged or mismatched file (each must
// leave the model untouched), failed saves (the old file must survive), and a checkpoint written by
// PyTorch (tests/reference/nn_checkpoint_torch.json, from nn_checkpoint_reference.py). Saves cut
// short at each step of the atomic write, or by a crash, are tested on the writer itself
// (tests/base/atomic_file_test.cpp).
#include "nn/checkpoint.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "common/errors.hpp"
#include "nn/activation.hpp"
#include "nn/batchnorm.hpp"
#include "nn/conv.hpp"
#include "nn/mlp.hpp"
#include "nn/optim.hpp"
#include "nn/random.hpp"
#include "nn/schedule.hpp"
#include "nn/sequential.hpp"
#include "reference_file.hpp"

namespace micrograd::nn {
namespace {

namespace fs = std::filesystem;

std::vector<double> snapshot(const Module& model) {
  std::vector<double> numbers;
  for (const Value& p : model.parameters()) numbers.push_back(p.data());
  return numbers;
}

void scramble(const Module& model) {
  for (const Value& p : model.parameters()) p.data() = uniform(-5.0, 5.0);
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  if (at == std::string::npos) {
    ADD_FAILURE() << "the checkpoint text has no '" << from << "': the format changed?";
    return text;
  }
  return text.replace(at, from.size(), to);
}

class CheckpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    directory_ = fs::temp_directory_path() / ("micrograd_checkpoint_" + std::string(info->name()) +
                                              "_" + std::to_string(::getpid()));
    fs::remove_all(directory_);
    fs::create_directories(directory_);
    manual_seed(99);
  }
  void TearDown() override { fs::remove_all(directory_); }
  // The names of the files in the test's directory.
  std::vector<std::string> files() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(directory_)) {
      names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }
  fs::path directory_;
};

TEST_F(CheckpointTest, RoundTripRestoresEveryNumberExactly) {
  MLP model(2, {3, 1});
  for (const Value& p : model.parameters()) p.data() = uniform(-1.0, 1.0) * 1e-7 + 1.0 / 3.0;
  const std::vector<double> saved = snapshot(model);
  save_checkpoint(model, directory_ / "model.json");
  scramble(model);
  load_checkpoint(model, directory_ / "model.json");
  EXPECT_EQ(snapshot(model), saved) << "every double must read back bit for bit";
  EXPECT_EQ(files(), std::vector<std::string>{"model.json"}) << "no temporary file left behind";
}

TEST_F(CheckpointTest, RoundTripOfAConvNetAndAUserModel) {
  Sequential net(Conv2D(1, 2, 3, 1, 1), ReLU(), MaxPool2D(2), Flatten(), Layer(2 * 2 * 2, 3));
  const std::vector<double> saved = snapshot(net);
  save_checkpoint(net, directory_ / "net.json");
  scramble(net);
  load_checkpoint(net, directory_ / "net.json");
  EXPECT_EQ(snapshot(net), saved);

  struct Net : Module {
    Conv2D conv{1, 1, 2};
    MLP head{4, {2}};
    std::vector<const Module*> children() const override { return {&conv, &head}; }
  } user;
  const std::vector<double> user_saved = snapshot(user);
  save_checkpoint(user, directory_ / "user.json");
  scramble(user);
  load_checkpoint(user, directory_ / "user.json");
  EXPECT_EQ(snapshot(user), user_saved);
}

TEST_F(CheckpointTest, LayoutIsPyTorchsStateDict) {
  const MLP model({Layer({Neuron(to_values({1.5, -2.0}), Value(0.25)),
                          Neuron(to_values({3.0, 4.0}), Value(-1.0))}),
                   Layer({Neuron(to_values({0.5, 0.125}), Value(2.0), Activation::none)})});
  save_checkpoint(model, directory_ / "model.json");
  const std::string text = read_text(directory_ / "model.json");
  EXPECT_NE(text.find("\"format\":\"micrograd.cpp checkpoint\",\"version\":1"), std::string::npos)
      << text;
  EXPECT_NE(text.find("\"architecture\":\"MLP(2, [2, 1], relu)\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"parameter_count\":9"), std::string::npos) << text;
  EXPECT_NE(text.find("\"0.weight\":{\"shape\":[2,2],\"data\":[[1.5,-2.0],[3.0,4.0]]}"),
            std::string::npos)
      << "weight [out][in]: row i is neuron i's weights\n"
      << text;
  EXPECT_NE(text.find("\"0.bias\":{\"shape\":[2],\"data\":[0.25,-1.0]}"), std::string::npos)
      << text;
  EXPECT_NE(text.find("\"1.weight\":{\"shape\":[1,2],\"data\":[[0.5,0.125]]}"), std::string::npos)
      << text;
}

// A model with buffers: BatchNorm's running statistics, which are learned but are not parameters.
struct NormNet : Module {
  Layer layer{2, 3, Activation::none};
  BatchNorm1d norm{3};
  std::vector<const Module*> children() const override { return {&layer, &norm}; }
};

std::string message_of_load(Module& model, const fs::path& path) {
  return micrograd::testing::message_of<CheckpointError>([&] { load_checkpoint(model, path); });
}

std::vector<double> running_statistics(const BatchNorm1d& norm) {
  std::vector<double> result;
  for (const Value& v : norm.running_mean()) result.push_back(v.data());
  for (const Value& v : norm.running_var()) result.push_back(v.data());
  return result;
}

TEST_F(CheckpointTest, RoundTripRestoresRunningStatistics) {
  manual_seed(21);
  NormNet net;
  for (int step = 0; step < 3; ++step) {
    std::vector<std::vector<Value>> batch;
    for (int i = 0; i < 4; ++i)
      batch.push_back(net.layer(to_values({uniform(-1, 1), uniform(-1, 1)})));
    net.norm(batch);
  }
  const std::vector<double> statistics = running_statistics(net.norm);
  const std::vector<double> saved = snapshot(net);
  save_checkpoint(net, directory_ / "net.json");
  const std::string text = read_text(directory_ / "net.json");
  EXPECT_NE(text.find("\"buffers\":{\"1.running_mean\":{\"shape\":[3]"), std::string::npos) << text;
  EXPECT_NE(text.find("\"parameter_count\":15"), std::string::npos)
      << "running statistics are not parameters\n"
      << text;
  NormNet fresh;
  load_checkpoint(fresh, directory_ / "net.json");
  EXPECT_EQ(snapshot(fresh), saved);
  EXPECT_EQ(running_statistics(fresh.norm), statistics)
      << "a loaded BatchNorm must evaluate as the saved one did: its running statistics too";
}

TEST_F(CheckpointTest, ModelsWithoutBuffersWriteNoBufferSection) {
  const MLP model(2, {2});
  save_checkpoint(model, directory_ / "model.json");
  EXPECT_EQ(read_text(directory_ / "model.json").find("buffers"), std::string::npos)
      << "the file of a model without buffers must stay as older versions read it";
}

TEST_F(CheckpointTest, MissingOrExtraRunningStatisticsAreRefused) {
  NormNet net;
  save_checkpoint(net, directory_ / "net.json");
  const std::string text = read_text(directory_ / "net.json");
  const std::size_t start = text.find(",\"buffers\"");
  ASSERT_NE(start, std::string::npos) << text;
  write_text(directory_ / "old.json", text.substr(0, start) + "}\n");
  net.norm.running_var()[0].data() = 7.0;
  const std::string missing = message_of_load(net, directory_ / "old.json");
  EXPECT_NE(missing.find("buffer '1.running_mean' (shape [3]) of the model is missing"),
            std::string::npos)
      << missing;
  EXPECT_EQ(net.norm.running_var()[0].data(), 7.0) << "a refused load leaves the model untouched";

  MLP plain(2, {3});
  save_checkpoint(plain, directory_ / "plain.json");
  const std::string plain_text = read_text(directory_ / "plain.json");
  write_text(directory_ / "extra.json",
             plain_text.substr(0, plain_text.rfind('}')) +
                 ",\"buffers\":{\"x\":{\"shape\":[1],\"data\":[1.0]}}}\n");
  const std::string extra = message_of_load(plain, directory_ / "extra.json");
  EXPECT_NE(extra.find("it has a buffer 'x' that the model"), std::string::npos) << extra;
}

TEST_F(CheckpointTest, ReadsACheckpointWrittenByPyTorch) {
  Sequential net(Layer(3, 4, Activation::none), Tanh(), Layer(4, 2, Activation::none));
  load_checkpoint(net, fs::path(MICROGRAD_TEST_DATA_DIR) / "nn_checkpoint_torch.json");
  const auto cases = test_data::read_reference_cases("nn_checkpoint_torch.txt");
  ASSERT_EQ(cases.size(), 5u);
  for (const auto& c : cases) {
    const Tensor out = net(to_values(c.tensor("input").data));
    EXPECT_PRED_FORMAT2(test_data::close_to(1e-14, "output", c), out.data(), c.tensor("output"));
  }
}

TEST_F(CheckpointTest, SavingAgainReplacesTheFile) {
  MLP model(2, {2});
  save_checkpoint(model, directory_ / "model.json");
  scramble(model);
  const std::vector<double> second = snapshot(model);
  save_checkpoint(model, directory_ / "model.json");
  scramble(model);
  load_checkpoint(model, directory_ / "model.json");
  EXPECT_EQ(snapshot(model), second);
  EXPECT_EQ(files(), std::vector<std::string>{"model.json"});
}

TEST_F(CheckpointTest, ArchitectureCheckCanBeTurnedOff) {
  const MLP relu(2, {3, 1}, Activation::relu);
  save_checkpoint(relu, directory_ / "relu.json");
  MLP tanh(2, {3, 1}, Activation::tanh);
  const std::vector<double> before = snapshot(tanh);
  try {
    load_checkpoint(tanh, directory_ / "relu.json");
    FAIL() << "a checkpoint of a relu MLP must not load silently into a tanh MLP";
  } catch (const CheckpointError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("MLP(2, [3, 1], relu)"), std::string::npos) << message;
    EXPECT_NE(message.find("MLP(2, [3, 1], tanh)"), std::string::npos) << message;
    EXPECT_NE(message.find("check_architecture"), std::string::npos) << message;
  }
  EXPECT_EQ(snapshot(tanh), before);
  load_checkpoint(tanh, directory_ / "relu.json", {.check_architecture = false});
  EXPECT_EQ(snapshot(tanh), snapshot(relu));
}

// Every damaged file: a CheckpointError whose message contains `expected`, and the model untouched.
TEST_F(CheckpointTest, EveryCorruptionIsAClearErrorAndNoPartialLoad) {
  MLP model(2, {3, 1});
  const fs::path good = directory_ / "good.json";
  save_checkpoint(model, good);
  const std::string text = read_text(good);
  scramble(model);
  const std::vector<double> before = snapshot(model);

  const std::string first_weight = [&] {
    const std::size_t start = text.find("\"data\":[[") + 9;
    return text.substr(start, text.find(',', start) - start);
  }();
  const std::size_t last_bias = text.find(",\"1.bias\"");
  const std::string without_last_bias =
      text.substr(0, last_bias) + text.substr(text.find('}', last_bias) + 1);
  struct Case {
    std::string name, content, expected;
  };
  const std::vector<Case> cases = {
      {"empty file", "", "empty"},
      {"cut in half", text.substr(0, text.size() / 2), "not valid JSON"},
      {"last brace missing", text.substr(0, text.size() - 2), "not valid JSON"},
      {"first bytes only", text.substr(0, 10), "not valid JSON"},
      {"not JSON", "hello, world\n", "not valid JSON"},
      {"binary garbage", std::string("\x89PNG\r\n\x1a\n\0\0", 10), "not valid JSON"},
      {"JSON but not an object", "[1, 2, 3]\n", "JSON object"},
      {"another format", replaced(text, "micrograd.cpp checkpoint", "something else"),
       "not a checkpoint written by save_checkpoint"},
      {"no format", replaced(text, "\"format\"", "\"fromat\""), "no \"format\""},
      {"a future version", replaced(text, "\"version\":1", "\"version\":2"), "version 2"},
      {"missing parameter", without_last_bias, "'1.bias' (shape [1]) of the model is missing"},
      {"extra parameter",
       replaced(text, "\"parameters\":{",
                "\"parameters\":{\"2.weight\":{\"shape\":[1],\"data\":[1.0]},"),
       "'2.weight' that the model"},
      {"wrong shape", replaced(text, "\"shape\":[3,2]", "\"shape\":[2,3]"),
       "has shape [2, 3] in the file, but the model's is [3, 2]"},
      {"negative size", replaced(text, "\"shape\":[3,2]", "\"shape\":[-3,2]"), "integers >= 0"},
      {"row too long", replaced(text, "\"data\":[[", "\"data\":[[0.5,"),
       "0.weight[0] should be a list of 2 entries"},
      {"row missing", replaced(text, "\"data\":[[", "\"data\":[[0.5,0.5],["),
       "0.weight should be a list of 3 entries"},
      {"string for a number", replaced(text, "[[" + first_weight, "[[\"0.5\""),
       "0.weight[0][0] is \"0.5\", expected a number"},
      {"null (a NaN written by another tool)", replaced(text, "[[" + first_weight, "[[null"),
       "0.weight[0][0] is null"},
      {"overflowing number", replaced(text, "[[" + first_weight, "[[1e999"),
       "overflow parsing '1e999'"},
      {"no data", replaced(text, "\"data\"", "\"dat\""), "no \"data\""},
      {"wrong parameter count", replaced(text, "\"parameter_count\":13", "\"parameter_count\":14"),
       "\"parameter_count\" is 14 but the tensors hold 13"},
      {"parameters not an object",
       replaced(text, "\"parameters\":{", "\"parameters\":[],\"unused\":{"),
       "\"parameters\" should be an object"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const fs::path path = directory_ / "damaged.json";
    write_text(path, c.content);
    try {
      load_checkpoint(model, path);
      ADD_FAILURE() << "a damaged checkpoint (" << c.name << ") was loaded";
    } catch (const CheckpointError& error) {
      const std::string message = error.what();
      EXPECT_NE(message.find(c.expected), std::string::npos)
          << "expected '" << c.expected << "' in: " << message;
      EXPECT_NE(message.find("damaged.json"), std::string::npos) << "name the file: " << message;
      EXPECT_NE(message.find("the model was not changed"), std::string::npos) << message;
    }
    EXPECT_EQ(snapshot(model), before) << "a failed load must not change a single parameter";
  }
}

// A list nested 100,000 deep is 200 KB of valid JSON. Before: a stack overflow in the recursive
// rendering that built the error message, wherever the file put it.
TEST_F(CheckpointTest, DeeplyNestedJsonIsAClearErrorNotACrash) {
  MLP model(2, {3, 1});
  const fs::path good = directory_ / "good.json";
  save_checkpoint(model, good);
  const std::string text = read_text(good);
  const std::vector<double> before = snapshot(model);
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  struct Case {
    std::string name, content;
  };
  const std::vector<Case> cases = {
      {"deep \"format\"", "{\"format\": " + deep + "}"},
      {"deep \"version\"", replaced(text, "\"version\":1", "\"version\":" + deep)},
      {"deep \"data\"", replaced(text, "\"data\":[[", "\"data\":[" + deep + ",[")},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const fs::path path = directory_ / "deep.json";
    write_text(path, c.content);
    try {
      load_checkpoint(model, path);
      ADD_FAILURE() << "a checkpoint nested 100,000 deep was loaded";
    } catch (const CheckpointError& error) {
      const std::string message = error.what();
      EXPECT_NE(message.find("deep.json"), std::string::npos) << message;
      EXPECT_NE(message.find("nested deeper than"), std::string::npos) << message;
      EXPECT_LT(message.size(), 1000u) << "the message must not quote the file: " << message;
    }
    EXPECT_EQ(snapshot(model), before);
  }
}

// Whatever a file holds where a number should be, the message shows a short rendering of it, never
// the whole value.
TEST_F(CheckpointTest, MessagesQuoteAtMostAShortPieceOfTheFile) {
  MLP model(2, {3, 1});
  const fs::path path = directory_ / "odd.json";
  save_checkpoint(model, path);
  const std::string text = read_text(path);
  const std::string long_string = "\"" + std::string(100000, 'x') + "\"";
  std::string long_list = "[1";
  for (int i = 0; i < 50000; ++i) long_list += ",1";
  long_list += "]";
  for (const std::string& odd : {long_string, std::string("[1,[2,[3,[4]]]]"), long_list}) {
    write_text(path,
               replaced(text, "\"format\":\"micrograd.cpp checkpoint\"", "\"format\":" + odd));
    try {
      load_checkpoint(model, path);
      ADD_FAILURE() << "a checkpoint with an odd \"format\" was loaded";
    } catch (const CheckpointError& error) {
      const std::string message = error.what();
      EXPECT_NE(message.find("\"format\" is"), std::string::npos) << message;
      EXPECT_LT(message.size(), 400u) << message;
    }
  }
}

TEST_F(CheckpointTest, AFolderIsNotACheckpoint) {
  // Before: "the file is empty (an interrupted copy?)".
  MLP model(2, {3, 1});
  try {
    load_checkpoint(model, directory_);
    FAIL() << "a folder must be an error";
  } catch (const CheckpointError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("it is a folder"), std::string::npos) << message;
    EXPECT_EQ(message.find("empty"), std::string::npos) << message;
  }
}

TEST_F(CheckpointTest, MissingFileAndMismatchedModel) {
  MLP model(2, {3, 1});
  const std::vector<double> before = snapshot(model);
  try {
    load_checkpoint(model, directory_ / "nowhere.json");
    FAIL() << "a missing file must be an error";
  } catch (const CheckpointError& error) {
    EXPECT_NE(std::string(error.what()).find("No such file"), std::string::npos) << error.what();
  }
  const MLP bigger(2, {4, 1});
  save_checkpoint(bigger, directory_ / "bigger.json");
  try {
    load_checkpoint(model, directory_ / "bigger.json", {.check_architecture = false});
    FAIL() << "a [4, 2] weight must not load into a [3, 2] one";
  } catch (const CheckpointError& error) {
    EXPECT_NE(
        std::string(error.what()).find("has shape [4, 2] in the file, but the model's is [3, 2]"),
        std::string::npos)
        << error.what();
  }
  EXPECT_EQ(snapshot(model), before);
}

// ---- failed saves -------------------------------------------------------------------------------

TEST_F(CheckpointTest, RenameFailureLeavesNothingBehind) {
  const MLP model(2, {2});
  fs::create_directories(directory_ / "taken" / "inside");  // a non-empty folder cannot be replaced
  try {
    save_checkpoint(model, directory_ / "taken");
    FAIL() << "saving over a folder must fail";
  } catch (const CheckpointError& error) {
    EXPECT_NE(std::string(error.what()).find("cannot replace"), std::string::npos) << error.what();
  }
  EXPECT_TRUE(fs::is_directory(directory_ / "taken" / "inside"));
  EXPECT_EQ(files(), std::vector<std::string>{"taken"});
  EXPECT_THROW(save_checkpoint(model, directory_ / "no" / "such" / "folder.json"), CheckpointError);
}

TEST_F(CheckpointTest, NonFiniteParametersAreNotSaved) {
  const MLP model(2, {2});
  const fs::path path = directory_ / "model.json";
  save_checkpoint(model, path);
  const std::string old_text = read_text(path);
  model.parameters()[1].data() = NAN;
  EXPECT_THROW(save_checkpoint(model, path), std::domain_error);
  EXPECT_EQ(read_text(path), old_text);
}

// /proc exists, but takes no new files: the message must not say that it does not exist.
TEST_F(CheckpointTest, AFolderThatTakesNoFilesIsNamedAsSuch) {
  if (!fs::is_directory("/proc")) GTEST_SKIP() << "no /proc here";
  const MLP model(2, {2});
  const std::string message =
      testing::message_of<CheckpointError>([&] { save_checkpoint(model, "/proc/x.json"); });
  EXPECT_EQ(message.find("does not exist"), std::string::npos) << message;
  EXPECT_NE(message.find("takes no new files"), std::string::npos) << message;
}

// A device never ends: reading it whole would take all the memory there is.
TEST_F(CheckpointTest, ADeviceIsNotReadAsACheckpoint) {
  if (!fs::exists("/dev/zero")) GTEST_SKIP() << "no /dev/zero here";
  MLP model(2, {2});
  const std::string message =
      testing::message_of<CheckpointError>([&] { load_checkpoint(model, "/dev/zero"); });
  EXPECT_NE(message.find("not a regular file"), std::string::npos) << message;
}

// ---- the optimizer's state -----------------------------------------------------------------------

// A small regression (5 points, MLP 2-4-1) trained for `total` steps by the optimizer `make` gives,
// with the learning rate of a LinearDecay schedule set before each step. With `stop` < `total`,
// the run is stopped after `stop` steps: saved, then loaded into a new model and optimizer (made
// from another seed, so that nothing carries over but the file), and continued. Returns the
// parameters at the end.
using MakeOptimizer = std::unique_ptr<Optimizer> (*)(std::vector<Value>);

std::vector<double> train_run(MakeOptimizer make, const fs::path& path, std::size_t stop,
                              std::size_t total, bool save_optimizer = true) {
  manual_seed(7);
  auto model = std::make_unique<MLP>(2, std::vector<std::size_t>{4, 1});
  std::unique_ptr<Optimizer> optimizer = make(model->parameters());
  const LinearDecay schedule(0.05, 0.005, total);
  const double points[5][3] = {
      {0.5, -1.0, 0.3}, {-0.2, 0.8, -0.5}, {1.5, 0.1, 0.9}, {-1.0, -0.6, 0.1}, {0.3, 0.3, -0.2}};
  for (std::size_t step = 0; step < total; ++step) {
    if (step == stop) {
      if (save_optimizer) {
        save_checkpoint(*model, *optimizer, path);
      } else {
        save_checkpoint(*model, path);
      }
      manual_seed(1234);
      model = std::make_unique<MLP>(2, std::vector<std::size_t>{4, 1});
      optimizer = make(model->parameters());
      if (save_optimizer) {
        load_checkpoint(*model, *optimizer, path);
      } else {
        load_checkpoint(*model, path);
      }
    }
    optimizer->set_learning_rate(schedule(step));
    optimizer->zero_grad();
    Value loss = 0.0;
    for (const auto& point : points) {
      const Value error = (*model)({Value(point[0]), Value(point[1])})[0] - point[2];
      loss += error * error;
    }
    loss.backward();
    optimizer->step();
  }
  return snapshot(*model);
}

std::unique_ptr<Optimizer> make_adam(std::vector<Value> parameters) {
  return std::make_unique<Adam>(std::move(parameters), AdamOptions{.lr = 0.05});
}
std::unique_ptr<Optimizer> make_momentum(std::vector<Value> parameters) {
  return std::make_unique<SGD>(std::move(parameters), SGDOptions{.lr = 0.05, .momentum = 0.9});
}

void expect_same_bits(const std::vector<double>& actual, const std::vector<double>& expected,
                      const std::string& what) {
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t i = 0; i < actual.size(); ++i) {
    EXPECT_EQ(std::bit_cast<std::uint64_t>(actual[i]), std::bit_cast<std::uint64_t>(expected[i]))
        << what << ": parameter " << i << " is " << actual[i] << ", the run never stopped has "
        << expected[i];
  }
}

TEST_F(CheckpointTest, AStoppedAndResumedAdamRunIsTheRunNeverStopped) {
  const std::vector<double> straight = train_run(make_adam, directory_ / "a.json", 30, 30);
  for (std::size_t stop : {1, 12, 29}) {
    expect_same_bits(train_run(make_adam, directory_ / "a.json", stop, 30), straight,
                     "Adam stopped after " + std::to_string(stop) + " steps");
  }
  // Why the state is saved: without it the moments and the step count start again.
  EXPECT_NE(train_run(make_adam, directory_ / "b.json", 12, 30, false), straight);
}

TEST_F(CheckpointTest, AStoppedAndResumedMomentumRunIsTheRunNeverStopped) {
  const std::vector<double> straight = train_run(make_momentum, directory_ / "m.json", 25, 25);
  for (std::size_t stop : {1, 10, 24}) {
    expect_same_bits(train_run(make_momentum, directory_ / "m.json", stop, 25), straight,
                     "SGD with momentum stopped after " + std::to_string(stop) + " steps");
  }
  EXPECT_NE(train_run(make_momentum, directory_ / "b.json", 10, 25, false), straight);
}

// The file of a model and its optimizer is still a checkpoint of the model.
TEST_F(CheckpointTest, ACheckpointWithAnOptimizerLoadsAsAModelAlone) {
  MLP model(2, {3, 1});
  const Adam adam(model.parameters());
  save_checkpoint(model, adam, directory_ / "both.json");
  const std::vector<double> saved = snapshot(model);
  scramble(model);
  load_checkpoint(model, directory_ / "both.json");
  EXPECT_EQ(snapshot(model), saved);
}

// Written by save_checkpoint before optimizer state existed (tests/reference/): still a model.
TEST_F(CheckpointTest, ACheckpointOfTheFirstFormatStillLoads) {
  const fs::path old = fs::path(MICROGRAD_TEST_DATA_DIR) / "nn_checkpoint_v1_mlp.json";
  MLP model(2, {3, 1});
  load_checkpoint(model, old);
  EXPECT_EQ(model.parameters()[0].data(), 0.25);
  EXPECT_EQ(model.parameters().back().data(), -0.125);
  SGD sgd(model.parameters(), {.lr = 0.1, .momentum = 0.9});
  const std::string message =
      testing::message_of<CheckpointError>([&] { load_checkpoint(model, sgd, old); });
  EXPECT_NE(message.find("holds no optimizer state"), std::string::npos) << message;
  EXPECT_NE(message.find("load_checkpoint(model, path)"), std::string::npos) << message;
}

std::string state_text(const Optimizer& optimizer) {
  std::ostringstream text;
  const OptimizerState state = optimizer.state();
  text << state.type << ' ' << state.learning_rate;
  for (const auto& [name, values] : state.values) {
    text << ' ' << name;
    for (double value : values) text << ' ' << value;
  }
  return text.str();
}

TEST_F(CheckpointTest, OptimizerStateThatDoesNotFitIsRefusedAndChangesNothing) {
  MLP model(2, {3, 1});
  Adam adam(model.parameters(), {.lr = 0.01});
  for (int step = 0; step < 3; ++step) {
    model.zero_grad();
    (model({Value(0.5), Value(-1.0)})[0] * 2.0).backward();
    adam.step();
  }
  const fs::path path = directory_ / "adam.json";
  save_checkpoint(model, adam, path);
  const std::string text = read_text(path);
  MLP other(2, {3, 1});
  Adam fresh(other.parameters(), {.lr = 0.02});
  SGD sgd(other.parameters(), {.lr = 0.1, .momentum = 0.5});
  const std::vector<double> other_before = snapshot(other);
  const std::string fresh_before = state_text(fresh);
  const std::string sgd_before = state_text(sgd);

  const auto expect_refused = [&](const std::string& damaged, Optimizer& optimizer,
                                  const std::string& expected) {
    write_text(directory_ / "bad.json", damaged);
    const std::string message = testing::message_of<CheckpointError>(
        [&] { load_checkpoint(other, optimizer, directory_ / "bad.json"); });
    EXPECT_NE(message.find(expected), std::string::npos) << message;
    EXPECT_EQ(snapshot(other), other_before) << "the model changed on: " << message;
    EXPECT_EQ(state_text(fresh), fresh_before) << "Adam changed on: " << message;
    EXPECT_EQ(state_text(sgd), sgd_before) << "SGD changed on: " << message;
  };
  expect_refused(text, sgd, "saved from an Adam optimizer");
  expect_refused(replaced(text, "\"step\":[3.0]", "\"step\":[2.5]"), fresh, "whole number");
  expect_refused(replaced(text, "\"step\":[3.0]", "\"step\":[-1.0]"), fresh, ">= 0");
  expect_refused(replaced(text, "\"step\":[3.0]", "\"step\":\"3\""), fresh, "list of numbers");
  expect_refused(replaced(text, "\"v\":[", "\"v\":[-1.0,"), fresh,
                 "\"v\" holds 14 numbers, but the optimizer has 13");
  expect_refused(replaced(text, "\"type\":\"Adam\"", "\"type\":7"), fresh, "should be a string");
  expect_refused(
      replaced(text, "\"parameter_count\":13,\"state\"", "\"parameter_count\":12,\"state\""), fresh,
      "stepped 12 parameters");
  expect_refused(replaced(text, "\"learning_rate\":0.01", "\"learning_rate\":-0.01"), fresh,
                 "learning rate");

  load_checkpoint(other, fresh, path);
  EXPECT_EQ(state_text(fresh), state_text(adam));
  EXPECT_EQ(fresh.step_count(), 3u);
}

TEST_F(CheckpointTest, AnOptimizerOfAnotherModelIsRefused) {
  const MLP model(2, {3, 1});
  const MLP other(2, {3, 1});
  const SGD sgd(other.parameters(), {});
  const std::string message = testing::message_of<std::invalid_argument>(
      [&] { save_checkpoint(model, sgd, directory_ / "x.json"); });
  EXPECT_NE(message.find("not a parameter of"), std::string::npos) << message;
  EXPECT_TRUE(files().empty());
}

}  // namespace
}  // namespace micrograd::nn
