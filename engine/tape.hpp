// The tape: a training step's nodes laid out in the order they are made, and backpropagated in one
// reverse sweep. The fast path beside the reference engine (DESIGN.md, "The reference and the fast
// path"); docs/performance.md has the figures and the alternatives measured.
//
//   for (int step = 0; step < steps; ++step) {
//     const TapeGuard tape;         // ops below record their results on this thread's tape
//     Value loss = model_loss();    // the same graph, the same numbers as without the guard
//     loss.backward();              // one reverse sweep over the tape: no topological sort
//     update(parameters);
//   }                               // the step's nodes are released in one go, their memory reused
//
// Why it is faster. The reference engine allocates every node on its own, counts every edge (two
// atomic operations per edge once a program has started a thread) and sorts the graph before each
// backward(). On a tape:
// - nodes sit one after another in big chunks, taken by bumping a pointer, and released together;
// - an edge is a plain pointer: the tape keeps all its nodes alive as a whole, and every node from
//   outside it that an op used (a parameter, say) by one reference, which it goes on holding from
//   one step to the next while something else holds the node too (engine/detail/kept_nodes.hpp);
// - creation order already is a topological order: a node's inputs exist before the node, so they
//   were recorded before it. Walking the tape backwards from the root visits every node after all
//   the nodes that use it, which is all backward() needs (chapter 11 of the course).
//
// What it gives up, and what it checks instead:
// - The sweep must skip nodes the root does not reach (made after the root, or on a side branch):
//   their grad_fn could otherwise add 0 * inf = NaN. A node is swept only once a node that uses it
//   has been.
// - A graph whose ops used an interior node made outside the tape (an ordinary node, or a node of
//   another tape) cannot be swept: that node's own graph is not on the tape. backward() then runs
//   the reference engine's sort and backward on the whole graph, which handles any graph.
// - Values stay safe: a Value of a tape node shares the tape's ownership, so a Value kept after the
//   guard (a loss to print, a prediction) keeps its tape alive, and the tape is reused only once
//   no Value of it is left. Ops made after the guard ends are ordinary nodes.
//
// A tape belongs to the thread that records on it; each thread has its own (nn::DataParallel
// gives each worker one). Guards nest: an inner guard records on the outer guard's tape. Under a
// NoGradGuard results still go on the tape, as leaves; AnomalyGuard checks them as usual.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <vector>

#include "engine/detail/kept_nodes.hpp"
#include "engine/node.hpp"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif

namespace micrograd {

class Tape {
 public:
  // The most nodes a tape holds unless its TapeGuard says otherwise: 2^25, about 3.8 GB. A step
  // that needs more most likely forgot to end its guard (or to backpropagate) at the end of a step.
  static constexpr std::size_t kDefaultMaxNodes = std::size_t{1} << 25;

  // ---- What the sweep reads (chapter 11) ----------------------------------------------------
  // The nodes recorded so far, in the order they were made: node(0) first.
  std::size_t size() const { return size_; }
  Node& node(std::size_t position) const {
    return *std::launder(
        reinterpret_cast<Node*>(&chunks_[position / kNodesPerChunk][position % kNodesPerChunk]));
  }
  // Where `node` is on this tape: node(position_of(n)) is n. Throws std::invalid_argument for a
  // node of another tape or none.
  std::size_t position_of(const Node& node) const;
  // Whether `node` was recorded on this tape (parents from outside it are not).
  bool holds(const Node& node) const { return node.tape == this; }

  // Chapter 11 of the course (solutions/engine/sweep.cpp):
  // Marks `root` and every node of this tape that it reaches with `mark` (their visit_mark), and
  // starts each reached interior node's grad again from 0, in one pass backwards from the root
  // (exercise 11.1). Nodes from outside the tape are left as they are.
  void reach(Node& root, std::uint64_t mark);
  // backward() from `root`, a node of this tape: d(root)/d(node) for every node the root reaches,
  // in one reverse sweep, with no sort (exercise 11.2). Interior nodes hold the gradient of this
  // call only; leaves add to theirs, as in Value::backward().
  void backward(Node& root);

  // Whether backward() can sweep this tape alone: no op on it used an interior node from outside.
  bool sweepable() const { return !uses_outside_graph_; }

  // ---- Memory -------------------------------------------------------------------------------
  static constexpr std::size_t bytes_per_node() { return sizeof(Node); }
  std::size_t max_nodes() const { return max_nodes_; }

  // ---- Recording (Value::from_op and Value(double) call these; see engine/value.hpp) ----------
  // A new node holding `data` at the end of the tape: a leaf until its parents are set. Throws
  // std::length_error once the tape holds max_nodes().
  Node& new_node(double data) {
    if (size_ == capacity_) [[unlikely]]
      add_chunk();
    void* storage = &chunks_[size_ / kNodesPerChunk][size_ % kNodesPerChunk];
#if defined(__SANITIZE_ADDRESS__)
    __asan_unpoison_memory_region(storage, sizeof(Node));
#endif
    Node* node = ::new (storage) Node(data);
    node->tape = this;
    ++size_;
    return *node;
  }
  // The edge from a tape node to `input`: a pointer that owns nothing. An input from outside the
  // tape is held alive by the tape instead, once (engine/detail/kept_nodes.hpp).
  std::shared_ptr<Node> edge_to(const std::shared_ptr<Node>& input) {
    Node* node = input.get();
    if (node->tape != this && !kept_.held_at_home(node)) [[unlikely]] {
      keep_alive(input);
    }
    return std::shared_ptr<Node>(std::shared_ptr<Node>(), node);  // aliasing nothing: no count
  }
  // Room for the parents past the second of a node with `count` parents, in the tape's memory.
  // Their slots own nothing: fill them with std::construct_at(slot, edge_to(input)).
  std::shared_ptr<Node>* more_parent_slots(std::size_t count) {
    if (count > parent_room_) [[unlikely]]
      return more_parent_slots_in_next_chunk(count);
    std::shared_ptr<Node>* slots = next_parent_slot_;
    next_parent_slot_ += count;
    parent_room_ -= count;
    return slots;
  }
  // Marks that a node of this tape got a label (released with the tape).
  void note_label() {
    has_labels_ = true;
  }

  Tape(const Tape&) = delete;
  Tape& operator=(const Tape&) = delete;
  ~Tape();

 private:
  friend class TapeGuard;
  friend struct TapeReleaser;
  static constexpr std::size_t kNodesPerChunk = 4096;  // about 460 KB of nodes per chunk
  struct alignas(Node) NodeSlot {
    std::byte bytes[sizeof(Node)];
  };
  struct ParentChunk {
    std::unique_ptr<std::shared_ptr<Node>[]> slots;
    std::size_t size = 0;
  };

  Tape() = default;
  void add_chunk();
  void keep_alive(const std::shared_ptr<Node>& input);
  std::shared_ptr<Node>* more_parent_slots_in_next_chunk(std::size_t count);
  // Forgets every node: called when no Value of the tape is left, before it is reused.
  void release();

  std::vector<std::unique_ptr<NodeSlot[]>> chunks_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
  std::size_t max_nodes_ = kDefaultMaxNodes;
  std::vector<ParentChunk> parent_chunks_;
  std::size_t next_parent_chunk_ = 0;  // the chunk taken from once the current one is full
  std::shared_ptr<Node>* next_parent_slot_ = nullptr;  // the current chunk's first free slot
  std::size_t parent_room_ = 0;                        // and how many follow it
  detail::KeptNodes kept_;  // the nodes from outside the tape that its nodes use
  bool uses_outside_graph_ = false;
  bool has_labels_ = false;
};

// Records the ops of this thread on a tape while it is in scope (see the top of this file).
// `max_nodes` caps the tape's size: an op past it throws std::length_error saying so.
class TapeGuard {
 public:
  explicit TapeGuard(std::size_t max_nodes = Tape::kDefaultMaxNodes);
  ~TapeGuard();
  TapeGuard(const TapeGuard&) = delete;
  TapeGuard& operator=(const TapeGuard&) = delete;

  Tape& tape() const { return *tape_; }

 private:
  Tape* tape_;
  std::shared_ptr<Tape> owner_;  // null for a guard nested in another: it records on that tape
};

namespace detail {
// The tape this thread records on, and the ownership its Values share; null when none.
struct Recording {
  Tape* tape = nullptr;
  const std::shared_ptr<Tape>* owner = nullptr;
};
inline thread_local constinit Recording recording{};

// Suspends this thread's recording while in scope: ops make ordinary nodes, and a TapeGuard made
// meanwhile starts a tape of its own instead of recording on the outer guard's. (nn::DataParallel
// computes a replica's samples on the calling thread this way, each on a tape released when the
// sample is done, whatever the caller records on.)
class RecordingPause {
 public:
  RecordingPause() : paused_(recording) { recording = {}; }
  ~RecordingPause() { recording = paused_; }
  RecordingPause(const RecordingPause&) = delete;
  RecordingPause& operator=(const RecordingPause&) = delete;

 private:
  Recording paused_;
};
}  // namespace detail

// Whether this thread's ops are being recorded on a tape.
inline bool tape_active() {
  return detail::recording.tape != nullptr;
}

}  // namespace micrograd
