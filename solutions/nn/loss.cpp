// Losses: how wrong the model is, as one Value to call backward() on.
//
// A loss is ordinary Value arithmetic over the batch, so its gradient comes for free. What needs
// care is the math: the mean (divide by the batch size, so the learning rate does not depend on
// it) and, for cross-entropy, not overflowing e^z. The shape and label checks are done for you in
// nn/loss_support.cpp.
#include <algorithm>

#include "nn/loss.hpp"

namespace micrograd::nn {

Value mse_loss(const std::vector<Value>& predictions, const std::vector<double>& targets) {
  detail::check_batch("mse_loss", predictions.size(), targets.size(), "target");
  // EXERCISE 6.1 "mse": the mean over the batch of (predictions[i] - targets[i])^2.
  // BEGIN SOLUTION
  Value total = (predictions[0] - targets[0]).pow(2);
  for (std::size_t i = 1; i < predictions.size(); ++i) {
    total += (predictions[i] - targets[i]).pow(2);
  }
  return total / static_cast<double>(predictions.size());
  // END SOLUTION
}

Value hinge_loss(const std::vector<Value>& scores, const std::vector<double>& labels) {
  detail::check_batch("hinge_loss", scores.size(), labels.size(), "label");
  detail::check_sign_labels("hinge_loss", labels);
  // EXERCISE 6.2 "hinge": micrograd's SVM max-margin loss, the mean of relu(1 - y_i * s_i).
  // BEGIN SOLUTION
  Value total = (1.0 - labels[0] * scores[0]).relu();
  for (std::size_t i = 1; i < scores.size(); ++i) total += (1.0 - labels[i] * scores[i]).relu();
  return total / static_cast<double>(scores.size());
  // END SOLUTION
}

Value cross_entropy(const std::vector<Value>& logits, std::size_t label) {
  detail::check_class_label("cross_entropy", logits.size(), label);
  // EXERCISE 6.3 "softmax cross-entropy": -log(e^z_label / sum_j e^z_j) for one sample, which is
  //   log(sum_j e^z_j) - z_label.
  // BEGIN SOLUTION
  double largest = logits[0].data();
  for (const Value& z : logits) largest = std::max(largest, z.data());
  Value sum = (logits[0] - largest).exp();
  for (std::size_t j = 1; j < logits.size(); ++j) sum += (logits[j] - largest).exp();
  return sum.log() + largest - logits[label];
  // END SOLUTION
}

}  // namespace micrograd::nn
