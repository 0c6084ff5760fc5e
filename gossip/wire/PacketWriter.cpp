#include "gossip/wire/PacketWriter.h"

#include "gossip/wire/Messages.h"

#include <cstring>

namespace rollcall::gossip::wire {

PacketWriter::PacketWriter(std::size_t limit) { reset(limit); }

std::size_t PacketWriter::size() const { return 1 + header_size(count_) + (buf_.size() - kGap); }

std::size_t PacketWriter::remaining() const {
  const std::size_t s = size();
  return s < limit_ ? limit_ - s : 0;
}

bool PacketWriter::add(std::span<const std::uint8_t> m) {
  const std::size_t body = buf_.size() - kGap;
  const std::size_t after = 1 + header_size(count_ + 1) + body + m.size();
  if (m.empty() || after > limit_ || after < body) return false;
  const std::size_t old = buf_.size();
  buf_.resize(old + m.size());
  std::memcpy(buf_.data() + old, m.data(), m.size());
  ++count_;
  return true;
}

std::span<const std::uint8_t> PacketWriter::view() {
  const std::size_t h = header_size(count_);
  const std::size_t start = kGap - 1 - h;  // where the version byte goes
  std::uint8_t* p = buf_.data() + start;
  *p++ = kProtocolVersion;
  const auto n = static_cast<std::uint32_t>(count_);
  if (h == 1) {
    *p = static_cast<std::uint8_t>(0x90 | n);
  } else if (h == 3) {
    p[0] = 0xdc;
    p[1] = static_cast<std::uint8_t>(n >> 8);
    p[2] = static_cast<std::uint8_t>(n);
  } else {
    p[0] = 0xdd;
    p[1] = static_cast<std::uint8_t>(n >> 24);
    p[2] = static_cast<std::uint8_t>(n >> 16);
    p[3] = static_cast<std::uint8_t>(n >> 8);
    p[4] = static_cast<std::uint8_t>(n);
  }
  return std::span<const std::uint8_t>(buf_).subspan(start);
}

void PacketWriter::clear() {
  count_ = 0;
  buf_.resize(kGap);
}

void PacketWriter::reset(std::size_t limit) {
  limit_ = limit;
  clear();
  buf_.reserve(limit < 64 * 1024 ? limit + kGap : kGap + 4096);
}

std::vector<std::uint8_t> PacketWriter::finish() {
  const auto packet = view();
  std::vector<std::uint8_t> out(packet.begin(), packet.end());
  clear();
  return out;
}

}  // namespace rollcall::gossip::wire
