// Tests of engine/detail/node_pool.hpp: nodes come from the pool, in address order whatever order they
// were freed in; freed memory is reused (on the same thread, between survivors, across threads,
// after a thread ends); no block is handed out twice; nodes outlive the thread that made them.
#include "engine/detail/node_pool.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include "engine/value.hpp"

namespace micrograd {
namespace {

// The pool is off under AddressSanitizer and with MICROGRAD_NODE_POOL=0 (for valgrind).
#define SKIP_WITHOUT_POOL() \
  if (!detail::node_pool_enabled()) GTEST_SKIP() << "the node pool is off in this build"

std::uintptr_t address_of(const Value& value) {
  return reinterpret_cast<std::uintptr_t>(&value.node());
}

// Runs `work` on a new thread, so that it starts with a heap of its own (or an adopted one).
template <class Work>
void on_new_thread(Work work) {
  std::thread thread(work);
  thread.join();
}

TEST(NodePool, NodesComeFromThisThreadsSlabs) {
  SKIP_WITHOUT_POOL();
  on_new_thread([] {
    const Value x = 1.0;
    const Value y = x * 2.0;
    for (const Value& value : {x, y}) {
      EXPECT_EQ(detail::slab_of(&value.node())->owner, detail::this_thread_heap)
          << "the node was not made by this thread's pool";
    }
  });
}

TEST(NodePool, HandsOutBlocksInAddressOrderAfterAShuffledFree) {
  SKIP_WITHOUT_POOL();
  on_new_thread([] {
    constexpr std::size_t kCount = 3 * detail::kBlocksPerSlab;
    std::vector<Value> values;
    for (std::size_t i = 0; i < kCount; ++i) values.emplace_back(static_cast<double>(i));
    std::mt19937 generator(7);
    std::shuffle(values.begin(), values.end(), generator);
    values.clear();  // frees them in a random order
    const std::size_t slabs = detail::node_pool_slab_count();

    // Whatever the order they were freed in, the next ones come in increasing address order
    // within each slab (the sweep may come back once to the first block of a slab).
    std::vector<Value> again;
    for (std::size_t i = 0; i < kCount; ++i) again.emplace_back(1.0);
    const auto slab_of = [](std::uintptr_t address) { return address / detail::kSlabBytes; };
    std::size_t backward_steps = 0;
    for (std::size_t i = 1; i < again.size(); ++i) {
      const std::uintptr_t previous = address_of(again[i - 1]), current = address_of(again[i]);
      if (slab_of(previous) == slab_of(current) && current < previous) ++backward_steps;
    }
    EXPECT_LE(backward_steps, 1u) << "blocks are not handed out in address order";
    EXPECT_EQ(detail::node_pool_slab_count(), slabs) << "the freed blocks were not reused";
  });
}

TEST(NodePool, ReusesTheMemoryOfFreedGraphs) {
  SKIP_WITHOUT_POOL();
  on_new_thread([] {
    auto build_and_free = [] {
      Value x = 1.0;
      Value chain = x;
      for (int i = 0; i < 100'000; ++i) chain = chain * 1.0 + x;
      chain.backward();
      EXPECT_DOUBLE_EQ(x.grad(), 100'001.0);
    };
    build_and_free();
    const std::size_t slabs = detail::node_pool_slab_count();
    for (int round = 0; round < 5; ++round) build_and_free();
    EXPECT_EQ(detail::node_pool_slab_count(), slabs) << "freed nodes were not reused";
  });
}

TEST(NodePool, ReusesBlocksBetweenSurvivors) {
  SKIP_WITHOUT_POOL();
  on_new_thread([] {
    // Keep every tenth node alive and free the rest: the next graph fills the gaps instead of
    // taking new slabs for everything.
    std::vector<Value> survivors;
    {
      std::vector<Value> values;
      for (int i = 0; i < 200'000; ++i) values.emplace_back(1.0);
      for (std::size_t i = 0; i < values.size(); i += 10) survivors.push_back(values[i]);
    }
    const std::size_t slabs = detail::node_pool_slab_count();
    std::vector<Value> next;
    for (int i = 0; i < 150'000; ++i) next.emplace_back(2.0);
    // 180,000 blocks are free among the survivors; a few slabs at most are new.
    EXPECT_LE(detail::node_pool_slab_count() - slabs, 4u);
    for (const Value& survivor : survivors) EXPECT_EQ(survivor.data(), 1.0);
  });
}

TEST(NodePool, AThreadThatEndsLeavesItsSlabsToTheNext) {
  SKIP_WITHOUT_POOL();
  auto build_and_free = [] {
    std::vector<Value> values;
    for (std::size_t i = 0; i < 4 * detail::kBlocksPerSlab; ++i) values.emplace_back(1.0);
  };
  on_new_thread(build_and_free);
  const std::size_t slabs = detail::node_pool_slab_count();
  for (int round = 0; round < 5; ++round) on_new_thread(build_and_free);
  EXPECT_EQ(detail::node_pool_slab_count(), slabs) << "an ended thread's slabs were not reused";
}

// Takes blocks until this thread's heap has had to make a new slab: from then on it has no other
// free block to take, so a test sees what it frees itself. Returns the values that hold them.
std::vector<Value> use_up_free_blocks() {
  std::vector<Value> holders;
  const std::size_t slabs = detail::node_pool_slab_count();
  while (detail::node_pool_slab_count() == slabs) holders.emplace_back(0.0);
  return holders;
}

TEST(NodePool, NodesFreedOnAnotherThreadGoBackToTheirOwner) {
  SKIP_WITHOUT_POOL();
  on_new_thread([] {
    const std::vector<Value> holders = use_up_free_blocks();
    const std::size_t count = 4 * detail::kBlocksPerSlab;
    std::vector<Value> values;
    for (std::size_t i = 0; i < count; ++i) values.emplace_back(static_cast<double>(i));
    std::set<std::uintptr_t> freed;
    for (const Value& value : values) freed.insert(address_of(value));
    const std::size_t slabs = detail::node_pool_slab_count();
    std::thread other([moved = std::move(values)]() mutable { moved.clear(); });
    other.join();

    // Besides the rest of the slab it is in, this thread has no free block but those the other
    // thread freed: it must take every one of them back.
    std::vector<Value> again;
    std::size_t reused = 0;
    for (std::size_t i = 0; i < count + detail::kBlocksPerSlab; ++i) {
      again.emplace_back(1.0);
      reused += freed.count(address_of(again.back()));
    }
    EXPECT_EQ(reused, count) << "blocks freed on another thread were not reused by their owner";
    EXPECT_LE(detail::node_pool_slab_count() - slabs, 1u);
  });
}

TEST(NodePool, NeverHandsOutALiveBlock) {
  SKIP_WITHOUT_POOL();
  // Blocks go through every path (freed here, freed on another thread, by a thread that ended);
  // whatever is alive at the end must sit in distinct blocks and hold its own number.
  std::vector<Value> alive;
  std::mt19937 generator(11);
  for (int round = 0; round < 6; ++round) {
    std::vector<Value> made;
    on_new_thread([&] {
      for (int i = 0; i < 3000; ++i) made.emplace_back(static_cast<double>(round * 10'000 + i));
    });
    std::shuffle(made.begin(), made.end(), generator);
    const std::size_t keep = made.size() / 3, give_away = made.size() / 3;
    alive.insert(alive.end(), made.begin(), made.begin() + static_cast<std::ptrdiff_t>(keep));
    std::vector<Value> for_other(made.begin() + static_cast<std::ptrdiff_t>(keep),
                                 made.begin() + static_cast<std::ptrdiff_t>(keep + give_away));
    made.resize(0);  // the last third is freed here, on a thread that does not own it
    std::thread other([moved = std::move(for_other)]() mutable { moved.clear(); });
    other.join();
    for (int i = 0; i < 1000; ++i) alive.emplace_back(static_cast<double>(-round * 10'000 - i));
  }
  std::set<std::uintptr_t> addresses;
  for (const Value& value : alive) addresses.insert(address_of(value));
  EXPECT_EQ(addresses.size(), alive.size()) << "two live values share a block";
  std::set<double> numbers;
  for (const Value& value : alive) numbers.insert(value.data());
  EXPECT_EQ(numbers.size(), alive.size()) << "a live value's number was overwritten";
}

TEST(NodePool, NodesOutliveTheThreadThatMadeThem) {
  SKIP_WITHOUT_POOL();
  std::vector<Value> made_elsewhere;
  on_new_thread([&] {
    Value x = 3.0;
    for (int i = 0; i < 1000; ++i) made_elsewhere.push_back(x * static_cast<double>(i));
  });
  // The thread has ended; its nodes are still readable, usable and freeable here.
  Value sum = 0.0;
  for (const Value& value : made_elsewhere) sum += value;
  sum.backward();
  EXPECT_DOUBLE_EQ(sum.data(), 3.0 * 999.0 * 1000.0 / 2.0);
  made_elsewhere.clear();
  sum = Value();
}

// A Value made while a thread is ending (by a thread_local's destructor) still gets a node.
struct MakesValuesAtThreadExit {
  ~MakesValuesAtThreadExit() {
    Value late = Value(2.0) * 3.0;
    late.backward();
    result = late.data();
  }
  double& result;
};

TEST(NodePool, ValuesMadeAsAThreadEnds) {
  SKIP_WITHOUT_POOL();
  double result = 0.0;
  on_new_thread([&] {
    // Made before the thread's first node, so destroyed after the thread has given its heap up.
    thread_local MakesValuesAtThreadExit at_exit{result};
    (void)at_exit;
    Value early = 1.0;
  });
  EXPECT_EQ(result, 6.0);
}

}  // namespace
}  // namespace micrograd
