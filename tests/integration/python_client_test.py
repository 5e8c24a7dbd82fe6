#!/usr/bin/env python3
"""A Socket.IO client other than socket.io-client against cafio-api-server:
Debian's python3-socketio (python-socketio 5, Engine.IO v4), over websocket
and polling: connect with auth, events both ways, acks both ways, binary round
trips, disconnect and its server-side reason.

Needs CAFIO_API_SERVER=<path to cafio-api-server>. Exits 77 (skipped for
ctest) when python3-socketio or the modules its sync client needs
(python3-requests for polling, python3-websocket for websocket) are missing.
Starts and stops its own server on a free port of 127.0.0.1 below 32768;
every wait is bounded.
"""

import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

SKIP = 77
HOST = "127.0.0.1"
WAIT = 5.0  # seconds, for every single wait

try:
    import socketio  # python3-socketio
    import requests  # noqa: F401  python3-requests: the sync client's polling
    import websocket  # noqa: F401  python3-websocket: the sync client's websocket
except ImportError as missing:
    print(
        f"SKIP: {missing}. Install Debian's python3-socketio, python3-requests and "
        "python3-websocket (for /usr/bin/python3) to run this test.",
        flush=True,
    )
    sys.exit(SKIP)


def free_port():
    for _ in range(50):
        port = random.randrange(20000, 32000)
        with socket.socket() as probe:
            try:
                probe.bind((HOST, port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in [20000, 32000)")


def accepts(port):
    with socket.socket() as s:
        s.settimeout(0.5)
        try:
            s.connect((HOST, port))
            return True
        except OSError:
            return False


class Server:
    """cafio-api-server on a free port; stop() sends SIGTERM and returns the exit code."""

    def __init__(self):
        binary = os.environ.get("CAFIO_API_SERVER")
        if not binary:
            raise RuntimeError("set CAFIO_API_SERVER=<path to cafio-api-server>")
        if binary == "reference":  # the socket.io 4.8 mirror of the app
            here = os.path.dirname(os.path.abspath(__file__))
            command = ["node", os.path.join(here, "servers", "api-server-reference.mjs")]
        else:
            command = [binary]
        for _attempt in range(3):
            self.port = free_port()
            self.log = tempfile.TemporaryFile()
            self.process = subprocess.Popen(
                command + ["--host", HOST, "--port", str(self.port)],
                stdout=self.log,
                stderr=subprocess.STDOUT,
            )
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and self.process.poll() is None:
                if accepts(self.port):
                    self.url = f"http://{HOST}:{self.port}"
                    return
                time.sleep(0.05)
            self.stop()
        raise RuntimeError("cafio-api-server did not start: " + self.output())

    def output(self):
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(WAIT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(WAIT)
                return None
        return self.process.returncode


class Received:
    """Events a client received, with bounded waits."""

    def __init__(self):
        self.events = []
        self.cond = threading.Condition()

    def add(self, event, args):
        with self.cond:
            self.events.append((event, args))
            self.cond.notify_all()

    def take(self, event):
        deadline = time.monotonic() + WAIT
        with self.cond:
            while True:
                for i, (name, args) in enumerate(self.events):
                    if name == event:
                        del self.events[i]
                        return args
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f'no "{event}" within {WAIT} s')
                self.cond.wait(left)


def make_client():
    client = socketio.Client(reconnection=False, request_timeout=WAIT)
    client.received = Received()
    client.on("*", lambda event, *args: client.received.add(event, list(args)))
    # A server → client ack: python-socketio answers with the return value.
    client.on("ask", lambda n: (n + 1, "py"))
    return client


def connect(url, transport, auth=None):
    client = make_client()
    kwargs = {"transports": [transport], "wait_timeout": WAIT}
    if auth is not None:
        kwargs["auth"] = auth
    client.connect(url, **kwargs)
    return client


class PythonClientTest(unittest.TestCase):
    server = None

    @classmethod
    def setUpClass(cls):
        cls.server = Server()

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        if code != 0:
            raise AssertionError(f"cafio-api-server exit code {code}:\n{cls.server.output()}")

    def setUp(self):
        self.clients = []

    def tearDown(self):
        for client in self.clients:
            if client.connected:
                client.disconnect()

    def client(self, transport, auth=None):
        client = connect(self.server.url, transport, auth)
        self.clients.append(client)
        return client

    def check_transport(self, transport):
        c = self.client(transport, auth={"token": "py"})
        welcome = c.received.take("welcome")[0]
        self.assertEqual(welcome["nsp"], "/")
        self.assertEqual(welcome["id"], c.get_sid())
        self.assertEqual(c.call("handshake", timeout=WAIT)["auth"], {"token": "py"})
        self.assertEqual(c.call("conn", timeout=WAIT)["transport"], transport)

        # client → server ack, several arguments of every JSON kind
        self.assertEqual(
            c.call("echo", (1, "two", {"three": [3, None, True]}), timeout=WAIT),
            (1, "two", {"three": [3, None, True]}),
        )
        # an event from the server
        self.assertIsNone(c.call("emit-me", ("py-event", 42, {"k": "v"}), timeout=WAIT))
        self.assertEqual(c.received.take("py-event"), [42, {"k": "v"}])
        # binary both ways
        blob = bytes([0, 1, 2, 254, 255])
        self.assertEqual(c.call("echo", blob, timeout=WAIT), blob)
        self.assertEqual(c.call("bytes-of", (blob, "text"), timeout=WAIT), [5, None])
        self.assertEqual(c.call("binary", 10, timeout=WAIT), bytes(range(10)))
        bin_args = c.received.take("bin")
        self.assertEqual(bin_args[0], bytes(range(10)))
        self.assertEqual(bin_args[1], {"nested": bytes(range(10))})
        # server → client ack
        c.emit("server-ack", ("ask", 41))
        self.assertEqual(c.received.take("server-ack-result"), [{"error": None, "values": [42, "py"]}])
        # a broadcast from another client
        other = self.client(transport)
        other.call("broadcast", ("py-broadcast", "hi"), timeout=WAIT)
        self.assertEqual(c.received.take("py-broadcast"), ["hi"])

        # disconnect, and its reason on the server
        sid = c.get_sid()
        c.disconnect()
        deadline = time.monotonic() + WAIT
        record = None
        while record is None and time.monotonic() < deadline:
            record = other.call("disconnect-info", sid, timeout=WAIT)
            if record is None:
                time.sleep(0.05)
        self.assertIsNotNone(record, "disconnect record")
        self.assertFalse(c.connected)
        # python-socketio 5.7 queues the DISCONNECT packet for its writer
        # thread and closes the transport at once (Client.disconnect →
        # eio.disconnect(abort=True)): whether the packet gets out first is
        # the client's race, and the socket.io 4.8 reference reports either.
        self.assertIn(record["reason"], ("client namespace disconnect", "transport close"))
        self.assertEqual(record["roomsAfter"], [])

    def test_websocket(self):
        self.check_transport("websocket")

    def test_polling(self):
        self.check_transport("polling")

    def test_namespace_refused_with_data(self):
        client = make_client()
        errors = Received()
        client.on("connect_error", lambda *args: errors.add("connect_error", list(args)), namespace="/mw-error")
        with self.assertRaises(socketio.exceptions.ConnectionError):
            # The client waits wait_timeout for the refused namespace, then raises.
            client.connect(self.server.url, namespaces=["/mw-error"], transports=["websocket"], wait_timeout=0.5)
        self.assertEqual(errors.take("connect_error"), [{"message": "nope", "data": {"code": 42}}])
        client.disconnect()


if __name__ == "__main__":
    unittest.main(verbosity=2)
