// One named test per bug the fuzzers found, asserting the fixed behaviour directly on the API
// (the raw crash inputs are also replayed by FuzzReplayTest from fuzz/regressions/<target>/).
#include <gtest/gtest.h>

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "daemon/persist/ChecksummedJson.h"
#include "daemon/persist/DataDir.h"

namespace rollcall::fuzz {
namespace fuzz_crash_test {

namespace fs = std::filesystem;
using daemon::persist::ChecksummedJson;
using daemon::persist::DataDir;

class ScratchDir {
 public:
  ScratchDir() {
    std::string tmpl = (fs::temp_directory_path() / "rollcall-fuzzreg-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }
  void write(const char* name, const std::string& text) const {
    std::ofstream(path_ / name, std::ios::binary | std::ios::trunc) << text;
  }

 private:
  fs::path path_;
};

// fuzz_datadir_load, fuzz/regressions/datadir_load/number-overflow-1e400: a data file holding a
// number too large for a double ("1e400") made nlohmann throw out_of_range (406), which
// ChecksummedJson::decode did not catch (only parse_error): the exception escaped DataDir::open.
TEST(FuzzCrash, ChecksummedJsonReportsNumberOverflowAsCorrupt) {
  for (const char* text : {"1e400", "-1e400", "{\"format\":1,\"sha256\":\"x\",\"body\":1e999}"}) {
    SCOPED_TRACE(text);
    std::optional<bool> ok;
    EXPECT_NO_THROW(ok = ChecksummedJson::decode(text, "f.json").ok());
    EXPECT_EQ(ok, std::optional<bool>(false));
  }
}

TEST(FuzzCrash, DataDirRefusesOrResetsAnIdentityFileWithNumberOverflow) {
  ScratchDir dir;
  dir.write(DataDir::kIdentityFile, "1e400");
  std::optional<bool> ok;
  std::string error;
  EXPECT_NO_THROW({
    auto d = DataDir::open(dir.path(), false);
    ok = d.ok();
    if (!d.ok()) error = d.error();
  });
  EXPECT_EQ(ok, std::optional<bool>(false));
  EXPECT_NE(error.find(DataDir::kIdentityFile), std::string::npos) << error;

  ok.reset();
  EXPECT_NO_THROW(ok = DataDir::open(dir.path(), true).ok());
  EXPECT_EQ(ok, std::optional<bool>(true)) << "allow_reset moves the corrupt file aside";
}

}  // namespace fuzz_crash_test
}  // namespace rollcall::fuzz
