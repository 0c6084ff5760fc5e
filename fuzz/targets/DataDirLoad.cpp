// Target datadir_load: persist::DataDir::open over a data directory whose files come from the
// input, then every load. Input: byte 0 = flags (bit 0: allow_reset), then up to five chunks
// separated by NUL bytes, in order identity.json, generation, local_state.json, cluster.json,
// peers.json; an empty chunk leaves the file absent, and a chunk starting with '!' is a JSON body
// that the harness wraps in a correct checksummed envelope (so the fuzzer gets past the checksum).
// Oracles: with allow_reset open always succeeds; a refused open leaves the directory untouched;
// after a successful open every load succeeds, saving what was loaded loads back equal, and a
// second open keeps the id and bumps the generation.
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "daemon/persist/ChecksummedJson.h"
#include "daemon/persist/DataDir.h"
#include "fuzz/Targets.h"
#include "fuzz/support/Scratch.h"

namespace rollcall::fuzz {

namespace {

namespace fs = std::filesystem;
using daemon::persist::ChecksummedJson;
using daemon::persist::DataDir;
constexpr std::string_view kName = "datadir_load";

std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> out;
  std::error_code ec;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    out[it->path().filename().string()] = ss.str();
  }
  out.erase("LOCK");
  return out;
}

}  // namespace

int datadir_load(Input in) {
  static const fs::path dir = scratch_dir("datadir");
  clear_dir(dir);
  const bool allow_reset = !in.empty() && (in[0] & 1) != 0;
  const std::string text = in.empty() ? std::string() : std::string(reinterpret_cast<const char*>(in.data()) + 1, in.size() - 1);

  static constexpr const char* kFiles[] = {DataDir::kIdentityFile, DataDir::kGenerationFile, DataDir::kLocalStateFile,
                                           DataDir::kClusterFile, DataDir::kPeersFile};
  std::size_t pos = 0;
  for (const char* name : kFiles) {
    if (pos > text.size()) break;
    std::size_t end = text.find('\0', pos);
    if (end == std::string::npos) end = text.size();
    std::string content = text.substr(pos, end - pos);
    pos = end + 1;
    if (content.empty()) continue;
    if (content[0] == '!') {
      auto body = nlohmann::json::parse(content.begin() + 1, content.end(), nullptr, false);
      content = body.is_discarded() ? content.substr(1) : ChecksummedJson::encode(body);
    }
    std::ofstream(dir / name, std::ios::binary).write(content.data(), static_cast<std::streamsize>(content.size()));
  }
  const auto before = snapshot(dir);

  daemon::persist::Identity first;
  {
    auto opened = DataDir::open(dir, allow_reset);
    if (!opened) {
      check(!allow_reset, kName, "open with allow_reset failed: " + opened.error());
      check(snapshot(dir) == before, kName, "a refused open changed the directory");
      return 0;
    }
    auto& d = opened.value();
    first = d.identity();
    check(!first.id.is_nil() && first.generation > 0, kName, "open gave a nil id or generation 0");

    auto local = d.load_local_state();
    auto items = d.load_cluster_items();
    auto peers = d.load_peers();
    check(local.ok() && items.ok() && peers.ok(), kName, "a load failed after a successful open");

    check(d.save_local_state(local->counter, local->entries).ok(), kName, "cannot save the loaded local state");
    check(d.save_cluster_items(*items).ok(), kName, "cannot save the loaded cluster items");
    check(d.save_peers(*peers).ok(), kName, "cannot save the loaded peers");
    auto local2 = d.load_local_state();
    auto items2 = d.load_cluster_items();
    auto peers2 = d.load_peers();
    check(local2.ok() && local2->counter == local->counter && local2->entries == local->entries, kName,
          "local state changed through save + load");
    check(items2.ok() && *items2 == *items, kName, "cluster items changed through save + load");
    check(peers2.ok() && *peers2 == *peers, kName, "peers changed through save + load");
  }
  auto again = DataDir::open(dir, false);
  check(again.ok(), kName, "reopening what open wrote failed: " + (again.ok() ? std::string() : again.error()));
  check(again->identity().id == first.id, kName, "the id changed on reopen");
  check(again->identity().generation > first.generation, kName, "the generation did not grow on reopen");
  return 0;
}

}  // namespace rollcall::fuzz
