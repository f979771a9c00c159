#include "largest_allocation.hpp"

#include <atomic>
#include <cstdlib>
#include <new>

namespace micrograd::datasets::testing {
namespace {
std::atomic<std::size_t> largest{0};
}  // namespace

void reset_largest_allocation() {
  largest = 0;
}
std::size_t largest_allocation() {
  return largest;
}

}  // namespace micrograd::datasets::testing

// The replaceable global allocation functions ([new.delete.single]); the array and nothrow forms
// call these by default.
void* operator new(std::size_t size) {
  std::size_t seen = micrograd::datasets::testing::largest.load();
  while (size > seen && !micrograd::datasets::testing::largest.compare_exchange_weak(seen, size)) {
  }
  if (void* memory = std::malloc(size == 0 ? 1 : size)) return memory;
  throw std::bad_alloc();
}

void operator delete(void* memory) noexcept {
  std::free(memory);
}
void operator delete(void* memory, std::size_t) noexcept {
  std::free(memory);
}
