// The largest single allocation made through operator new since the last reset: lets a test check
// that a file claiming terabytes does not make the reader allocate them. The test executable
// replaces the global operator new (largest_allocation.cpp) to record it.
#pragma once

#include <cstddef>

namespace micrograd::datasets::testing {

void reset_largest_allocation();
std::size_t largest_allocation();

}  // namespace micrograd::datasets::testing
