// Generated from solutions/nn/loss.cpp by make_exercises.
// Students: write your code here. Instructors: edit the solution file instead.
// Losses: how wrong the model is, as one Value to call backward() on.
//
// A loss is ordinary Value arithmetic over the batch, so its gradient comes for free. What needs
// care is the math: the mean (divide by the batch size, so the learning rate does not depend on
// it) and, for cross-entropy, not overflowing e^z. The shape and label checks are done for you at
// the top of this file, and so are the losses that are not exercises.
#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>

#include "nn/loss.hpp"

namespace micrograd::nn {
namespace {

// Shape checks the losses share. Each throws std::invalid_argument naming `loss`.
void check_batch(const std::string& loss, std::size_t predictions, std::size_t targets,
                 const std::string& what_targets) {
  if (predictions == 0) {
    throw std::invalid_argument(loss + ": the batch is empty; expected at least one prediction");
  }
  if (predictions != targets) {
    throw std::invalid_argument(loss + ": expected one " + what_targets + " per prediction (" +
                                std::to_string(predictions) + "), got " + std::to_string(targets));
  }
}

void check_sign_labels(const std::string& loss, const std::vector<double>& labels) {
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] != -1.0 && labels[i] != 1.0) {
      std::ostringstream message;
      message << loss << ": label " << i << " is " << labels[i]
              << "; expected -1 or +1 (for 0/1 labels use 2 * y - 1)";
      throw std::invalid_argument(message.str());
    }
  }
}

void check_class_label(const std::string& loss, std::size_t classes, std::size_t label) {
  if (classes == 0) throw std::invalid_argument(loss + ": no logits; expected one per class");
  if (label >= classes) {
    throw std::invalid_argument(loss + ": label " + std::to_string(label) +
                                " is out of range for " + std::to_string(classes) +
                                " classes (expected 0 to " + std::to_string(classes - 1) + ")");
  }
}

}  // namespace

Value mse_loss(const std::vector<Value>& predictions, const std::vector<double>& targets) {
  check_batch("mse_loss", predictions.size(), targets.size(), "target");
  // EXERCISE 6.1 "mse": the mean over the batch of (predictions[i] - targets[i])^2.
  // BEGIN EXERCISE 6.1 -- your code, from here to the END line
  throw NotImplemented("6.1", "mse", __FILE__, __LINE__);
  // END EXERCISE 6.1
}

Value hinge_loss(const std::vector<Value>& scores, const std::vector<double>& labels) {
  check_batch("hinge_loss", scores.size(), labels.size(), "label");
  check_sign_labels("hinge_loss", labels);
  // EXERCISE 6.2 "hinge": micrograd's SVM max-margin loss, the mean of relu(1 - y_i * s_i).
  // BEGIN EXERCISE 6.2 -- your code, from here to the END line
  throw NotImplemented("6.2", "hinge", __FILE__, __LINE__);
  // END EXERCISE 6.2
}

Value binary_cross_entropy_with_logits(const std::vector<Value>& logits,
                                       const std::vector<double>& targets) {
  const std::string name = "binary_cross_entropy_with_logits";
  check_batch(name, logits.size(), targets.size(), "target");
  for (std::size_t i = 0; i < targets.size(); ++i) {
    if (!(targets[i] >= 0.0 && targets[i] <= 1.0)) {
      std::ostringstream message;
      message << name << ": target " << i << " is " << targets[i]
              << "; expected a number in [0, 1]";
      throw std::invalid_argument(message.str());
    }
  }
  // -[t log s(x) + (1 - t) log(1 - s(x))] = log(1 + e^x) - t x. Written so that e^ never sees a
  // positive argument: for x >= 0, log(1 + e^x) = x + log(1 + e^-x). Each branch is smooth, and
  // both give the derivative sigmoid(x) - t (at x = 0: 1 - t - 1/2).
  Value total;
  for (std::size_t i = 0; i < logits.size(); ++i) {
    const Value& x = logits[i];
    const Value softplus = x.data() >= 0.0 ? x + (1.0 + (-x).exp()).log() : (1.0 + x.exp()).log();
    const Value loss = softplus - targets[i] * x;
    total = i == 0 ? loss : total + loss;
  }
  return total / static_cast<double>(logits.size());
}

Value cross_entropy(const std::vector<Value>& logits, std::size_t label) {
  check_class_label("cross_entropy", logits.size(), label);
  // EXERCISE 6.3 "softmax cross-entropy": -log(e^z_label / sum_j e^z_j) for one sample, which is
  //   log(sum_j e^z_j) - z_label.
  // BEGIN EXERCISE 6.3 -- your code, from here to the END line
  throw NotImplemented("6.3", "softmax cross-entropy", __FILE__, __LINE__);
  // END EXERCISE 6.3
}

Value cross_entropy(const std::vector<std::vector<Value>>& logits,
                    const std::vector<std::size_t>& labels) {
  check_batch("cross_entropy", logits.size(), labels.size(), "label");
  for (std::size_t i = 0; i < logits.size(); ++i) {
    check_class_label("cross_entropy (sample " + std::to_string(i) + ")", logits[i].size(),
                      labels[i]);
  }
  Value total = cross_entropy(logits[0], labels[0]);
  for (std::size_t i = 1; i < logits.size(); ++i) total += cross_entropy(logits[i], labels[i]);
  return total / static_cast<double>(logits.size());
}

Value l2_penalty(const std::vector<Value>& parameters, double alpha) {
  if (parameters.empty()) return Value(0.0);
  Value total = parameters[0] * parameters[0];
  for (std::size_t i = 1; i < parameters.size(); ++i) total += parameters[i] * parameters[i];
  return total * alpha;
}

std::size_t argmax(const std::vector<Value>& values) {
  if (values.empty()) throw std::invalid_argument("argmax: no values; expected at least one");
  std::size_t best = 0;
  for (std::size_t i = 1; i < values.size(); ++i) {
    if (values[i].data() > values[best].data()) best = i;
  }
  return best;
}

std::vector<double> softmax(const std::vector<Value>& logits) {
  if (logits.empty()) throw std::invalid_argument("softmax: no logits; expected at least one");
  const double largest = logits[argmax(logits)].data();
  std::vector<double> result;
  result.reserve(logits.size());
  double sum = 0.0;
  for (const Value& z : logits) {
    result.push_back(std::exp(z.data() - largest));
    sum += result.back();
  }
  for (double& p : result) p /= sum;
  return result;
}

}  // namespace micrograd::nn
