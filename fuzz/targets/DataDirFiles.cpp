// Target datadir_files: the decoders of every data-directory file (persist::DataDirFiles), in
// memory, without the file system around them (that is datadir_load's job; it runs about twenty
// file operations per input, so this target reaches the bytes-handling code ~10x as often).
// Input: byte 0 selects the file (mod 5: identity, generation, local_state, cluster, peers), the rest
// is the file's text; text starting with '!' is a JSON body the harness wraps in a correct
// checksummed envelope (so the fuzzer gets past the checksum). Oracles: a failure names the file;
// whatever decodes encodes again, decodes back equal, and re-encodes to the same text (the encoders
// are canonical), so a loaded file can always be saved and loaded back unchanged.
#include <string>

#include <nlohmann/json.hpp>

#include "daemon/persist/ChecksummedJson.h"
#include "daemon/persist/DataDirFiles.h"
#include "fuzz/Targets.h"

namespace rollcall::fuzz {

namespace {

using daemon::persist::ChecksummedJson;
using daemon::persist::DataDirFiles;
constexpr std::string_view kName = "datadir_files";
const membership::NodeId kOwner = membership::NodeId::from_words(0x0123456789ABCDEFull, 0x0FEDCBA987654321ull);

template <class R>
void check_failure(const R& r, const std::string& label) {
  check(!r.error().empty(), kName, "a failed decode gave no message");
  check(r.error().rfind(label, 0) == 0, kName, "an error does not name the file: " + r.error());
}

}  // namespace

int datadir_files(Input in) {
  if (in.empty()) return 0;
  const int kind = in[0] % 5;
  std::string text(reinterpret_cast<const char*>(in.data()) + 1, in.size() - 1);
  if (!text.empty() && text[0] == '!') {
    auto body = nlohmann::json::parse(text.begin() + 1, text.end(), nullptr, false);
    if (!body.is_discarded()) text = ChecksummedJson::encode(body);
  }
  static const std::string kLabels[] = {"data/identity.json", "data/generation", "data/local_state.json",
                                        "data/cluster.json", "data/peers.json"};
  const std::string& label = kLabels[kind];

  switch (kind) {
    case 0: {
      auto id = DataDirFiles::identity(text, label);
      if (!id) return check_failure(id, label), 0;
      check(!id->is_nil(), kName, "a nil id decoded");
      auto again = DataDirFiles::identity(DataDirFiles::identity_text(*id, 1), label);
      check(again.ok() && *again == *id, kName, "identity changed through encode + decode");
      break;
    }
    case 1: {
      auto g = DataDirFiles::generation(text, label);
      if (!g) return check_failure(g, label), 0;
      auto again = DataDirFiles::generation(DataDirFiles::generation_text(*g), label);
      check(again.ok() && *again == *g, kName, "generation changed through encode + decode");
      break;
    }
    case 2: {
      auto s = DataDirFiles::local_state(text, label, kOwner);
      if (!s) return check_failure(s, label), 0;
      auto out = DataDirFiles::local_state_text(kOwner, s->counter, s->entries, label);
      check(out.ok(), kName, "a decoded local state cannot be encoded: " + (out.ok() ? std::string() : out.error()));
      auto again = DataDirFiles::local_state(*out, label, kOwner);
      check(again.ok() && again->counter == s->counter && again->entries == s->entries, kName,
            "local state changed through encode + decode");
      auto out2 = DataDirFiles::local_state_text(kOwner, again->counter, again->entries, label);
      check(out2.ok() && *out2 == *out, kName, "local state encoding is not canonical");
      break;
    }
    case 3: {
      auto items = DataDirFiles::cluster_items(text, label);
      if (!items) return check_failure(items, label), 0;
      const std::string out = DataDirFiles::cluster_items_text(*items);
      auto again = DataDirFiles::cluster_items(out, label);
      check(again.ok() && *again == *items, kName, "cluster items changed through encode + decode");
      check(DataDirFiles::cluster_items_text(*again) == out, kName, "cluster items encoding is not canonical");
      break;
    }
    default: {
      auto peers = DataDirFiles::peers(text, label);
      if (!peers) return check_failure(peers, label), 0;
      const std::string out = DataDirFiles::peers_text(*peers);
      auto again = DataDirFiles::peers(out, label);
      check(again.ok() && *again == *peers, kName, "peers changed through encode + decode");
      check(DataDirFiles::peers_text(*again) == out, kName, "peers encoding is not canonical");
      break;
    }
  }
  return 0;
}

}  // namespace rollcall::fuzz
