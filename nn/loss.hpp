// Loss functions: one Value that says how wrong a model is, to call backward() on.
//
// Each takes a batch (one prediction per sample, or one row of logits per sample) and returns the
// mean over it, as PyTorch's losses do by default (reduction="mean"). Sizes that disagree, an
// empty batch, or a label out of range throw std::invalid_argument with both sizes.
//
//   mse_loss                 mean (p - t)^2
//   hinge_loss               mean relu(1 - y * s), y = -1 or +1: micrograd's SVM max-margin loss
//   binary_cross_entropy_with_logits
//                            mean of -[t log sigmoid(x) + (1 - t) log(1 - sigmoid(x))], computed
//                            without overflow for any x (as torch's BCEWithLogitsLoss)
//   cross_entropy            softmax cross-entropy: log(sum_j e^z_j) - z_label, with the largest
//                            logit subtracted first so that logits of +-1000 are fine
//   l2_penalty               alpha * sum p^2, the "1e-4 * sum(p*p)" of micrograd's demo
//
// mse, hinge and one sample's cross-entropy are exercises (chapter 6): solutions/nn/loss.cpp.
#pragma once

#include <cstddef>
#include <vector>

#include "engine/value.hpp"

namespace micrograd::nn {

// (1/n) sum (predictions[i] - targets[i])^2 (exercise 6.1).
Value mse_loss(const std::vector<Value>& predictions, const std::vector<double>& targets);

// (1/n) sum relu(1 - labels[i] * scores[i]); every label must be -1 or +1 (exercise 6.2).
Value hinge_loss(const std::vector<Value>& scores, const std::vector<double>& labels);

// (1/n) sum of max(x, 0) - x t + log(1 + e^-|x|) for logits x and targets t in [0, 1]. Its
// gradient is (sigmoid(x) - t) / n, exact at x = 0 too.
Value binary_cross_entropy_with_logits(const std::vector<Value>& logits,
                                       const std::vector<double>& targets);

// One sample: -log softmax(logits)[label] = log(sum_j e^(z_j - m)) + m - z_label, where m is the
// largest logit (a constant: the result does not depend on it) (exercise 6.3).
Value cross_entropy(const std::vector<Value>& logits, std::size_t label);
// A batch: the mean of each sample's cross-entropy.
Value cross_entropy(const std::vector<std::vector<Value>>& logits,
                    const std::vector<std::size_t>& labels);

// alpha * sum p^2 over the parameters (0 for none).
Value l2_penalty(const std::vector<Value>& parameters, double alpha);

// The index of the largest data() (the first on ties): the predicted class.
std::size_t argmax(const std::vector<Value>& values);

// The softmax of the logits' data, as plain numbers (for reporting probabilities).
std::vector<double> softmax(const std::vector<Value>& logits);

}  // namespace micrograd::nn
