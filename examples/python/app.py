#!/usr/bin/env python3
"""A Python app talking to Phoenix Channels through Backchannel, with the
standard library only: it pushes over HTTP (urllib) and gets the channel's
reply, and reads the channel's messages as Server-Sent Events (http.client),
resuming with Last-Event-ID after it went away without losing a message.

    BACKCHANNEL_URL=http://127.0.0.1:8080 python3 examples/python/app.py

It uses the channels of config/demo.json: echo:demo replies with what it is
sent; room:demo broadcasts every push to the room, so each push comes back
as an event.
"""
import http.client
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

TIMEOUT_S = 5.0  # every request and every read of the stream has this deadline


def push(base, topic, event, payload, timeout_ms=None):
    """POSTs to /v1/channels/{topic}/push; returns (HTTP status, body).

    200 is an ok reply and 422 an error reply ({"status", "response"});
    other statuses carry a problem ({"error": {"code", "message"}}): 504 no
    reply in time, 503 not joined yet (retry after Retry-After), 404 unknown
    topic, 400 bad body.
    """
    body = {"event": event, "payload": payload}
    if timeout_ms is not None:
        body["timeoutMs"] = timeout_ms
    request = urllib.request.Request(
        f"{base}/v1/channels/{urllib.parse.quote(topic, safe=':')}/push",
        data=json.dumps(body).encode(),
        headers={"content-type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as err:
        with err:
            return err.code, json.load(err)


class Event:
    """One Server-Sent Event: its id (None for events without one), name and data."""

    def __init__(self, event_id, event, data):
        self.id, self.event, self.data = event_id, event, data

    def json(self):
        return json.loads(self.data)


class EventStream:
    """A subscription to /v1/channels/{topic}/events.

    It remembers the id of the last event read, so connect() after close()
    (or after the connection dropped) resumes where it left off: the
    gateway replays what was missed from its ring, or sends a `gap` event
    saying what it cannot replay.
    """

    def __init__(self, base, topic, events=None):
        url = urllib.parse.urlsplit(base)
        self.host, self.port = url.hostname, url.port or 80
        self.path = f"/v1/channels/{urllib.parse.quote(topic, safe=':')}/events"
        if events:
            self.path += "?" + urllib.parse.urlencode({"events": ",".join(events)})
        self.last_event_id = None
        self.connection = None
        self.response = None

    def connect(self):
        headers = {"accept": "text/event-stream"}
        if self.last_event_id is not None:
            headers["last-event-id"] = self.last_event_id
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT_S)
        self.connection.request("GET", self.path, headers=headers)
        self.response = self.connection.getresponse()
        if self.response.status != 200:
            raise RuntimeError(f"subscribe: HTTP {self.response.status} {self.response.read().decode()}")

    def close(self):
        if self.connection is not None:
            self.connection.close()
        self.connection = self.response = None

    def next(self):
        """The next event; raises TimeoutError when nothing came within the deadline, EOFError when the stream ended."""
        event, data, event_id = "message", [], None
        while True:
            raw = self.response.readline()
            if not raw:
                raise EOFError("the gateway ended the stream")
            line = raw.decode("utf-8").rstrip("\r\n")
            if line == "":  # a blank line ends the event
                if event_id is not None:
                    self.last_event_id = event_id
                if data:
                    return Event(event_id, event, "\n".join(data))
                event, data, event_id = "message", [], None
                continue
            if line.startswith(":"):  # a comment: the keep-alive
                continue
            name, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if name == "event":
                event = value
            elif name == "data":
                data.append(value)
            elif name == "id":
                event_id = value


def main():
    base = os.environ.get("BACKCHANNEL_URL")
    if not base:
        sys.exit("set BACKCHANNEL_URL to the gateway, e.g. http://127.0.0.1:8080")

    status, body = push(base, "echo:demo", "hello", {"body": "hi"})
    print(f"push: HTTP {status} {json.dumps(body)}")
    status, body = push(base, "echo:demo", "error_reply", {"why": "demo"})
    print(f"error reply: HTTP {status} {json.dumps(body)}")
    status, body = push(base, "echo:demo", "no_reply", {}, timeout_ms=100)
    print(f"no reply in time: HTTP {status} {body['error']['code']}")

    # Only `news` messages, and the lifecycle events, which always pass the filter.
    stream = EventStream(base, "room:demo", events=["news"])
    stream.connect()
    ready = stream.next()
    print(f"subscribed: {ready.event} {ready.data}")

    def read_until(n):
        while True:
            e = stream.next()
            print(f"  {e.event} id={e.id} {e.data}")
            if e.event == "gap":
                print("  (the gateway says messages may be missing here)")
            if e.event == "news" and e.json() == {"from": "python", "n": n}:
                return

    for n in (1, 2):
        push(base, "room:demo", "news", {"from": "python", "n": n})
    read_until(2)

    stream.close()  # the app goes away: a restart, a deploy, a network blip
    print(f"unsubscribed after id {stream.last_event_id}")
    for n in (3, 4):
        push(base, "room:demo", "news", {"from": "python", "n": n})

    print(f"resuming with Last-Event-ID: {stream.last_event_id}")
    stream.connect()
    print(f"subscribed: {stream.next().event}")
    read_until(4)
    stream.close()
    print("done: nothing was lost")


if __name__ == "__main__":
    main()
