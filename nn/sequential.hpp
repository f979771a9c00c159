// Sequential: modules applied one after the other, each one's output the next one's input.
//
//   nn::Sequential net(nn::Conv2D(1, 4, 5), nn::Tanh(), nn::MaxPool2D(2), nn::Flatten(),
//                      nn::Layer(4 * 12 * 12, 10, nn::Activation::none));
//   nn::Tensor scores = net(nn::Tensor::from_data({1, 28, 28}, pixels));
//
// Its parameters are named as in PyTorch's nn.Sequential: "<index>.weight", "<index>.bias", with
// the index counting every module (activations and pooling included), so a PyTorch Sequential with
// the same layers loads a checkpoint of it. Copies of a Sequential share its modules.
#pragma once

#include <concepts>
#include <cstddef>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "nn/module.hpp"
#include "nn/tensor.hpp"

namespace micrograd::nn {

class Sequential : public TensorModule {
 public:
  Sequential() = default;
  // Sequential(a, b, c) holds copies of a, b and c. (One Sequential argument copies it instead;
  // nest one with add().)
  template <typename... Modules>
  requires(sizeof...(Modules) > 0 &&
           (std::derived_from<std::remove_cvref_t<Modules>, TensorModule> && ...) &&
           !(sizeof...(Modules) == 1 && (std::same_as<std::remove_cvref_t<Modules>, Sequential> &&
                                         ...))) explicit Sequential(Modules&&... modules) {
    modules_.reserve(sizeof...(Modules));
    (add(std::forward<Modules>(modules)), ...);
  }

  // Appends a module (a copy of it: the copy shares the module's parameters).
  template <typename M>
  requires std::derived_from<std::remove_cvref_t<M>, TensorModule> Sequential& add(M&& module) {
    return add(std::make_shared<std::remove_cvref_t<M>>(std::forward<M>(module)));
  }
  Sequential& add(std::shared_ptr<TensorModule> module);

  // Each module's forward in turn. An empty Sequential returns its input.
  Tensor forward(const Tensor& input) const override;

  std::vector<const Module*> children() const override;
  std::string describe() const override;  // "Sequential(Conv2D(...), Tanh(), ...)"

  std::size_t size() const { return modules_.size(); }
  TensorModule& operator[](std::size_t index) const { return *modules_.at(index); }

 private:
  std::vector<std::shared_ptr<TensorModule>> modules_;
};

}  // namespace micrograd::nn
