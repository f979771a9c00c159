// Tests of nn/mlp.hpp: Neuron, Layer and MLP.
//
// Suites named ExC_N_... grade exercise C.N and use only earlier exercises: 5.1-5.3 build their
// networks from explicit weights and read them through neurons()/weights(), never parameters()
// (5.4). The other suites check construction, shapes and gradients (gradcheck) of the whole thing.
#include "nn/mlp.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "engine/failure_messages.hpp"
#include "engine/gradcheck.hpp"
#include "engine/graph.hpp"
#include "nn/random.hpp"

namespace micrograd::nn {
namespace {

Neuron make_neuron(std::vector<double> weights, double bias, Activation activation) {
  return Neuron(to_values(weights), Value(bias), activation);
}

// The inputs of a neuron in the lecture: two inputs, two weights and a bias.
std::vector<Value> inputs(std::vector<double> data) {
  return to_values(data);
}

std::size_t op_count(const Value& root, const std::string& op) {
  const GraphStats stats = graph_stats(root);
  const auto found = stats.op_counts.find(op);
  return found == stats.op_counts.end() ? 0 : found->second;
}

// ---- 5.1 Neuron forward -------------------------------------------------------------------------

TEST(Ex5_1_NeuronForward, WeightedSumPlusBias) {
  const Neuron linear = make_neuron({2.0, -3.0}, 1.0, Activation::none);
  const Value out = linear(inputs({4.0, 5.0}));
  EXPECT_DOUBLE_EQ(out.data(), -6.0)
      << "b + w0*x0 + w1*x1 = 1 + 2*4 + (-3)*5 = -6. Did you forget the bias, or start the sum "
         "at 0 and then also skip a product?";
}

TEST(Ex5_1_NeuronForward, StartsFromTheBiasAndAddsInOrder) {
  // Floating-point addition is not associative: 1e16 + 1 rounds back to 1e16 (doubles there are
  // 2 apart), so (b + w0*x0) + w1*x1 = 1e16, while (w0*x0 + w1*x1) + b = 2 + 1e16 = 1e16 + 2.
  // micrograd's order, b first, is also the fused dot's (chapter 9): the same bits either way.
  const Neuron linear = make_neuron({1.0, 1.0}, 1e16, Activation::none);
  const Value out = linear(inputs({1.0, 1.0}));
  EXPECT_EQ(out.data() - 1e16, 0.0)
      << "b + w0*x0 + w1*x1 with b = 1e16 and both products 1, added left to right, is 1e16 "
         "exactly; 1e16 + 2 means the bias was added last. Start the sum from the bias "
         "(micrograd's order) and add the products to it one by one";
}

TEST(Ex5_1_NeuronForward, AppliesItsActivation) {
  const std::vector<Value> x = inputs({4.0, 5.0});
  // The weighted sum is -6 for all of these; only the activation differs.
  EXPECT_DOUBLE_EQ(make_neuron({2.0, -3.0}, 1.0, Activation::relu)(x).data(), 0.0)
      << "relu(-6) = 0: apply the activation with activate(sum, activation_)";
  EXPECT_NEAR(make_neuron({2.0, -3.0}, 1.0, Activation::tanh)(x).data(), std::tanh(-6.0), 1e-15);
  EXPECT_NEAR(make_neuron({2.0, -3.0}, 1.0, Activation::sigmoid)(x).data(),
              1.0 / (1.0 + std::exp(6.0)), 1e-15);
  EXPECT_DOUBLE_EQ(make_neuron({2.0, 3.0}, 1.0, Activation::relu)(x).data(), 24.0)
      << "relu(1 + 8 + 15) = 24";
}

TEST(Ex5_1_NeuronForward, MakesMicrogradsGraph) {
  const Neuron neuron = make_neuron({0.5, -1.5, 2.0, 0.25}, 0.1, Activation::relu);
  const Value out = neuron(inputs({1.0, 2.0, 3.0, 4.0}));
  EXPECT_EQ(op_count(out, "*"), 4u) << "one multiplication per input: w_i * x_i";
  EXPECT_EQ(op_count(out, "+"), 4u)
      << "one addition per input: start the sum at the bias (Value sum = bias_) and add each "
         "product; starting at Value(0) adds a node, and summing the products first then adding "
         "the bias is the same count but not micrograd's order";
  EXPECT_EQ(op_count(out, "relu"), 1u) << "one activation node at the end";
  EXPECT_EQ(graph_stats(out).node_count, 4u + 4u + 1u + 4u + 4u + 1u)
      << "4 inputs, 4 weights and the bias are leaves; 4 '*', 4 '+', 1 relu: no other nodes";
}

TEST(Ex5_1_NeuronForward, GradientsReachWeightsBiasAndInputs) {
  const Neuron neuron = make_neuron({2.0, 3.0}, 1.0, Activation::tanh);
  const std::vector<Value> x = inputs({0.1, -0.2});
  const Value out = neuron(x);
  out.backward();
  const double local = 1.0 - out.data() * out.data();  // tanh'
  EXPECT_NEAR(neuron.weights()[0].grad(), local * 0.1, 1e-15)
      << "d out / d w0 = tanh'(sum) * x0: the neuron must use its own weight Values (the "
         "handles in weights_), not copies of their numbers";
  EXPECT_NEAR(neuron.weights()[1].grad(), local * -0.2, 1e-15);
  EXPECT_NEAR(neuron.bias().grad(), local, 1e-15) << "d out / d b = tanh'(sum)";
  EXPECT_NEAR(x[0].grad(), local * 2.0, 1e-15) << "d out / d x0 = tanh'(sum) * w0";
}

// ---- 5.2 Layer forward --------------------------------------------------------------------------

TEST(Ex5_2_LayerForward, EveryNeuronInOrder) {
  const Layer layer({make_neuron({1.0, 2.0}, 0.5, Activation::none),
                     make_neuron({-1.0, 0.0}, 0.0, Activation::none),
                     make_neuron({3.0, -2.0}, -1.0, Activation::none)});
  const std::vector<Value> out = layer(inputs({2.0, 3.0}));
  ASSERT_EQ(out.size(), 3u) << "a layer of 3 neurons has 3 outputs, one per neuron";
  EXPECT_DOUBLE_EQ(out[0].data(), 8.5) << "neuron 0: 0.5 + 1*2 + 2*3";
  EXPECT_DOUBLE_EQ(out[1].data(), -2.0) << "neuron 1: 0 - 1*2 + 0*3";
  EXPECT_DOUBLE_EQ(out[2].data(), -1.0) << "neuron 2: -1 + 3*2 - 2*3";
}

TEST(Ex5_2_LayerForward, EveryNeuronReadsTheSameInputs) {
  const Layer layer({make_neuron({1.0, 2.0}, 0.0, Activation::none),
                     make_neuron({3.0, 4.0}, 0.0, Activation::none)});
  const std::vector<Value> x = inputs({1.0, 1.0});
  const std::vector<Value> out = layer(x);
  ASSERT_EQ(out.size(), 2u);
  (out[0] + out[1]).backward();
  EXPECT_DOUBLE_EQ(x[0].grad(), 4.0)
      << "x0 feeds both neurons, so its gradient is w00 + w10 = 1 + 3; pass the same x to every "
         "neuron";
  EXPECT_DOUBLE_EQ(x[1].grad(), 6.0);
}

TEST(Ex5_2_LayerForward, OneActivationPerNeuron) {
  const Layer layer(2, 5, Activation::relu);
  const std::vector<Value> out = layer(inputs({0.3, -0.7}));
  ASSERT_EQ(out.size(), 5u);
  for (std::size_t i = 0; i < out.size(); ++i) {
    EXPECT_EQ(out[i].op(), "relu") << "output " << i << " should come from the neuron's relu";
    EXPECT_DOUBLE_EQ(out[i].data(), layer.neurons()[i](inputs({0.3, -0.7})).data())
        << "output " << i << " should be neuron " << i << "'s output";
  }
}

// ---- 5.3 MLP forward ----------------------------------------------------------------------------

MLP two_layer_mlp() {
  // 2 -> 2 (relu) -> 1 (linear), small enough to follow by hand.
  Layer hidden({make_neuron({1.0, -1.0}, 0.0, Activation::relu),
                make_neuron({0.5, 0.5}, -1.0, Activation::relu)});
  Layer output({make_neuron({2.0, -3.0}, 0.25, Activation::none)});
  return MLP({hidden, output});
}

TEST(Ex5_3_MLPForward, LayersInTurn) {
  const MLP mlp = two_layer_mlp();
  const std::vector<Value> out = mlp(inputs({3.0, 1.0}));
  // hidden: relu(3 - 1) = 2, relu(-1 + 1.5 + 0.5) = 1; output: 0.25 + 2*2 - 3*1 = 1.25
  ASSERT_EQ(out.size(), 1u) << "the MLP's output is its last layer's output (1 value here)";
  EXPECT_DOUBLE_EQ(out[0].data(), 1.25)
      << "hidden = relu layer on x = [2, 1], output = 0.25 + 2*2 - 3*1: feed each layer's "
         "output into the next";
}

TEST(Ex5_3_MLPForward, LastLayerIsLinear) {
  const MLP mlp = two_layer_mlp();
  const std::vector<Value> out = mlp(inputs({0.0, 3.0}));
  // hidden: relu(-3) = 0, relu(-1 + 1.5) = 0.5; output: 0.25 - 1.5 = -1.25, negative: no relu.
  ASSERT_EQ(out.size(), 1u);
  EXPECT_DOUBLE_EQ(out[0].data(), -1.25)
      << "the last layer is linear (its neurons have Activation::none): do not apply an "
         "activation yourself after the last layer";
}

TEST(Ex5_3_MLPForward, ShapesThroughSeveralLayers) {
  manual_seed(5);
  const MLP mlp(3, {4, 4, 2});
  const std::vector<Value> x = inputs({1.0, -2.0, 0.5});
  const std::vector<Value> out = mlp(x);
  ASSERT_EQ(out.size(), 2u) << "MLP(3, {4, 4, 2}) outputs 2 values";
  std::vector<Value> expected = mlp.layers()[0](x);
  expected = mlp.layers()[1](expected);
  expected = mlp.layers()[2](expected);
  EXPECT_DOUBLE_EQ(out[0].data(), expected[0].data());
  EXPECT_DOUBLE_EQ(out[1].data(), expected[1].data());
}

// ---- 5.4 parameters() ---------------------------------------------------------------------------

TEST(Ex5_4_Parameters, CountOfMicrogradsDemoNet) {
  const MLP mlp(2, {16, 16, 1});
  EXPECT_EQ(mlp.parameters().size(), 337u)
      << "(2+1)*16 + (16+1)*16 + (16+1)*1 = 48 + 272 + 17 = 337: every weight and every bias";
  EXPECT_EQ(mlp.parameter_count(), 337u);
}

TEST(Ex5_4_Parameters, MicrogradsOrder) {
  const MLP mlp(2, {3, 2});
  const std::vector<Value> params = mlp.parameters();
  ASSERT_EQ(params.size(), 17u);
  // Every weight and bias by name, so that a failure says which one came instead.
  messages::NodeNames names;
  for (std::size_t l = 0; l < mlp.layers().size(); ++l) {
    for (std::size_t n = 0; n < mlp.layers()[l].neurons().size(); ++n) {
      const Neuron& neuron = mlp.layers()[l].neurons()[n];
      const std::string where =
          "layers()[" + std::to_string(l) + "].neurons()[" + std::to_string(n) + "]";
      for (std::size_t w = 0; w < neuron.nin(); ++w) {
        names.add(where + ".weights()[" + std::to_string(w) + "]", neuron.weights()[w]);
      }
      names.add(where + ".bias()", neuron.bias());
    }
  }
  std::size_t index = 0;
  for (std::size_t l = 0; l < mlp.layers().size(); ++l) {
    for (std::size_t n = 0; n < mlp.layers()[l].neurons().size(); ++n) {
      const Neuron& neuron = mlp.layers()[l].neurons()[n];
      for (std::size_t w = 0; w < neuron.nin(); ++w, ++index) {
        EXPECT_PRED_FORMAT2(
            messages::same_node(names, "parameters()[" + std::to_string(index) + "]"),
            params[index], neuron.weights()[w])
            << "layer by layer, neuron by neuron, each neuron's weights then its bias, and the "
               "model's own Values, not copies";
      }
      EXPECT_PRED_FORMAT2(messages::same_node(names, "parameters()[" + std::to_string(index) + "]"),
                          params[index], neuron.bias())
          << "each neuron's bias comes right after its weights";
      ++index;
    }
  }
}

TEST(Ex5_4_Parameters, HandlesToTheModelsOwnValues) {
  const MLP mlp = two_layer_mlp();
  const std::vector<Value> params = mlp.parameters();
  ASSERT_EQ(params.size(), 9u);
  params[0].data() = 10.0;
  EXPECT_DOUBLE_EQ(mlp.layers()[0].neurons()[0].weights()[0].data(), 10.0)
      << "parameters() must return the Values themselves (copies of the handles), not new "
         "Values holding the same numbers: an optimizer writes p.data() and the model must change";
}

// ---- construction, shapes, gradients (not exercises) --------------------------------------------

TEST(MLPConstruction, MicrogradDefaults) {
  manual_seed(1);
  const MLP mlp(2, {16, 16, 1});
  ASSERT_EQ(mlp.layers().size(), 3u);
  EXPECT_EQ(mlp.layers()[0].activation(), Activation::relu);
  EXPECT_EQ(mlp.layers()[1].activation(), Activation::relu);
  EXPECT_EQ(mlp.layers()[2].activation(), Activation::none) << "the last layer is linear";
  for (const Layer& layer : mlp.layers()) {
    for (const Neuron& neuron : layer.neurons()) {
      EXPECT_EQ(neuron.bias().data(), 0.0) << "biases start at 0, as in micrograd";
      for (const Value& w : neuron.weights()) {
        EXPECT_GE(w.data(), -1.0);
        EXPECT_LT(w.data(), 1.0) << "weights are uniform(-1, 1) by default";
      }
    }
  }
  EXPECT_EQ(mlp.describe(), "MLP(2, [16, 16, 1], relu)");
  EXPECT_EQ(mlp.nin(), 2u);
  EXPECT_EQ(mlp.nout(), 1u);
}

TEST(MLPConstruction, SelectableActivationAndInit) {
  manual_seed(2);
  const MLP mlp(100, {50, 10}, Activation::tanh, Init::xavier_uniform);
  EXPECT_EQ(mlp.layers()[0].activation(), Activation::tanh);
  EXPECT_EQ(mlp.layers()[1].activation(), Activation::none);
  const double bound = std::sqrt(6.0 / 150.0);
  for (const Neuron& neuron : mlp.layers()[0].neurons()) {
    for (const Value& w : neuron.weights()) EXPECT_LE(std::abs(w.data()), bound);
  }
  const Layer kaiming(200, 3, Activation::relu, Init::kaiming_uniform);
  for (const Neuron& neuron : kaiming.neurons()) {
    for (const Value& w : neuron.weights()) EXPECT_LE(std::abs(w.data()), std::sqrt(6.0 / 200.0));
  }
  EXPECT_EQ(mlp.describe(), "MLP(100, [50, 10], tanh)");
  EXPECT_EQ(MLP(3, {1}).describe(), "MLP(3, [1])");
}

TEST(MLPConstruction, SameSeedSameWeights) {
  manual_seed(42);
  const MLP a(3, {5, 2});
  manual_seed(42);
  const MLP b(3, {5, 2});
  const MLP c(3, {5, 2});
  const auto first_weight = [](const MLP& mlp) {
    return mlp.layers()[0].neurons()[0].weights()[0].data();
  };
  EXPECT_EQ(first_weight(a), first_weight(b));
  EXPECT_NE(first_weight(b), first_weight(c));
}

TEST(MLPConstruction, NamedParametersAsPyTorchLinear) {
  const MLP mlp = two_layer_mlp();
  const std::vector<NamedTensor> named = mlp.named_parameters();
  ASSERT_EQ(named.size(), 4u);
  EXPECT_EQ(named[0].name, "0.weight");
  EXPECT_EQ(named[0].shape, (Shape{2, 2})) << "weight [out][in]";
  EXPECT_EQ(named[1].name, "0.bias");
  EXPECT_EQ(named[1].shape, (Shape{2}));
  EXPECT_EQ(named[2].name, "1.weight");
  EXPECT_EQ(named[2].shape, (Shape{1, 2}));
  EXPECT_EQ(named[3].name, "1.bias");
  // Row 1 of the first weight is neuron 1's weights.
  EXPECT_TRUE(named[0].values[2].same_node(mlp.layers()[0].neurons()[1].weights()[0]));
  EXPECT_TRUE(named[1].values[1].same_node(mlp.layers()[0].neurons()[1].bias()));
  const Neuron neuron = make_neuron({1.0, 2.0}, 3.0, Activation::none);
  const std::vector<NamedTensor> neuron_named = neuron.named_parameters();
  ASSERT_EQ(neuron_named.size(), 2u);
  EXPECT_EQ(neuron_named[1].shape, Shape{}) << "a neuron's bias is a scalar";
  EXPECT_EQ(neuron.describe(), "Neuron(2, none)");
}

TEST(MLPShapes, WrongInputSizeSaysExpectedAndActual) {
  const MLP mlp(2, {16, 16, 1});
  try {
    mlp(inputs({1.0, 2.0, 3.0}));
    FAIL() << "an MLP built for 2 inputs must reject 3";
  } catch (const std::invalid_argument& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("[2]"), std::string::npos) << message;
    EXPECT_NE(message.find("[3]"), std::string::npos) << message;
  }
  EXPECT_THROW(Layer(3, 2)(inputs({1.0})), std::invalid_argument);
  EXPECT_THROW(Neuron(3)(inputs({})), std::invalid_argument);
  EXPECT_THROW(mlp.forward(Tensor::from_data({1, 2}, {1.0, 2.0})), std::invalid_argument)
      << "a rank-2 tensor into an MLP: it needs Flatten first";
}

TEST(MLPShapes, BadConstructionArguments) {
  EXPECT_THROW(Neuron(0), std::invalid_argument);
  EXPECT_THROW(Neuron(std::vector<Value>{}, Value(0.0)), std::invalid_argument);
  EXPECT_THROW(Layer(0, 3), std::invalid_argument);
  EXPECT_THROW(Layer(3, 0), std::invalid_argument);
  EXPECT_THROW(Layer(std::vector<Neuron>{}), std::invalid_argument);
  EXPECT_THROW(Layer({Neuron(2), Neuron(3)}), std::invalid_argument) << "mixed nin";
  EXPECT_THROW(MLP(2, {}), std::invalid_argument);
  EXPECT_THROW(MLP(0, {3}), std::invalid_argument);
  EXPECT_THROW(MLP(2, {3, 0, 1}), std::invalid_argument);
  EXPECT_THROW(MLP({Layer(2, 3), Layer(4, 1)}), std::invalid_argument) << "3 outputs into 4 inputs";
}

// gradcheck of whole modules: the weights, the bias and the inputs are all inputs of f.
TEST(MLPGradcheck, NeuronAndLayerWithEveryActivation) {
  manual_seed(11);
  for (Activation activation :
       {Activation::none, Activation::relu, Activation::tanh, Activation::sigmoid}) {
    // A layer of 3 neurons with 4 inputs: 12 weights, 3 biases, 4 inputs.
    std::vector<double> point;
    for (int i = 0; i < 19; ++i) point.push_back(uniform(-1.0, 1.0));
    const auto f = [activation](const std::vector<Value>& v) {
      std::vector<Neuron> neurons;
      for (std::size_t n = 0; n < 3; ++n) {
        neurons.emplace_back(std::vector<Value>(v.begin() + 4 * n, v.begin() + 4 * n + 4),
                             v[12 + n], activation);
      }
      const std::vector<Value> out = Layer(neurons)(std::vector<Value>(v.begin() + 15, v.end()));
      return out[0] * 0.7 - out[1] * 1.3 + out[2] * 0.4;
    };
    const GradcheckResult result = gradcheck(f, point);
    EXPECT_TRUE(result.ok()) << "Layer with " << to_string(activation) << "\n" << result;
  }
}

TEST(MLPGradcheck, TwoLayerMLP) {
  manual_seed(12);
  const MLP shape(3, {4, 2}, Activation::tanh);
  std::vector<double> point;
  for (const Value& p : shape.parameters()) point.push_back(p.data() + uniform(-0.1, 0.1));
  for (int i = 0; i < 3; ++i) point.push_back(uniform(-1.0, 1.0));
  const auto f = [](const std::vector<Value>& v) {
    std::size_t next = 0;
    std::vector<Layer> layers;
    std::size_t nin = 3;
    for (std::size_t nout : {4u, 2u}) {
      std::vector<Neuron> neurons;
      for (std::size_t n = 0; n < nout; ++n) {
        std::vector<Value> weights(v.begin() + next, v.begin() + next + nin);
        next += nin;
        neurons.emplace_back(weights, v[next++], nout == 4u ? Activation::tanh : Activation::none);
      }
      layers.emplace_back(neurons);
      nin = nout;
    }
    const std::vector<Value> out =
        MLP(layers)(std::vector<Value>(v.begin() + next, v.begin() + next + 3));
    return out[0] * out[1];
  };
  const GradcheckResult result = gradcheck(f, point);
  EXPECT_TRUE(result.ok()) << result;
}

}  // namespace
}  // namespace micrograd::nn
