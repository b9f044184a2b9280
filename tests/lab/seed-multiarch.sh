#!/usr/bin/env bash
# Puts a two-architecture tag (linux/amd64 + linux/arm64) in the lab registry for the registry
# tests: 10.77.0.1:5000/reg/multi:1, an index over reg/multi:amd64 and reg/multi:arm64.
# Idempotent: does nothing when the tag is already an index with both platforms.
# Images FROM scratch with ADD need no emulation to build, whatever their architecture.
# Usage: seed-multiarch.sh <docker host, e.g. unix:///run/berth-lab/h2/docker.sock> [registry]
set -euo pipefail
DOCKER_HOST_ARG=${1:?docker host (unix:///...) required}
REGISTRY=${2:-10.77.0.1:5000}
REPO="$REGISTRY/reg/multi"
d() { /usr/bin/docker -H "$DOCKER_HOST_ARG" "$@"; }

if d manifest inspect --insecure "$REPO:1" 2>/dev/null | grep -q '"architecture": "arm64"'; then
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for arch in amd64 arm64; do
  mkdir -p "$work/$arch/root"
  echo "reg multi-arch test image for $arch" >"$work/$arch/root/ARCH"
  tar -C "$work/$arch/root" -cf "$work/$arch/rootfs.tar" ARCH
  printf 'FROM scratch\nADD rootfs.tar /\nLABEL berth.test=registry\n' >"$work/$arch/Dockerfile"
  DOCKER_BUILDKIT=0 d build -q --platform "linux/$arch" -t "$REPO:$arch" "$work/$arch" >/dev/null
  d push "$REPO:$arch" >/dev/null
done
# a stale local manifest list from an earlier run would be pushed instead of a fresh one
d manifest rm "$REPO:1" >/dev/null 2>&1 || true
d manifest create --insecure "$REPO:1" "$REPO:amd64" "$REPO:arm64" >/dev/null
d manifest push --purge --insecure "$REPO:1" >/dev/null
d rmi "$REPO:amd64" "$REPO:arm64" >/dev/null 2>&1 || true
