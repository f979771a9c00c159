// micrograd.cpp in one include: the engine (Value, backward, gradcheck, modes, graph walks), the
// neural-network layer (micrograd::nn) and the Graphviz exporter (micrograd::viz; using it needs
// the micrograd::viz library, built where Graphviz is installed).
#pragma once

#include "engine/errors.hpp"
#include "engine/gradcheck.hpp"
#include "engine/graph.hpp"
#include "engine/modes.hpp"
#include "engine/value.hpp"
#include "nn/nn.hpp"
#include "viz/graphviz.hpp"
