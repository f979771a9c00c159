// The nodes from outside a tape that its nodes use (engine/tape.hpp), each held alive once: a hash
// set by address, open addressing with linear probing.
//
// Why a set that outlives the step. A training step's ops use the model's parameters, which are
// ordinary nodes made outside the tape; the tape's edges own nothing, so the tape holds each one
// alive instead, for as long as its nodes may use it. Taking that reference anew at every step
// cost more than the rest of the recording for an MNIST MLP (51,000 weights, each used once per
// sample), and with threads each reference is an atomic write to a count that every thread's
// replica reads. So the set survives the tape's release: the next step finds the parameters
// already held, with one load at their home slot.
//
// What it lets go, at each release of the tape (after_release):
// - every node added during the step that nothing else holds any more (an input made outside the
//   tape for this step, say), and every interior node added during the step (the tape must see
//   those again at the next step, to fall back to the sort: Tape::sweepable);
// - a few of the older nodes, in turn, that nothing else holds any more (a model that was
//   destroyed): all of them within (slots / kCheckedPerRelease) releases, or when the thread ends.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "engine/node.hpp"

namespace micrograd::detail {

class KeptNodes {
 public:
  KeptNodes();

  // Whether `node` is held and sits at its home slot: the inline test of every edge to a node
  // from outside. False for a held node that a collision pushed further; keep() finds that one.
  bool held_at_home(const Node* node) const { return slots_[home(node)] == node; }
  // Holds `input` alive. Returns true if it was not held yet.
  bool keep(const std::shared_ptr<Node>& input);
  // Called when the tape has been released: lets go of what the top of this file says.
  void after_release();

  std::size_t size() const { return count_; }

 private:
  static constexpr std::size_t kFirstSlots = 64;
  static constexpr std::size_t kCheckedPerRelease = 64;

  std::size_t home(const Node* node) const {
    // Fibonacci hashing: nodes sit at multiples of their size, so the low bits alone collide.
    const auto address = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(node));
    return static_cast<std::size_t>((address * 0x9E3779B97F4A7C15ull) >> shift_);
  }
  std::size_t find(const Node* node) const;  // its slot, or slots_.size() if not held
  void insert(std::shared_ptr<Node> owner);
  void erase(std::size_t slot);
  void grow();
  bool only_held_here(std::size_t slot) const { return owners_[slot].use_count() == 1; }

  std::vector<const Node*> slots_;             // null: empty; a power of two, at most half full
  std::vector<std::shared_ptr<Node>> owners_;  // the reference held for slots_[i]
  int shift_ = 64;                             // 64 - log2(slots_.size())
  std::size_t count_ = 0;
  std::vector<const Node*> added_;  // since the last after_release()
  std::size_t next_checked_ = 0;    // where after_release() goes on checking the older nodes
};

}  // namespace micrograd::detail
