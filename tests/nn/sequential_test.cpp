// Tests of nn/sequential.hpp: chaining convolutions, pooling, activations and layers.
#include "nn/sequential.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "engine/gradcheck.hpp"
#include "nn/activation.hpp"
#include "nn/conv.hpp"
#include "nn/mlp.hpp"
#include "nn/random.hpp"

namespace micrograd::nn {
namespace {

// LeCun et al. 1989 in spirit: 5x5 convolutions with stride 2, tanh, then a linear classifier.
Sequential lenet_like() {
  return Sequential(Conv2D(1, 4, 5, 2, 2), Tanh(), Conv2D(4, 6, 5, 2, 2), Tanh(), Flatten(),
                    Layer(6 * 4 * 4, 10, Activation::none, Init::xavier_uniform));
}

TEST(Sequential, LeNetStyleNetworkInAFewLines) {
  manual_seed(1);
  const Sequential net = lenet_like();
  EXPECT_EQ(net.size(), 6u);
  const Tensor out = net(Tensor::from_data({1, 16, 16}, std::vector<double>(256, 0.1)));
  EXPECT_EQ(out.shape(), (Shape{10}));
  EXPECT_EQ(net.parameter_count(), (4 * 25 + 4) + (6 * 4 * 25 + 6) + (96 * 10 + 10));
  EXPECT_EQ(net.describe(),
            "Sequential(Conv2D(1, 4, kernel_size=5, stride=2, padding=2), Tanh(), "
            "Conv2D(4, 6, kernel_size=5, stride=2, padding=2), Tanh(), Flatten(), "
            "Layer(96, 10, none))");
}

TEST(Sequential, ParameterNamesAreTorchSequentials) {
  const Sequential net = lenet_like();
  std::vector<std::string> names;
  for (const NamedTensor& tensor : net.named_parameters()) names.push_back(tensor.name);
  EXPECT_EQ(names, (std::vector<std::string>{"0.weight", "0.bias", "2.weight", "2.bias", "5.weight",
                                             "5.bias"}))
      << "indices count every module, activations included, as in torch.nn.Sequential";
}

TEST(Sequential, ForwardIsEachModuleInTurn) {
  manual_seed(2);
  const Conv2D conv(2, 3, 3);
  const MaxPool2D pool(2);
  const Sequential net(conv, ReLU(), pool);
  const Tensor input = Tensor::from_data({2, 6, 6}, std::vector<double>(72, 0.25));
  const Tensor expected = pool(ReLU()(conv(input)));
  EXPECT_EQ(net(input).data(), expected.data());
  EXPECT_TRUE(net.parameters()[0].same_node(conv.weight().values()[0]))
      << "the Sequential holds a copy of the module, which shares its parameters";
}

TEST(Sequential, ModuleUsedTwiceHasItsParametersOnce) {
  manual_seed(3);
  const Layer layer(4, 4, Activation::tanh);
  const Sequential net(layer, layer);  // copies share the layer's parameters: tied weights
  EXPECT_EQ(net.parameter_count(), layer.parameter_count())
      << "the same weights applied twice are one set of parameters";
  EXPECT_EQ(net.named_parameters().size(), 4u)
      << "a checkpoint still names both uses (0.weight, 1.weight), as torch's state_dict";
}

TEST(Sequential, CopyIsNotNesting) {
  const Sequential net = lenet_like();
  const Sequential copy(net);
  EXPECT_EQ(copy.size(), net.size()) << "Sequential(other) copies, it does not nest";
  Sequential nested;
  nested.add(net).add(ReLU());
  EXPECT_EQ(nested.size(), 2u);
  EXPECT_EQ(nested.named_parameters()[0].name, "0.0.weight");
  const Sequential empty;
  const Tensor x = to_values({1.0});
  EXPECT_TRUE(empty(x).values()[0].same_node(x.values()[0]))
      << "an empty Sequential is the identity";
}

TEST(Sequential, LayerWithoutFlattenSaysSo) {
  const Sequential net(Conv2D(1, 1, 3), Layer(4, 2));
  try {
    net(Tensor::from_data({1, 4, 4}, std::vector<double>(16, 1.0)));
    FAIL() << "a [1, 2, 2] image into a Layer must be rejected";
  } catch (const std::invalid_argument& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("[1, 2, 2]"), std::string::npos) << message;
    EXPECT_NE(message.find("Flatten"), std::string::npos) << message;
  }
  EXPECT_THROW(Sequential().add(std::shared_ptr<TensorModule>()), std::invalid_argument);
}

TEST(Sequential, GradcheckThroughConvPoolAndLayer) {
  manual_seed(3);
  const std::size_t image = 1 * 6 * 6;
  std::vector<double> point;
  for (std::size_t i = 0; i < image; ++i) point.push_back(uniform(-1.0, 1.0));
  Sequential net(Conv2D(1, 2, 3, 1, 1), Tanh(), AvgPool2D(2), Flatten(),
                 Layer(2 * 3 * 3, 2, Activation::sigmoid, Init::xavier_uniform));
  const auto f = [&net, image](const std::vector<Value>& v) {
    // The image and the Layer's first weight are the inputs; everything else is fixed.
    const Tensor out = net(Tensor({1, 6, 6}, std::vector<Value>(v.begin(), v.begin() + image)));
    return out.values()[0] * v.back() + out.values()[1];
  };
  point.push_back(0.7);
  const GradcheckResult result = gradcheck(f, point);
  EXPECT_TRUE(result.ok()) << result;
}

}  // namespace
}  // namespace micrograd::nn
