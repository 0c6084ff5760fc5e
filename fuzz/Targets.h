// The fuzz harnesses, one function per target, each fed one input (libFuzzer's convention: return
// 0). Called by fuzz/Entry.cpp (the clang libFuzzer binaries) and by tests/fuzz_regressions (the
// gcc test binary replaying the corpora and every crash found; the list is in TargetList.h).
// A harness reports a bug by aborting through check() or by tripping a sanitizer; never throws.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace rollcall::fuzz {

using Input = std::span<const std::uint8_t>;
using Harness = int (*)(Input);

int wire_decode(Input in);     // gossip::wire::decode_packet, with a re-encode round trip
int envelope_open(Input in);   // gossip::crypto::Envelope::open (sealed and plaintext), seal round trip
int engine(Input in);          // gossip::Engine fed datagrams, stream frames, replies and timers
int http_server(Input in);     // daemon::http::Server, raw bytes over a loopback TCP connection
int config_load(Input in);     // daemon::config::load_config with the input as the TOML file
int datadir_load(Input in);    // daemon::persist::DataDir::open and loads over fuzzed files
int datadir_files(Input in);   // daemon::persist::DataDirFiles: each file's decoder, in memory
int api_config(Input in);      // daemon::api::config_from_json and the ModelJson decoders
int api_agent(Input in);       // write API requests (config, keys, components, removals) to an agent

// Aborts with "fuzz <target>: <what>" on stderr when `ok` is false: a harness's own oracle
// (round trips, invariants) failed. Works the same in the fuzzers and in the regression tests.
void check(bool ok, std::string_view target, std::string_view what);

}  // namespace rollcall::fuzz
