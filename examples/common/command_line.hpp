// The demos' command lines, read with CLI11 (Debian: libcli11-dev). Every demo follows the same
// conventions:
//   --flag value and --flag=value;  --help (generated, with the defaults) and --version on stdout,
//   exit 0;  a mistake is one line on stderr and exit 2 (CLI11's own exit codes are 100 and up;
//   scripts and shells expect 2 for a usage error), in one style:
//     moons: --lr: must be a positive number, got '-1'; run with --help
#pragma once

#include <CLI/CLI.hpp>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <micrograd/version.hpp>
#include <string>

namespace micrograd::examples {

// What `--version` prints: "moons (micrograd.cpp 0.1.0)".
inline std::string version_text(const std::string& program) {
  return program + " (micrograd.cpp " MICROGRAD_VERSION_STRING ")";
}

// Sets up `app` with the demos' conventions: --version, and defaults shown in the help.
inline void use_demo_conventions(CLI::App& app) {
  app.set_version_flag("--version", version_text(app.get_name()));
  app.option_defaults()->always_capture_default();
  app.get_formatter()->column_width(26);
}

// A usage error found after parsing (two flags that contradict each other, an --out that cannot be
// written): the same line and exit status as CLI11's own.
[[noreturn]] inline void usage_error(const CLI::App& app, const std::string& message) {
  std::fprintf(stderr, "%s: %s; run with --help\n", app.get_name().c_str(), message.c_str());
  std::exit(2);
}

// Parses the command line; exits after --help and --version (0) and on a mistake (2).
inline void parse_or_exit(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& request) {
    std::exit(app.exit(request));  // prints the help on stdout, returns 0
  } catch (const CLI::CallForAllHelp& request) {
    std::exit(app.exit(request));
  } catch (const CLI::CallForVersion& request) {
    std::exit(app.exit(request));
  } catch (const CLI::ParseError& error) {
    usage_error(app, error.what());
  }
}

// ---- value checks, as CLI11 validators (they see the text before it is converted) -------------

// A whole number from `least` to `most`. Checked on the text because CLI11 2.1 reads "-1" into an
// unsigned option as 18446744073709551615.
inline CLI::Validator whole_number(std::uint64_t least,
                                   std::uint64_t most = std::numeric_limits<std::uint64_t>::max()) {
  const std::string range = most == std::numeric_limits<std::uint64_t>::max()
                                ? ">= " + std::to_string(least)
                                : "from " + std::to_string(least) + " to " + std::to_string(most);
  return CLI::Validator(
      [least, most, range](std::string& text) -> std::string {
        std::uint64_t value = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error != std::errc() || end != text.data() + text.size() || value < least ||
            value > most) {
          return "must be a whole number " + range + ", got '" + text + "'";
        }
        return "";
      },
      "");  // the range is in the option's description
}

// A finite number ("0.01", "1e-4"); with `positive`, also above 0.
inline CLI::Validator finite_number(bool positive = false) {
  return CLI::Validator(
      [positive](std::string& text) -> std::string {
        std::size_t used = 0;
        double value = 0;
        try {
          value = std::stod(text, &used);
        } catch (const std::exception&) {
          used = 0;
        }
        if (used == 0 || used != text.size() || !std::isfinite(value)) {
          return "must be a number, got '" + text + "'";
        }
        if (positive && !(value > 0)) return "must be a positive number, got '" + text + "'";
        return "";
      },
      "");
}

// A finite number from `least` to `most` ("0.01", "1e-4"); the range is said in the message.
inline CLI::Validator number_in(double least, double most) {
  const auto shown = [](double number) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", number);
    return std::string(text);
  };
  const std::string range = most == std::numeric_limits<double>::max()
                                ? "from " + shown(least)
                                : "from " + shown(least) + " to " + shown(most);
  return CLI::Validator(
      [least, most, range](std::string& text) -> std::string {
        std::size_t used = 0;
        double value = 0;
        try {
          value = std::stod(text, &used);
        } catch (const std::exception&) {
          used = 0;
        }
        if (used == 0 || used != text.size() || !std::isfinite(value) || value < least ||
            value > most) {
          return "must be a number " + range + ", got '" + text + "'";
        }
        return "";
      },
      "");
}

}  // namespace micrograd::examples
