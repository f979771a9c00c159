// Toy 2-D classification datasets (moons, circles, spirals, XOR) and a CSV format for them.
//
// make_moons and make_circles follow scikit-learn's algorithms step by step (the same points in
// the same order before shuffling, then a shuffle, then Gaussian noise), so a model that learns
// sklearn's moons learns these. They are not bit-identical to sklearn, whose random numbers come
// from NumPy; ours come from base/random.hpp, so a seed gives the same points on every
// machine. tests/datasets/golden/moons_seed42.csv pins make_moons(100, 0.1, 42).
//
// Every generator adds N(0, noise^2) to each coordinate; noise = 0 gives the exact curves.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace micrograd::datasets {

// The most classes a point dataset may have: labels 0..999. The demos use 2 (moons, circles, XOR)
// or a few spiral arms; each class is an output neuron, so a label of 1000000000 in a CSV file is
// a typo or a corrupt file, not a billion-neuron layer to build.
inline constexpr int kMaxPointClasses = 1000;

struct LabeledPoint {
  double x0 = 0.0;
  double x1 = 0.0;
  int label = 0;  // 0, 1, ... (a class index)

  friend bool operator==(const LabeledPoint&, const LabeledPoint&) = default;
};

using Points = std::vector<LabeledPoint>;

// Two interleaving half circles, as sklearn.datasets.make_moons:
//   n_out = n_samples / 2 points of class 0 on the upper circle (cos t, sin t),
//   n_in  = n_samples - n_out points of class 1 on the lower one (1 - cos t, 0.5 - sin t),
//   t = linspace(0, pi, n) for each; then shuffled (if shuffle), then noise added.
Points make_moons(std::size_t n_samples, double noise, std::uint64_t seed, bool shuffle = true);

// A circle of radius 1 (class 0, n_samples / 2 points) around one of radius factor (class 1), as
// sklearn.datasets.make_circles: angles linspace(0, 2 pi, n, endpoint = false). 0 <= factor < 1.
Points make_circles(std::size_t n_samples, double noise, std::uint64_t seed, double factor = 0.8,
                    bool shuffle = true);

// n_classes spiral arms from the origin (CS231n's spiral data): arm k holds about
// n_samples / n_classes points (the first arms take the remainder) at radius r = linspace(0, 1)
// and angle 2 pi k / n_classes + 4 r, at (r sin angle, r cos angle); shuffled, then noise added.
// 1 <= n_classes <= kMaxPointClasses.
Points make_spirals(std::size_t n_samples, std::size_t n_classes, double noise, std::uint64_t seed);

// Points uniform in the square [-1, 1)^2, labelled 1 where x0 and x1 have opposite signs (the
// XOR of their signs), else 0; noise is added after labelling, so it blurs the boundary.
Points make_xor(std::size_t n_samples, double noise, std::uint64_t seed);

// By name, for a demo's --dataset flag: "moons", "circles", "spirals" (two arms) or "xor".
// Throws std::invalid_argument listing the names for any other name.
Points make_points(std::string_view name, std::size_t n_samples, double noise, std::uint64_t seed);
const std::vector<std::string>& point_dataset_names();

// 1 + the largest label (0 for no points). Throws std::invalid_argument, naming the point, for a
// label outside 0..kMaxPointClasses - 1.
int num_classes(const Points& points);

// CSV with a header line "x0,x1,label" and one point per line, numbers written in the shortest
// form that reads back to the same double. Written atomically (base/atomic_file.hpp).
void write_points_csv(const std::filesystem::path& path, const Points& points);

// Reads what write_points_csv writes, and hand-made files: an optional header line (a first line
// whose first field is not a number), rows "x0,x1,label" (spaces around fields and CRLF line ends
// are fine), empty lines and lines starting with '#' skipped. The label is a whole number in
// 0..kMaxPointClasses - 1.
// Throws DataNotFound if the file cannot be opened, FormatError naming the line for a bad row
// and for a file with no points.
Points read_points_csv(const std::filesystem::path& path);

}  // namespace micrograd::datasets
