// micrograd.cpp in one include: the engine (Value, backward, gradcheck, modes, graph walks), the
// neural-network layer (micrograd::nn) and, where it is built, the Graphviz exporter.
#pragma once

#include "engine/errors.hpp"
#include "engine/gradcheck.hpp"
#include "engine/graph.hpp"
#include "engine/modes.hpp"
#include "engine/value.hpp"
#include "nn/nn.hpp"
#if __has_include("viz/graphviz.hpp")
#include "viz/graphviz.hpp"
#endif
