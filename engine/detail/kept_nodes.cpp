// The set of nodes from outside a tape that it holds alive: see kept_nodes.hpp. Written by hand
// because std::unordered_set allocates a node per element and follows a pointer per lookup, which
// is what this set exists to avoid on the engine's hottest path.
#include "engine/detail/kept_nodes.hpp"

#include <bit>
#include <utility>

namespace micrograd::detail {

KeptNodes::KeptNodes()
    : slots_(kFirstSlots), owners_(kFirstSlots), shift_(64 - std::countr_zero(kFirstSlots)) {}

std::size_t KeptNodes::find(const Node* node) const {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = home(node);; i = (i + 1) & mask) {
    if (slots_[i] == node) return i;
    if (slots_[i] == nullptr) return slots_.size();
  }
}

bool KeptNodes::keep(const std::shared_ptr<Node>& input) {
  if (find(input.get()) != slots_.size()) return false;
  if (2 * (count_ + 1) > slots_.size()) grow();
  insert(input);
  added_.push_back(input.get());
  return true;
}

void KeptNodes::insert(std::shared_ptr<Node> owner) {
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = home(owner.get());
  while (slots_[i] != nullptr) i = (i + 1) & mask;
  slots_[i] = owner.get();
  owners_[i] = std::move(owner);
  ++count_;
}

// Linear probing's deletion: the entries after the hole that would no longer be found past it
// move back into it, so that no lookup stops early at an empty slot.
void KeptNodes::erase(std::size_t hole) {
  const std::size_t mask = slots_.size() - 1;
  owners_[hole].reset();
  slots_[hole] = nullptr;
  --count_;
  for (std::size_t i = (hole + 1) & mask; slots_[i] != nullptr; i = (i + 1) & mask) {
    const std::size_t wanted = home(slots_[i]);
    // The entry at i may stay if its home lies cyclically in (hole, i].
    const bool stays = hole < i ? (hole < wanted && wanted <= i) : (hole < wanted || wanted <= i);
    if (stays) continue;
    slots_[hole] = slots_[i];
    owners_[hole] = std::move(owners_[i]);
    slots_[i] = nullptr;
    hole = i;
  }
}

void KeptNodes::grow() {
  std::vector<const Node*> old_slots(2 * slots_.size());
  std::vector<std::shared_ptr<Node>> old_owners(2 * slots_.size());
  old_slots.swap(slots_);
  old_owners.swap(owners_);
  shift_ = 64 - std::countr_zero(slots_.size());
  count_ = 0;
  for (std::size_t i = 0; i < old_slots.size(); ++i) {
    if (old_slots[i] != nullptr) insert(std::move(old_owners[i]));
  }
}

void KeptNodes::after_release() {
  for (const Node* node : added_) {
    const std::size_t slot = find(node);
    if (only_held_here(slot) || !node->is_leaf()) erase(slot);
  }
  added_.clear();
  // A few older ones in turn. An erase may move another entry into the slot checked: it is
  // checked next, without moving on.
  for (std::size_t checked = 0; checked < kCheckedPerRelease && count_ > 0; ++checked) {
    const std::size_t slot = next_checked_ & (slots_.size() - 1);
    if (slots_[slot] != nullptr && only_held_here(slot)) {
      erase(slot);
    } else {
      ++next_checked_;
    }
  }
}

}  // namespace micrograd::detail
