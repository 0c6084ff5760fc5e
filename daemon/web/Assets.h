// The web page's static files (everything under web/), embedded in the binary at build time so an
// agent serves its Cluster Overview page with no files on disk and no network beyond itself.
// Called by the HTTP layer for GET requests that are not API routes; safe from any thread
// (the table is immutable, built at compile time).
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

namespace rollcall::daemon::web {

struct Asset {
  std::string_view path;          // request path, e.g. "/index.html", "/app.js" (always starts '/')
  std::string_view content_type;  // e.g. "text/html; charset=utf-8"
  std::string_view body;          // the file's bytes
  std::string_view etag;          // strong validator, quoted: "\"<16 hex of sha256>\""
};

// The asset for a request path. "/" maps to "/index.html"; a query string ("?...") or fragment is
// ignored. nullptr if no asset has that path (the caller answers 404).
const Asset* find_asset(std::string_view path);

// Every embedded asset, sorted by path (for listings, tests and cache warm-up).
std::span<const Asset> all_assets();

}  // namespace rollcall::daemon::web
