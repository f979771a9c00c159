// micrograd._core.datasets: the demos' data (datasets/): the toy 2-D sets, MNIST's IDX files and
// the tabular CSV, made and read in C++, so Python gets the very numbers the C++ demos train on.
//
// A toy set comes back as sklearn's make_moons does: (X, y), X a list of [x0, x1] and y a list
// of class indices. An MNIST split stays in C++ (60,000 images as Python floats would take
// gigabytes): split.image(i) gives one image's pixels, split.labels all labels.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <micrograd/datasets/errors.hpp>
#include <micrograd/datasets/idx.hpp>
#include <micrograd/datasets/mnist.hpp>
#include <micrograd/datasets/points.hpp>
#include <micrograd/datasets/tabular.hpp>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "bindings.hpp"

namespace micrograd::python {

namespace py = pybind11;
namespace ds = micrograd::datasets;

namespace {

py::tuple as_xy(const ds::Points& points) {
  py::list x;
  py::list y;
  for (const ds::LabeledPoint& point : points) {
    x.append(py::make_tuple(point.x0, point.x1));
    y.append(point.label);
  }
  return py::make_tuple(x, y);
}

void bind_points(py::module_& module) {
  module.def(
      "make_moons",
      [](std::size_t n_samples, double noise, std::uint64_t seed, bool shuffle) {
        return as_xy(ds::make_moons(n_samples, noise, seed, shuffle));
      },
      py::arg("n_samples") = 100, py::arg("noise") = 0.0, py::arg("seed") = 0,
      py::arg("shuffle") = true, "two interleaved half circles, as sklearn's make_moons: (X, y)");
  module.def(
      "make_circles",
      [](std::size_t n_samples, double noise, std::uint64_t seed, double factor, bool shuffle) {
        return as_xy(ds::make_circles(n_samples, noise, seed, factor, shuffle));
      },
      py::arg("n_samples") = 100, py::arg("noise") = 0.0, py::arg("seed") = 0,
      py::arg("factor") = 0.8, py::arg("shuffle") = true,
      "a circle inside another, as sklearn's make_circles: (X, y)");
  module.def(
      "make_spirals",
      [](std::size_t n_samples, std::size_t n_classes, double noise, std::uint64_t seed) {
        return as_xy(ds::make_spirals(n_samples, n_classes, noise, seed));
      },
      py::arg("n_samples") = 100, py::arg("n_classes") = 3, py::arg("noise") = 0.0,
      py::arg("seed") = 0, "n_classes interleaved spiral arms: (X, y)");
  module.def(
      "make_xor",
      [](std::size_t n_samples, double noise, std::uint64_t seed) {
        return as_xy(ds::make_xor(n_samples, noise, seed));
      },
      py::arg("n_samples") = 100, py::arg("noise") = 0.0, py::arg("seed") = 0,
      "points in [-1, 1]^2 labelled by the XOR of their signs: (X, y)");
  module.def("point_dataset_names", &ds::point_dataset_names);
}

void bind_mnist(py::module_& module) {
  py::class_<ds::MnistSplit>(module, "MnistSplit",
                             "Images (pixels in [0, 1], row-major) and their labels")
      .def_readonly("rows", &ds::MnistSplit::rows)
      .def_readonly("cols", &ds::MnistSplit::cols)
      .def("__len__", &ds::MnistSplit::size)
      .def(
          "image",
          [](const ds::MnistSplit& split, std::size_t index) {
            // The list made here, float by float, rather than through pybind11's generic
            // conversion of a std::vector<double>: a training loop asks for every image.
            const std::span<const double> pixels = split.image(index);
            py::list result(pixels.size());
            for (std::size_t i = 0; i < pixels.size(); ++i) {
              PyObject* pixel = PyFloat_FromDouble(pixels[i]);
              if (pixel == nullptr) throw py::error_already_set();
              PyList_SET_ITEM(result.ptr(), static_cast<Py_ssize_t>(i), pixel);
            }
            return result;
          },
          py::arg("index"), "image `index`'s rows * cols pixels, row by row")
      .def("label", &ds::MnistSplit::label, py::arg("index"))
      .def_property_readonly("labels", [](const ds::MnistSplit& split) {
        return std::vector<int>(split.labels.begin(), split.labels.end());
      });
  py::class_<ds::Mnist>(module, "Mnist")
      .def_readonly("train", &ds::Mnist::train)
      .def_readonly("test", &ds::Mnist::test);
  module.def(
      "load_mnist",
      [](const std::filesystem::path& folder, std::size_t max_train, std::size_t max_test,
         int num_classes) {
        return ds::load_mnist(
            folder, {.max_train = max_train, .max_test = max_test, .num_classes = num_classes});
      },
      py::arg("folder"), py::arg("max_train") = 0, py::arg("max_test") = 0,
      py::arg("num_classes") = 10,
      "MNIST's four IDX files (gzipped or not) from `folder`: train and test splits (0: all)");
  module.def(
      "read_idx",
      [](const std::filesystem::path& path) {
        ds::IdxArray array = ds::read_idx(path);
        return py::make_tuple(
            array.sizes,
            py::bytes(reinterpret_cast<const char*>(array.data.data()), array.data.size()));
      },
      py::arg("path"), "an IDX file of unsigned bytes: (sizes, data as bytes, row-major)");
}

void bind_tabular(py::module_& module) {
  py::class_<ds::Table>(module, "Table", "Samples of numbers with a class each")
      .def_readwrite("rows", &ds::Table::rows)
      .def_readwrite("labels", &ds::Table::labels)
      .def_readwrite("class_names", &ds::Table::class_names)
      .def_readwrite("feature_count", &ds::Table::feature_count)
      .def("__len__", [](const ds::Table& table) { return table.rows.size(); });
  module.def("read_sklearn_csv", &ds::read_sklearn_csv, py::arg("path"),
             "a CSV as scikit-learn writes its datasets (breast cancer): a Table");
  module.def(
      "split_train_test",
      [](const ds::Table& table, double test_fraction, std::uint64_t seed) {
        ds::TrainTestSplit split = ds::split_train_test(table, test_fraction, seed);
        return py::make_tuple(std::move(split.train), std::move(split.test));
      },
      py::arg("table"), py::arg("test_fraction"), py::arg("seed"),
      "(train, test), each class split in the same proportion");
  py::class_<ds::Standardizer>(module, "Standardizer",
                               "Each feature shifted and scaled by the training set's mean and "
                               "standard deviation")
      .def(py::init<const ds::Table&>(), py::arg("train"))
      .def("apply", &ds::Standardizer::apply, py::arg("table"), "standardizes table in place")
      .def_property_readonly("mean", &ds::Standardizer::mean)
      .def_property_readonly("deviation", &ds::Standardizer::deviation);
}

}  // namespace

void bind_datasets(py::module_& module) {
  // A missing file is FileNotFoundError, a malformed one ValueError, as Python's own readers do.
  py::register_local_exception_translator([](std::exception_ptr error) {
    try {
      if (error) std::rethrow_exception(error);
    } catch (const ds::DataNotFound& exception) {
      PyErr_SetString(PyExc_FileNotFoundError, exception.what());
    } catch (const ds::FormatError& exception) {
      PyErr_SetString(PyExc_ValueError, exception.what());
    }
  });
  bind_points(module);
  bind_mnist(module);
  bind_tabular(module);
}

}  // namespace micrograd::python
