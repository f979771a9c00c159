// The random numbers of the neural-network layer: base/random.hpp's functions under the names the
// training code and its users write, micrograd::nn::manual_seed(42), nn::uniform(-1, 1), ...
//
// They are the same functions, not copies: nn::manual_seed restarts the same (per-thread)
// generator that everything else draws from. See base/random.hpp for what each one does, why a
// seed gives the same numbers on every platform, and how threads draw.
#pragma once

#include "base/random.hpp"

namespace micrograd::nn {

using base::manual_seed;
using base::random_generator;
using base::random_index;
using base::random_permutation;
using base::seed_this_thread;
using base::shuffle;
using base::standard_normal;
using base::uniform;
using base::uniform01;

}  // namespace micrograd::nn
