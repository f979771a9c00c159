// Weight initialisation schemes; see init.hpp for the math.
#include "nn/init.hpp"

#include <cmath>
#include <stdexcept>

#include "nn/random.hpp"

namespace micrograd::nn {

std::string to_string(Init init) {
  switch (init) {
    case Init::uniform:
      return "uniform";
    case Init::kaiming_uniform:
      return "kaiming_uniform";
    case Init::xavier_uniform:
      return "xavier_uniform";
    case Init::lecun_uniform:
      return "lecun_uniform";
  }
  return "Init(" + std::to_string(static_cast<int>(init)) + ")";
}

double init_bound(Init init, std::size_t fan_in, std::size_t fan_out) {
  if (fan_in == 0) {
    throw std::invalid_argument("init_bound: fan_in must be at least 1 (a weight needs an input)");
  }
  switch (init) {
    case Init::uniform:
      return 1.0;
    case Init::kaiming_uniform:
      return std::sqrt(6.0 / static_cast<double>(fan_in));
    case Init::xavier_uniform:
      return std::sqrt(6.0 / static_cast<double>(fan_in + fan_out));
    case Init::lecun_uniform:
      return std::sqrt(3.0 / static_cast<double>(fan_in));
  }
  throw std::invalid_argument("init_bound: unknown Init value " +
                              std::to_string(static_cast<int>(init)));
}

std::vector<Value> init_weights(std::size_t count, Init init, std::size_t fan_in,
                                std::size_t fan_out) {
  const double bound = init_bound(init, fan_in, fan_out);
  std::vector<Value> weights;
  weights.reserve(count);
  for (std::size_t i = 0; i < count; ++i) weights.emplace_back(uniform(-bound, bound));
  return weights;
}

}  // namespace micrograd::nn
