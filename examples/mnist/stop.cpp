// Ctrl-C in the MNIST demo (see stop.hpp).
#include "stop.hpp"

#include <unistd.h>

#include <csignal>

namespace mnist_demo {

namespace {

volatile std::sig_atomic_t g_stop_signal = 0;

extern "C" void request_stop(int signal_number) {
  g_stop_signal = signal_number;
  std::signal(signal_number, SIG_DFL);
  static const char message[] =
      "\nmnist: stopping after this sample to save a checkpoint (press Ctrl-C again to quit "
      "without saving)\n";
  const ssize_t written = ::write(STDERR_FILENO, message, sizeof message - 1);
  static_cast<void>(written);
}

}  // namespace

void install_stop_handlers() {
  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
}

bool stop_requested() {
  return g_stop_signal != 0;
}

int stop_signal() {
  return static_cast<int>(g_stop_signal);
}

}  // namespace mnist_demo
