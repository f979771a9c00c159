// BatchNorm1d: each feature normalised over a batch to mean 0 and variance 1, then scaled and
// shifted by two learnable numbers per feature (Ioffe and Szegedy, 2015), as PyTorch's
// nn.BatchNorm1d. For feature j of a batch of N samples x[0..N-1]:
//
//   training:  mean_j = (1/N) sum_i x[i][j]              var_j = (1/N) sum_i (x[i][j] - mean_j)^2
//              y[i][j] = weight_j * (x[i][j] - mean_j) / sqrt(var_j + eps) + bias_j
//              and the running estimates move a step `momentum` towards this batch's:
//              running_mean_j = (1 - momentum) * running_mean_j + momentum * mean_j
//              running_var_j  = (1 - momentum) * running_var_j  + momentum * var_j * N / (N - 1)
//   eval:      y[i][j] = weight_j * (x[i][j] - running_mean_j) / sqrt(running_var_j + eps) + bias_j
//
// The variance that normalises is the batch's own (biased, divided by N); the one the running
// estimate records is the unbiased estimate of the data's (divided by N - 1), as in PyTorch. Eval
// mode makes a sample's output independent of the rest of its batch, so a single sample can be
// evaluated. Every step is a Value op, so backward() differentiates it through the batch
// statistics: each output depends on every sample of its batch.
//
// weight starts at 1 and bias at 0 (the identity after normalising); running_mean at 0 and
// running_var at 1. weight and bias are parameters; the running statistics are buffers
// (Module::named_buffers): no gradient, not stepped by an optimizer, saved in checkpoints.
//
// The forward passes are exercises (chapter 10): solutions/nn/batchnorm.cpp.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "engine/value.hpp"
#include "nn/module.hpp"

namespace micrograd::nn {

class BatchNorm1d : public Module {
 public:
  // `features` >= 1 numbers per sample; eps > 0 keeps the division finite for a constant feature;
  // 0 <= momentum <= 1. Throws std::invalid_argument otherwise.
  explicit BatchNorm1d(std::size_t features, double eps = 1e-5, double momentum = 0.1);

  // The batch normalised, sample by sample: training mode uses (and records) the batch's
  // statistics, eval mode the running ones. Throws std::invalid_argument for an empty batch, a
  // sample of another size than features(), or, in training, a batch of one sample (its variance
  // is 0 and its unbiased variance undefined: batch at least 2 samples, or call eval()).
  std::vector<std::vector<Value>> operator()(const std::vector<std::vector<Value>>& batch) const;

  // The two steps of training mode, public so that each can be used and tested on its own
  // (operator() checks the batch, then calls them in training mode; exercise 10.4).
  //
  // Training mode's output for a batch of at least one sample of features() values, without
  // touching the running statistics (exercise 10.2); means and variances are resized to
  // features() and receive each feature's batch mean and biased variance.
  std::vector<std::vector<Value>> normalise_with_batch_statistics(
      const std::vector<std::vector<Value>>& batch, std::vector<double>& means,
      std::vector<double>& variances) const;
  // Moves the running statistics a step `momentum` towards one batch's `means` and biased
  // `variances` over `count` >= 2 samples (exercise 10.3). Plain numbers: no graph is built.
  void update_running_statistics(const std::vector<double>& means,
                                 const std::vector<double>& variances, std::size_t count) const;

  std::vector<Value> parameters() const override;              // weight, then bias
  std::vector<NamedTensor> named_parameters() const override;  // "weight", "bias" [features]
  // "running_mean" and "running_var", [features] each (PyTorch's names).
  std::vector<NamedTensor> named_buffers() const override;
  std::string describe() const override;  // "BatchNorm1d(4, eps=1e-05, momentum=0.1)"

  std::size_t features() const { return weight_.size(); }
  double eps() const { return eps_; }
  double momentum() const { return momentum_; }
  const std::vector<Value>& weight() const { return weight_; }
  const std::vector<Value>& bias() const { return bias_; }
  // Handles, like the parameters: their data() is the model's own running statistics.
  const std::vector<Value>& running_mean() const { return running_mean_; }
  const std::vector<Value>& running_var() const { return running_var_; }

 private:
  // Throws std::invalid_argument for an empty batch or a sample of another size than features().
  void check_batch(const std::vector<std::vector<Value>>& batch) const;

  std::vector<Value> weight_;
  std::vector<Value> bias_;
  std::vector<Value> running_mean_;
  std::vector<Value> running_var_;
  double eps_;
  double momentum_;
};

}  // namespace micrograd::nn
