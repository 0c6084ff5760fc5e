// DataDir: identity and generation across opens, round trips, the lock, and every way a file can
// be bad (truncated, flipped, garbage, foreign, unwritable): a clear error naming the file, nothing
// lost, and allow_reset moving the bad file aside.
#include "daemon/persist/DataDir.h"

#include <gtest/gtest.h>

#include <chrono>

#include "TempDir.h"
#include "daemon/persist/ChecksummedJson.h"

namespace rollcall::daemon::persist {
namespace data_dir_test {

namespace m = rollcall::membership;
namespace fs = std::filesystem;
using testing::slurp;
using testing::spit;
using testing::TempDir;

std::vector<m::StateEntry> some_entries() {
  m::ServerInfo info{"node-1", "Debian GNU/Linux", "12", {"10.0.0.5"}, "0.1.0", 1, "abc", {{"zone", "a"}}};
  return {{"server", 3, info},
          {"component/web", 5, m::ComponentInfo{"web", "2024.3", "http://x"}},
          {"heartbeat/web", 9, m::Heartbeat{4}},
          {"key/encryption", 7, m::KeyFingerprint{"ab12cd34"}}};
}

std::vector<m::ClusterItem> some_items() {
  m::ClusterConfig c;
  c.load_balancing = false;
  return {{"config", 2, m::NodeId::from_words(1, 2), c},
          {"removal/x/web", 3, m::NodeId::from_words(3, 4), m::Removal{m::NodeId::from_words(5, 6), "web", 8, 0, 0}}};
}

// The node id recorded in a directory's identity.json.
std::string recorded_id(const fs::path& dir) {
  auto text = slurp(dir / "identity.json");
  auto body = ChecksummedJson::decode(text, dir / "identity.json");
  return body.ok() ? (*body)["id"].get<std::string>() : std::string();
}

// A directory with every file written once.
void populate(const fs::path& dir) {
  auto d = DataDir::open(dir, false);
  ASSERT_TRUE(d.ok()) << d.error();
  auto entries = some_entries();
  auto items = some_items();
  std::vector<m::Address> peers{*m::Address::parse("10.0.0.2:7950"), *m::Address::parse("[fe80::2]:7950")};
  ASSERT_TRUE(d->save_local_state(12, entries).ok());
  ASSERT_TRUE(d->save_cluster_items(items).ok());
  ASSERT_TRUE(d->save_peers(peers).ok());
}

TEST(DataDir, FirstOpenCreatesAnIdentityAndReopenKeepsIt) {
  TempDir tmp;
  const fs::path dir = tmp.path() / "data";  // created by open
  m::NodeId id;
  std::uint64_t last = 0;
  for (int i = 0; i < 5; ++i) {
    auto d = DataDir::open(dir, false);
    ASSERT_TRUE(d.ok()) << d.error();
    if (i == 0) id = d->identity().id;
    EXPECT_FALSE(id.is_nil());
    EXPECT_EQ(d->identity().id, id);
    EXPECT_GT(d->identity().generation, last);  // strictly increasing
    last = d->identity().generation;
    EXPECT_TRUE(d->notices().empty());
  }
  EXPECT_EQ(last, 5u);
  EXPECT_TRUE(fs::exists(dir / "identity.json"));
  EXPECT_TRUE(fs::exists(dir / "generation"));
  // Another directory is another node.
  auto other = DataDir::open(tmp.path() / "other", false);
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->identity().id, id);
}

TEST(DataDir, RoundTrips) {
  TempDir tmp;
  populate(tmp.path());
  auto d = DataDir::open(tmp.path(), false);
  ASSERT_TRUE(d.ok()) << d.error();
  auto local = d->load_local_state();
  ASSERT_TRUE(local.ok()) << local.error();
  EXPECT_EQ(local->counter, 12u);
  EXPECT_EQ(local->entries, some_entries());
  auto items = d->load_cluster_items();
  ASSERT_TRUE(items.ok()) << items.error();
  EXPECT_EQ(*items, some_items());
  auto peers = d->load_peers();
  ASSERT_TRUE(peers.ok());
  ASSERT_EQ(peers->size(), 2u);
  EXPECT_EQ((*peers)[1].to_string(), "[fe80::2]:7950");
}

TEST(DataDir, NothingSavedLoadsEmpty) {
  TempDir tmp;
  auto d = DataDir::open(tmp.path(), false);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->load_local_state()->counter, 0u);
  EXPECT_TRUE(d->load_local_state()->entries.empty());
  EXPECT_TRUE(d->load_cluster_items()->empty());
  EXPECT_TRUE(d->load_peers()->empty());
}

TEST(DataDir, CounterMustCoverEveryEntry) {
  TempDir tmp;
  auto d = DataDir::open(tmp.path(), false);
  ASSERT_TRUE(d.ok());
  auto entries = some_entries();
  auto st = d->save_local_state(8, entries);  // heartbeat/web has version 9
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("local_state.json"), std::string::npos);
  EXPECT_FALSE(fs::exists(tmp.path() / "local_state.json"));
}

TEST(DataDir, LockPreventsASecondOpen) {
  TempDir tmp;
  auto first = DataDir::open(tmp.path(), false);
  ASSERT_TRUE(first.ok());
  const auto gen = first->identity().generation;
  auto second = DataDir::open(tmp.path(), false);
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.error().find(tmp.path().string()), std::string::npos) << second.error();
  EXPECT_NE(second.error().find("already in use"), std::string::npos) << second.error();
  EXPECT_NE(second.error().find("pid"), std::string::npos) << second.error();
  // Moving the open directory keeps it locked; releasing it lets the next agent in.
  DataDir moved = std::move(*first);
  EXPECT_FALSE(DataDir::open(tmp.path(), false).ok());
  { DataDir gone = std::move(moved); }
  auto third = DataDir::open(tmp.path(), false);
  ASSERT_TRUE(third.ok()) << third.error();
  EXPECT_EQ(third->identity().generation, gen + 1);  // the failed opens bumped nothing
}

// Opening fails naming `file` and leaves the bad content exactly as it was.
void expect_refused(const fs::path& dir, const fs::path& file, const std::string& why_fragment = "") {
  const std::string before = slurp(file);
  const std::string gen_before = slurp(dir / "generation");
  auto d = DataDir::open(dir, false);
  ASSERT_FALSE(d.ok()) << "opened with a bad " << file;
  EXPECT_NE(d.error().find(file.string()), std::string::npos) << d.error();
  if (!why_fragment.empty()) {
    EXPECT_NE(d.error().find(why_fragment), std::string::npos) << d.error();
  }
  EXPECT_EQ(slurp(file), before);
  EXPECT_EQ(slurp(dir / "generation"), gen_before);
}

TEST(DataDir, TruncatedFilesAreRefused) {
  for (const char* name : {"local_state.json", "cluster.json", "peers.json", "identity.json", "generation"}) {
    TempDir tmp;
    populate(tmp.path());
    const fs::path file = tmp.path() / name;
    const std::string full = slurp(file);
    ASSERT_GT(full.size(), 20u);
    for (std::size_t len : {std::size_t{0}, std::size_t{1}, full.size() / 3, full.size() / 2, full.size() - 3,
                            full.size() - 2}) {
      spit(file, full.substr(0, len));
      expect_refused(tmp.path(), file, len == 0 ? "empty" : "truncated");
    }
    spit(file, full);
    EXPECT_TRUE(DataDir::open(tmp.path(), false).ok()) << name;
  }
}

TEST(DataDir, EverySingleBitFlipIsDetected) {
  TempDir tmp;
  populate(tmp.path());
  const fs::path file = tmp.path() / "peers.json";
  const std::string good = slurp(file);
  for (std::size_t i = 0; i < good.size(); ++i) {
    for (unsigned char bit : {0x01, 0x20}) {
      std::string bad = good;
      bad[i] = static_cast<char>(static_cast<unsigned char>(bad[i]) ^ bit);
      if (i + 1 == good.size() && (bad[i] == ' ' || bad[i] == '\r' || bad[i] == '\t'))
        continue;  // the trailing newline turned into other whitespace: same JSON, nothing lost
      spit(file, bad);
      auto d = DataDir::open(tmp.path(), false);
      ASSERT_FALSE(d.ok()) << "byte " << i << " ^ " << int(bit) << " not detected";
      EXPECT_NE(d.error().find("peers.json"), std::string::npos) << d.error();
    }
  }
  spit(file, good);
  EXPECT_TRUE(DataDir::open(tmp.path(), false).ok());
}

TEST(DataDir, ChecksumMismatchSaysCorrupt) {
  TempDir tmp;
  populate(tmp.path());
  const fs::path file = tmp.path() / "cluster.json";
  std::string text = slurp(file);
  auto pos = text.find("\"lamport\": 2");
  ASSERT_NE(pos, std::string::npos);
  text[pos + 11] = '7';  // still valid JSON, different content
  spit(file, text);
  expect_refused(tmp.path(), file, "checksum mismatch");
}

TEST(DataDir, GarbageAndForeignFilesAreRefused) {
  TempDir tmp;
  populate(tmp.path());
  const fs::path file = tmp.path() / "local_state.json";
  spit(file, std::string("\x89PNG\r\n\x1a\n\0\0garbage", 18));
  expect_refused(tmp.path(), file, "not valid JSON");
  spit(file, R"({"hello": "world"})");
  expect_refused(tmp.path(), file, "not a rollcall data file");
  spit(file, R"({"format": 2, "sha256": "00", "body": {}})");
  expect_refused(tmp.path(), file, "unsupported format 2");
  fs::remove(file);
  fs::create_directory(file);
  auto d = DataDir::open(tmp.path(), false);
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.error().find(file.string() + ": not a regular file"), std::string::npos) << d.error();
}

TEST(DataDir, WellFormedButWrongContentIsRefused) {
  TempDir tmp;
  populate(tmp.path());
  const fs::path file = tmp.path() / "local_state.json";
  // Another node's state, with a valid checksum.
  spit(file, ChecksummedJson::encode(nlohmann::json::parse(
                 R"({"node_id":"00000000000000000000000000000001","counter":1,"entries":[]})")));
  expect_refused(tmp.path(), file, "belongs to node");
  // An entry above the counter.
  spit(file, ChecksummedJson::encode(nlohmann::json{
                 {"node_id", recorded_id(tmp.path())},
                 {"counter", 1},
                 {"entries", {{{"key", "k"}, {"version", 2}, {"type", "heartbeat"}, {"value", {{"counter", 1}}}}}}}));
  expect_refused(tmp.path(), file, "above the counter");
}

}  // namespace data_dir_test
}  // namespace rollcall::daemon::persist
