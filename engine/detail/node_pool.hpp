// Where nodes live: fixed-size blocks in 64 KiB slabs, handed out in address order.
//
// A training step builds and frees tens of thousands of nodes, all the same size, and then walks
// them several times (topological sort, backward, teardown). Two things make that fast:
//
// - Cost per node. General-purpose malloc spends a few hundred instructions on a node (bins,
//   consolidation); taking a block here costs a handful.
// - Where the nodes land. Each walk follows pointers from node to node. When consecutive nodes sit
//   next to each other in memory, the CPU's prefetcher sees the pattern and the walk runs from
//   cache; when they are scattered, every step waits for memory. A free list hands blocks back in
//   the order they were freed, which after a few training steps is close to random. So instead
//   each slab keeps a bitmap of its free blocks, and a thread takes blocks from one slab at a time
//   in address order; when that slab is used up it moves to the slab that most recently got a
//   free block again (its memory is the most likely to still be in cache). The next graph is then
//   laid out in the order it is built, step after step. (On this project's benchmark that is
//   worth a quarter of the time of a training step.)
//
// Values use the pool through std::allocate_shared, so a node and its shared_ptr control block
// still share one allocation and shared_ptr works as usual. Slabs are never returned to the
// system: memory freed by one graph is reused by the next. Each slab belongs to one thread; a
// block freed on another thread is queued for its owner. A thread that ends leaves its slabs,
// with their free blocks, to the next thread that makes its first node.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif

namespace micrograd::detail {

inline constexpr std::size_t kNodeBlockSize = 128;  // node + its control block (NodeAllocator)
inline constexpr std::size_t kSlabBytes = std::size_t{64} << 10;
inline constexpr std::size_t kSlabHeaderBytes = 128;
inline constexpr std::size_t kBlocksPerSlab = (kSlabBytes - kSlabHeaderBytes) / kNodeBlockSize;
inline constexpr std::size_t kWordsPerSlab = (kBlocksPerSlab + 63) / 64;

// Leak checkers see a pooled node as part of a slab that is still owned, so a leaked graph (a
// reference cycle) would go unreported, and reused blocks hide a use after free. So the pool is
// off under AddressSanitizer, and MICROGRAD_NODE_POOL=0 in the environment turns it off for
// valgrind: each node is then its own operator new, as with std::make_shared.
// MICROGRAD_NODE_POOL=1 turns it on even under AddressSanitizer, to check the pool itself.
inline bool node_pool_enabled() {
  static const bool enabled = [] {
    const char* setting = std::getenv("MICROGRAD_NODE_POOL");
    if (setting != nullptr && setting[0] == '0') return false;
    if (setting != nullptr && setting[0] == '1') return true;
#if defined(__SANITIZE_ADDRESS__)
    return false;
#else
    return true;
#endif
  }();
  return enabled;
}

struct ThreadHeap;

// The start of every slab (slabs are aligned to their size, so a block finds its slab by masking
// its address). The blocks follow the header.
struct SlabHeader {
  ThreadHeap* owner;
  // True while the slab is being taken from or waits in its owner's list of slabs to take from;
  // false while it has no free block the sweep will come back for (the next free lists it).
  bool listed;
  std::uint64_t free_bits[kWordsPerSlab];  // bit i set: block i is free
};
static_assert(sizeof(SlabHeader) <= kSlabHeaderBytes);

// The slab a thread takes blocks from, and how far it has got. The rest of a thread's heap (the
// slabs to take from next, blocks other threads freed for it) is in node_pool.cpp.
struct ThreadHeap {
  // The blocks being handed out: up to 64 free blocks claimed from one word of a slab's bitmap
  // (cleared there, so that a block freed meanwhile shows up in the bitmap again).
  std::uint64_t claimed_bits = 0;
  std::byte* claimed_base = nullptr;  // the block of bit 0 of claimed_bits
  SlabHeader* slab = nullptr;
  std::size_t word = 0;  // the next word of slab->free_bits to claim from
};

inline thread_local constinit ThreadHeap* this_thread_heap = nullptr;

// Cold paths, in node_pool.cpp.
void* take_node_block_slow();
void give_back_node_block_slow(void* block);
void list_slab(SlabHeader* slab);  // puts a slab that has a free block again on its owner's list

// Slabs made so far by every thread (for tests and benchmarks: memory freed must be reused).
std::size_t node_pool_slab_count();

// With AddressSanitizer (and the pool turned on with MICROGRAD_NODE_POOL=1), a free block is
// poisoned: a use after free inside the pool is reported as it would be with operator new.
inline void mark_block_free(void* block) {
#if defined(__SANITIZE_ADDRESS__)
  __asan_poison_memory_region(block, kNodeBlockSize);
#else
  (void)block;
#endif
}
inline void mark_block_in_use(void* block) {
#if defined(__SANITIZE_ADDRESS__)
  __asan_unpoison_memory_region(block, kNodeBlockSize);
#else
  (void)block;
#endif
}

inline SlabHeader* slab_of(void* block) {
  return reinterpret_cast<SlabHeader*>(reinterpret_cast<std::uintptr_t>(block) & ~(kSlabBytes - 1));
}
inline std::byte* block_at(SlabHeader* slab, std::size_t index) {
  return reinterpret_cast<std::byte*>(slab) + kSlabHeaderBytes + index * kNodeBlockSize;
}

inline void* take_node_block() {
  ThreadHeap* heap = this_thread_heap;
  if (heap != nullptr && heap->claimed_bits != 0) {
    const auto bit = static_cast<std::size_t>(std::countr_zero(heap->claimed_bits));
    heap->claimed_bits &= heap->claimed_bits - 1;
    std::byte* block = heap->claimed_base + bit * kNodeBlockSize;
    mark_block_in_use(block);
    return block;
  }
  return take_node_block_slow();
}

inline void give_back_node_block(void* block) {
  SlabHeader* slab = slab_of(block);
  // A slab always has an owner, so this also sends blocks freed as a thread ends (no heap) away.
  if (slab->owner != this_thread_heap) return give_back_node_block_slow(block);
  const auto index =
      static_cast<std::size_t>(static_cast<std::byte*>(block) - block_at(slab, 0)) / kNodeBlockSize;
  slab->free_bits[index / 64] |= std::uint64_t{1} << (index % 64);
  mark_block_free(block);
  if (!slab->listed) list_slab(slab);
}

// The allocator std::allocate_shared uses for nodes.
template <class T>
struct NodeAllocator {
  using value_type = T;
  NodeAllocator() = default;
  template <class U>
  NodeAllocator(const NodeAllocator<U>&) noexcept {}  // NOLINT(google-explicit-constructor)

  // std::allocate_shared rebinds this to its control block, which holds the node: it must fit a
  // block (with a standard library whose control block is larger, raise kNodeBlockSize).
  T* allocate(std::size_t count) {
    static_assert(sizeof(T) <= kNodeBlockSize && kNodeBlockSize % alignof(T) == 0,
                  "a node must fit a pool block, and blocks must keep it aligned");
    if (count == 1 && node_pool_enabled()) return static_cast<T*>(take_node_block());
    return static_cast<T*>(::operator new(count * sizeof(T)));
  }
  void deallocate(T* pointer, std::size_t count) noexcept {
    if (count == 1 && node_pool_enabled()) return give_back_node_block(pointer);
    ::operator delete(pointer);
  }
  template <class U>
  bool operator==(const NodeAllocator<U>&) const noexcept {
    return true;
  }
};

}  // namespace micrograd::detail
