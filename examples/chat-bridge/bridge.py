#!/usr/bin/env python3
"""A chat bridge, standard library only: a Phoenix room mirrored to an app.

The sidecar delivers every message said in room:lobby to POST /webhook, in
order. The bridge prints each one (a real bridge would post it to Slack, a
log, a search index...), and answers the messages addressed to it
("@bridge ...") by pushing a reply into the room through the sidecar's push
API, where every member of the room hears it.

    BACKCHANNEL_URL=http://127.0.0.1:8080 PORT=3001 python3 examples/chat-bridge/bridge.py

The bridge hears its own replies too (the room broadcasts to everyone): it
mirrors them and answers nothing it said itself. When a reply cannot be
pushed, it answers the delivery with RETRY, so the sidecar delivers the
message again; the idempotency key keeps it from being mirrored twice.
"""
import json
import os
import sys
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Lock

TOPIC = "room:lobby"
NAME = "bridge"
TIMEOUT_S = 5.0

state_lock = Lock()
mirrored = set()  # idempotency keys of the messages printed already
done = set()  # ... and of those fully handled (mirrored, and answered if need be)


def log(line):
    print(line, flush=True)


def say(base, text):
    """Pushes a message into the room through the sidecar; returns the HTTP status."""
    body = json.dumps({"event": "say", "payload": {"user": NAME, "text": text}}).encode()
    request = urllib.request.Request(f"{base}/v1/channels/{TOPIC}/push", data=body, method="POST",
                                     headers={"content-type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            return response.status
    except urllib.error.HTTPError as err:
        with err:
            return err.code
    except OSError:
        return None


def handle(base, key, event, message):
    """Mirrors one delivery and answers it if it is addressed to the bridge; returns the verdict."""
    with state_lock:
        if key in done:
            return "SUCCESS"  # delivered again after its answer was lost: handled already
        first = key not in mirrored
        mirrored.add(key)
        count = len(mirrored)
    user, text = message.get("user", "?"), message.get("text", "")
    if first:
        log(f"[{TOPIC}] {event} {user}: {text}")
    if user != NAME and text.startswith(f"@{NAME}"):
        reply = f"{user}, I have mirrored {count} messages of {TOPIC}"
        status = say(base, reply)
        if status != 200:
            log(f"  reply not pushed (HTTP {status}): RETRY")
            return "RETRY"
        log(f"  replied: {reply}")
    with state_lock:
        done.add(key)
    return "SUCCESS"


class Bridge(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    backchannel_url = ""

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        if self.path != "/webhook":
            self.answer(404, {"error": f"no route {self.path}"})
            return
        envelope = json.loads(body or b"{}")
        message = envelope.get("data")
        if not isinstance(message, dict):
            message = {"text": json.dumps(message)}
        verdict = handle(self.backchannel_url, self.headers["idempotency-key"], envelope.get("type"), message)
        self.answer(200, {"status": verdict})

    def answer(self, status, payload):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):
        pass


def main():
    base = os.environ.get("BACKCHANNEL_URL")
    if not base:
        print("set BACKCHANNEL_URL to the gateway, e.g. http://127.0.0.1:8080", file=sys.stderr)
        return 1
    Bridge.backchannel_url = base.rstrip("/")
    server = ThreadingHTTPServer(("127.0.0.1", int(os.environ.get("PORT", "3001"))), Bridge)
    log(f"bridge listening on http://127.0.0.1:{server.server_address[1]}/webhook, replying through {Bridge.backchannel_url}")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
