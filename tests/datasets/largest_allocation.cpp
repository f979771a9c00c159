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

// The replaceable global allocation functions ([new.delete.single]). The array forms call these by
// default; the nothrow form is replaced too, because a sanitizer's runtime defines its own, which
// would hand memory from its allocator to the delete below (std::stable_sort's buffer did: an
// "alloc-dealloc-mismatch" under AddressSanitizer).
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
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return ::operator new(size);
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}
void operator delete(void* memory, const std::nothrow_t&) noexcept {
  std::free(memory);
}
