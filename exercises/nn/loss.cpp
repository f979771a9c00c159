// Generated from solutions/nn/loss.cpp by make_exercises.
// Students: write your code here. Instructors: edit the solution file instead.
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
  // BEGIN EXERCISE 6.1 -- TODO: replace the line below with your code
  throw NotImplemented("6.1", "mse", __FILE__, __LINE__);
  // END EXERCISE 6.1
}

Value hinge_loss(const std::vector<Value>& scores, const std::vector<double>& labels) {
  detail::check_batch("hinge_loss", scores.size(), labels.size(), "label");
  detail::check_sign_labels("hinge_loss", labels);
  // EXERCISE 6.2 "hinge": micrograd's SVM max-margin loss, the mean of relu(1 - y_i * s_i).
  // BEGIN EXERCISE 6.2 -- TODO: replace the line below with your code
  throw NotImplemented("6.2", "hinge", __FILE__, __LINE__);
  // END EXERCISE 6.2
}

Value cross_entropy(const std::vector<Value>& logits, std::size_t label) {
  detail::check_class_label("cross_entropy", logits.size(), label);
  // EXERCISE 6.3 "softmax cross-entropy": -log(e^z_label / sum_j e^z_j) for one sample, which is
  //   log(sum_j e^z_j) - z_label.
  // BEGIN EXERCISE 6.3 -- TODO: replace the line below with your code
  throw NotImplemented("6.3", "softmax cross-entropy", __FILE__, __LINE__);
  // END EXERCISE 6.3
}

}  // namespace micrograd::nn
