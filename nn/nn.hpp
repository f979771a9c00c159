// micrograd::nn: neural networks built from Values. Includes every header of nn/.
//
//   module.hpp      Module (parameters, zero_grad, settings: train/eval, fused ops), TensorModule,
//                   NamedTensor (a checkpoint's named blocks), ModuleSettings
//   tensor.hpp      Tensor: a shape and its Values (images for Conv2D)
//   activation.hpp  Activation (none, relu, tanh, sigmoid) and the layers ReLU, Tanh, Sigmoid
//   init.hpp        Init: micrograd's uniform(-1, 1), Kaiming, Xavier
//   random.hpp      manual_seed and the portable random numbers behind init and shuffling
//   mlp.hpp         Neuron, Layer, MLP
//   conv.hpp        Conv2D, MaxPool2D, AvgPool2D, Flatten
//   dropout.hpp     Dropout (train and eval modes: Module::train, Module::eval)
//   batchnorm.hpp   BatchNorm1d, with running statistics saved in checkpoints
//   sequential.hpp  Sequential
//   loss.hpp        mse, hinge, binary and softmax cross-entropy, L2 penalty
//   optim.hpp       SGD, Adam, zero_grad
//   schedule.hpp    learning-rate schedules: linear, step, cosine
//   checkpoint.hpp  save_checkpoint, load_checkpoint (JSON, atomic)
//   data_parallel.hpp  DataParallel: a minibatch's gradients on every core, the same bits for any
//                   thread count
#pragma once

#include "nn/activation.hpp"
#include "nn/batchnorm.hpp"
#include "nn/checkpoint.hpp"
#include "nn/conv.hpp"
#include "nn/data_parallel.hpp"
#include "nn/dropout.hpp"
#include "nn/init.hpp"
#include "nn/loss.hpp"
#include "nn/mlp.hpp"
#include "nn/module.hpp"
#include "nn/optim.hpp"
#include "nn/random.hpp"
#include "nn/schedule.hpp"
#include "nn/sequential.hpp"
#include "nn/tensor.hpp"
