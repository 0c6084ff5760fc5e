// Lookup over the generated asset table (see daemon/web_assets.cmake, which writes
// web_assets_table.inc into the build tree from every file under web/).
#include "daemon/web/Assets.h"

#include <algorithm>
#include <array>

namespace rollcall::daemon::web {
namespace {

#include "web_assets_table.inc"  // defines: constexpr std::array<Asset, N> kAssets (sorted by path)

static_assert(std::is_sorted(kAssets.begin(), kAssets.end(),
                             [](const Asset& a, const Asset& b) { return a.path < b.path; }),
              "generated asset table must be sorted by path");

}  // namespace

const Asset* find_asset(std::string_view path) {
  const auto cut = path.find_first_of("?#");
  if (cut != std::string_view::npos) path = path.substr(0, cut);
  if (path.empty() || path == "/") path = "/index.html";
  const auto it = std::lower_bound(kAssets.begin(), kAssets.end(), path,
                                   [](const Asset& a, std::string_view p) { return a.path < p; });
  if (it == kAssets.end() || it->path != path) return nullptr;
  return &*it;
}

std::span<const Asset> all_assets() { return {kAssets.data(), kAssets.size()}; }

}  // namespace rollcall::daemon::web
