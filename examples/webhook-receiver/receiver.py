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

    PORT=3000 python3 examples/webhook-receiver/receiver.py
"""
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Lock

PATH = "/events"
processed = set()  # idempotency keys of the messages handled already
processed_lock = Lock()


def log(line):
    print(line, flush=True)


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
