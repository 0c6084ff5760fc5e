// Internal to the codec's .cpp files: the number of fields of an aggregate, at compile time. The
// codec static_asserts every encoded struct's field count, so adding a field to Messages.h or to a
// membership value type without teaching the codec fails the build instead of silently dropping it.
#pragma once

#include <cstddef>

namespace rollcall::gossip::wire::detail {

struct AnyField {
  template <class T>
  operator T() const;  // declared only: used in unevaluated brace-initialization
};

template <class T, class... Fields>
constexpr std::size_t field_count() {
  if constexpr (requires { T{Fields{}..., AnyField{}}; }) {
    return field_count<T, Fields..., AnyField>();
  } else {
    return sizeof...(Fields);
  }
}

}  // namespace rollcall::gossip::wire::detail
