// Where nodes live: a free list of fixed-size blocks carved from large slabs.
//
// A training step builds and frees tens of thousands of nodes, all the same size. General-purpose
// malloc spends a few hundred instructions per node on that (bins, consolidation); popping and
// pushing a per-thread free list costs a handful. Values use it through std::allocate_shared, so a
// node and its shared_ptr control block still share one allocation and shared_ptr works as usual.
//
// Slabs are never returned to the system: memory freed by one graph is reused by the next. A
// block freed on another thread joins that thread's list; a thread's list is handed to the others
// when the thread ends.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <new>

namespace micrograd::detail {

inline constexpr std::size_t kNodeBlockSize = 112;  // node + control block, see value.cpp

// Leak checkers see a pooled node as part of a slab that is still owned, so a leaked graph (a
// reference cycle) would go unreported, and reused blocks hide a use after free. So the pool is
// off under AddressSanitizer, and MICROGRAD_NODE_POOL=0 in the environment turns it off for
// valgrind: each node is then its own operator new, as with std::make_shared.
inline bool node_pool_enabled() {
#if defined(__SANITIZE_ADDRESS__)
  return false;
#else
  static const bool enabled = [] {
    const char* setting = std::getenv("MICROGRAD_NODE_POOL");
    return setting == nullptr || setting[0] != '0';
  }();
  return enabled;
#endif
}

struct FreeBlock {
  FreeBlock* next;
};

inline thread_local constinit FreeBlock* node_free_list = nullptr;

// Cold path: fills node_free_list with a new slab (or blocks handed back by ended threads).
void refill_node_free_list();

inline void* take_node_block() {
  if (node_free_list == nullptr) refill_node_free_list();
  FreeBlock* block = node_free_list;
  node_free_list = block->next;
  return block;
}

inline void give_back_node_block(void* memory) {
  auto* block = static_cast<FreeBlock*>(memory);
  block->next = node_free_list;
  node_free_list = block;
}

// The allocator std::allocate_shared uses for nodes. Anything that is not one node-sized object
// goes to operator new.
template <class T>
struct NodeAllocator {
  using value_type = T;
  NodeAllocator() = default;
  template <class U>
  NodeAllocator(const NodeAllocator<U>&) noexcept {}  // NOLINT(google-explicit-constructor)

  T* allocate(std::size_t count) {
    if constexpr (sizeof(T) <= kNodeBlockSize && alignof(T) <= alignof(std::max_align_t)) {
      if (count == 1 && node_pool_enabled()) return static_cast<T*>(take_node_block());
    }
    return static_cast<T*>(::operator new(count * sizeof(T)));
  }
  void deallocate(T* pointer, std::size_t count) noexcept {
    if constexpr (sizeof(T) <= kNodeBlockSize && alignof(T) <= alignof(std::max_align_t)) {
      if (count == 1 && node_pool_enabled()) return give_back_node_block(pointer);
    }
    ::operator delete(pointer);
  }
  template <class U>
  bool operator==(const NodeAllocator<U>&) const noexcept {
    return true;
  }
};

}  // namespace micrograd::detail
