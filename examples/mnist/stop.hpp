// Ctrl-C in the MNIST demo: the handler only sets a flag; the training loop checks it between
// samples, saves a checkpoint and stops. A second Ctrl-C stops at once (the default action).
#pragma once

namespace mnist_demo {

// Makes SIGINT (Ctrl-C) and SIGTERM request a stop instead of ending the program.
void install_stop_handlers();

// Whether a stop was requested.
bool stop_requested();

// The signal that requested it (0 when none): the program exits with 128 + it, as a shell does.
int stop_signal();

}  // namespace mnist_demo
