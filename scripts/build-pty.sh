#!/usr/bin/env bash
# Cross-compiles node-pty's native addon for the ARM CPUs Raspberry Pis run: linux-arm64
# (64-bit OS) and linux-arm (32-bit OS, armv7 hard-float as Debian's armhf), and builds
# linux-x64 the same way (npm's own build links this machine's newer glibc), into
# build/pty/linux-<arch>/pty.node, where scripts/build-agent.mjs picks them up for the agent's
# manifest. node-pty 1.1 uses Node-API, so one build per CPU serves every Node.js version.
#
# Offline: node-gyp gets this machine's Node headers (--nodedir) instead of downloading them.
# The build runs in a temporary copy, so node_modules/node-pty/build (this machine's own x64
# addon, which the local agent loads) is never touched.
# Needs Debian's cross compilers: g++-aarch64-linux-gnu and g++-arm-linux-gnueabihf (and g++
# for x64 on an x64 machine).
#
#   Usage: bash scripts/build-pty.sh [x64] [arm64] [arm]     (the ARM ones when none is named)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NODE_GYP=$ROOT/node_modules/.bin/node-gyp
PTY_SRC=$ROOT/node_modules/node-pty
ADDON_API=$ROOT/node_modules/node-addon-api
# the prefix that holds include/node (common.gypi, node_api.h): /usr for Debian's nodejs
NODE_DIR=$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")

[[ -x $NODE_GYP ]] || { echo "build-pty.sh: $NODE_GYP is missing (run npm install)" >&2; exit 1; }
[[ -f $NODE_DIR/include/node/node_api.h ]] || {
  echo "build-pty.sh: no Node.js headers in $NODE_DIR/include/node (Debian: apt-get install libnode-dev)" >&2
  exit 1
}

# Node's arch name -> compiler triplet, Debian package, ELF header, extra compiler flags
triplet() { case $1 in x64) echo x86_64-linux-gnu ;; arm64) echo aarch64-linux-gnu ;; arm) echo arm-linux-gnueabihf ;; esac; }
package() { case $1 in x64) echo g++ ;; *) echo "g++-$(triplet "$1")" ;; esac; }
# readelf -h's Class and Machine (readelf comes with the compilers; `file` may not be installed)
elf_header() { case $1 in x64) echo 'ELF64 Advanced' ;; arm64) echo 'ELF64 AArch64' ;; arm) echo 'ELF32 ARM' ;; esac; }
# armv7 as Debian's armhf and Raspberry Pi OS (32-bit) build it: runs on a Pi 2 and every later Pi
cpu_flags() { case $1 in arm) echo '-march=armv7-a -mfpu=vfpv3-d16 -mfloat-abi=hard' ;; *) echo '' ;; esac; }
# glibc's first version on that CPU: see compat_header
glibc_base() { case $1 in x64) echo GLIBC_2.2.5 ;; arm64) echo GLIBC_2.17 ;; arm) echo GLIBC_2.4 ;; esac; }

# The newest glibc a build may need: 2.28, Debian 10 and Raspberry Pi OS "Buster". Linked as is
# against this machine's glibc 2.36, the addon would need 2.34 (forkpty and openpty moved into
# libc) and so fail to load on Pi OS "Bullseye" (2.31), Debian 11 and Ubuntu 20.04.
GLIBC_FLOOR=2.28
# Binds those calls to their first versions, which every glibc still exports: newer ones from
# libc itself, older ones from libutil and libpthread. Those two are named outright (see
# link_flags), since -lutil is an empty archive in glibc 2.34 and would link neither.
compat_header() {
  local base
  base=$(glibc_base "$1")
  for sym in forkpty openpty pthread_sigmask; do echo "__asm__(\".symver $sym,$sym@$base\");"; done
}

archs=("$@")
((${#archs[@]})) || archs=(arm64 arm)
for arch in "${archs[@]}"; do
  [[ -n $(triplet "$arch") ]] || { echo "build-pty.sh: unknown CPU '$arch' (known: x64, arm64, arm)" >&2; exit 1; }
  command -v "$(triplet "$arch")-g++" >/dev/null || {
    echo "build-pty.sh: $(triplet "$arch")-g++ is missing (apt-get install $(package "$arch"))" >&2
    exit 1
  }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for arch in "${archs[@]}"; do
  started=$SECONDS
  t=$(triplet "$arch")
  # node-pty beside its node-addon-api, as in node_modules, so binding.gyp's require() finds it
  src=$work/$arch/node_modules/node-pty
  mkdir -p "$src"
  cp -r "$PTY_SRC/binding.gyp" "$PTY_SRC/package.json" "$PTY_SRC/src" "$src/"
  cp -r "$ADDON_API" "$work/$arch/node_modules/"
  compat_header "$arch" >"$work/$arch/glibc-compat.h"
  flags="$(cpu_flags "$arch") -include $work/$arch/glibc-compat.h"
  link_flags="$(cpu_flags "$arch") -Wl,--no-as-needed -l:libutil.so.1 -l:libpthread.so.0"
  (
    cd "$src"
    export CC=$t-gcc CXX=$t-g++ LINK=$t-g++ AR=$t-ar CFLAGS="$flags" CXXFLAGS="$flags" LDFLAGS="$link_flags"
    "$NODE_GYP" rebuild --arch="$arch" --nodedir="$NODE_DIR" --jobs=max --loglevel=warn >"$work/$arch.log" 2>&1
  ) || { cat "$work/$arch.log" >&2; echo "build-pty.sh: node-gyp failed for linux-$arch" >&2; exit 1; }

  built=$src/build/Release/pty.node
  # debug symbols are dead weight on a Pi's SD card and in every upload
  "$t-strip" --strip-unneeded "$built"
  header=$(readelf -h "$built" | awk '$1 == "Class:" { c = $2 } $1 == "Machine:" { m = $2 } END { print c, m }')
  [[ $header == "$(elf_header "$arch")" ]] || {
    echo "build-pty.sh: linux-$arch build is not an ELF for that CPU: $header" >&2
    exit 1
  }
  readelf -d "$built" | grep -q 'NEEDED.*\[libutil.so.1\]' || { echo "build-pty.sh: linux-$arch build does not link libutil.so.1" >&2; exit 1; }
  newest=$(objdump -T "$built" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)
  [[ $(printf '%s\n' "$newest" "$GLIBC_FLOOR" | sort -V | tail -1) == "$GLIBC_FLOOR" ]] || {
    echo "build-pty.sh: linux-$arch build needs glibc $newest; hosts from glibc $GLIBC_FLOOR on must load it" >&2
    exit 1
  }
  out=$ROOT/build/pty/linux-$arch
  mkdir -p "$out"
  # in place only once complete: a failed build never leaves a half-written addon behind
  cp "$built" "$out/pty.node.partial" && mv -f "$out/pty.node.partial" "$out/pty.node"
  # which node-pty it came from: npm keeps tarballs' fixed 1985 mtimes, so an upgraded node-pty
  # can look older than this build; build-agent.mjs compares the version too
  node -p "require('$PTY_SRC/package.json').version" >"$out/node-pty-version"
  echo "build-pty.sh: build/pty/linux-$arch/pty.node ($((SECONDS - started)) s): $header, for glibc $newest or newer"
done
