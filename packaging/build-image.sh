#!/usr/bin/env bash
# Builds the FROM scratch image of packaging/Containerfile around a leadmap binary and the
# shared libraries it links (as ldd lists them), with podman or buildah (Debian's packages).
#
#   cargo build --release -p leadmap
#   packaging/build-image.sh [BINARY] [TAG]     # default: target/release/leadmap leadmap:latest
#   KEEP_DEBUG=1 packaging/build-image.sh       # keep the line tables in the image's binary
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/leadmap}
tag=${2:-leadmap:latest}
[ -x "$bin" ] || { echo "no binary at $bin: cargo build --release -p leadmap" >&2; exit 2; }
ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
mkdir -p "$ctx/rootfs/tmp" "$ctx/data"
chmod 1777 "$ctx/rootfs/tmp"
install -m 0755 "$bin" "$ctx/rootfs/leadmap"
# The release profile keeps line tables (backtraces name files and lines): 120 MB of the
# binary's 150. The image keeps the symbols (backtraces still name functions) without them.
if command -v strip >/dev/null && [ "${KEEP_DEBUG:-0}" != 1 ]; then
  strip --strip-debug "$ctx/rootfs/leadmap"
fi
# Each library at the path the binary asks for (the loader's path is written in the binary).
for lib in $(ldd "$bin" | grep -o '/[^ ]*'); do
  install -D -m 0755 "$(readlink -f "$lib")" "$ctx/rootfs$lib"
done
cp packaging/Containerfile "$ctx/Containerfile"
if command -v podman >/dev/null; then
  podman build --quiet -t "$tag" -f "$ctx/Containerfile" "$ctx"
elif command -v buildah >/dev/null; then
  buildah bud --quiet -t "$tag" -f "$ctx/Containerfile" "$ctx"
else
  echo "neither podman nor buildah: apt-get install podman" >&2
  exit 2
fi
echo "built $tag"
