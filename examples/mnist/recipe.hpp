// The MNIST demo's training recipe: what each model trains with unless a flag says otherwise.
//
// The MLP's recipe reaches 95% on the 2,000 held-out npm digits in 4 epochs, where the old one
// (784-32-10, a constant rate, no augmentation) stopped near 93% after 10. Each part is a lesson
// of its own (the README's MNIST section and docs/mnist.md say how much each gave):
//   - shifts: every training image is moved by up to `shift` pixels along each axis, a fresh draw
//     each time it is used, so 8,000 digits look like many more and the net cannot learn them by
//     heart (data augmentation);
//   - a wider hidden layer (128 units): more features, and the shifts keep it from overfitting;
//   - a learning rate that falls along a cosine to 0 over the run: large steps early, small steps
//     at the end to settle into a minimum (nn::CosineDecay);
//   - weight decay: every step also shrinks each parameter a little (L2), preferring small weights.
// bench/torch_mnist.py trains the same recipe in PyTorch.
#pragma once

#include <cstddef>
#include <string>

namespace mnist_demo {

struct Recipe {
  std::size_t epochs = 0;
  double lr = 0.0;            // per sample, at the start of the cosine
  double weight_decay = 0.0;  // added to each step's gradient as weight_decay * p
  std::size_t shift = 0;      // pixels, along each axis
  std::size_t hidden = 0;     // the MLP's hidden units (the conv net's sizes are fixed)
  std::size_t crop = 0;       // the MLP sees the central crop x crop pixels (0: all)
};

// The recipe of "mlp" or "conv" on "digits" or "fashion".
inline Recipe default_recipe(const std::string& model, const std::string& classes) {
  if (model == "conv") {
    return {.epochs = 10, .lr = 0.02, .weight_decay = 1e-3, .shift = 1, .hidden = 0, .crop = 0};
  }
  // Clothes fill the whole 28x28 frame: Fashion-MNIST's MLP sees every pixel.
  const std::size_t crop = classes == "fashion" ? 0 : 20;
  return {.epochs = 4, .lr = 0.02, .weight_decay = 1e-3, .shift = 1, .hidden = 128, .crop = crop};
}

}  // namespace mnist_demo
