#!/usr/bin/env bash
# The build and runtime steps of the Dockerfile, as one script, so that CI runs exactly the same
# steps outside Docker (no Docker engine runs here) and any drift shows. The Dockerfile calls this
# script for every step; .ci/run runs its deps, build and check steps (the build in the background
# while the tests run) — the same as `scripts/docker-steps.sh ci`.
#
#   docker-steps.sh deps                 build dependencies (scripts/bootstrap)
#   docker-steps.sh build DESTDIR        Release build, prefix /usr, `cmake --install` into DESTDIR
#   docker-steps.sh runtime-deps         install only the runtime libraries (the slim runtime stage)
#   docker-steps.sh runtime-packages     print that list, one per line
#   docker-steps.sh user                 create the rollcall user (uid/gid 10001) and own its dirs
#   docker-steps.sh check DESTDIR        drift check of a staged install (see check() below)
#   docker-steps.sh ci [DESTDIR]         deps + build + check: what CI runs (default DESTDIR: build-docker/stage)
#   docker-steps.sh package              after build: the .deb from the same build (cpack), path printed
#
# Environment: ROLLCALL_DOCKER_BUILD_DIR (default build-docker), ROLLCALL_DOCKER_JOBS (default nproc).
set -euo pipefail
cd "$(dirname "$0")/.."

# The runtime image gets these packages and nothing else (plus what debian:12-slim already has).
# `check` fails if the built binary needs a shared library from a package not listed here.
RUNTIME_PACKAGES=(libssl3 libspdlog1.10 libfmt9 libtomlplusplus3 libhttp-parser2.9 libstdc++6 libgcc-s1)
# Libraries every Debian 12 image has (Essential/required): never need listing.
BASE_PACKAGES=(libc6)
ROLLCALL_UID=10001
ROLLCALL_GID=10001

BUILD_DIR=${ROLLCALL_DOCKER_BUILD_DIR:-build-docker}
JOBS=${ROLLCALL_DOCKER_JOBS:-$(nproc)}

say() { echo "docker-steps: $*"; }
die() { echo "docker-steps: FAIL: $*" >&2; exit 1; }

deps() {
  scripts/bootstrap
}

build() {
  local dest=${1:?build needs DESTDIR}
  dest=$(realpath -m "$dest")
  cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
    -DROLLCALL_TESTS=OFF -DROLLCALL_BENCH=OFF -DROLLCALL_SANITIZE=OFF -DROLLCALL_UNITY_BUILD=ON
  cmake --build "$BUILD_DIR" --target rollcall -j "$JOBS"
  rm -rf "$dest"
  DESTDIR="$dest" cmake --install "$BUILD_DIR" --strip
  say "installed into $dest"
}

runtime_deps() {
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${RUNTIME_PACKAGES[@]}"
  apt-get clean
  rm -rf /var/lib/apt/lists/*
}

user() {
  getent group rollcall >/dev/null || groupadd --system --gid "$ROLLCALL_GID" rollcall
  getent passwd rollcall >/dev/null || useradd --system --uid "$ROLLCALL_UID" --gid rollcall \
    --home-dir /var/lib/rollcall --no-create-home --shell /usr/sbin/nologin rollcall
  install -d -m 0750 -o rollcall -g rollcall /var/lib/rollcall
  install -d -m 0750 -o root -g rollcall /etc/rollcall
  if [ -f /etc/rollcall/agent.toml ]; then
    chown root:rollcall /etc/rollcall/agent.toml
    chmod 0640 /etc/rollcall/agent.toml
  fi
}

# The package that owns a shared library file, e.g. libssl3 (architecture suffix dropped).
# (No `| head` here: under pipefail, dpkg -S killed by SIGPIPE after head exits failed the script.)
owner_of() {
  local file=$1 real out
  real=$(realpath "$file")
  out=$({ dpkg -S "$file" 2>/dev/null || dpkg -S "$real" 2>/dev/null ||
          dpkg -S "/usr$real" 2>/dev/null || dpkg -S "${real#/usr}" 2>/dev/null; } || true)
  out=${out%%$'\n'*}
  echo "${out%%:*}"
}

contains() {
  local want=$1; shift
  local x
  for x in "$@"; do [ "$x" = "$want" ] && return 0; done
  return 1
}

# Drift check of a staged install:
#  1. the layout the runtime stage copies exists (binary, default config, data dir);
#  2. every shared library the binary needs comes from RUNTIME_PACKAGES (or libc6);
#  3. every listed runtime package is really needed (warning only: libfmt9 etc. come indirectly);
#  4. the binary runs: `rollcall version`, and `rollcall health` (the HEALTHCHECK) fails cleanly
#     when nothing listens: exit 1 (failed) or 3 (unreachable), not 2 (usage: the subcommand or a
#     flag is missing) and not a crash.
check() {
  local dest=${1:?check needs DESTDIR}
  local bin=$dest/usr/bin/rollcall
  [ -x "$bin" ] || die "$bin missing (build step did not install the binary)"
  [ -f "$dest/etc/rollcall/agent.toml" ] || die "$dest/etc/rollcall/agent.toml missing (is cmake/Packaging.cmake included?)"
  [ -d "$dest/var/lib/rollcall" ] || die "$dest/var/lib/rollcall missing (is cmake/Packaging.cmake included?)"

  local needed=() lib path pkg used=() bad=0
  mapfile -t needed < <(objdump -p "$bin" | awk '/NEEDED/ {print $2}')
  [ "${#needed[@]}" -gt 0 ] || die "no NEEDED entries found in $bin"
  for lib in "${needed[@]}"; do
    # awk reads to the end (no early exit): ldconfig killed by SIGPIPE would fail under pipefail.
    path=$(ldconfig -p | awk -v l="$lib" '!f && $1 == l && /x86-64|x86_64|64bit/ {print $NF; f = 1}')
    [ -n "$path" ] || path=$(ldconfig -p | awk -v l="$lib" '!f && $1 == l {print $NF; f = 1}')
    [ -n "$path" ] || { echo "  $lib: not found by ldconfig"; bad=1; continue; }
    pkg=$(owner_of "$path")
    [ -n "$pkg" ] || { echo "  $lib ($path): no Debian package owns it"; bad=1; continue; }
    used+=("$pkg")
    if contains "$pkg" "${RUNTIME_PACKAGES[@]}" "${BASE_PACKAGES[@]}"; then
      echo "  $lib <- $pkg"
    else
      echo "  $lib <- $pkg   NOT in RUNTIME_PACKAGES"; bad=1
    fi
  done
  [ "$bad" = 0 ] || die "runtime package list drifted from what $bin links (edit RUNTIME_PACKAGES)"
  for pkg in "${RUNTIME_PACKAGES[@]}"; do
    contains "$pkg" "${used[@]}" || say "note: $pkg is listed but not linked directly (kept: a dependency of a linked library or of the C++ runtime)"
  done

  "$bin" version || die "'rollcall version' failed"
  local rc=0
  timeout 20 "$bin" health --http-addr 127.0.0.1:1 >/dev/null 2>&1 || rc=$?
  case "$rc" in
    1|3) ;;
    *) die "'rollcall health --http-addr 127.0.0.1:1' exited $rc, want 1 or 3 (HEALTHCHECK relies on it)" ;;
  esac
  say "check ok: $bin"
}

package() {
  [ -f "$BUILD_DIR/CPackConfig.cmake" ] || die "$BUILD_DIR/CPackConfig.cmake missing: run build first, and include cmake/Packaging.cmake"
  local out=$BUILD_DIR/packages
  rm -rf "$out"
  cpack -G DEB -B "$out" --config "$BUILD_DIR/CPackConfig.cmake" >&2
  ls "$out"/*.deb
}

cmd=${1:-}
shift || true
case "$cmd" in
  deps) deps ;;
  build) build "$@" ;;
  runtime-deps) runtime_deps ;;
  runtime-packages) printf '%s\n' "${RUNTIME_PACKAGES[@]}" ;;
  user) user ;;
  check) check "$@" ;;
  package) package ;;
  ci)
    dest=${1:-$BUILD_DIR/stage}
    deps
    build "$dest"
    check "$dest"
    ;;
  *) sed -n '2,14p' "$0" >&2; exit 2 ;;
esac
