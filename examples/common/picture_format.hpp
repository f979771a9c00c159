// The demos' --format: the file format of the pictures they draw. PNG for the README and the web
// page you glance at, SVG for slides and the web (sharp at any zoom), PDF for papers. The plots
// library (plots/canvas.hpp) and the Graphviz exporter (viz/viz.hpp) both pick the format from a
// file's extension, so a demo only has to name its files with the chosen one:
//
//   std::string format = "png";                                // the demo's default
//   micrograd::examples::add_format_option(app, format);
//   ...
//   canvas.save(micrograd::examples::picture_path(out, "loss", format));   // out/loss.svg
//
// The value is a format (png, svg, pdf, in any case) or a file name whose extension is one
// ("--format slides.pdf", "--format .svg"), for those who think of the file rather than the format.
#pragma once

#include <CLI/CLI.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <string>
#include <string_view>

namespace micrograd::examples {

inline constexpr std::array<std::string_view, 3> kPictureFormats = {"png", "svg", "pdf"};

// The format `text` names: "png", "svg" or "pdf" for the format itself or a file name ending in
// it, in any case ("PDF", "talk/loss.Svg", ".png"); "" when it names none of them.
inline std::string picture_format_of(std::string_view text) {
  std::string name(text);
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const std::size_t dot = name.rfind('.');
  const std::string extension = dot == std::string::npos ? name : name.substr(dot + 1);
  for (std::string_view format : kPictureFormats) {
    if (extension == format) return extension;
  }
  return "";
}

// Adds --format to a demo's command line. `format` holds the demo's default and, after parsing,
// "png", "svg" or "pdf"; anything else is a usage error that says what works:
//   moons: --format: unknown picture format 'gif'; use png, svg or pdf (or a file name ending in
//   .png, .svg or .pdf); run with --help
inline CLI::Option* add_format_option(CLI::App& app, std::string& format) {
  return app
      .add_option("--format", format,
                  "the pictures' file format: png, svg (for slides and the web) or pdf (for "
                  "papers), or a file name ending in one of them")
      ->transform(CLI::Validator(
          [](std::string& text) -> std::string {
            const std::string named = picture_format_of(text);
            if (named.empty()) {
              return "unknown picture format '" + text +
                     "'; use png, svg or pdf (or a file name ending in .png, .svg or .pdf)";
            }
            text = named;
            return "";
          },
          ""));
}

// <folder>/<stem>.<format>: picture_path("out/moons", "loss", "svg") is out/moons/loss.svg.
inline std::filesystem::path picture_path(const std::filesystem::path& folder,
                                          const std::string& stem, const std::string& format) {
  return folder / (stem + "." + format);
}

}  // namespace micrograd::examples
