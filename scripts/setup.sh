#!/usr/bin/env bash
# What `npm run demo` and `npm test` run first, on any machine: checks what is
# missing, installs it where it can (root with apt) or prints the exact
# command and stops where it cannot, starts the Docker daemon, installs the
# node packages, then runs the demo or the tests. A second run finds
# everything in place and goes straight on.
#
#   scripts/setup.sh demo|test [--check]     --check: say what is missing, change nothing (exit 3 if anything is)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-}
check=${2:-}
case "$mode" in demo | test) ;; *) echo "usage: scripts/setup.sh demo|test [--check]" >&2; exit 2 ;; esac
export DEBIAN_FRONTEND=noninteractive NEXT_TELEMETRY_DISABLED=1
say() { echo "setup: $*"; }
root=0
[ "$(id -u)" = 0 ] && root=1

# --- what is needed -------------------------------------------------------------------------------------------
need=()
want() { need+=("$1"); }
have() { command -v "$1" >/dev/null 2>&1; }
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
static_cc() { have cc && printf 'int main(void){return 0;}\n' | cc -static -x c -o /dev/null - >/dev/null 2>&1; }

have git || want git
docker_up() { docker info >/dev/null 2>&1; }
# The client, and the daemon unless one already answers (a machine may come with the client only).
if ! have docker; then want docker.io; elif ! docker_up && ! have dockerd; then want docker.io; fi
static_cc || { have cc || want gcc; want libc6-dev; }
# busybox-static: the demo's and the tests' images are FROM scratch with Debian's static busybox.
installed busybox-static || want busybox-static
# better-sqlite3 compiles itself where its prebuilt binary cannot be fetched.
have make || want make
have g++ || want g++
have python3 || want python3
vm=0
if [ "$mode" = test ]; then
  have musl-gcc || want musl-tools
  have chromium || want chromium
  have qemu-system-x86_64 || want qemu-system-x86
  have taskset || want util-linux
  have redis-server || want redis-server
  have mmdebstrap || want mmdebstrap
  vm=1
elif grep -qs '^executor: *vm' "${AOCBENCH_CONFIG:-config/aocbench.yaml}"; then
  # The demo runs in Docker; an instance configured for the VM executor needs QEMU and the guest kernel too.
  have qemu-system-x86_64 || want qemu-system-x86
  vm=1
fi
kdir=/usr/local/share/aocbench/kernel
kernel=0
if [ "$vm" = 1 ] && ! ls "$kdir"/boot/vmlinuz-* >/dev/null 2>&1; then kernel=1; fi
# The packages installed from this very package-lock.json (by content: a checkout or a pull touches its date).
lock_sum() { sha256sum package-lock.json | cut -c1-64; }
modules_current() { [ -f node_modules/.aocbench-lock ] && [ "$(cat node_modules/.aocbench-lock)" = "$(lock_sum)" ]; }

if [ "$check" = --check ]; then
  todo=0
  [ ${#need[@]} -gt 0 ] && { say "missing packages: ${need[*]}"; todo=1; }
  [ "$kernel" = 1 ] && { say "missing: the VM guest kernel in $kdir"; todo=1; }
  { have docker && docker_up; } || { say "the Docker daemon is not running"; todo=1; }
  modules_current || { say "node packages to install (npm ci)"; todo=1; }
  [ "$todo" = 0 ] && say "everything is in place"
  exit $((todo * 3))
fi

# --- install what is missing ------------------------------------------------------------------------------------
apt_updated=0
apt_quiet() { apt-get -qq -o Dpkg::Use-Pty=0 "$@" >/tmp/aocbench-setup-apt.log 2>&1 || { tail -20 /tmp/aocbench-setup-apt.log >&2; return 1; }; }
if [ ${#need[@]} -gt 0 ]; then
  if [ "$root" = 1 ] && have apt-get; then
    say "installing ${need[*]} (apt-get; log in /tmp/aocbench-setup-apt.log)"
    apt_quiet update && apt_updated=1
    apt_quiet install -y "${need[@]}"
  elif have apt-get; then
    say "missing: ${need[*]}. Install them, then run this again:"
    echo "  sudo apt-get install -y ${need[*]}"
    exit 1
  else
    say "missing: ${need[*]} (Debian package names). Install them with your system's package manager, then run this again."
    exit 1
  fi
fi

if [ "$kernel" = 1 ]; then
  # Debian's cloud kernel package, unpacked where aocbench looks (not installed): docs/vm.md.
  if [ "$root" != 1 ]; then
    say "the VM executor needs Debian's cloud kernel in $kdir; as root, run this again (or see docs/vm.md#guest-kernel)"
    exit 1
  fi
  say "fetching the VM guest kernel into $kdir"
  [ "$apt_updated" = 1 ] || apt_quiet update
  pkg=$(apt-cache depends linux-image-cloud-amd64 | sed -n 's/.*Depends: \(linux-image-[0-9].*-cloud-amd64\)$/\1/p' | head -1)
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get download "$pkg" >/dev/null 2>&1 && mkdir -p "$kdir" && dpkg-deb -x "$pkg"_*.deb "$kdir")
  rm -rf "$tmp"
  ls "$kdir"/boot/vmlinuz-* >/dev/null 2>&1 || { say "could not fetch the guest kernel ($pkg)"; exit 1; }
fi

# --- start what must run ----------------------------------------------------------------------------------------
if ! docker_up; then
  if [ "$root" = 1 ]; then
    say "starting the Docker daemon (log in /var/log/dockerd.log)"
    if [ -d /run/systemd/system ] && have systemctl; then
      systemctl start docker
    else
      (setsid dockerd >/var/log/dockerd.log 2>&1 &)
    fi
    for _ in $(seq 1 60); do docker_up && break; sleep 1; done
    docker_up || { say "the Docker daemon did not start:"; tail -20 /var/log/dockerd.log >&2 || true; exit 1; }
  else
    say "the Docker daemon is not running, or this user may not use it. Start it and run this again:"
    echo "  sudo systemctl start docker    # and, to use it without sudo: sudo usermod -aG docker ${USER:-$(id -un)} (then log in again)"
    exit 1
  fi
fi

if [ "$mode" = test ]; then
  # The tests commit to git repositories of their own.
  git config --global user.email >/dev/null 2>&1 || git config --global user.email setup@aocbench.local
  git config --global user.name >/dev/null 2>&1 || git config --global user.name "aocbench tests"
fi

if ! modules_current; then
  say "installing the node packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  lock_sum >node_modules/.aocbench-lock
fi

# --- and go -----------------------------------------------------------------------------------------------------
if [ "$mode" = demo ]; then exec node bin/aocbench.js demo --serve; fi
exec npm run --silent test:run
