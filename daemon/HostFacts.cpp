#include "daemon/HostFacts.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace rollcall::daemon {

namespace {
std::string unquote(std::string v) {
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) return v.substr(1, v.size() - 2);
  return v;
}

std::string sha256_hex16(const std::string& data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < 8 && i < len; ++i) {
    out += hex[md[i] >> 4];
    out += hex[md[i] & 15];
  }
  return out;
}
}  // namespace

HostFacts HostFacts::read(const std::string& os_release_path, const std::string& machine_id_path) {
  HostFacts f;
  char host[256] = {0};
  if (gethostname(host, sizeof host - 1) == 0) f.hostname = host;

  std::ifstream os(os_release_path);
  std::string line;
  while (std::getline(os, line)) {
    auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    const auto key = line.substr(0, eq);
    const auto value = unquote(line.substr(eq + 1));
    if (key == "NAME") f.os_name = value;
    if (key == "VERSION_ID") f.os_version = value;
  }
  if (f.os_name.empty()) f.os_name = "Linux";

  std::ifstream mid(machine_id_path);
  std::string id;
  if (mid >> id && !id.empty()) f.host_id = sha256_hex16(id);

  std::vector<std::string> loopback;
  ifaddrs* ifs = nullptr;
  if (getifaddrs(&ifs) == 0) {
    for (auto* i = ifs; i; i = i->ifa_next) {
      if (!i->ifa_addr || !(i->ifa_flags & IFF_UP)) continue;
      char buf[INET6_ADDRSTRLEN] = {0};
      const int fam = i->ifa_addr->sa_family;
      if (fam == AF_INET) {
        inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(i->ifa_addr)->sin_addr, buf, sizeof buf);
      } else if (fam == AF_INET6) {
        auto* a6 = reinterpret_cast<sockaddr_in6*>(i->ifa_addr);
        if (IN6_IS_ADDR_LINKLOCAL(&a6->sin6_addr)) continue;
        inet_ntop(AF_INET6, &a6->sin6_addr, buf, sizeof buf);
      } else {
        continue;
      }
      ((i->ifa_flags & IFF_LOOPBACK) ? loopback : f.addresses).push_back(buf);
    }
    freeifaddrs(ifs);
  }
  if (f.addresses.empty()) f.addresses = loopback;
  return f;
}

}  // namespace rollcall::daemon
