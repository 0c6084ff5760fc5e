// fuzz_make_seeds: writes the committed seed corpora, fuzz/corpus/<target>/<name>, from real
// encoders (wire codec, envelope, data directory, JSON forms), so seeds stay valid when formats
// change. Run by `scripts/fuzz --seeds`; not part of any product binary.
//   fuzz_make_seeds <corpus root>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "daemon/persist/ChecksummedJson.h"
#include "daemon/persist/DataDir.h"
#include "daemon/persist/ModelJson.h"
#include "gossip/crypto/Envelope.h"
#include "gossip/crypto/Keyring.h"
#include "gossip/wire/Codec.h"
#include "tests/wire/Samples.h"

namespace {

namespace fs = std::filesystem;
namespace wire = rollcall::gossip::wire;
namespace samples = rollcall::gossip::wire::samples;
namespace m = rollcall::membership;
using rollcall::daemon::persist::ChecksummedJson;
using rollcall::daemon::persist::ModelJson;
using Bytes = std::vector<std::uint8_t>;

fs::path g_root;

void put(const std::string& target, const std::string& name, const void* data, std::size_t n) {
  fs::create_directories(g_root / target);
  std::ofstream(g_root / target / name, std::ios::binary | std::ios::trunc)
      .write(static_cast<const char*>(data), static_cast<std::streamsize>(n));
}
void put(const std::string& target, const std::string& name, const Bytes& b) { put(target, name, b.data(), b.size()); }
void put(const std::string& target, const std::string& name, const std::string& s) { put(target, name, s.data(), s.size()); }

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const char* kTypeNames[] = {"ping", "pingreq", "ack", "nack", "member", "delta", "item", "ppreq", "ppresp", "push"};

// ---- wire_decode ---------------------------------------------------------------------------------
void wire_seeds() {
  const auto all = samples::all_messages();
  for (std::size_t i = 0; i < all.size(); ++i) {
    std::vector<wire::Message> one{all[i]};
    put("wire_decode", std::to_string(i) + "_" + kTypeNames[all[i].index()], wire::encode_packet(one));
  }
  put("wire_decode", "all", wire::encode_packet(all));
  put("wire_decode", "empty", wire::encode_packet({}));
  Bytes unknown = wire::encode_packet({});
  unknown.back() = 0x91;  // [ [ 99, 1 ] ]: one message of an unknown type
  unknown.insert(unknown.end(), {0x92, 0x63, 0x01});
  put("wire_decode", "unknown_type", unknown);
}

// ---- envelope_open ---------------------------------------------------------------------------------
rollcall::gossip::crypto::Key fixed_key(std::uint8_t fill) {  // same keys as fuzz/targets/EnvelopeOpen.cpp
  rollcall::gossip::crypto::Key k{};
  for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(fill + i);
  return k;
}

void envelope_seeds() {
  using rollcall::gossip::crypto::Envelope;
  using rollcall::gossip::crypto::Keyring;
  auto nonces = [](std::uint8_t* out, std::size_t n) { std::memset(out, 7, n); };
  const auto payload = wire::encode_packet(samples::all_messages());
  const Bytes small = wire::encode_packet({{wire::Ack{5, samples::id(1)}}});
  Envelope primary("fuzz", Keyring(fixed_key(1)), nonces);
  Envelope secondary("fuzz", Keyring(fixed_key(101)), nonces);
  Envelope other_cluster("other", Keyring(fixed_key(1)), nonces);
  Envelope wrong_key("fuzz", Keyring(fixed_key(55)), nonces);
  put("envelope_open", "sealed_primary", primary.seal(small));
  put("envelope_open", "sealed_primary_big", primary.seal(payload));
  put("envelope_open", "sealed_secondary", secondary.seal(small));
  put("envelope_open", "sealed_other_cluster", other_cluster.seal(small));
  put("envelope_open", "sealed_wrong_key", wrong_key.seal(small));
  put("envelope_open", "sealed_empty", primary.seal({}));
  put("envelope_open", "plain", Envelope::plaintext("fuzz").seal(small));
  put("envelope_open", "bad_version", Bytes{0x02, 0x00, 0x01});
}

// ---- engine ----------------------------------------------------------------------------------------
const m::NodeId kSelf = m::NodeId::from_words(0x5E1F, 0x5E1F);  // as in fuzz/targets/Engine.cpp
m::Address peer_addr(std::size_t i) { return m::Address::v4(0x0A000002u + static_cast<std::uint32_t>(i), 7950); }
m::NodeId peer_id(std::size_t i) { return m::NodeId::from_words(0xBEE0 + i, i + 1); }

struct Script {
  Bytes b;
  Script(std::uint8_t preset, bool join) { b = {preset, static_cast<std::uint8_t>(join ? 1 : 0)}; }
  Script& op(std::uint8_t code) { b.push_back(code); return *this; }
  Script& u8(std::uint8_t v) { b.push_back(v); return *this; }
  Script& u16(std::uint16_t v) { b.push_back(static_cast<std::uint8_t>(v)); b.push_back(static_cast<std::uint8_t>(v >> 8)); return *this; }
  Script& chunk(const Bytes& payload) { u16(static_cast<std::uint16_t>(payload.size())); b.insert(b.end(), payload.begin(), payload.end()); return *this; }
  Script& datagram(std::uint8_t peer, std::vector<wire::Message> msgs) { return op(0).u8(peer).chunk(wire::encode_packet(msgs)); }
  Script& stream(std::uint8_t peer, std::vector<wire::Message> msgs) { return op(2).u8(peer).chunk(wire::encode_packet(msgs)); }
  Script& reply(std::uint8_t pick, std::vector<wire::Message> msgs) { return op(3).u8(pick).chunk(wire::encode_packet(msgs)); }
  Script& u32(std::uint32_t v) { return u16(static_cast<std::uint16_t>(v)).u16(static_cast<std::uint16_t>(v >> 16)); }
  Script& u64(std::uint64_t v) { return u32(static_cast<std::uint32_t>(v)).u32(static_cast<std::uint32_t>(v >> 32)); }
  // Local write op: kind as a short text, then the case (see local_write in fuzz/targets/Engine.cpp).
  Script& write(const std::string& kind, std::uint8_t which) {
    op(7).u8(static_cast<std::uint8_t>(kind.size()));
    b.insert(b.end(), kind.begin(), kind.end());
    return u8(which);
  }
  Script& fire(int n) { for (int i = 0; i < n; ++i) op(5); return *this; }
  Script& wait(std::uint16_t quarter_ms) { return op(6).u16(quarter_ms); }
};

wire::MemberUpdate alive(std::size_t i, std::uint64_t counter = 0) {
  return wire::MemberUpdate{peer_id(i), "peer-" + std::to_string(i), peer_addr(i), m::Incarnation{1, counter},
                            m::MemberState::alive, peer_id(i)};
}

void engine_seeds() {
  const auto all = samples::all_messages();
  for (std::size_t i = 0; i < all.size(); ++i) {
    const bool stream_only = all[i].index() >= 7;
    Script s(0, false);
    s.datagram(0, {alive(0)});
    if (stream_only) s.stream(0, {all[i]}); else s.datagram(0, {all[i]});
    s.fire(3);
    put("engine", std::to_string(i) + "_" + kTypeNames[all[i].index()], s.b);
  }
  {  // a cluster of four peers: probes, acks, suspicion of ourselves refuted, timers
    Script s(1, false);
    for (std::uint8_t p = 0; p < 4; ++p) s.datagram(p, {alive(p)});
    s.datagram(1, {wire::Ping{9, kSelf, peer_id(1), peer_addr(1)}});
    s.datagram(2, {wire::PingReq{10, peer_id(3), peer_addr(3), peer_id(2), peer_addr(2), true}});
    s.datagram(3, {wire::MemberUpdate{kSelf, "fuzz-self", m::Address::v4(0x0A000001u, 7950), m::Incarnation{3, 0},
                                      m::MemberState::suspect, peer_id(3)}});
    s.fire(6).wait(2000).datagram(0, {wire::Ack{1, peer_id(0)}, wire::Ack{2, peer_id(1)}, wire::Nack{3, peer_id(2)}});
    s.wait(20000).datagram(1, {wire::MemberUpdate{peer_id(2), "peer-2", peer_addr(2), m::Incarnation{1, 0},
                                                  m::MemberState::dead, peer_id(1)}});
    s.wait(60000).op(4).u8(0).op(8).u8(0).wait(4000);
    put("engine", "cluster_probe_suspect_leave", s.b);
  }
  {  // join through a seed, answered with a push-pull response; then anti-entropy both ways
    Script s(0, true);
    wire::PushPullResponse resp{{alive(0), alive(1)},
                                {wire::StateDelta{peer_id(0), samples::all_state_entries()}},
                                samples::all_cluster_items(),
                                {wire::DigestEntry{peer_id(0), 9}},
                                {wire::ClusterDigestEntry{"config", 42, samples::id(1)}}};
    s.reply(0, {resp});
    s.stream(1, {wire::PushPullRequest{false, {alive(1, 2)}, {wire::DigestEntry{kSelf, 0}}, {}}});
    s.stream(2, {wire::StatePush{{wire::StateDelta{peer_id(2), samples::all_state_entries()}}, samples::all_cluster_items(), {}}});
    s.wait(40000).reply(0, {resp});
    s.write("web", 3).u8(1).u8(0).u32(30000).u32(300000);               // cluster config
    s.write("web", 4).u8(0xBE).u8(0xE1).u64(5).u64(1).u32(0);            // removal of a component
    s.write("service", 0).u8(3).b.insert(s.b.end(), {'2', '.', '0', 0}); // component: version "2.0", endpoint ""
    s.fire(8);
    put("engine", "join_push_pull", s.b);
  }
  {  // the same with a small MTU and many updates (piggyback packing)
    Script s(4, false);
    std::vector<wire::Message> many;
    for (std::size_t i = 0; i < 40; ++i) many.push_back(alive(i % 4 + 4 * (i / 4) + 10));
    s.stream(0, {wire::PushPullRequest{true, {}, {}, {}}});
    s.datagram(0, many).fire(20);
    put("engine", "small_mtu_many_members", s.b);
  }
}

// ---- http_server -----------------------------------------------------------------------------------
void http_seeds() {
  const std::pair<const char*, std::string> seeds[] = {
      {"get", "GET / HTTP/1.1\r\nHost: a\r\n\r\n"},
      {"get_query", "GET /x/%20y?q=a+b%21&r=1&q=2 HTTP/1.1\r\nHost: a\r\nAccept: */*\r\n\r\n"},
      {"post_body", "POST /late HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"a\": [1, 2]}"},
      {"pipelined", "GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /twice HTTP/1.1\r\nHost: a\r\n\r\nPUT /late HTTP/1.1\r\n"
                    "Content-Length: 3\r\n\r\nabcGET /c HTTP/1.1\r\nConnection: close\r\n\r\n"},
      {"expect_continue", "PUT /echo HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\nbody"},
      {"chunked", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nbody\r\n0\r\n\r\n"},
      {"events", "GET /events?x=1 HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\n\r\n"},
      {"throw", "DELETE /throw HTTP/1.1\r\n\r\n"},
      {"echo_headers", "GET /echo/abc HTTP/1.1\r\nX-A: 1\r\nAccept: text/plain\r\nCache-Control: max-age=1\r\n"
                       "Content-Length: 0\r\n\r\n"},
      {"head", "HEAD /echo HTTP/1.1\r\nHost: a\r\n\r\n"},
      {"http10", "GET /x HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /y HTTP/1.0\r\n\r\n"},
      {"bad_header_name", "GET / HTTP/1.1\r\nBad Name: x\r\n\r\n"},
      {"too_big_body", "POST / HTTP/1.1\r\nContent-Length: 99999\r\n\r\nxx"},
      {"two_lengths", "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"},
      {"garbage", "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"},
      {"bad_escape", "GET /%zz HTTP/1.1\r\n\r\n"},
      {"nul_escape", "GET /a%00b HTTP/1.1\r\n\r\n"},
      {"upgrade", "GET / HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n"},
      {"connect", "CONNECT a:443 HTTP/1.1\r\n\r\n"},
      {"absolute_url", "GET http://u:p@h:1/p/q?x#f HTTP/1.1\r\n\r\n"},
  };
  for (const auto& [name, text] : seeds) put("http_server", name, text);
  put("http_server", "long_header", "GET / HTTP/1.1\r\nX-Long: " + std::string(3000, 'a') + "\r\n\r\n");
}

// ---- config_load -----------------------------------------------------------------------------------
void config_seeds(const fs::path& source) {
  std::string example = slurp(source / "configs" / "agent.example.toml");
  auto set = [&](const std::string& from, const std::string& to) {
    auto at = example.find(from);
    if (at != std::string::npos) example.replace(at, from.size(), to);
  };
  put("config_load", "example_as_shipped", example);
  set("key_file = \"\"", "key_file = \"gossip.key\"");
  set("admin_token_file = \"\"", "admin_token_file = \"admin.token\"");
  set("env = \"PROGET_ENCRYPTION_KEY\"\nfile = \"\"", "env = \"\"\nfile = \"product.key\"");
  put("config_load", "example_with_secret_files", example);
  put("config_load", "minimal",
      "[agent]\nname = \"a\"\n[gossip]\nplaintext = true\nkey_env = \"\"\n"
      "#%env ROLLCALL_GOSSIP_SEEDS=10.0.0.1:7950,b.example:1\n#%set gossip.mtu=1400\n");
  put("config_load", "env_and_overrides",
      "[agent]\ncluster = \"c1\"\n[gossip]\nkey_env = \"MY_KEYS\"\n"
      "#%env MY_KEYS=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=,ZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmY=\n"
      "#%env ROLLCALL_ADMIN_TOKEN=tok-123456789\n#%env ROLLCALL_AGENT_LOG_LEVEL=debug\n"
      "#%set http.bind=[::1]:0\n#%set gossip.probe_interval=250ms\n");
  put("config_load", "bad_values",
      "[agent]\ncluster = \"bad name\"\nlog_level = \"loud\"\n[gossip]\nmtu = 100\nprobe_interval = \"1x\"\n"
      "seeds = [\"::1\", 5]\n[http]\nmax_body_bytes = \"3GiB\"\n[unknown]\nx = 1\n[[component]]\nkind = \"WEB\"\n");
  put("config_load", "components_labels",
      "[gossip]\nplaintext = true\nkey_env = \"\"\n[server]\naddresses = [\"10.0.0.1\", \"fe80::1\"]\n"
      "[server.labels]\nrack = \"r1\"\n\"zone.a\" = \"x\"\n[[component]]\nkind = \"web\"\nversion = \"1\"\n"
      "check = \"http://127.0.0.1:1/h\"\ncheck_interval = \"1h30m\"\ncheck_timeout = \"1.5s\"\n[[component]]\n"
      "kind = \"service\"\nversion = \"2\"\ncheck = \"tcp://[::1]:9\"\n[[product.keys]]\nname = \"k2\"\nfile = \"admin.token\"\n");
}

// ---- datadir_load ----------------------------------------------------------------------------------
void datadir_seeds() {
  using rollcall::daemon::persist::DataDir;
  const fs::path tmp = fs::temp_directory_path() / ("rollcall-seeds-" + std::to_string(::getpid()));
  fs::remove_all(tmp);
  std::string id_hex;
  {
    auto d = DataDir::open(tmp, false);
    if (!d) {
      std::fprintf(stderr, "cannot open a data dir: %s\n", d.error().c_str());
      std::exit(1);
    }
    auto entries = samples::all_state_entries();
    std::vector<m::StateEntry> mine;
    for (auto& e : entries)
      if (e.version < 1000) mine.push_back(e);
    (void)d->save_local_state(100, mine);
    (void)d->save_cluster_items(samples::all_cluster_items());
    std::vector<m::Address> peers{samples::v4(), samples::v6(), m::Address::v4(0x7F000001, 1)};
    (void)d->save_peers(peers);
    id_hex = d->identity().id.hex();
  }
  const char* files[] = {DataDir::kIdentityFile, DataDir::kGenerationFile, DataDir::kLocalStateFile,
                         DataDir::kClusterFile, DataDir::kPeersFile};
  std::string raw(1, '\0'), wrapped(1, '\0');
  for (std::size_t i = 0; i < 5; ++i) {
    const std::string text = slurp(tmp / files[i]);
    auto body = ChecksummedJson::decode(text, files[i]);
    raw += text;
    wrapped += "!" + (body ? body->dump() : std::string());
    if (i < 4) {
      raw += '\0';
      wrapped += '\0';
    }
  }
  fs::remove_all(tmp);
  put("datadir_load", "written_by_datadir", raw);
  put("datadir_load", "wrapped_bodies", wrapped);
  std::string reset = wrapped;
  reset[0] = 1;
  put("datadir_load", "wrapped_bodies_allow_reset", reset);
  put("datadir_load", "fresh", std::string(1, '\0'));
  put("datadir_load", "identity_only", std::string(1, '\0') + "!{\"id\":\"" + id_hex + "\",\"created_unix_ms\":1}");
  std::string torn = raw.substr(0, raw.size() / 2);
  put("datadir_load", "torn", torn);
  // datadir_files: one file per input, byte 0 = which (the local state's owner is the harness's own).
  std::size_t pos = 1;
  for (std::size_t i = 0; i < 5; ++i) {
    const std::size_t end = std::min(raw.find('\0', pos), raw.size());
    std::string text = raw.substr(pos, end - pos);
    pos = end + 1;
    if (i == 2) {  // re-own the local state so the harness's owner check passes
      auto body = ChecksummedJson::decode(text, files[i]);
      if (body) {
        (*body)["node_id"] = "0123456789abcdef0fedcba987654321";
        text = ChecksummedJson::encode(*body);
      }
    }
    put("datadir_files", std::string("written_") + files[i], std::string(1, static_cast<char>(i)) + text);
    put("datadir_files", std::string("torn_") + files[i],
        std::string(1, static_cast<char>(i)) + text.substr(0, text.size() / 2));
  }
  put("datadir_files", "wrapped_identity", std::string(1, '\0') + "!{\"id\":\"" + id_hex + "\",\"created_unix_ms\":1}");
  put("datadir_files", "wrapped_generation", std::string(1, '\1') + "!{\"generation\":18446744073709551615}");
  put("datadir_files", "wrapped_peers", std::string(1, '\4') + "!{\"peers\":[\"[::1]:7946\",\"10.0.0.1:1\"]}");
}

// ---- api_config ------------------------------------------------------------------------------------
void api_config_seeds() {
  put("api_config", "full", std::string(R"({"load_balancing": false, "automatic_failover": true,
    "heartbeat_interval_ms": 15000, "stale_timeout_ms": 60000, "web_stale_window_ms": 86400000,
    "lamport": 4, "writer": "00000000000000010000000000000002"})"));
  put("api_config", "partial", std::string(R"({"heartbeat_interval_ms": 1000})"));
  put("api_config", "invalid", std::string(R"({"stale_timeout_ms": 1, "unknown": [1.5e300, null, "x"]})"));
  int i = 0;
  for (const auto& e : samples::all_state_entries()) put("api_config", "entry_" + std::to_string(i++), ModelJson::to_json(e).dump());
  i = 0;
  for (const auto& c : samples::all_cluster_items()) put("api_config", "item_" + std::to_string(i++), ModelJson::to_json(c).dump());
  put("api_config", "address_v6", ModelJson::to_json(samples::v6()).dump());
  nlohmann::json list = {{"list", nlohmann::json::array()}};
  for (const auto& e : samples::all_state_entries()) list["list"].push_back(ModelJson::to_json(e));
  put("api_config", "list", list.dump());
}

// ---- api_agent -------------------------------------------------------------------------------------
void api_agent_seeds() {
  const auto key = rollcall::gossip::crypto::Keyring::encode_key(fixed_key(1));
  const auto fuzz_key_id = rollcall::gossip::crypto::Keyring::key_id(*rollcall::gossip::crypto::Keyring::parse_key(
      "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="));
  const auto new_id = rollcall::gossip::crypto::Keyring::key_id(fixed_key(1));
  const std::pair<const char*, std::string> seeds[] = {
      {"put_config", "PUT /v1/config\n{\"load_balancing\": false, \"heartbeat_interval_ms\": 10000}"},
      {"put_config_bad", "PUT /v1/config\n{\"stale_timeout_ms\": \"soon\"}"},
      {"put_config_noauth", "-PUT /v1/config\n{}"},
      {"put_config_wrong_token", "~PUT /v1/config\n{}"},
      {"get_config", "GET /v1/config\n"},
      {"keys_install", "POST /v1/keys/install\n{\"key\": \"" + key + "\"}"},
      {"keys_use", "POST /v1/keys/use\n{\"id\": \"" + new_id + "\"}"},
      {"keys_use_current", "POST /v1/keys/use\n{\"id\": \"" + fuzz_key_id + "\"}"},
      {"keys_remove", "POST /v1/keys/remove\n{\"id\": \"" + fuzz_key_id + "\"}"},
      {"keys_unknown_op", "POST /v1/keys/rotate\n{\"id\": 5}"},
      {"keys_get", "GET /v1/keys\n"},
      {"component_update", "PUT /v1/local/components/web\n{\"version\": \"2.0\", \"endpoint\": \"http://h:1/\"}"},
      {"component_update_bad", "PUT /v1/local/components/service\n{\"version\": \"\", \"colour\": 1}"},
      {"heartbeat", "POST /v1/local/heartbeat/service\n"},
      {"remove_self", "DELETE /v1/servers/fuzz-agent\n"},
      {"remove_component", "DELETE /v1/servers/fuzz-agent/components/web\n"},
      {"remove_unknown", "DELETE /v1/servers/00000000000000010000000000000002\n"},
      {"cluster", "GET /v1/cluster\n"},
      {"members", "GET /v1/members\n"},
      {"metrics", "GET /metrics\n"},
      {"ready", "GET /ready\n"},
      {"page", "GET /\n"},
      {"head_page", "HEAD /index.html\n"},
      {"not_json", "PUT /v1/config\n[1, 2"},
  };
  for (const auto& [name, text] : seeds) put("api_agent", name, text);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_make_seeds <corpus root>\n");
    return 2;
  }
  g_root = argv[1];
  const fs::path source = fs::path(ROLLCALL_SOURCE_DIR);
  wire_seeds();
  envelope_seeds();
  engine_seeds();
  http_seeds();
  config_seeds(source);
  datadir_seeds();
  api_config_seeds();
  api_agent_seeds();
  std::printf("seed corpora written under %s\n", g_root.c_str());
  return 0;
}
