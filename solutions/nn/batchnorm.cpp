// BatchNorm1d's forward passes: a batch's statistics made of Value ops (so backward() reaches every
// sample through them), the running estimates kept as plain numbers beside the graph, and the
// choice between the two that train() and eval() make. The constructor and the checks are done
// for you; the math is in nn/batchnorm.hpp.
#include "nn/batchnorm.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace micrograd::nn {
namespace {
std::vector<Value> filled(std::size_t count, double number) {
  std::vector<Value> values;
  values.reserve(count);
  for (std::size_t i = 0; i < count; ++i) values.emplace_back(number);
  return values;
}

NamedTensor tensor_of(const char* name, const std::vector<Value>& values) {
  return {name, {values.size()}, values};
}
}  // namespace

BatchNorm1d::BatchNorm1d(std::size_t features, double eps, double momentum)
    : weight_(filled(features, 1.0)),
      bias_(filled(features, 0.0)),
      running_mean_(filled(features, 0.0)),
      running_var_(filled(features, 1.0)),
      eps_(eps),
      momentum_(momentum) {
  if (features == 0) {
    throw std::invalid_argument(
        "BatchNorm1d: features is 0; give the number of features per "
        "sample (the size of the layer it follows)");
  }
  if (!(eps > 0.0) || !std::isfinite(eps)) {
    std::ostringstream message;
    message << "BatchNorm1d: eps is " << eps
            << ", expected a small positive number (1e-5 is PyTorch's) that keeps the division "
               "finite for a feature that is constant over a batch";
    throw std::invalid_argument(message.str());
  }
  if (!(momentum >= 0.0 && momentum <= 1.0)) {
    std::ostringstream message;
    message << "BatchNorm1d: momentum is " << momentum
            << ", expected 0 <= momentum <= 1 (the weight of each new batch in the running "
               "statistics: 0.1 is PyTorch's)";
    throw std::invalid_argument(message.str());
  }
}

std::vector<std::vector<Value>> BatchNorm1d::normalise_with_batch_statistics(
    const std::vector<std::vector<Value>>& batch, std::vector<double>& means,
    std::vector<double>& variances) const {
  check_batch(batch);
  means.assign(features(), 0.0);
  variances.assign(features(), 0.0);
  // EXERCISE 10.2 "batchnorm training": for each feature j, over the N = batch.size() samples
  //   x_1j ... x_Nj (sums taken in that order):
  //     μ_j  = (x_1j + ... + x_Nj) / N
  //     σ²_j = ((x_1j − μ_j)² + ... + (x_Nj − μ_j)²) / N          (the biased variance)
  //     y_ij = γ_j·((x_ij − μ_j)·(σ²_j + ε)^(−1/2)) + β_j
  //   with γ = weight_, β = bias_, ε = eps_, all as Value ops, so that backward() reaches every
  //   x_ij through μ_j and σ²_j. Return y (N samples of features() values), and store the numbers
  //   μ_j and σ²_j in means[j] and variances[j].
  // BEGIN SOLUTION
  const std::size_t n = batch.size();
  std::vector<std::vector<Value>> output(n, std::vector<Value>(features()));
  for (std::size_t j = 0; j < features(); ++j) {
    Value sum = batch[0][j];
    for (std::size_t i = 1; i < n; ++i) sum = sum + batch[i][j];
    const Value mean = sum / static_cast<double>(n);
    Value squares = (batch[0][j] - mean).pow(2);
    for (std::size_t i = 1; i < n; ++i) squares = squares + (batch[i][j] - mean).pow(2);
    const Value variance = squares / static_cast<double>(n);
    const Value inverse_std = (variance + eps_).pow(-0.5);
    for (std::size_t i = 0; i < n; ++i) {
      output[i][j] = weight_[j] * ((batch[i][j] - mean) * inverse_std) + bias_[j];
    }
    means[j] = mean.data();
    variances[j] = variance.data();
  }
  return output;
  // END SOLUTION
}

void BatchNorm1d::update_running_statistics(const std::vector<double>& means,
                                            const std::vector<double>& variances,
                                            std::size_t count) const {
  if (means.size() != features() || variances.size() != features() || count < 2) {
    throw std::invalid_argument(
        "BatchNorm1d::update_running_statistics: expected " + std::to_string(features()) +
        " means and variances over at least 2 samples, got " + std::to_string(means.size()) +
        " means, " + std::to_string(variances.size()) + " variances and " + std::to_string(count) +
        " samples");
  }
  // EXERCISE 10.3 "running statistics": move each running estimate a step m = momentum_ towards
  //   the batch's, for every feature j, with N = count and the batch's unbiased variance:
  //     μ̄_j  ← (1 − m)·μ̄_j + m·μ_j                   (μ_j = means[j])
  //     σ̄²_j ← (1 − m)·σ̄²_j + m·σ²_j·c,  c = N / (N − 1)   (σ²_j = variances[j])
  //   μ̄ and σ̄² are running_mean_ and running_var_: plain numbers, written in place, no Value ops
  //   (they learn without gradients).
  // BEGIN SOLUTION
  const double correction = static_cast<double>(count) / static_cast<double>(count - 1);
  for (std::size_t j = 0; j < features(); ++j) {
    double& mean = running_mean_[j].data();
    double& variance = running_var_[j].data();
    mean = (1.0 - momentum_) * mean + momentum_ * means[j];
    variance = (1.0 - momentum_) * variance + momentum_ * variances[j] * correction;
  }
  // END SOLUTION
}

void BatchNorm1d::check_batch(const std::vector<std::vector<Value>>& batch) const {
  if (batch.empty()) {
    throw std::invalid_argument("BatchNorm1d: the batch is empty; give at least one sample");
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (batch[i].size() != features()) {
      throw std::invalid_argument("BatchNorm1d(" + std::to_string(features()) + "): sample " +
                                  std::to_string(i) + " has " + std::to_string(batch[i].size()) +
                                  " values, expected " + std::to_string(features()));
    }
  }
}

std::vector<std::vector<Value>> BatchNorm1d::operator()(
    const std::vector<std::vector<Value>>& batch) const {
  check_batch(batch);
  if (is_training() && batch.size() < 2) {
    throw std::invalid_argument(
        "BatchNorm1d: a batch of 1 sample in training mode; its variance is 0 and the running "
        "variance's unbiased estimate divides by N - 1 = 0. Train on batches of 2 samples or "
        "more, or call eval() to use the running statistics");
  }
  // EXERCISE 10.4 "batchnorm modes": in training (is_training()), normalise with the batch's
  //   statistics (10.2's normalise_with_batch_statistics), then record them (10.3's
  //   update_running_statistics, with N = batch.size()). In eval, the running estimates μ̄_j and
  //   σ̄²_j are plain numbers (constants of the graph), and nothing is recorded:
  //     y_ij = γ_j·((x_ij − μ̄_j)·s_j) + β_j,   with the number s_j = 1 / √(σ̄²_j + ε).
  // BEGIN SOLUTION
  if (is_training()) {
    std::vector<double> means;
    std::vector<double> variances;
    std::vector<std::vector<Value>> output =
        normalise_with_batch_statistics(batch, means, variances);
    update_running_statistics(means, variances, batch.size());
    return output;
  }
  std::vector<std::vector<Value>> output;
  output.reserve(batch.size());
  for (const std::vector<Value>& sample : batch) {
    std::vector<Value> normalised;
    normalised.reserve(features());
    for (std::size_t j = 0; j < features(); ++j) {
      const double scale = 1.0 / std::sqrt(running_var_[j].data() + eps_);
      normalised.push_back(weight_[j] * ((sample[j] - running_mean_[j].data()) * scale) + bias_[j]);
    }
    output.push_back(std::move(normalised));
  }
  return output;
  // END SOLUTION
}

std::vector<Value> BatchNorm1d::parameters() const {
  std::vector<Value> result = weight_;
  result.insert(result.end(), bias_.begin(), bias_.end());
  return result;
}

std::vector<NamedTensor> BatchNorm1d::named_parameters() const {
  return {tensor_of("weight", weight_), tensor_of("bias", bias_)};
}

std::vector<NamedTensor> BatchNorm1d::named_buffers() const {
  return {tensor_of("running_mean", running_mean_), tensor_of("running_var", running_var_)};
}

std::string BatchNorm1d::describe() const {
  std::ostringstream text;
  text << "BatchNorm1d(" << features() << ", eps=" << eps_ << ", momentum=" << momentum_ << ")";
  return text.str();
}

}  // namespace micrograd::nn
