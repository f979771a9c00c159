// The random numbers of the neural-network layer: base/random.hpp's functions under the names the
// training code and its users write, micrograd::nn::manual_seed(42), nn::uniform(-1, 1), ...
//
// They are the same functions, not copies: there is one global generator, and nn::manual_seed
// restarts the generator the datasets and everything else draw from. See base/random.hpp for what
// each one does and why a seed gives the same numbers on every platform.
#pragma once

#include "base/random.hpp"

namespace micrograd::nn {

using base::manual_seed;
using base::random_generator;
using base::random_index;
using base::random_permutation;
using base::shuffle;
using base::standard_normal;
using base::uniform;
using base::uniform01;

}  // namespace micrograd::nn
