// Records the largest single operator-new request made while an AllocScope is alive (this test
// binary replaces the global operator new). Lets tests assert "no big allocation" on hostile input.
#pragma once

#include <cstddef>

namespace rollcall::gossip::wire::testing {

class AllocScope {
 public:
  AllocScope();
  ~AllocScope();
  std::size_t largest() const;
};

}  // namespace rollcall::gossip::wire::testing
