// The moons demo's command line: its options, how they are read, and the checks of their values
// (hidden sizes, the dataset), each a function of its own so that it can be tested alone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace moons_demo {

struct Options {
  std::string dataset = "micrograd";  // a built-in dataset's name, or the path of a CSV file
  std::size_t samples = 100;
  double noise = 0.1;
  std::uint64_t seed = 1337;
  std::size_t steps = 100;
  std::vector<std::size_t> hidden = {16, 16};
  std::string loss = "hinge";  // hinge, mse, bce, cross_entropy
  std::string optimizer = "sgd";
  double lr = 1.0;  // SGD decays it linearly to 10%, as the notebook does
  double alpha = 1e-4;
  // fused: every neuron one dot() node (chapter 9), the same numbers several times faster;
  // op-by-op: micrograd's graph. Without --ops, fused where the engine has dot() written.
  std::string ops = "fused";
  bool ops_given = false;  // --ops was on the command line
  // sort: the reference engine. Without --backward, the tape where the engine has chapter 11.
  std::string backward = "tape";
  bool backward_given = false;
  std::filesystem::path out = "out/moons";
  std::string format =
      "png";  // of the pictures: png, svg or pdf (examples/common/picture_format.hpp)
};

// Reads the command line (CLI11, examples/common/command_line.hpp). Exits after --help and
// --version (0) and on a mistake (2).
Options parse(int argc, char** argv);

// The datasets --dataset knows by name: the notebook's points ("micrograd") and the generators'.
// A built-in name always means the built-in dataset, even where a file of that name is in the
// current folder; "./moons" is the file.
const std::vector<std::string>& builtin_datasets();
bool is_builtin_dataset(const std::string& name);
// The built-in names, comma-separated, and what any other --dataset is: for messages.
std::string dataset_choices();

// What is wrong with --dataset `name`, or "": a built-in name, or the path of a file that exists
// (whether it holds points is found out when it is read).
std::string dataset_problem(const std::string& name);

// The notebook's own model: its data, MLP(2, [16, 16, 1]) and the hinge loss. Only that model
// starts from the notebook's stored weights; any other starts from --seed.
bool is_notebook_model(const Options& options);

}  // namespace moons_demo
