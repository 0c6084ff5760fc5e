// load_config(): the example file, precedence file < environment < overrides, one clear error per
// bad value or unknown key (naming the key and the source), secrets loaded but never shown.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <random>

#include "daemon/config/ConfigField.h"
#include "daemon/config/ConfigLoader.h"
#include "gossip/crypto/Keyring.h"

namespace rollcall::daemon::config {
namespace config_loader_test {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

// 32 bytes base64: "k" * 32 and "z" * 32.
const std::string kKeyA = "a2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2s=";
const std::string kKeyB = "enp6enp6enp6enp6enp6enp6enp6enp6enp6enp6eno=";
const std::string kToken = "s3cr3t-admin-token-0123456789";
const std::string kProductKey = "product-encryption-key-value-XYZ";

class TempDir {
 public:
  TempDir() {
    static int n = 0;
    path_ = fs::temp_directory_path() / ("rollcall-config-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  fs::path write(const std::string& name, const std::string& content, int mode = 0600) {
    auto p = path_ / name;
    std::ofstream(p) << content;
    ::chmod(p.c_str(), static_cast<mode_t>(mode));
    return p;
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string errors_of(const Result<AgentConfig, ConfigError>& r) { return r.ok() ? "" : r.error().message(); }

TEST(ConfigLoader, ExampleFileLoadsCleanly) {
  const fs::path example = fs::path(ROLLCALL_SOURCE_DIR) / "configs/agent.example.toml";
  auto r = load_config(example, {}, {});
  ASSERT_TRUE(r.ok()) << errors_of(r);
  const AgentConfig& c = *r;
  EXPECT_EQ(c.agent.cluster, "rollcall");
  EXPECT_FALSE(c.agent.name.empty());  // the host name
  EXPECT_EQ(c.agent.data_dir, "/var/lib/rollcall");
  EXPECT_EQ(c.gossip.bind.to_string(), "0.0.0.0:7950");
  EXPECT_EQ(c.http.bind.to_string(), "127.0.0.1:7951");
  EXPECT_EQ(c.http.max_body_bytes, 1u << 20);
  EXPECT_EQ(c.http.header_timeout, milliseconds(10000));
  EXPECT_FALSE(c.gossip.probe_interval.has_value());
  ASSERT_EQ(c.components.size(), 2u);
  EXPECT_EQ(c.components[0].kind, "web");
  EXPECT_EQ(c.components[0].check, "http://127.0.0.1:8624/health");
  EXPECT_EQ(c.components[1].kind, "service");
  EXPECT_EQ(c.components[1].check, "tcp://127.0.0.1:33237");
  ASSERT_EQ(c.product.keys.size(), 1u);
  EXPECT_EQ(c.product.keys[0].env, "PROGET_ENCRYPTION_KEY");
  EXPECT_EQ(c.product.fingerprint_salt, "rollcall");
  EXPECT_FALSE(c.server.os_name.empty());
  EXPECT_TRUE(c.gossip.keyring.empty());
}

TEST(ConfigLoader, DefaultsWithoutAnyFile) {
  auto r = load_config(std::nullopt, {}, {});
  ASSERT_TRUE(r.ok()) << errors_of(r);
  EXPECT_EQ(r->gossip.profile, "lan");
  EXPECT_EQ(r->gossip.mtu, 1200u);
  EXPECT_EQ(r->http.max_connections, 256u);
  EXPECT_EQ(r->http.idle_timeout, milliseconds(30000));
  EXPECT_EQ(r->gossip.seed_resolve_interval, milliseconds(30000));
  EXPECT_EQ(r->agent.log_level, "info");
  ASSERT_EQ(r->product.keys.size(), 1u);
  EXPECT_EQ(r->product.keys[0].name, "encryption");
  EXPECT_TRUE(r->components.empty());
}

TEST(ConfigLoader, FullFileIsTyped) {
  TempDir d;
  auto f = d.write("agent.toml", R"(
[agent]
name = "web-01"
cluster = "prod"
log_level = "debug"
log_format = "json"
[gossip]
bind = "[::]:7950"
advertise = "10.0.0.5:7950"
seeds = ["10.0.0.6:7950", "seed.example.internal", "[fe80::2]:8000"]
profile = "wan"
probe_interval = "2s"
probe_timeout = "800ms"
suspicion_mult = 5
push_pull_interval = "0"
[http]
max_header_bytes = "8KiB"
max_connections = 1000
[server]
addresses = ["10.0.0.5", "fe80::1"]
labels = { zone = "eu-1a", rack = "r3" }
[product]
fingerprint_salt = "salty"
)");
  auto r = load_config(f, {}, {});
  ASSERT_TRUE(r.ok()) << errors_of(r);
  EXPECT_EQ(r->agent.name, "web-01");
  EXPECT_EQ(r->gossip.bind.host, "::");
  ASSERT_TRUE(r->gossip.advertise);
  EXPECT_EQ(r->gossip.advertise->port, 7950);
  ASSERT_EQ(r->gossip.seeds.size(), 3u);
  EXPECT_EQ(r->gossip.seeds[1].host, "seed.example.internal");
  EXPECT_EQ(r->gossip.seeds[1].port, 7950);
  EXPECT_EQ(r->gossip.seeds[2].port, 8000);
  EXPECT_EQ(r->gossip.probe_interval, milliseconds(2000));
  EXPECT_EQ(r->gossip.probe_timeout, milliseconds(800));
  EXPECT_EQ(r->gossip.suspicion_mult, 5);
  EXPECT_EQ(r->gossip.push_pull_interval, milliseconds(0));
  EXPECT_EQ(r->http.max_header_bytes, 8192u);
  EXPECT_EQ(r->server.labels.at("zone"), "eu-1a");
  EXPECT_EQ(r->product.fingerprint_salt, "salty");
}

// Each entry: a TOML snippet, the key the error must name, and a fragment of the reason.
struct BadCase {
  const char* toml;
  const char* key;
  const char* reason;
};

TEST(ConfigLoader, EachBadValueOrUnknownKeyNamesTheKey) {
  const BadCase cases[] = {
      {"[agent]\nnmae = \"x\"\n", "agent.nmae", "did you mean \"name\""},
      {"[agent]\ncluster = \"has space\"\n", "agent.cluster", "got \"has space\""},
      {"[agent]\nlog_level = \"verbose\"\n", "agent.log_level", "trace|debug|info|warn|error"},
      {"[agent]\nlog_format = \"xml\"\n", "agent.log_format", "text|json"},
      {"[agent]\nallow_reset = \"yes\"\n", "agent.allow_reset", "expected true or false"},
      {"[agent]\ndata_dir = \"\"\n", "agent.data_dir", "must not be empty"},
      {"[gossip]\nbind = \"example.com:7950\"\n", "gossip.bind", "IP address"},
      {"[gossip]\nbind = \"10.0.0.1\"\n", "gossip.bind", "IP address"},
      {"[gossip]\nadvertise = \"10.0.0.1:0\"\n", "gossip.advertise", "IP address"},
      {"[gossip]\nseeds = \"a:1\"\n", "gossip.seeds", "expected an array of strings"},
      {"[gossip]\nseeds = [\"a:99999\"]\n", "gossip.seeds", "got \"a:99999\""},
      {"[gossip]\nseeds = [1, 2]\n", "gossip.seeds", "array of strings"},
      {"[gossip]\nprofile = \"fast\"\n", "gossip.profile", "lan|local|wan"},
      {"[gossip]\nmtu = 100\n", "gossip.mtu", "between 576 and 9000, got 100"},
      {"[gossip]\nmtu = \"1200\"\n", "gossip.mtu", "expected an integer"},
      {"[gossip]\nprobe_interval = 5\n", "gossip.probe_interval", "expected a duration"},
      {"[gossip]\nprobe_interval = \"5 s\"\n", "gossip.probe_interval", "expected a duration"},
      {"[gossip]\nprobe_interval = \"2h\"\n", "gossip.probe_interval", "between 50ms and 1m"},
      {"[gossip]\nprobe_interval = \"1s\"\nprobe_timeout = \"1s\"\n", "gossip.probe_timeout", "shorter than"},
      {"[gossip]\nindirect_checks = 17\n", "gossip.indirect_checks", "between 0 and 16"},
      {"[gossip]\nkey_env = \"1BAD\"\n", "gossip.key_env", "environment variable name"},
      {"[gossip]\nratio = 1.5\n", "gossip.ratio", "unknown key"},
      {"[gossip]\nmtu = 1.5\n", "gossip.mtu", "unsupported value type"},
      {"[http]\nmax_body_bytes = \"100GiB\"\n", "http.max_body_bytes", "between"},
      {"[http]\nmax_connections = 0\n", "http.max_connections", "between 1 and 65536"},
      {"[http]\nheader_timeout = \"10ms\"\n", "http.header_timeout", "between 100ms and 5m"},
      {"[http]\ntls_cert = \"/x.pem\"\n", "http.tls_cert / http.tls_key", "both"},
      {"[server]\naddresses = [\"not-an-ip\"]\n", "server.addresses", "IP address"},
      {"[server.labels]\n\"Bad Label\" = \"x\"\n", "server.labels", "label names"},
      {"[product]\nsalt = \"x\"\n", "product.salt", "unknown key"},
      {"[[product.keys]]\nname = \"x\"\n", "product.keys[0]", "exactly one of env or file"},
      {"[[product.keys]]\nname = \"x\"\nenv = \"A\"\n[[product.keys]]\nname = \"x\"\nenv = \"B\"\n", "product.keys",
       "declared twice"},
      {"[[component]]\nversion = \"1\"\n", "component[0].kind", "is required"},
      {"[[component]]\nkind = \"web\"\n", "component[0].version", "is required"},
      {"[[component]]\nkind = \"Web!\"\nversion = \"1\"\n", "component[0].kind", "a-z, 0-9"},
      {"[[component]]\nkind = \"web\"\nversion = \"1\"\ncheck = \"ftp://x\"\n", "component[0].check", "http://"},
      {"[[component]]\nkind = \"web\"\nversion = \"1\"\ncheck = \"tcp://host\"\n", "component[0].check", "host:port"},
      {"[[component]]\nkind = \"web\"\nversion = \"1\"\ncheck_timeout = \"1m\"\ncheck_interval = \"30s\"\n",
       "component[0].check_timeout", "shorter than check_interval"},
      {"[[component]]\nkind = \"web\"\nversion = \"1\"\n[[component]]\nkind = \"web\"\nversion = \"2\"\n", "component[1].kind",
       "declared twice"},
      {"[[component]]\nkind = \"web\"\nversion = \"1\"\ncolour = \"red\"\n", "component[0].colour", "unknown key"},
      {"[component]\nkind = \"web\"\n", "component", "array of tables"},
      {"agent = 5\n", "agent", "must be a table"},
      {"[gosip]\nbind = \"0.0.0.0:1\"\n", "gosip", "did you mean \"gossip\""},
      {"[gossip]\nplaintext = true\nkey_file = \"keys\"\n", "gossip.plaintext", "remove the key"},
  };
  for (const auto& c : cases) {
    TempDir d;
    d.write("keys", kKeyA + "\n");
    auto f = d.write("agent.toml", c.toml);
    auto r = load_config(f, {}, {});
    ASSERT_FALSE(r.ok()) << "accepted:\n" << c.toml;
    const std::string msg = r.error().message();
    EXPECT_NE(msg.find(std::string(c.key) + ":"), std::string::npos) << "key " << c.key << " not named in: " << msg;
    EXPECT_NE(msg.find(c.reason), std::string::npos) << "reason \"" << c.reason << "\" missing in: " << msg;
  }
}

// The "did you mean" suggestion: the nearest known key within edit distance 2, none beyond, and a
// long unknown key (a garbled file) is bounded by its length gap, whatever the known keys are.
TEST(ConfigLoader, SuggestionIsTheNearestKeyWithinTwoEdits) {
  const std::vector<std::string_view> known = {"name", "bind", "probe_interval", "probe_timeout"};
  EXPECT_EQ(closest_key("name", known), "name");
  EXPECT_EQ(closest_key("nmae", known), "name");            // a transposition: 2 edits
  EXPECT_EQ(closest_key("bnd", known), "bind");             // 1 deletion
  EXPECT_EQ(closest_key("probe_intervals", known), "probe_interval");
  EXPECT_EQ(closest_key("probe_timeot", known), "probe_timeout");
  EXPECT_EQ(closest_key("nxyz", known), "");                // 3 substitutions: no suggestion
  EXPECT_EQ(closest_key("", known), "");                    // every known key is 4+ edits away
  EXPECT_EQ(closest_key(std::string(100000, 'n'), known), "");
  EXPECT_EQ(closest_key("name", {}), "");
  // The first of equally near keys wins (the order of the known list is the documented order).
  EXPECT_EQ(closest_key("probe_timeou", {"probe_timeout", "probe_timeoux"}), "probe_timeout");
}

// The banded computation agrees with the full Levenshtein table on random short strings.
TEST(ConfigLoader, SuggestionMatchesFullEditDistance) {
  const unsigned seed = static_cast<unsigned>(::testing::UnitTest::GetInstance()->random_seed()) * 7919u + 1u;
  std::printf("seed %u\n", seed);
  std::mt19937 rng(seed);
  auto word = [&] {
    std::string w(rng() % 9, 'a');
    for (auto& c : w) c = static_cast<char>('a' + rng() % 3);
    return w;
  };
  auto full = [](const std::string& a, const std::string& b) {
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i)
      for (std::size_t j = 1; j <= b.size(); ++j)
        d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    return d[a.size()][b.size()];
  };
  for (int n = 0; n < 3000; ++n) {
    const std::string key = word(), k1 = word(), k2 = word();
    const std::size_t d1 = full(key, k1), d2 = full(key, k2);
    const std::string want = std::min(d1, d2) > 2 ? "" : d1 <= d2 ? k1 : k2;
    ASSERT_EQ(closest_key(key, {k1, k2}), want) << "key=" << key << " k1=" << k1 << " k2=" << k2 << " seed " << seed;
  }
}

TEST(ConfigLoader, ErrorsCarryFileLineAndColumn) {
  TempDir d;
  auto f = d.write("agent.toml", "[agent]\nname = \"a\"\n\n[gossip]\nmtu = 50\n");
  auto r = load_config(f, {}, {});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find(f.string() + ":5:7"), std::string::npos) << r.error().message();
}

TEST(ConfigLoader, AllProblemsAreReportedAtOnce) {
  TempDir d;
  auto f = d.write("agent.toml", "[agent]\nlog_level = \"x\"\n[gossip]\nmtu = 1\nbogus = 1\n");
  auto r = load_config(f, {}, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().problems.size(), 3u) << r.error().message();
}

TEST(ConfigLoader, TomlSyntaxErrorHasLocation) {
  TempDir d;
  auto f = d.write("agent.toml", "[agent]\nname = \"unterminated\n");
  auto r = load_config(f, {}, {});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find(f.string() + ":2:"), std::string::npos) << r.error().message();
}

TEST(ConfigLoader, MissingFileIsAnError) {
  auto r = load_config(fs::path("/nonexistent/agent.toml"), {}, {});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("/nonexistent/agent.toml"), std::string::npos);
}

TEST(ConfigLoader, EnvironmentOverridesFileAndOverridesOverrideBoth) {
  TempDir d;
  auto f = d.write("agent.toml", "[agent]\nname = \"from-file\"\nlog_level = \"warn\"\n[gossip]\nmtu = 1300\n");
  Environ env{{"ROLLCALL_AGENT_NAME", "from-env"},
              {"ROLLCALL_GOSSIP_MTU", "1400"},
              {"ROLLCALL_GOSSIP_SEEDS", "a:1, b:2,c"},
              {"ROLLCALL_SERVER_LABELS", "zone=a,rack=3"},
              {"ROLLCALL_AGENT_ALLOW_RESET", "true"},
              {"ROLLCALL_HTTP_HEADER_TIMEOUT", "2s"},
              {"PATH", "/usr/bin"}};
  auto r = load_config(f, env, {{"gossip.mtu", "1500"}, {"agent.log_level", "debug"}});
  ASSERT_TRUE(r.ok()) << errors_of(r);
  EXPECT_EQ(r->agent.name, "from-env");        // env beats file
  EXPECT_EQ(r->gossip.mtu, 1500u);             // override beats env and file
  EXPECT_EQ(r->agent.log_level, "debug");      // override beats file
  EXPECT_TRUE(r->agent.allow_reset);
  EXPECT_EQ(r->http.header_timeout, milliseconds(2000));
  ASSERT_EQ(r->gossip.seeds.size(), 3u);
  EXPECT_EQ(r->gossip.seeds[2].to_string(), "c:7950");
  EXPECT_EQ(r->server.labels.at("rack"), "3");
}

TEST(ConfigLoader, BadEnvironmentAndOverrideValuesNameTheirSource) {
  auto r = load_config(std::nullopt, {{"ROLLCALL_GOSSIP_MTU", "huge"}}, {{"http.idle_timeout", "forever"}});
  ASSERT_FALSE(r.ok());
  const auto msg = r.error().message();
  EXPECT_NE(msg.find("gossip.mtu: expected an integer, got \"huge\" (environment variable ROLLCALL_GOSSIP_MTU)"),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find("http.idle_timeout:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("(override http.idle_timeout)"), std::string::npos) << msg;
}

TEST(ConfigLoader, UnknownEnvironmentVariableAndOverrideKeyAreErrors) {
  auto r = load_config(std::nullopt, {{"ROLLCALL_GOSSIP_PROBE_INTERVALL", "1s"}}, {{"gossip.fanout", "3"}});
  ASSERT_FALSE(r.ok());
  const auto msg = r.error().message();
  EXPECT_NE(msg.find("unknown environment variable ROLLCALL_GOSSIP_PROBE_INTERVALL"), std::string::npos) << msg;
  EXPECT_NE(msg.find("did you mean \"ROLLCALL_GOSSIP_PROBE_INTERVAL\""), std::string::npos) << msg;
  EXPECT_NE(msg.find("gossip.fanout: unknown configuration key"), std::string::npos) << msg;
}

TEST(ConfigLoader, SecretVariablesAndReservedNamesAreNotUnknown) {
  Environ env{{"ROLLCALL_GOSSIP_KEY", kKeyA}, {"ROLLCALL_ADMIN_TOKEN", kToken}, {"ROLLCALL_HTTP_ADDR", "127.0.0.1:7951"},
              {"ROLLCALL_MY_TOKEN", "x"}, {"ROLLCALL_HTTP_ADMIN_TOKEN_ENV", "ROLLCALL_MY_TOKEN"}};
  auto r = load_config(std::nullopt, env, {});
  ASSERT_TRUE(r.ok()) << errors_of(r);
  EXPECT_EQ(r->http.admin_token.reveal(), "x");  // read from the renamed variable
  EXPECT_EQ(r->gossip.keyring.size(), 1u);
}

TEST(ConfigLoader, GossipKeysFromEnvironmentOrFile) {
  {
    auto r = load_config(std::nullopt, {{"ROLLCALL_GOSSIP_KEY", " " + kKeyA + "," + kKeyB + " "}}, {});
    ASSERT_TRUE(r.ok()) << errors_of(r);
    ASSERT_EQ(r->gossip.keyring.size(), 2u);
    EXPECT_EQ(r->gossip.keyring.primary_id(), gossip::crypto::Keyring::key_id(*gossip::crypto::Keyring::parse_key(kKeyA)));
    EXPECT_EQ(r->gossip.key_source, "environment variable ROLLCALL_GOSSIP_KEY");
  }
  {
    TempDir d;
    d.write("keyring", "# primary first\n" + kKeyB + "\n\n" + kKeyA + "\n");
    auto f = d.write("agent.toml", "[gossip]\nkey_file = \"keyring\"\n");  // relative to the file
    auto r = load_config(f, {{"ROLLCALL_GOSSIP_KEY", kKeyA}}, {});
    ASSERT_TRUE(r.ok()) << errors_of(r);
    ASSERT_EQ(r->gossip.keyring.size(), 2u);  // the file wins over the variable
    EXPECT_EQ(r->gossip.keyring.primary_id(), gossip::crypto::Keyring::key_id(*gossip::crypto::Keyring::parse_key(kKeyB)));
    EXPECT_TRUE(r->warnings.empty());
  }
}

TEST(ConfigLoader, BadKeyMaterialIsReportedWithoutEchoingIt) {
  const std::string bad = "c2VjcmV0LWJ1dC10b28tc2hvcnQ=";  // valid base64, wrong length
  {
    auto r = load_config(std::nullopt, {{"ROLLCALL_GOSSIP_KEY", bad}}, {});
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message().find("gossip.key_env: entry 1 of environment variable ROLLCALL_GOSSIP_KEY"),
              std::string::npos)
        << r.error().message();
    EXPECT_EQ(r.error().message().find(bad), std::string::npos);
  }
  {
    TempDir d;
    d.write("keyring", kKeyA + "\n" + bad + "\n");
    auto f = d.write("agent.toml", "[gossip]\nkey_file = \"keyring\"\n");
    auto r = load_config(f, {}, {});
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message().find("line 2 of"), std::string::npos) << r.error().message();
    EXPECT_EQ(r.error().message().find(bad), std::string::npos);
    EXPECT_EQ(r.error().message().find(kKeyA), std::string::npos);
  }
  {
    TempDir d;
    auto f = d.write("agent.toml", "[gossip]\nkey_file = \"missing-keyring\"\n");
    auto r = load_config(f, {}, {});
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message().find("gossip.key_file: cannot read"), std::string::npos) << r.error().message();
  }
}

TEST(ConfigLoader, WorldReadableSecretFileIsAWarning) {
  TempDir d;
  d.write("keyring", kKeyA + "\n", 0644);
  auto f = d.write("agent.toml", "[gossip]\nkey_file = \"keyring\"\n");
  auto r = load_config(f, {}, {});
  ASSERT_TRUE(r.ok()) << errors_of(r);
  ASSERT_EQ(r->warnings.size(), 1u);
  EXPECT_NE(r->warnings[0].find("chmod 600"), std::string::npos);
}

TEST(ConfigLoader, AdminTokenAndProductKeysAreLoaded) {
  TempDir d;
  d.write("token", kToken + "\n");
  d.write("product.key", kProductKey + "\n");
  auto f = d.write("agent.toml", R"(
[http]
admin_token_file = "token"
[[product.keys]]
name = "encryption"
file = "product.key"
[[product.keys]]
name = "machine"
env = "MACHINE_KEY"
[[product.keys]]
name = "unset"
env = "NOT_SET_ANYWHERE"
)");
  auto r = load_config(f, {{"MACHINE_KEY", "m-key"}}, {});
  ASSERT_TRUE(r.ok()) << errors_of(r);
  EXPECT_EQ(r->http.admin_token.reveal(), kToken);
  EXPECT_TRUE(r->http.admin_token.equals(kToken));
  EXPECT_FALSE(r->http.admin_token.equals(kToken + "x"));
  EXPECT_FALSE(r->http.admin_token.equals(""));
  ASSERT_EQ(r->product.keys.size(), 3u);
  EXPECT_EQ(r->product.keys[0].value.reveal(), kProductKey);
  EXPECT_EQ(r->product.keys[1].value.reveal(), "m-key");
  EXPECT_TRUE(r->product.keys[2].value.empty());
}

TEST(ConfigLoader, EmptyProductKeyListIsAllowed) {
  TempDir d;
  auto f = d.write("agent.toml", "[product]\nkeys = []\n");
  auto r = load_config(f, {}, {});
  ASSERT_TRUE(r.ok()) << errors_of(r);
  EXPECT_TRUE(r->product.keys.empty());
}

TEST(ConfigLoader, SecretsNeverAppearInDescribeOrErrors) {
  TempDir d;
  d.write("token", kToken);
  auto f = d.write("agent.toml", R"(
[http]
admin_token_file = "token"
[[product.keys]]
name = "encryption"
env = "PROGET_ENCRYPTION_KEY"
[[component]]
kind = "web"
version = "1"
)");
  Environ env{{"ROLLCALL_GOSSIP_KEY", kKeyA + "," + kKeyB}, {"PROGET_ENCRYPTION_KEY", kProductKey}};
  auto r = load_config(f, env, {});
  ASSERT_TRUE(r.ok()) << errors_of(r);
  const std::string text = describe(*r);
  for (const std::string& secret : {kKeyA, kKeyB, kToken, kProductKey}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << "secret leaked into describe():\n" << text;
    EXPECT_EQ(text.find(secret.substr(0, 12)), std::string::npos) << "secret prefix leaked:\n" << text;
  }
  EXPECT_NE(text.find("admin_token_file = \"token\""), std::string::npos) << text;
  EXPECT_NE(text.find("<set, redacted>"), std::string::npos) << text;
  EXPECT_NE(text.find("keys loaded: 2"), std::string::npos) << text;
  EXPECT_NE(text.find(gossip::crypto::Keyring::key_id(*gossip::crypto::Keyring::parse_key(kKeyA))), std::string::npos);

  // And a failing load whose inputs hold the same secrets says nothing of them either.
  Environ bad = env;
  bad["ROLLCALL_GOSSIP_MTU"] = "1";
  bad["ROLLCALL_UNKNOWN_SECRET"] = kToken;
  auto e = load_config(f, bad, {{"agent.name", ""}});
  ASSERT_FALSE(e.ok());
  for (const std::string& secret : {kKeyA, kKeyB, kToken, kProductKey}) {
    EXPECT_EQ(e.error().message().find(secret), std::string::npos) << e.error().message();
  }
}

TEST(ConfigLoader, DescribeOutputLoadsBackToTheSameConfig) {
  TempDir d;
  auto f = d.write("agent.toml", R"(
[agent]
name = "n1"
[gossip]
seeds = ["10.0.0.1:7950"]
probe_interval = "1500ms"
[server.labels]
zone = "a"
[[component]]
kind = "service"
version = "2024.1"
check = "tcp://127.0.0.1:33237"
)");
  auto r = load_config(f, {}, {});
  ASSERT_TRUE(r.ok()) << errors_of(r);
  auto again_file = d.write("again.toml", describe(*r));
  auto again = load_config(again_file, {}, {});
  ASSERT_TRUE(again.ok()) << errors_of(again) << "\n" << describe(*r);
  EXPECT_EQ(describe(*again).substr(describe(*again).find('\n')), describe(*r).substr(describe(*r).find('\n')));
}

}  // namespace config_loader_test
}  // namespace rollcall::daemon::config
