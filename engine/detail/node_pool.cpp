// The node pool's cold paths: moving the sweep to the next slab, making slabs, blocks freed by
// other threads, and threads that end. See node_pool.hpp for the idea.
#include "engine/detail/node_pool.hpp"

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <new>
#include <vector>

namespace micrograd::detail {
namespace {

struct FreeBlock {
  FreeBlock* next;
};

struct OwnedHeap : ThreadHeap {
  // Slabs with a free block, in the order they got one after being used up; the last is the next
  // slab to take from. Room for every slab is reserved as slabs are made, so freeing a block
  // never allocates.
  std::vector<SlabHeader*> listed_slabs;
  std::size_t slab_count = 0;
  std::byte* arena_next = nullptr;  // where the next slab of the current arena starts
  std::size_t arena_slabs_left = 0;
  std::mutex remote_mutex;
  FreeBlock* remote_frees = nullptr;  // blocks other threads freed, waiting for the owner
};

OwnedHeap& owned(ThreadHeap* heap) {
  return static_cast<OwnedHeap&>(*heap);
}

// Heaps of threads that have ended, waiting for a thread to adopt them, and every arena (the pool
// never frees one; listing them lets leak checkers see them as owned). Heaps are never deleted,
// so a node freed after its thread has ended, even as the program exits, still finds its heap.
struct Registry {
  std::mutex mutex;
  std::vector<OwnedHeap*> heaps;
  std::vector<void*> arenas;
};
Registry& registry() {
  static auto* shared = new Registry;
  return *shared;
}

std::size_t heaps_made = 0;  // guarded by the registry's mutex

OwnedHeap* adopt_or_make_heap() {
  Registry& shared = registry();
  const std::lock_guard lock(shared.mutex);
  if (!shared.heaps.empty()) {
    OwnedHeap* heap = shared.heaps.back();
    shared.heaps.pop_back();
    return heap;
  }
  // Room for every heap in the orphan list, so that leave_to_orphans never allocates (it runs in
  // a destructor, where a bad_alloc would end the program).
  shared.heaps.reserve(heaps_made + 1);
  auto* heap = new OwnedHeap;
  ++heaps_made;
  return heap;
}

void leave_to_orphans(OwnedHeap* heap) noexcept {
  Registry& shared = registry();
  const std::lock_guard lock(shared.mutex);
  shared.heaps.push_back(heap);  // cannot allocate: room was reserved when the heap was made
}

std::atomic<std::size_t> slabs_made{0};

thread_local constinit bool thread_has_ended = false;

// Hands this thread's heap to the orphans when the thread ends.
struct HeapRelease {
  HeapRelease() = default;
  HeapRelease(const HeapRelease&) = delete;
  HeapRelease& operator=(const HeapRelease&) = delete;
  ~HeapRelease() {
    thread_has_ended = true;
    ThreadHeap* heap = this_thread_heap;
    if (heap == nullptr) return;
    this_thread_heap = nullptr;  // this thread stops using the heap before another may adopt it
    leave_to_orphans(&owned(heap));
  }
};

void collect_remote_frees(OwnedHeap& heap) {
  FreeBlock* blocks = nullptr;
  {
    const std::lock_guard lock(heap.remote_mutex);
    blocks = heap.remote_frees;
    heap.remote_frees = nullptr;
  }
  while (blocks != nullptr) {
    FreeBlock* next = blocks->next;
    give_back_node_block(blocks);  // the owner's own path: marks it free, lists its slab
    blocks = next;
  }
}

// Slabs are carved from arenas of kSlabsPerArena: one aligned allocation per arena instead of one
// per slab wastes less memory on alignment.
constexpr std::size_t kSlabsPerArena = 32;

SlabHeader* make_slab(OwnedHeap& heap) {
  if (heap.listed_slabs.capacity() < heap.slab_count + 1) {
    heap.listed_slabs.reserve(2 * heap.slab_count + 16);  // doubling: no quadratic copying
  }
  if (heap.arena_slabs_left == 0) {
    void* arena = std::aligned_alloc(kSlabBytes, kSlabsPerArena * kSlabBytes);
    if (arena == nullptr) throw std::bad_alloc();
    try {
      Registry& shared = registry();
      const std::lock_guard lock(shared.mutex);
      shared.arenas.push_back(arena);
    } catch (...) {
      std::free(arena);
      throw;
    }
    heap.arena_next = static_cast<std::byte*>(arena);
    heap.arena_slabs_left = kSlabsPerArena;
  }
  void* memory = heap.arena_next;
  heap.arena_next += kSlabBytes;
  --heap.arena_slabs_left;
  // Listed from the start: the caller takes blocks from it at once.
  auto* slab = new (memory) SlabHeader{&heap, true, {}};
  for (std::size_t i = 0; i < kBlocksPerSlab; ++i) {
    slab->free_bits[i / 64] |= std::uint64_t{1} << (i % 64);
    mark_block_free(block_at(slab, i));
  }
  ++heap.slab_count;
  slabs_made.fetch_add(1, std::memory_order_relaxed);
  return slab;
}

bool has_free_block(const SlabHeader& slab) {
  for (const std::uint64_t bits : slab.free_bits) {
    if (bits != 0) return true;
  }
  return false;
}

// Claims the next word with a free block: later in this slab; else in the most recently listed
// slab (a slab just finished goes back on the list first if blocks were freed behind the sweep);
// else, after collecting blocks other threads freed, in a new slab. Each step is bounded: a slab
// is listed once each time it goes from having no free block to having one, and each listing is
// swept once. (Collecting other threads' frees costs one step per block, once per block.)
void claim_next_word(OwnedHeap& heap) {
  while (true) {
    if (heap.slab != nullptr) {
      for (; heap.word < kWordsPerSlab; ++heap.word) {
        std::uint64_t& bits = heap.slab->free_bits[heap.word];
        if (bits != 0) {
          heap.claimed_bits = bits;
          heap.claimed_base = block_at(heap.slab, heap.word * 64);
          bits = 0;
          ++heap.word;
          return;
        }
      }
      // Done with this slab. Blocks freed behind the sweep meanwhile send it back to the list.
      heap.slab->listed = false;
      if (has_free_block(*heap.slab)) list_slab(heap.slab);
      heap.slab = nullptr;
    }
    if (heap.listed_slabs.empty()) collect_remote_frees(heap);
    if (heap.listed_slabs.empty()) {
      heap.slab = make_slab(heap);
    } else {
      heap.slab = heap.listed_slabs.back();
      heap.listed_slabs.pop_back();
    }
    heap.word = 0;
  }
}

}  // namespace

void* take_node_block_slow() {
  if (thread_has_ended) {
    // A node made by a thread_local's destructor as the thread ends: borrow a heap for it, and
    // give it back even if making a slab throws.
    struct Borrowed {
      OwnedHeap* heap = adopt_or_make_heap();
      Borrowed() { this_thread_heap = heap; }
      Borrowed(const Borrowed&) = delete;
      Borrowed& operator=(const Borrowed&) = delete;
      ~Borrowed() {
        this_thread_heap = nullptr;
        leave_to_orphans(heap);
      }
    } borrowed;
    if (borrowed.heap->claimed_bits == 0) claim_next_word(*borrowed.heap);
    return take_node_block();
  }
  if (this_thread_heap == nullptr) {
    thread_local HeapRelease release_at_thread_end;
    (void)release_at_thread_end;
    this_thread_heap = adopt_or_make_heap();
  }
  // An adopted heap may still hold claimed blocks; claiming again would lose them.
  if (this_thread_heap->claimed_bits == 0) claim_next_word(owned(this_thread_heap));
  return take_node_block();
}

std::size_t node_pool_slab_count() {
  return slabs_made.load(std::memory_order_relaxed);
}

void list_slab(SlabHeader* slab) {
  slab->listed = true;
  owned(slab->owner).listed_slabs.push_back(slab);
}

void give_back_node_block_slow(void* block) {
  // A block of another thread's slab (or freed as this thread ends): queue it for its owner.
  OwnedHeap& owner = owned(slab_of(block)->owner);
  const std::lock_guard lock(owner.remote_mutex);
  owner.remote_frees = ::new (block) FreeBlock{owner.remote_frees};
}

}  // namespace micrograd::detail
