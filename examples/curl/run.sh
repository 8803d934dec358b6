#!/usr/bin/env bash
# Backchannel from a shell, with curl: a push with its reply, a subscription
# to a channel's messages as Server-Sent Events, and a resume with
# Last-Event-ID that gets what was sent while nobody was listening.
#
#   BACKCHANNEL_URL=http://127.0.0.1:8080 bash examples/curl/run.sh
#
# It uses the channels of config/demo.json: echo:demo replies with what it
# is sent, room:demo broadcasts every push to everyone in the room (the
# gateway included, so each push comes back as an event).
set -euo pipefail
: "${BACKCHANNEL_URL:?set BACKCHANNEL_URL to the gateway, e.g. http://127.0.0.1:8080}"
api="$BACKCHANNEL_URL/v1/channels"

# push TOPIC EVENT PAYLOAD: prints the HTTP status and the channel's reply.
push () {
  printf '   '
  curl -sS -X POST "$api/$1/push" \
    -H 'content-type: application/json' \
    -d "{\"event\":\"$2\",\"payload\":$3}" \
    -w ' (HTTP %{http_code})\n'
}

# read_until PATTERN: prints the stream's lines (read from descriptor 3)
# up to the first data line matching PATTERN; each line must come within
# 5 s. Keeps the id of the last event in $last_id.
read_until () {
  local line
  while IFS= read -r -t 5 -u 3 line; do
    if [ -n "$line" ]; then echo "   $line"; fi
    case "$line" in
      id:*) last_id="${line#id: }" ;;
      data:\ $1) return 0 ;;
    esac
  done
  echo "no event matching $1 within 5 s" >&2
  return 1
}

# unsubscribe: stops the curl reading the stream (also when the script fails).
subscriber=''
unsubscribe () {
  if [ -n "$subscriber" ]; then kill "$subscriber" 2>/dev/null || true; fi
  subscriber=''
  exec 3<&-
}
trap unsubscribe EXIT

echo '1. push to echo:demo, which replies with what it is sent'
push echo:demo hello '{"body":"hi"}'
echo '   an error reply is a 422 with the reply'
push echo:demo error_reply '{"why":"demo"}'

echo '2. subscribe to room:demo (curl -N prints each event as it arrives)'
exec 3< <(curl -sSN "$api/room:demo/events")
subscriber=$!
read_until '{"topic":"room:demo",*'
push room:demo news '{"from":"curl","n":1}'
push room:demo news '{"from":"curl","n":2}'
read_until '{"from":"curl","n":2}'
unsubscribe

echo "3. unsubscribed after id $last_id; two messages arrive meanwhile"
push room:demo news '{"from":"curl","n":3}'
push room:demo news '{"from":"curl","n":4}'

echo "4. resume with Last-Event-ID: $last_id"
exec 3< <(curl -sSN -H "Last-Event-ID: $last_id" "$api/room:demo/events")
subscriber=$!
read_until '{"from":"curl","n":4}'
unsubscribe
echo 'done: nothing was lost'
