// Which gossip keys a node has installed (state key "keyring"): key ids only (a short hash of the
// key), never key material. Lets `rollcall keys use` check that every live member has a key.
#pragma once

#include <string>
#include <vector>

namespace rollcall::membership {

struct KeyringInfo {
  std::vector<std::string> installed;  // key ids
  std::string primary;                 // key id of the key this node encrypts with

  friend bool operator==(const KeyringInfo&, const KeyringInfo&) = default;
};

}  // namespace rollcall::membership
