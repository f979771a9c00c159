// The tape's memory: chunks of nodes, the nodes from outside it that it keeps alive, guards, and
// reuse of a tape once no Value of it is left. See engine/tape.hpp for the idea. The sweep itself
// is Tape::backward(), in solutions/engine/sweep.cpp.
#include "engine/tape.hpp"

#include <algorithm>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>

namespace micrograd {

namespace {

void poison(const void* memory, std::size_t bytes) {
#if defined(__SANITIZE_ADDRESS__)
  __asan_poison_memory_region(memory, bytes);
#else
  (void)memory;
  (void)bytes;
#endif
}

std::string with_commas(std::size_t number) {
  std::string digits = std::to_string(number);
  for (std::size_t i = digits.size(); i > 3; i -= 3) digits.insert(i - 3, ",");
  return digits;
}

}  // namespace

Tape::~Tape() {
  // Nodes are never destroyed one by one: their parent pointers own nothing, and their
  // more_parents arrays live in parent_chunks_ (so those unique_ptrs must never run). Only labels
  // own memory of their own.
  if (has_labels_) {
    for (std::size_t i = 0; i < size_; ++i) node(i).label.reset();
  }
}

void Tape::add_chunk() {
  if (size_ >= max_nodes_) {
    throw std::length_error(
        "the tape holds " + with_commas(size_) + " nodes (" +
        with_commas(size_ * bytes_per_node() >> 20) + " MiB), its TapeGuard's limit: end the " +
        "guard after each training step (its nodes are then released), or give TapeGuard a " +
        "larger max_nodes if one step really needs more");
  }
  if (size_ == chunks_.size() * kNodesPerChunk) {
    chunks_.push_back(std::make_unique_for_overwrite<NodeSlot[]>(kNodesPerChunk));
    poison(chunks_.back().get(), kNodesPerChunk * sizeof(NodeSlot));
  }
  capacity_ = std::min(max_nodes_, (size_ / kNodesPerChunk + 1) * kNodesPerChunk);
}

std::size_t Tape::position_of(const Node& node) const {
  if (node.tape == this) {
    const std::less<const void*> before;
    const void* address = &node;
    for (std::size_t chunk = 0; chunk < chunks_.size(); ++chunk) {
      const NodeSlot* first = chunks_[chunk].get();
      if (!before(address, first) && before(address, first + kNodesPerChunk)) {
        return chunk * kNodesPerChunk +
               static_cast<std::size_t>(static_cast<const NodeSlot*>(address) - first);
      }
    }
  }
  throw std::invalid_argument("Tape::position_of: the node was not recorded on this tape");
}

std::shared_ptr<Node>* Tape::more_parent_slots_in_next_chunk(std::size_t count) {
  // Chunks are kept from one step to the next; one smaller than `count` (made for a smaller op) is
  // skipped.
  while (next_parent_chunk_ < parent_chunks_.size() &&
         parent_chunks_[next_parent_chunk_].size < count) {
    ++next_parent_chunk_;
  }
  if (next_parent_chunk_ == parent_chunks_.size()) {
    const std::size_t size = std::max<std::size_t>(count, std::size_t{1} << 16);
    parent_chunks_.push_back({std::make_unique<std::shared_ptr<Node>[]>(size), size});
  }
  ParentChunk& chunk = parent_chunks_[next_parent_chunk_++];
  next_parent_slot_ = chunk.slots.get() + count;
  parent_room_ = chunk.size - count;
  return chunk.slots.get();
}

void Tape::keep_alive(const std::shared_ptr<Node>& input) {
  // An interior node from outside means the tape alone cannot be swept (see sweepable()). The
  // kept set lets go of interior nodes at every release, so each recording adds them anew.
  if (kept_.keep(input) && !input->is_leaf()) uses_outside_graph_ = true;
}

void Tape::release() {
  if (has_labels_) {
    for (std::size_t i = 0; i < size_; ++i) node(i).label.reset();
    has_labels_ = false;
  }
  // The rest of each node is left as it is: its parent pointers own nothing, its more_parents
  // point into parent_chunks_, and new_node constructs a fresh node over it.
  for (std::size_t chunk = 0; chunk * kNodesPerChunk < size_; ++chunk) {
    poison(chunks_[chunk].get(), kNodesPerChunk * sizeof(NodeSlot));
  }
  size_ = 0;
  capacity_ = 0;
  next_parent_chunk_ = 0;
  next_parent_slot_ = nullptr;
  parent_room_ = 0;
  kept_.after_release();
  uses_outside_graph_ = false;
}

// ---- Guards and reuse ------------------------------------------------------------------------

namespace {

// The tape this thread reuses for its next guard: the last one released on this thread. A plain
// pointer, valid at any point of thread exit; SpareRelease deletes it as the thread ends.
thread_local constinit Tape* spare_tape = nullptr;
thread_local constinit bool thread_has_ended = false;

struct SpareRelease {
  SpareRelease() = default;
  SpareRelease(const SpareRelease&) = delete;
  SpareRelease& operator=(const SpareRelease&) = delete;
  ~SpareRelease() {
    thread_has_ended = true;
    delete spare_tape;
    spare_tape = nullptr;
  }
};

}  // namespace

// Called when the guard and every Value of the tape are gone, on whichever thread dropped the last
// one: the tape forgets its nodes, and becomes this thread's spare if it has none.
struct TapeReleaser {
  void operator()(Tape* tape) const noexcept {
    if (!thread_has_ended && spare_tape == nullptr) {
      thread_local SpareRelease release_at_thread_end;
      (void)release_at_thread_end;
      // Releasing may let go of the last Value of another tape, which may become the spare first.
      tape->release();
      if (spare_tape == nullptr) {
        spare_tape = tape;
        return;
      }
    }
    delete tape;
  }
};

TapeGuard::TapeGuard(std::size_t max_nodes) {
  if (max_nodes == 0) {
    throw std::invalid_argument("TapeGuard: max_nodes is 0; a tape must hold at least one node");
  }
  if (detail::recording.tape != nullptr) {  // nested: keep recording on the outer guard's tape
    tape_ = detail::recording.tape;
    return;
  }
  Tape* tape = spare_tape;
  spare_tape = nullptr;
  if (tape == nullptr) tape = new Tape;
  tape->max_nodes_ = max_nodes;
  owner_ = std::shared_ptr<Tape>(tape, TapeReleaser{});  // if this throws, it deletes `tape`
  tape_ = tape;
  detail::recording = {tape, &owner_};
}

TapeGuard::~TapeGuard() {
  if (owner_ == nullptr) return;  // nested
  detail::recording = {};
}

}  // namespace micrograd
