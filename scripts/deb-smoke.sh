#!/usr/bin/env bash
# Installs the rollcall Debian package on a CLEAN Debian 12 root (debootstrap minbase, in a
# chroot) and checks it like a user would: apt resolves its Depends from the archive, postinst
# creates the rollcall user and directories, `rollcall version` runs, a one-node `rollcall agent`
# started as user rollcall answers /health on 127.0.0.1 and leaves cleanly on SIGTERM (exit 0),
# and `apt-get purge` removes it. For .ci/run (needs root and the Debian mirror).
#
#   scripts/deb-smoke.sh PATH/TO/rollcall_*.deb [--base DIR] [--systemd]
#
# --systemd:  install Debian's systemd in the root first, so postinst takes the path real servers
#             take (systemd-sysusers and systemd-tmpfiles) instead of useradd (containers).
# --base DIR: a cached clean root; created by debootstrap if missing, then copied for each run
#             (so repeated runs take seconds). Default: no cache, a fresh debootstrap (~1-2 min).
set -euo pipefail

deb=${1:?usage: deb-smoke.sh PACKAGE.deb [--base DIR]}
deb=$(realpath "$deb")
shift
base=""
with_systemd=0
while [ $# -gt 0 ]; do
  case "$1" in
    --base) base=${2:?--base needs a directory}; shift 2 ;;
    --systemd) with_systemd=1; shift ;;
    *) echo "deb-smoke: unknown option $1" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "deb-smoke: needs root (chroot, mounts)" >&2; exit 2; }
[ -f "$deb" ] || { echo "deb-smoke: no such package $deb" >&2; exit 2; }

say() { echo "deb-smoke: $*"; }
fail() { echo "deb-smoke: FAIL: $*" >&2; exit 1; }

if ! command -v debootstrap >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap
fi

work=$(mktemp -d /tmp/rollcall-deb-smoke.XXXXXX)
root=$work/root
agent_pid=""
cleanup() {
  if [ -n "$agent_pid" ] && kill -0 "$agent_pid" 2>/dev/null; then kill -KILL "$agent_pid" || true; fi
  for m in dev/pts dev proc sys; do
    mountpoint -q "$root/$m" 2>/dev/null && umount -l "$root/$m"
  done
  rm -rf "$work"
}
trap cleanup EXIT

bootstrap() {
  debootstrap --variant=minbase bookworm "$1" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 ||
    { tail -20 "$work/debootstrap.log"; fail "debootstrap"; }
}
if [ -n "$base" ]; then
  if [ ! -x "$base/usr/bin/apt-get" ]; then
    say "creating clean base root $base"
    bootstrap "$base"
  fi
  cp -a "$base" "$root"
else
  say "debootstrap bookworm minbase"
  bootstrap "$root"
fi

mount -t proc proc "$root/proc"
mount -t sysfs sys "$root/sys"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
cp /etc/resolv.conf "$root/etc/resolv.conf"
in_root() { chroot "$root" "$@"; }

cp "$deb" "$root/tmp/"
pkg=/tmp/$(basename "$deb")
in_root apt-get update -q >/dev/null
if [ "$with_systemd" = 1 ]; then
  say "installing systemd in the root (postinst will use systemd-sysusers/tmpfiles)"
  DEBIAN_FRONTEND=noninteractive in_root apt-get install -y -q --no-install-recommends systemd >"$work/systemd.log" 2>&1 ||
    { tail -20 "$work/systemd.log"; fail "installing systemd"; }
fi
say "apt-get install $pkg (resolving Depends from the archive)"
DEBIAN_FRONTEND=noninteractive in_root apt-get install -y -q --no-install-recommends "$pkg" >"$work/install.log" 2>&1 ||
  { tail -30 "$work/install.log"; fail "apt-get install of the package"; }

in_root getent passwd rollcall >/dev/null || fail "postinst did not create the rollcall user"
[ "$(in_root stat -c '%U:%G %a' /var/lib/rollcall)" = "rollcall:rollcall 750" ] ||
  fail "/var/lib/rollcall is $(in_root stat -c '%U:%G %a' /var/lib/rollcall), want rollcall:rollcall 750"
[ "$(in_root stat -c '%U:%G %a' /etc/rollcall/agent.toml)" = "root:rollcall 640" ] ||
  fail "/etc/rollcall/agent.toml is $(in_root stat -c '%U:%G %a' /etc/rollcall/agent.toml), want root:rollcall 640"
[ -f "$root/usr/lib/systemd/system/rollcall.service" ] || fail "systemd unit not installed"
if [ "$with_systemd" = 1 ]; then
  out=$(in_root systemd-analyze verify --man=no /usr/lib/systemd/system/rollcall.service 2>&1) ||
    fail "systemd-analyze verify of the installed unit: $out"
  [ -z "$out" ] || fail "systemd-analyze verify warnings: $out"
  say "systemd-analyze verify of the installed unit ok"
fi
in_root rollcall version || fail "rollcall version"
say "rollcall version ok"

ports=$(python3 -c 'import socket
def free(kind):
    s = socket.socket(socket.AF_INET, kind); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p
print(free(socket.SOCK_STREAM), free(socket.SOCK_DGRAM))')
read -r http_port gossip_port <<<"$ports"
key=$(head -c 32 /dev/urandom | base64)
token=$(head -c 24 /dev/urandom | base64)
# The agent as its own user, with the packaged config; key and token only in its environment.
chroot "$root" setpriv --reuid=rollcall --regid=rollcall --init-groups \
  env -i PATH=/usr/bin:/bin ROLLCALL_AGENT_NAME=deb-smoke \
  ROLLCALL_GOSSIP_BIND="127.0.0.1:$gossip_port" ROLLCALL_HTTP_BIND="127.0.0.1:$http_port" \
  ROLLCALL_GOSSIP_KEY="$key" ROLLCALL_ADMIN_TOKEN="$token" \
  rollcall agent --config /etc/rollcall/agent.toml >"$work/agent.log" 2>&1 &
agent_pid=$!
healthy=0
for _ in $(seq 1 200); do
  kill -0 "$agent_pid" 2>/dev/null || break
  if in_root rollcall health --http-addr "127.0.0.1:$http_port" >/dev/null 2>&1; then healthy=1; break; fi
  sleep 0.1
done
[ "$healthy" = 1 ] || { cat "$work/agent.log"; fail "agent did not become healthy within 20 s"; }
say "one-node agent healthy on 127.0.0.1:$http_port"
[ -n "$(ls -A "$root/var/lib/rollcall")" ] || fail "agent wrote nothing to /var/lib/rollcall"
kill -TERM "$agent_pid"
rc=0
for _ in $(seq 1 300); do kill -0 "$agent_pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$agent_pid" 2>/dev/null; then fail "agent still running 30 s after SIGTERM"; fi
wait "$agent_pid" || rc=$?
agent_pid=""
[ "$rc" = 0 ] || { cat "$work/agent.log"; fail "agent exited $rc after SIGTERM, want 0"; }
if grep -qF -e "$key" -e "$token" "$work/agent.log"; then fail "a secret appears in the agent's log"; fi
say "graceful stop ok"

DEBIAN_FRONTEND=noninteractive in_root apt-get purge -y -q rollcall >"$work/purge.log" 2>&1 ||
  { tail -20 "$work/purge.log"; fail "apt-get purge"; }
[ ! -e "$root/usr/bin/rollcall" ] || fail "binary left after purge"
[ ! -e "$root/var/lib/rollcall" ] || fail "data directory left after purge"
[ ! -e "$root/etc/rollcall" ] || fail "/etc/rollcall left after purge"
say "purge ok"
say "PASS $(basename "$deb")"
