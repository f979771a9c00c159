// Draws the moons with an installed micrograd::datasets and micrograd::plots: 40 points and the
// boundary x1 = 0.25, saved to the file named on the command line. Exits non-zero if the points
// are not the moons' (two classes of 20) or the picture is not written.
#include <cstdio>
#include <filesystem>

#include <micrograd/datasets/points.hpp>
#include <micrograd/plots/plots.hpp>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: plot <picture.png>\n");
    return 2;
  }
  namespace datasets = micrograd::datasets;
  const datasets::Points points = datasets::make_moons(40, 0.1, 1);
  int ones = 0;
  for (const datasets::LabeledPoint& point : points) {
    ones += point.label;
  }
  const auto score = [](double, double x1) { return x1 - 0.25; };
  micrograd::plots::decision_plot(points, score).save(argv[1]);
  const bool ok = points.size() == 40 && datasets::num_classes(points) == 2 && ones == 20 &&
                  std::filesystem::file_size(argv[1]) > 0;
  std::printf("%s\n", ok ? "micrograd::datasets and micrograd::plots work: the moons are drawn"
                         : "the moons are not what make_moons makes, or were not drawn");
  return ok ? 0 : 1;
}
