#!/usr/bin/env bash
# Prepares an arm64 Node.js that runs here under qemu-user, to run Berth's agent bundle as a
# Raspberry Pi (arm64) would. Debian's own arm64 packages, unpacked into a folder (no chroot,
# nothing installed system-wide but qemu-user-static). Idempotent: a prepared root is reused.
# Prints the root folder on its last line.   Usage: bash tests/lab/arm64-node.sh
set -euo pipefail
[[ $(id -u) == 0 ]] || { echo "arm64-node.sh must run as root (dpkg, apt-get)" >&2; exit 1; }
ROOT=${BERTH_ARM64_ROOT:-/var/cache/berth-lab/arm64-root}

if [[ -x $ROOT/usr/bin/node && -x /usr/bin/qemu-aarch64-static ]]; then
  echo "$ROOT"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
need_update=
[[ -x /usr/bin/qemu-aarch64-static ]] || need_update=1
dpkg --print-foreign-architectures | grep -qx arm64 || { dpkg --add-architecture arm64; need_update=1; }
[[ -z $need_update ]] || apt-get update -qq
[[ -x /usr/bin/qemu-aarch64-static ]] || apt-get install -y -qq qemu-user-static >/dev/null

# The packages arm64 node needs at run time (verified list: LAB-RECIPES.md, "Architectures").
pkgs=(nodejs:arm64 libnode108:arm64 libbrotli1:arm64 libc-ares2:arm64 libc6:arm64 libgcc-s1:arm64
  libicu72:arm64 libnghttp2-14:arm64 libssl3:arm64 libstdc++6:arm64 libuv1:arm64 zlib1g:arm64
  node-acorn node-cjs-module-lexer node-undici node-busboy node-xtend)
work=$(mktemp -d)
chmod 755 "$work" # apt-get download drops to the _apt user, which must reach it
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download -qq "${pkgs[@]}" >/dev/null)
rm -rf "$ROOT.partial" && mkdir -p "$ROOT.partial"
for deb in "$work"/*.deb; do dpkg -x "$deb" "$ROOT.partial"; done
# only a complete root replaces the old one, so a failed run never leaves half a Node
rm -rf "$ROOT" && mv "$ROOT.partial" "$ROOT"
arch=$(qemu-aarch64-static -L "$ROOT" "$ROOT/usr/bin/node" -e 'process.stdout.write(process.arch)')
[[ $arch == arm64 ]] || { echo "arm64 node says its arch is '$arch'" >&2; exit 1; }
echo "$ROOT"
