#!/usr/bin/env python3
"""A webhook receiver for Backchannel, standard library only.

The sidecar POSTs every message of a channel to POST /events, one message
per request, as a CloudEvents JSON envelope. The answer is a verdict in
Dapr's format: {"status": "SUCCESS"} (done), {"status": "RETRY"} (try again
later) or {"status": "DROP"} (never: the sidecar writes it to its dead
letter). This receiver decides from the message's `text`:

    "... #drop ..."   DROP: a message this app refuses
    "... #retry ..."  RETRY on the first attempt (a passing failure), then SUCCESS
    anything else     SUCCESS

It remembers the idempotency keys it has processed, so a message delivered
twice (its answer got lost) is acknowledged without being processed again.

Before anything else it checks the request's Standard Webhooks signature
with the secrets in WEBHOOK_SECRETS (separated by spaces: two while a
secret is rotated) and answers 401 to a request that does not verify; the
sidecar retries it.

    WEBHOOK_SECRETS=whsec_... PORT=3000 python3 examples/webhook-receiver/receiver.py
"""
import base64
import hashlib
import hmac
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Lock

PATH = "/events"
TOLERANCE_SECONDS = 5 * 60  # how far webhook-timestamp may be from this clock, either way
processed = set()  # idempotency keys of the messages handled already
processed_lock = Lock()


def log(line):
    print(line, flush=True)


def signing_keys(text):
    """The HMAC keys of the whsec_ secrets in `text`."""
    secrets = text.split()
    if not secrets or not all(s.startswith("whsec_") for s in secrets):
        sys.exit("set WEBHOOK_SECRETS to the webhook's signing secret(s), whsec_...")
    return [base64.b64decode(s[len("whsec_"):], validate=True) for s in secrets]


KEYS = signing_keys(os.environ.get("WEBHOOK_SECRETS", ""))


def refusal(headers, body, now=None):
    """Why the request cannot be trusted, or None when a v1 signature matches a secret."""
    msg_id = headers.get("webhook-id")
    timestamp = headers.get("webhook-timestamp")
    signatures = headers.get("webhook-signature")
    if not (msg_id and timestamp and signatures):
        return "missing webhook-id, webhook-timestamp or webhook-signature"
    now = time.time() if now is None else now
    if not timestamp.isdigit() or abs(now - int(timestamp)) > TOLERANCE_SECONDS:
        return "timestamp too old or too new"
    # The signed content is the body's bytes as received: check before parsing.
    content = f"{msg_id}.{timestamp}.".encode() + body
    expected = [hmac.new(key, content, hashlib.sha256).digest() for key in KEYS]
    for entry in signatures.split(" "):
        version, _, signature = entry.partition(",")
        if version != "v1":
            continue
        try:
            given = base64.b64decode(signature, validate=True)
        except ValueError:
            continue
        if any(hmac.compare_digest(given, e) for e in expected):
            return None
    return "no signature matches"


def decide(message, attempt):
    """The verdict for one message on its nth attempt."""
    text = message.get("text", "") if isinstance(message, dict) else ""
    if "#drop" in text:
        return "DROP"
    if "#retry" in text and attempt == 1:
        return "RETRY"
    return "SUCCESS"


class Receiver(BaseHTTPRequestHandler):
    # HTTP/1.1 keeps the connection open: the sidecar reuses its connections.
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        if self.path != PATH:
            # A 404 is a verdict too: DROP. A wrong URL sends every message to the dead letter.
            self.answer(404, {"error": f"no route {self.path}"})
            return
        why = refusal(self.headers, body)
        if why is not None:
            # Any status but 2xx and 404 is retried: a message is never taken unverified, nor lost.
            log(f"refused: {why}")
            self.answer(401, {"error": why})
            return
        envelope = json.loads(body or b"{}")
        message = envelope.get("data")
        key = self.headers["idempotency-key"]
        attempt = int(self.headers.get("x-backchannel-attempt", "1"))
        with processed_lock:
            duplicate = key in processed
            verdict = "SUCCESS" if duplicate else decide(message, attempt)
            if verdict == "SUCCESS":
                processed.add(key)
        text = message.get("text") if isinstance(message, dict) else message
        log(f'{envelope.get("type")} {json.dumps(text)} attempt={attempt} '
            f'id={self.headers["x-backchannel-id"]} key={key} -> {verdict}{" (duplicate)" if duplicate else ""}')
        self.answer(200, {"status": verdict})

    def answer(self, status, payload):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):
        pass  # the lines above say more than the access log


def main():
    server = ThreadingHTTPServer(("127.0.0.1", int(os.environ.get("PORT", "3000"))), Receiver)
    log(f"receiver listening on http://127.0.0.1:{server.server_address[1]}{PATH}")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
