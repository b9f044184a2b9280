#!/usr/bin/env bash
# Prepares an ARM Node.js that runs here under qemu-user, to run Berth's agent bundle as a
# Raspberry Pi would: arm64 (64-bit OS) or armhf (32-bit OS, armv7). Debian's own packages,
# unpacked into a folder (no chroot, nothing installed system-wide but qemu-user-static).
# Idempotent: a prepared root is reused. Prints the qemu binary, the root folder and the
# LD_LIBRARY_PATH to give it (qemu -E), on its last line.   Usage: bash tests/lab/arm-node.sh arm64|armhf
set -euo pipefail
[[ $(id -u) == 0 ]] || { echo "arm-node.sh must run as root (dpkg, apt-get)" >&2; exit 1; }
ARCH=${1:-arm64}
case $ARCH in
  arm64) QEMU=/usr/bin/qemu-aarch64-static NODE_ARCH=arm64 TRIPLET=aarch64-linux-gnu ;;
  armhf) QEMU=/usr/bin/qemu-arm-static NODE_ARCH=arm TRIPLET=arm-linux-gnueabihf ;;
  *) echo "usage: arm-node.sh arm64|armhf" >&2; exit 1 ;;
esac
ROOT=/var/cache/berth-lab/$ARCH-root
# Without an ld.so.cache in the unpacked root, the armhf loader does not look in the multiarch
# folders by itself. Given to the emulated program with qemu's -E (paths are inside the
# emulated system: qemu -L maps them to $ROOT).
LIBS=/usr/lib/$TRIPLET # (the loader finds /lib/$TRIPLET itself; naming it here too made it fail)

works() {
  [[ -x $QEMU && -x $ROOT/usr/bin/node ]] &&
    [[ $("$QEMU" -L "$ROOT" -E "LD_LIBRARY_PATH=$LIBS" "$ROOT/usr/bin/node" -e 'process.stdout.write(process.arch)' 2>/dev/null) == "$NODE_ARCH" ]]
}

if works; then
  echo "$QEMU $ROOT $LIBS"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
need_update=
[[ -x $QEMU ]] || need_update=1
dpkg --print-foreign-architectures | grep -qx "$ARCH" || { dpkg --add-architecture "$ARCH"; need_update=1; }
# A mirror mid-sync fails one list (seen: bookworm-security armhf) while the rest arrive; the
# packages then come from the lists that did, so try twice and go on with what came.
if [[ -n $need_update ]]; then
  apt-get update -qq || apt-get update -qq || echo "arm-node.sh: some package lists did not download; using those that did" >&2
fi
[[ -x $QEMU ]] || apt-get install -y -qq qemu-user-static >/dev/null

# The packages node needs at run time (verified list for arm64: LAB-RECIPES.md, "Architectures").
pkgs=(node-acorn node-cjs-module-lexer node-undici node-busboy node-xtend)
for p in nodejs libnode108 libbrotli1 libc-ares2 libc6 libgcc-s1 libicu72 libnghttp2-14 libssl3 libstdc++6 libuv1 zlib1g; do
  pkgs+=("$p:$ARCH")
done
work=$(mktemp -d)
chmod 755 "$work" # apt-get download drops to the _apt user, which must reach it
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download -qq "${pkgs[@]}" >/dev/null)
rm -rf "$ROOT.partial" && mkdir -p "$ROOT.partial"
for deb in "$work"/*.deb; do dpkg -x "$deb" "$ROOT.partial"; done
# only a complete root replaces the old one, so a failed run never leaves half a Node
rm -rf "$ROOT" && mv "$ROOT.partial" "$ROOT"
works || { echo "the $ARCH node in $ROOT does not run under $QEMU" >&2; exit 1; }
echo "$QEMU $ROOT $LIBS"
