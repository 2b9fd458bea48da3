#!/usr/bin/env bash
# Run the README's test command on a fresh Debian machine, N times in a row (issue #14).
#
# Usage (as root, on a Debian/Ubuntu host with debootstrap, git and util-linux's unshare):
#   bash scripts/fresh-machine.sh [--root DIR] [--runs N] [--repo REPO] [--reuse] [--rebuild]
#                                 [COMMIT] [-- PYTEST-ARGS...]
#
#   COMMIT      what to test (default: HEAD of this checkout); any commit REPO has
#   --root DIR  where the machine lives (default /var/tmp/breakd-fresh)
#   --runs N    how many runs in a row (default 3)
#   --repo REPO the repository to clone (default: the one this checkout belongs to)
#   --reuse     carry on with the machine the last invocation left (packages installed):
#               for quick reruns while fixing, not for the proof
#   --rebuild   bootstrap the base system again (otherwise it is made once and kept)
#   -- ARGS     run `bash scripts/test.sh ARGS` instead of CI's `bash .ci/run`, e.g.
#               `-- tests/e2e/test_daemon.py -x` (for reruns; the proof takes no ARGS)
#
# The machine: a minimal Debian of the host's release (debootstrap --variant=minbase: the
# Essential packages and apt, as in the debian container image CI jobs start from). No
# python3, git, sudo, gcc, X or D-Bus: whatever the test command needs it must install itself
# (test.sh installs python3 with python3-venv; it runs as root, as CI does, so no sudo).
# Kept pristine in DIR/base; each invocation runs on a copy-on-write overlay of it
# (DIR/upper, mounted at DIR/machine), so every invocation starts on a machine where none of
# the system packages were ever installed, and the N runs follow each other on that one
# machine, as on a CI runner or a developer's laptop.
#
# Only the network path is the host's: its /etc/resolv.conf, its apt sources and its local
# apt network settings (files in /etc/apt/apt.conf.d that no package owns and that set a
# proxy, or turn off the release-date checks for a snapshot mirror), so apt reaches the
# same mirrors. Where HTTPS goes through an intercepting proxy, the host's local CA
# certificates (/usr/local/share/ca-certificates) and its bundle go in too, and pip is pointed
# at the bundle (PIP_CERT), as on the host. Nothing else: no pip configuration, no local wheel
# index, no package cache.
#
# Each run: a fresh `git clone` of COMMIT into /root/run-I on the machine, then
# `CI=true bash .ci/run` in a chroot, in its own PID namespace (with its own /proc, so a
# test's pkill sees only that run, and what a run leaves running is listed in its log and then
# ended), logged to DIR/logs/STAMP/run-I.log. At the end: passed/failed/skipped counts and
# durations of every run (also in DIR/logs/STAMP/summary.txt). Exit status 0 when every run
# passed.
#
# Mounts (overlay, /proc, /sys, /dev, /dev/pts, a fresh /dev/shm and /run) live in a private
# mount namespace: they go when the script ends, however it ends (a trap unmounts them too).
set -euo pipefail

ROOT=/var/tmp/breakd-fresh
RUNS=3
REPO=""
REUSE=0
REBUILD=0
COMMIT=""
TEST_ARGS=()
SUITE=bookworm
SCRIPT="$(readlink -f "$0")"

usage() { sed -n '2,/^set -euo/p' "$SCRIPT" | sed '$d; s/^# \{0,1\}//'; }

while [ $# -gt 0 ] && [ "$1" != __inside__ ]; do
  case "$1" in
    --root) ROOT="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --repo) REPO="$2"; shift 2 ;;
    --reuse) REUSE=1; shift ;;
    --rebuild) REBUILD=1; shift ;;
    -h | --help) usage; exit 0 ;;
    --) shift; TEST_ARGS=("$@"); set --; break ;;
    -*) echo "unknown option $1" >&2; usage >&2; exit 2 ;;
    *) COMMIT="$1"; shift ;;
  esac
done

log() { echo "== fresh-machine: $*"; }

# --- inside: private mount and PID namespaces (re-executed by the outside part) ------------
inside() {
  local stamp_dir="$1"
  shift
  machine="$ROOT/machine"  # global: the EXIT trap runs after this function has returned
  local -a test_args=("$@")

  cleanup() {
    set +e
    # Mounts of a private namespace go with it anyway; unmount explicitly, innermost first.
    for m in run dev/shm dev/pts dev sys proc; do
      mountpoint -q "$machine/$m" && umount -l "$machine/$m"
    done
    mountpoint -q "$machine" && umount -l "$machine"
  }
  trap cleanup EXIT

  mkdir -p "$ROOT/upper" "$ROOT/work" "$machine"
  mount -t overlay breakd-fresh -o "lowerdir=$ROOT/base,upperdir=$ROOT/upper,workdir=$ROOT/work" \
    "$machine"
  mount -t sysfs -o ro sysfs "$machine/sys" 2>/dev/null || mount --rbind -o ro /sys "$machine/sys"
  mount --bind /dev "$machine/dev"
  mount --bind /dev/pts "$machine/dev/pts"
  mount -t tmpfs -o mode=1777,nosuid,nodev shm "$machine/dev/shm"
  mount -t tmpfs -o mode=755,nosuid,nodev run "$machine/run"
  mkdir -p "$machine/run/lock" && chmod 1777 "$machine/run/lock"

  local -a env_vars=(
    HOME=/root USER=root LOGNAME=root SHELL=/bin/bash LANG=C.UTF-8 TERM=dumb CI=true
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
    PYTEST_ADDOPTS=-rfEs  # the report only: failures, errors and every skip with its reason
  )
  [ -f "$ROOT/base/etc/breakd-fresh/pip-cert" ] &&
    env_vars+=(PIP_CERT="$(cat "$ROOT/base/etc/breakd-fresh/pip-cert")")

  local command='CI=true bash .ci/run'
  [ "${#test_args[@]}" -gt 0 ] && command="bash scripts/test.sh $(printf '%q ' "${test_args[@]}")"

  local i rc start end summary all_ok=0
  : >"$stamp_dir/summary.txt"
  for i in $(seq 1 "$RUNS"); do
    local checkout="/root/run-$i" runlog="$stamp_dir/run-$i.log"
    rm -rf "${machine:?}$checkout"
    git clone -q --no-hardlinks "$REPO" "$machine$checkout"
    git -C "$machine$checkout" -c advice.detachedHead=false checkout -q "$COMMIT"
    log "run $i of $RUNS: $command (commit $(git -C "$machine$checkout" rev-parse --short HEAD)), log $runlog"
    start=$(date +%s)
    set +e
    # Its own PID namespace and /proc: pkill in a test sees only this run, and whatever the
    # run leaves behind is listed, then ends with the namespace.
    unshare --pid --fork --kill-child --mount-proc="$machine/proc" \
      chroot "$machine" /usr/bin/env -i "${env_vars[@]}" /bin/bash -c '
        cd "$1" && eval "$2"; rc=$?
        if command -v ps >/dev/null; then  # this bash is PID 1 here: the rest was left over
          ps -eo pid=,args= >/tmp/fresh-machine-ps
          left=$(grep -vE "^ *1 |ps -eo pid=,args=\$" /tmp/fresh-machine-ps)
          [ -z "$left" ] || printf "== fresh-machine: still running after the run:\n%s\n" "$left"
        fi
        exit $rc' run "$checkout" "$command" </dev/null 2>&1 | tee "$runlog"
    rc=${PIPESTATUS[0]}
    set -e
    end=$(date +%s)
    summary=$(grep -E '^=+ .*[0-9]+ (passed|failed|error|errors|skipped).* in [0-9.]+s' "$runlog" |
      tail -1 | sed -E 's/^=+ //; s/ =+$//' || true)  # none for a --co run
    printf 'run %s: exit %s, %s s in all; pytest: %s\n' \
      "$i" "$rc" "$((end - start))" "${summary:-no pytest summary (see the log)}" |
      tee -a "$stamp_dir/summary.txt"
    [ "$rc" -eq 0 ] || all_ok=1
  done
  log "summary ($stamp_dir/summary.txt):"
  cat "$stamp_dir/summary.txt"
  return "$all_ok"
}

# --- outside ------------------------------------------------------------------------------
[ "$(id -u)" -eq 0 ] || { echo "fresh-machine.sh needs root (debootstrap, mounts, chroot)" >&2; exit 2; }
for tool in debootstrap git unshare chroot mountpoint; do
  command -v "$tool" >/dev/null || { echo "fresh-machine.sh needs $tool (apt-get install debootstrap git util-linux)" >&2; exit 2; }
done

if [ "${1:-}" = "__inside__" ]; then
  shift
  ROOT="$1" RUNS="$2" REPO="$3" COMMIT="$4"
  shift 4
  inside "$@"
  exit
fi

[ -n "$REPO" ] || REPO="$(cd "$(dirname "$SCRIPT")/.." && readlink -f "$(git rev-parse --git-common-dir)")"
[ -n "$COMMIT" ] || COMMIT="$(git -C "$(dirname "$SCRIPT")" rev-parse HEAD)"
if [ -e "$REPO" ]; then  # a local repository: name the commit in full (a URL is taken as is)
  COMMIT="$(git --git-dir="$REPO" rev-parse --verify "$COMMIT^{commit}" 2>/dev/null ||
    git -C "$REPO" rev-parse --verify "$COMMIT^{commit}")"
fi
. /etc/os-release
[ "${VERSION_CODENAME:-}" = "$SUITE" ] ||
  log "note: the host is ${VERSION_CODENAME:-unknown}, the machine is $SUITE"

bootstrap() {
  local base="$ROOT/base"
  local mirror
  mirror="$(grep -hsE '^(URIs:|deb )' /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
    /etc/apt/sources.list.d/*.sources | grep -oE 'https?://[^ ]+/debian/?$' | head -1 || true)"
  mirror="${mirror:-http://deb.debian.org/debian}"
  log "bootstrapping a minimal Debian $SUITE into $base from $mirror"
  rm -rf "$base" "$base.partial"
  mkdir -p "$base.partial"
  # In a private mount namespace: debootstrap's own /proc and /sys mounts go with it.
  unshare --mount --propagation private \
    debootstrap --variant=minbase "$SUITE" "$base.partial" "$mirror"

  log "giving it the host's network path (DNS, apt sources and proxy settings, CA certificates)"
  cp -L /etc/resolv.conf "$base.partial/etc/resolv.conf"
  [ -s "$base.partial/etc/hosts" ] ||
    printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >"$base.partial/etc/hosts"
  rm -f "$base.partial/etc/apt/sources.list"
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] && cp "$f" "$base.partial$f"
  done
  for f in /etc/apt/apt.conf /etc/apt/apt.conf.d/*; do
    [ -f "$f" ] || continue
    dpkg -S "$f" >/dev/null 2>&1 && continue  # a package's own setting, not the network's
    grep -qiE '^[^#/]*(Acquire::([a-z]+::)?proxy|Check-Valid-Until|Check-Date)' "$f" &&
      cp "$f" "$base.partial$f" && log "  apt: $f"
  done
  if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
    mkdir -p "$base.partial/usr/local/share/ca-certificates" "$base.partial/etc/ssl/certs" \
      "$base.partial/etc/breakd-fresh"
    cp /usr/local/share/ca-certificates/*.crt "$base.partial/usr/local/share/ca-certificates/"
    cp -L /etc/ssl/certs/ca-certificates.crt "$base.partial/etc/ssl/certs/ca-certificates.crt"
    echo /etc/ssl/certs/ca-certificates.crt >"$base.partial/etc/breakd-fresh/pip-cert"
    log "  local CA certificates: $(ls /usr/local/share/ca-certificates | tr '\n' ' ')"
  fi
  # As a cloud image or container ships: no package lists (test.sh must run apt-get update).
  rm -rf "$base.partial/var/lib/apt/lists/"* "$base.partial/var/cache/apt/"*.bin
  mv "$base.partial" "$base"
  touch "$base/.breakd-fresh-base"
}

mkdir -p "$ROOT"
exec 9>"$ROOT/lock"  # held until the end (inherited by the namespaces): one machine, one user
flock -n 9 || { echo "another fresh-machine.sh is running on $ROOT" >&2; exit 2; }
if [ "$REBUILD" -eq 1 ] || [ ! -e "$ROOT/base/.breakd-fresh-base" ]; then
  bootstrap
fi
if [ "$REUSE" -eq 0 ]; then
  log "a fresh machine: dropping what the last invocation installed ($ROOT/upper)"
  rm -rf "$ROOT/upper" "$ROOT/work"
fi
STAMP_DIR="$ROOT/logs/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$STAMP_DIR"
log "commit $COMMIT from $REPO, $RUNS run(s), logs in $STAMP_DIR"

# The child is killed if this script dies, and with it every process of its namespaces.
exec unshare --mount --propagation private --pid --fork --kill-child \
  bash "$SCRIPT" __inside__ "$ROOT" "$RUNS" "$REPO" "$COMMIT" "$STAMP_DIR" ${TEST_ARGS[@]+"${TEST_ARGS[@]}"}
