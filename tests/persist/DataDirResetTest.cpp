// DataDir: allow_reset moves bad files aside; failed writes (unwritable directory, file size
// limit, a file where a directory should be) return errors naming the file and lose nothing.
#include <fcntl.h>
#include <linux/fs.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>

#include "TempDir.h"
#include "daemon/persist/AtomicFile.h"
#include "daemon/persist/DataDir.h"

namespace rollcall::daemon::persist {
namespace data_dir_reset_test {

namespace m = rollcall::membership;
namespace fs = std::filesystem;
using testing::slurp;
using testing::spit;
using testing::TempDir;

std::vector<m::StateEntry> entries(std::size_t payload) {
  return {{"component/web", 1, m::ComponentInfo{"web", std::string(payload, 'v'), "http://x"}}};
}

TEST(DataDirReset, AllowResetMovesTheBadFileAside) {
  TempDir tmp;
  m::NodeId id;
  {
    auto d = DataDir::open(tmp.path(), false);
    ASSERT_TRUE(d.ok());
    id = d->identity().id;
    auto e = entries(10);
    ASSERT_TRUE(d->save_local_state(1, e).ok());
  }
  const fs::path file = tmp.path() / "local_state.json";
  spit(file, "{\"format\": 1, \"sha");
  ASSERT_FALSE(DataDir::open(tmp.path(), false).ok());
  auto d = DataDir::open(tmp.path(), true);
  ASSERT_TRUE(d.ok()) << d.error();
  EXPECT_EQ(d->identity().id, id);  // the identity was fine and is kept
  ASSERT_EQ(d->notices().size(), 1u);
  EXPECT_NE(d->notices()[0].find("local_state.json"), std::string::npos);
  EXPECT_NE(d->notices()[0].find("local_state.json.corrupt-1"), std::string::npos);
  EXPECT_EQ(slurp(tmp.path() / "local_state.json.corrupt-1"), "{\"format\": 1, \"sha");  // kept for inspection
  EXPECT_FALSE(fs::exists(file));
  EXPECT_EQ(d->load_local_state()->counter, 0u);
}

TEST(DataDirReset, SecondResetPicksTheNextFreeName) {
  TempDir tmp;
  { ASSERT_TRUE(DataDir::open(tmp.path(), false).ok()); }
  const fs::path file = tmp.path() / "peers.json";
  spit(tmp.path() / "peers.json.corrupt-1", "older");
  spit(file, "junk");
  auto d = DataDir::open(tmp.path(), true);
  ASSERT_TRUE(d.ok()) << d.error();
  EXPECT_EQ(slurp(tmp.path() / "peers.json.corrupt-1"), "older");
  EXPECT_EQ(slurp(tmp.path() / "peers.json.corrupt-2"), "junk");
}

TEST(DataDirReset, CorruptGenerationRestartsAboveAnyCountOfRestarts) {
  TempDir tmp;
  m::NodeId id;
  {
    auto d = DataDir::open(tmp.path(), false);
    ASSERT_TRUE(d.ok());
    id = d->identity().id;
  }
  spit(tmp.path() / "generation", "{");
  ASSERT_FALSE(DataDir::open(tmp.path(), false).ok());
  auto d = DataDir::open(tmp.path(), true);
  ASSERT_TRUE(d.ok()) << d.error();
  EXPECT_EQ(d->identity().id, id);
  const auto now_s = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  EXPECT_GE(d->identity().generation + 5, now_s);
  EXPECT_GT(d->identity().generation, 1'600'000'000u);
}

TEST(DataDirReset, MissingGenerationBesideAnIdentityIsRefused) {
  TempDir tmp;
  { ASSERT_TRUE(DataDir::open(tmp.path(), false).ok()); }
  fs::remove(tmp.path() / "generation");
  auto refused = DataDir::open(tmp.path(), false);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().find("generation"), std::string::npos) << refused.error();
  auto d = DataDir::open(tmp.path(), true);
  ASSERT_TRUE(d.ok()) << d.error();
  EXPECT_GT(d->identity().generation, 1'600'000'000u);
}

TEST(DataDirReset, CorruptIdentityResetGivesANewNode) {
  TempDir tmp;
  m::NodeId id;
  {
    auto d = DataDir::open(tmp.path(), false);
    ASSERT_TRUE(d.ok());
    id = d->identity().id;
  }
  spit(tmp.path() / "identity.json", "garbage");
  auto refused = DataDir::open(tmp.path(), false);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().find("identity.json"), std::string::npos);
  auto d = DataDir::open(tmp.path(), true);
  ASSERT_TRUE(d.ok()) << d.error();
  EXPECT_NE(d->identity().id, id);
  EXPECT_TRUE(fs::exists(tmp.path() / "identity.json.corrupt-1"));
}

TEST(DataDirReset, AFileWhereTheDirectoryShouldBe) {
  TempDir tmp;
  spit(tmp.path() / "file", "x");
  auto d = DataDir::open(tmp.path() / "file" / "data", false);
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.error().find((tmp.path() / "file" / "data").string()), std::string::npos) << d.error();
  auto d2 = DataDir::open(tmp.path() / "file", false);
  ASSERT_FALSE(d2.ok());
  EXPECT_NE(d2.error().find((tmp.path() / "file").string()), std::string::npos) << d2.error();
  EXPECT_EQ(slurp(tmp.path() / "file"), "x");
}

// Sets or clears the immutable attribute (chattr +i): even root cannot create, rename or delete
// entries in an immutable directory. Returns false if the filesystem or capabilities do not allow it.
bool set_immutable(const fs::path& dir, bool on) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  int flags = 0;
  bool ok = ::ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0;
  if (ok) {
    flags = on ? (flags | FS_IMMUTABLE_FL) : (flags & ~FS_IMMUTABLE_FL);
    ok = ::ioctl(fd, FS_IOC_SETFLAGS, &flags) == 0;
  }
  ::close(fd);
  return ok;
}

struct ImmutableGuard {
  fs::path dir;
  ~ImmutableGuard() { set_immutable(dir, false); }
};

TEST(DataDirReset, UnwritableDirectory) {
  TempDir tmp;
  auto d = DataDir::open(tmp.path(), false);
  ASSERT_TRUE(d.ok());
  auto old = entries(10);
  ASSERT_TRUE(d->save_local_state(1, old).ok());
  const std::string before = slurp(tmp.path() / "local_state.json");
  if (!set_immutable(tmp.path(), true)) GTEST_SKIP() << "cannot set the immutable attribute here (no CAP_LINUX_IMMUTABLE?)";
  ImmutableGuard guard{tmp.path()};
  // Root ignores permission bits, so the honest way to get an unwritable directory as root is
  // the immutable attribute; as a non-root user chmod 0500 would do the same.
  auto next = entries(20);
  auto st = d->save_local_state(2, next);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find((tmp.path() / "local_state.json").string()), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("previous content is intact"), std::string::npos) << st.message();
  EXPECT_EQ(slurp(tmp.path() / "local_state.json"), before);
  auto loaded = d->load_local_state();
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->entries, old);
  // A second agent start in the unwritable directory fails too (it cannot persist a generation).
  d = Result<DataDir>::failure("closed");
  auto again = DataDir::open(tmp.path(), false);
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.error().find("generation"), std::string::npos) << again.error();
}

TEST(DataDirReset, WriteFailsMidwayWhenTheFileSizeLimitIsHit) {
  TempDir tmp;
  auto d = DataDir::open(tmp.path(), false);
  ASSERT_TRUE(d.ok());
  auto old = entries(10);
  ASSERT_TRUE(d->save_local_state(1, old).ok());
  const std::string before = slurp(tmp.path() / "local_state.json");

  // Like a full disk: write() fails with EFBIG after 4 KiB (SIGXFSZ ignored so it is an error).
  struct rlimit saved {};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
  auto* prev_handler = ::signal(SIGXFSZ, SIG_IGN);
  struct rlimit small = saved;
  small.rlim_cur = 4096;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  auto big = entries(100'000);
  big[0].version = 2;
  auto st = d->save_local_state(2, big);
  ::setrlimit(RLIMIT_FSIZE, &saved);
  ::signal(SIGXFSZ, prev_handler);

  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("local_state.json"), std::string::npos) << st.message();
  EXPECT_EQ(slurp(tmp.path() / "local_state.json"), before);
  EXPECT_FALSE(fs::exists(tmp.path() / ".local_state.json.tmp"));  // no debris
  EXPECT_EQ(d->load_local_state()->entries, old);
  // And with room again the same write succeeds.
  ASSERT_TRUE(d->save_local_state(2, big).ok());
  EXPECT_EQ(d->load_local_state()->entries, big);
}

}  // namespace data_dir_reset_test
}  // namespace rollcall::daemon::persist
