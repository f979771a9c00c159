// The MNIST demo's report at the end (see report.hpp).
#include "report.hpp"

#include <algorithm>
#include <cstdio>

#include <micrograd/plots/plots.hpp>
#include "../common/picture_format.hpp"
#include "model.hpp"

namespace mnist_demo {

namespace fs = std::filesystem;
namespace ds = micrograd::datasets;
namespace plots = micrograd::plots;
namespace examples = micrograd::examples;

void print_report(const ds::MnistSplit& test, const std::vector<int>& predictions,
                  const std::array<std::string, 10>& names, std::size_t epochs) {
  constexpr int kClasses = 10;
  std::vector<std::vector<std::size_t>> confusion(kClasses, std::vector<std::size_t>(kClasses, 0));
  for (std::size_t i = 0; i < test.size(); ++i) ++confusion[test.label(i)][predictions[i]];
  std::size_t correct = 0;
  for (int c = 0; c < kClasses; ++c) correct += confusion[c][c];
  std::printf("\ntest accuracy %.2f%% (%zu of %zu) after %zu epoch%s\n",
              accuracy(test, predictions), correct, test.size(), epochs, epochs == 1 ? "" : "s");

  std::printf("accuracy per class:\n");
  double recall_sum = 0.0;
  int present = 0;
  for (int c = 0; c < kClasses; ++c) {
    std::size_t total = 0;
    for (int p = 0; p < kClasses; ++p) total += confusion[c][p];
    if (total == 0) {
      std::printf("  %-12s    -    (no test images)\n", names[c].c_str());
      continue;
    }
    const double recall = 100.0 * static_cast<double>(confusion[c][c]) / static_cast<double>(total);
    recall_sum += recall;
    ++present;
    std::printf("  %-12s %6.2f%%  (%zu of %zu)\n", names[c].c_str(), recall, confusion[c][c],
                total);
  }
  std::printf("balanced accuracy (the mean of the above) %.2f%%\n",
              present > 0 ? recall_sum / present : 0.0);

  std::printf("confusion matrix (rows: true class, columns: predicted class):\n      ");
  for (int p = 0; p < kClasses; ++p) std::printf("%5d", p);
  std::printf("\n");
  for (int c = 0; c < kClasses; ++c) {
    std::printf("  %2d  ", c);
    for (int p = 0; p < kClasses; ++p) std::printf("%5zu", confusion[c][p]);
    if (names[c] != std::to_string(c)) std::printf("   %s", names[c].c_str());
    std::printf("\n");
  }
}

std::vector<fs::path> draw_pictures(const Options& options, const TrainingState& state,
                                    const ds::MnistSplit& test, const std::vector<int>& predictions,
                                    const std::array<std::string, 10>& names) {
  const std::string dataset = options.classes == "fashion" ? "Fashion-MNIST" : "MNIST";
  const std::string model = options.model == "mlp" ? "MLP" : "conv net";
  std::vector<fs::path> paths;

  // Up to 50 misclassified test images, spread over all of them (the test set of the npm digits
  // is sorted by class).
  std::vector<std::size_t> wrong;
  for (std::size_t i = 0; i < test.size(); ++i) {
    if (predictions[i] != test.label(i)) wrong.push_back(i);
  }
  const std::size_t shown = std::min<std::size_t>(50, wrong.size());
  std::vector<plots::DigitTile> tiles;
  for (std::size_t k = 0; k < shown; ++k) {
    const std::size_t i = wrong[k * wrong.size() / shown];
    tiles.emplace_back(test.image(i),
                       "true " + names[test.label(i)] + "\npred " + names[predictions[i]],
                       plots::colors::red);
  }
  plots::DigitGridOptions grid;
  grid.image_rows = test.rows;
  grid.image_cols = test.cols;
  grid.title = dataset + ", " + model + ": " + std::to_string(wrong.size()) + " of " +
               std::to_string(test.size()) + " test images misclassified" +
               (shown < wrong.size() ? " (" + std::to_string(shown) + " shown)" : "");
  paths.push_back(examples::picture_path(options.out, "misclassified", options.format));
  plots::digit_grid(tiles, grid).save(paths.back());

  std::vector<double> curve_x, curve_loss, curve_accuracy, epoch_x, epoch_loss, test_accuracy;
  for (const CurvePoint& point : state.curve) {
    curve_x.push_back(point.epoch);
    curve_loss.push_back(point.loss);
    curve_accuracy.push_back(point.accuracy);
  }
  for (const EpochRecord& record : state.history) {
    epoch_x.push_back(static_cast<double>(record.epoch));
    epoch_loss.push_back(record.train_loss);
    test_accuracy.push_back(record.test_accuracy);
  }
  plots::LinePlotOptions loss_plot;
  loss_plot.title = dataset + ", " + model + ": training loss (cross-entropy)";
  loss_plot.x_label = "epoch";
  loss_plot.y_label = "loss";
  loss_plot.log_y = true;
  const std::vector<plots::Series> loss = {plots::Series("every 1/20 epoch", curve_x, curve_loss),
                                           plots::Series("epoch mean", epoch_x, epoch_loss)};
  paths.push_back(examples::picture_path(options.out, "loss", options.format));
  plots::line_plot(loss, loss_plot).save(paths.back());
  paths.push_back(options.out / "loss.csv");  // the numbers, for matplotlib or gnuplot
  plots::write_csv(paths.back(), loss);

  plots::LinePlotOptions accuracy_plot;
  accuracy_plot.title = dataset + ", " + model + ": accuracy (%)";
  accuracy_plot.x_label = "epoch";
  accuracy_plot.y_label = "accuracy (%)";
  accuracy_plot.y_max = 100.0;  // the axis reaches 100 and shows every point below
  const std::vector<plots::Series> accuracy = {
      plots::Series("training, every 1/20 epoch", curve_x, curve_accuracy),
      plots::Series("test", epoch_x, test_accuracy)};
  paths.push_back(examples::picture_path(options.out, "accuracy", options.format));
  plots::line_plot(accuracy, accuracy_plot).save(paths.back());
  paths.push_back(options.out / "accuracy.csv");
  plots::write_csv(paths.back(), accuracy);
  return paths;
}

}  // namespace mnist_demo
