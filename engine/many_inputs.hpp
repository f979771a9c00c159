// Ops with many inputs: sum and dot, each a single node whose grad_fn loops over its inputs.
//
// Written op for op, a neuron's b + w0*x0 + w1*x1 + ... is a chain of 2n nodes: every "*" and
// every "+" is a node to allocate, sort, visit and free, and each "+" passes its gradient on
// unchanged. dot() computes the same number in one node with 2n + 1 parents, and its grad_fn
// hands every input its share in one loop. The numbers are identical to the op-for-op graph's,
// to the last bit: the additions happen in the same order. What changes is the graph: fewer,
// wider nodes, so less bookkeeping per multiply-add (the idea behind every framework's fused
// kernels).
//
// Both are exercises (chapter 9): solutions/engine/many_inputs.cpp.
#pragma once

#include <span>

#include "engine/value.hpp"

namespace micrograd {

// v0 + v1 + ... + v(n-1) as one node made by "sum", added left to right exactly as the chain
// v0 + v1 + v2 ... would be (exercise 9.1). d(sum)/dv_i = 1 for every i; a Value listed twice
// gets its share twice. The sum of no values is a new leaf 0, as Python's sum([]).
Value sum(std::span<const Value> values);

// bias + w0*x0 + w1*x1 + ... + w(n-1)*x(n-1) as one node made by "dot", added in that order, as
// micrograd's Neuron adds (exercise 9.2): the same number as the op-for-op
// `Value s = bias; for (i) s += w[i] * x[i];`. Its parents are w0, x0, w1, x1, ..., bias (2n + 1
// of them), and d/dw_i = x_i, d/dx_i = w_i, d/dbias = 1. Without a bias it adds to a leaf 0.
// Throws std::invalid_argument unless there are as many weights as inputs, at least one.
Value dot(std::span<const Value> weights, std::span<const Value> inputs, const Value& bias = 0.0);

}  // namespace micrograd
