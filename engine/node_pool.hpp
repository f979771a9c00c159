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
#include <new>

// Under AddressSanitizer, a block on the free list is poisoned, so a use of a freed node is still
// reported although the memory never goes back to malloc.
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define MICROGRAD_POISON(address, size) ASAN_POISON_MEMORY_REGION(address, size)
#define MICROGRAD_UNPOISON(address, size) ASAN_UNPOISON_MEMORY_REGION(address, size)
#else
#define MICROGRAD_POISON(address, size) ((void)(address), (void)(size))
#define MICROGRAD_UNPOISON(address, size) ((void)(address), (void)(size))
#endif

namespace micrograd::detail {

inline constexpr std::size_t kNodeBlockSize = 112;  // node + control block, see value.cpp

struct FreeBlock {
  FreeBlock* next;
};

inline thread_local constinit FreeBlock* node_free_list = nullptr;

// Cold path: fills node_free_list with a new slab (or blocks handed back by ended threads).
void refill_node_free_list();

inline void* take_node_block() {
  if (node_free_list == nullptr) refill_node_free_list();
  FreeBlock* block = node_free_list;
  MICROGRAD_UNPOISON(block, kNodeBlockSize);
  node_free_list = block->next;
  return block;
}

inline void give_back_node_block(void* memory) {
  auto* block = static_cast<FreeBlock*>(memory);
  block->next = node_free_list;
  node_free_list = block;
  // The link stays readable: the list is walked when a thread ends.
  MICROGRAD_POISON(reinterpret_cast<std::byte*>(block) + sizeof(FreeBlock),
                   kNodeBlockSize - sizeof(FreeBlock));
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
      if (count == 1) return static_cast<T*>(take_node_block());
    }
    return static_cast<T*>(::operator new(count * sizeof(T)));
  }
  void deallocate(T* pointer, std::size_t count) noexcept {
    if constexpr (sizeof(T) <= kNodeBlockSize && alignof(T) <= alignof(std::max_align_t)) {
      if (count == 1) return give_back_node_block(pointer);
    }
    ::operator delete(pointer);
  }
  template <class U>
  bool operator==(const NodeAllocator<U>&) const noexcept {
    return true;
  }
};

}  // namespace micrograd::detail
