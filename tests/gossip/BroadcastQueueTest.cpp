// The dissemination queue: coalescing, least-sent first, retirement, bound, fairness, priority.
#include <gtest/gtest.h>

#include <set>

#include "gossip/BroadcastQueue.h"

namespace rollcall::gossip {
namespace broadcast_queue_test {

std::vector<std::uint8_t> bytes(std::uint8_t tag, std::size_t n = 10) { return std::vector<std::uint8_t>(n, tag); }

std::vector<std::uint8_t> take_all(BroadcastQueue& q, std::uint32_t limit, std::size_t budget = 1000) {
  std::vector<std::uint8_t> tags;
  std::size_t used = 0;
  q.fill(limit, 64, [&](std::span<const std::uint8_t> b) {
    if (used + b.size() > budget) return false;
    used += b.size();
    tags.push_back(b[0]);
    return true;
  });
  return tags;
}

TEST(BroadcastQueue, NewerUpdateReplacesOlderWithSameKey) {
  BroadcastQueue q(100);
  q.push("m/a", "a", bytes(1));
  q.push("m/a", "a", bytes(2));
  EXPECT_EQ(q.size(), 1u);
  EXPECT_EQ(take_all(q, 10), std::vector<std::uint8_t>{2});
}

TEST(BroadcastQueue, ItemsRetireAfterTheTransmitLimit) {
  BroadcastQueue q(100);
  q.push("k", "a", bytes(1));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(take_all(q, 3).size(), 1u);
  EXPECT_TRUE(q.empty());
}

TEST(BroadcastQueue, LeastSentGoFirst) {
  BroadcastQueue q(100);
  q.push("old", "a", bytes(1));
  take_all(q, 10);  // old sent once
  q.push("new", "b", bytes(2));
  auto tags = take_all(q, 10, 10);  // room for one
  EXPECT_EQ(tags, std::vector<std::uint8_t>{2});
}

TEST(BroadcastQueue, PriorityItemsGoBeforeEverything) {
  BroadcastQueue q(100);
  q.push("a", "x", bytes(1));
  q.push("b", "y", bytes(2), BroadcastQueue::Tier::urgent);
  EXPECT_EQ(take_all(q, 10, 10), std::vector<std::uint8_t>{2});
}

TEST(BroadcastQueue, MembershipGoesBeforeState) {
  BroadcastQueue q(100);
  q.push("s", "x", bytes(1), BroadcastQueue::Tier::state);
  q.push("m", "y", bytes(2), BroadcastQueue::Tier::member);
  EXPECT_EQ(take_all(q, 10, 10), std::vector<std::uint8_t>{2});
}

TEST(BroadcastQueue, OneChattyOwnerDoesNotStarveOthers) {
  BroadcastQueue q(1000);
  for (int i = 0; i < 50; ++i) q.push("chatty/" + std::to_string(i), "chatty", bytes(1));
  q.push("quiet", "quiet", bytes(2));
  // Room for 3 items: the quiet owner's only item must be among them.
  auto tags = take_all(q, 10, 30);
  ASSERT_EQ(tags.size(), 3u);
  EXPECT_NE(std::find(tags.begin(), tags.end(), 2), tags.end());
}

TEST(BroadcastQueue, BoundedDropsTheMostSent) {
  BroadcastQueue q(3);
  q.push("a", "a", bytes(1));
  take_all(q, 10);
  take_all(q, 10);  // a sent twice
  q.push("b", "b", bytes(2));
  q.push("c", "c", bytes(3));
  q.push("d", "d", bytes(4));  // full: a (most sent) goes
  EXPECT_EQ(q.size(), 3u);
  EXPECT_FALSE(q.contains("a"));
  EXPECT_EQ(q.dropped(), 1u);
}

TEST(BroadcastQueue, ItemsThatDoNotFitStayQueued) {
  BroadcastQueue q(10);
  q.push("big", "a", bytes(1, 500));
  q.push("small", "b", bytes(2, 10));
  auto tags = take_all(q, 10, 100);
  EXPECT_EQ(tags, std::vector<std::uint8_t>{2});
  EXPECT_TRUE(q.contains("big"));
}

TEST(BroadcastQueue, StructuredKeysCoalescePerSubjectAndEntry) {
  BroadcastQueue q(100);
  const auto a = membership::NodeId::from_words(1, 1), b = membership::NodeId::from_words(1, 2);
  q.push(BroadcastQueue::member_key(a), a, bytes(1));
  q.push(BroadcastQueue::member_key(a), a, bytes(2));  // replaces a's older claim
  q.push(BroadcastQueue::member_key(b), b, bytes(3));
  q.push(BroadcastQueue::state_key(a, "server"), a, bytes(4), BroadcastQueue::Tier::state);
  q.push(BroadcastQueue::state_key(a, "component/web"), a, bytes(5), BroadcastQueue::Tier::state);
  q.push(BroadcastQueue::state_key(a, "server"), a, bytes(6), BroadcastQueue::Tier::state);  // replaces 4
  q.push(BroadcastQueue::cluster_key("config"), membership::NodeId{}, bytes(7), BroadcastQueue::Tier::state);
  EXPECT_EQ(q.size(), 5u);
  EXPECT_TRUE(q.contains(BroadcastQueue::member_key(a)));
  EXPECT_FALSE(q.contains(BroadcastQueue::member_key(membership::NodeId::from_words(1, 3))));
  q.erase(BroadcastQueue::member_key(b));
  EXPECT_FALSE(q.contains(BroadcastQueue::member_key(b)));
  const auto got = take_all(q, 10);
  EXPECT_EQ(std::multiset<std::uint8_t>(got.begin(), got.end()), (std::multiset<std::uint8_t>{2, 5, 6, 7}));
  EXPECT_EQ(got.front(), 2);  // membership before state
}

}  // namespace broadcast_queue_test
}  // namespace rollcall::gossip
