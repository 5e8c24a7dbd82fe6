// cafio-node as a product: options from the command line, a JSON config file
// and CAFIO_* variables, clear errors with exit code 2, structured logs, and
// Prometheus metrics.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import {
  MODES,
  closeClients,
  connect,
  emitWithAck,
  eventually,
  httpRequest,
  isReference,
  once,
  startServer,
} from "./harness.mjs";

const NODE = process.env.CAFIO_NODE;
const skip = isReference || !NODE ? "cafio-node only" : false;

/** Runs cafio-node to completion (for --help and bad input). */
function run(args, env = {}) {
  const r = spawnSync(NODE, args, { env: { ...process.env, ...env }, encoding: "utf8", timeout: 10000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function handshake(url) {
  const res = await httpRequest(`${url}/socket.io/?EIO=4&transport=polling`);
  assert.equal(res.status, 200);
  return JSON.parse(res.body.slice(1));
}

describe("cafio-node", { skip }, () => {
  const scratch = mkdtempSync(join(tmpdir(), "cafio-node-test-"));
  after(() => {
    closeClients();
    rmSync(scratch, { recursive: true, force: true });
  });

  it("--help lists every option with its default and environment variable", () => {
    const r = run(["--help"]);
    assert.equal(r.code, 0);
    for (const [option, fallback] of [
      ["--port", "3000"],
      ["--ping-interval", "25000"],
      ["--ping-timeout", "20000"],
      ["--max-payload", "1000000"],
      ["--connect-timeout", "45000"],
      ["--transports", "polling,websocket"],
      ["--log-level", "warn"],
      ["--metrics-path", "/metrics"],
    ]) {
      const line = r.stdout.split("\n").findIndex((l) => l.trim().startsWith(option + " "));
      assert.ok(line >= 0, `${option} listed`);
      assert.match(r.stdout.split("\n")[line + 1], new RegExp(`default: ${fallback.replace(/[/]/g, "\\/")};`));
    }
    assert.match(r.stdout, /env CAFIO_PING_INTERVAL/);
    assert.match(r.stdout, /--config FILE/);
  });

  for (const [what, args, env, message] of [
    ["an unknown option", ["--bogus"], {}, /unknown option '--bogus'/],
    ["a bad number", ["--port", "http"], {}, /option --port needs a port number/],
    ["a bad choice", ["--app", "nope"], {}, /option --app needs one of demo, conformance, bench, eio-echo/],
    ["a missing value", ["--ping-interval"], {}, /option --ping-interval needs a value/],
    ["a bad environment variable", [], { CAFIO_PING_TIMEOUT: "soon" }, /CAFIO_PING_TIMEOUT: ping-timeout needs a positive number/],
    ["a missing config file", ["--config", "/nonexistent/cafio.json"], {}, /cannot read config file/],
  ]) {
    it(`${what} is one line on stderr and exit code 2`, () => {
      const r = run(args, env);
      assert.equal(r.code, 2);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    });
  }

  it("a config file with an unknown key or a bad value is refused", () => {
    const file = join(scratch, "bad.json");
    writeFileSync(file, JSON.stringify({ "ping-interval": 100, colour: "blue" }));
    let r = run(["--config", file]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown option 'colour'/);
    writeFileSync(file, "{ not json");
    r = run(["--config", file]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /is not a JSON object/);
  });

  it("options come from the config file, the environment and the command line, in that order", async () => {
    const file = join(scratch, "good.json");
    writeFileSync(file, JSON.stringify({ "ping-interval": 1111, "ping-timeout": 2222, "max-payload": 3333 }));
    const server = await startServer({
      app: "demo",
      args: ["--config", file, "--ping-timeout", "4444"],
      env: { CAFIO_PING_INTERVAL: "5555", CAFIO_PING_TIMEOUT: "6666" },
    });
    try {
      const open = await handshake(server.url);
      assert.equal(open.pingInterval, 5555, "environment over config file");
      assert.equal(open.pingTimeout, 4444, "command line over environment");
      assert.equal(open.maxPayload, 3333, "config file over default");
    } finally {
      await server.stop();
    }
  });

  it("an app's own settings give way to options the user set", async () => {
    const server = await startServer({ app: "conformance", args: ["--ping-interval", "777"] });
    try {
      const open = await handshake(server.url);
      assert.equal(open.pingInterval, 777);
      assert.equal(open.pingTimeout, 200, "the conformance app's own pingTimeout");
    } finally {
      await server.stop();
    }
  });

  it("logs are quiet by default", async () => {
    const server = await startServer({ app: "conformance" });
    try {
      const socket = await connect(server.url);
      await emitWithAck(socket, "noop");
      socket.disconnect();
      await new Promise((r) => setTimeout(r, 200));
      assert.doesNotMatch(server.logText(), /"event":/);
    } finally {
      await server.stop();
    }
  });

  it("--log-level info logs connections and disconnects with their reason, as JSON lines", async () => {
    const server = await startServer({ app: "conformance", args: ["--log-level", "info"] });
    try {
      const socket = await connect(server.url, { mode: MODES[0] });
      const id = socket.id;
      await emitWithAck(socket, "noop");
      socket.disconnect();
      const events = await eventually(
        () => {
          const lines = server.logText().split("\n").filter((l) => l.startsWith("{"));
          const parsed = lines.map((l) => JSON.parse(l));
          return parsed.some((e) => e.event === "socket.disconnect") ? parsed : null;
        },
        3000,
        "a socket.disconnect log line",
      );
      for (const e of events) {
        assert.match(e.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        assert.ok(["error", "warn", "info", "debug"].includes(e.level));
      }
      const open = events.find((e) => e.event === "engine.open");
      assert.equal(open.transport, "websocket");
      assert.equal(open.protocol, 4);
      assert.equal(open.address, "127.0.0.1");
      const connected = events.find((e) => e.event === "socket.connect");
      assert.deepEqual([connected.id, connected.nsp], [id, "/"]);
      const gone = events.find((e) => e.event === "socket.disconnect");
      assert.deepEqual([gone.id, gone.reason], [id, "client namespace disconnect"]);
    } finally {
      await server.stop();
    }
  });

  it("serves Prometheus metrics: clients, sockets, rooms, packets, broadcasts, disconnects, refusals", async () => {
    const server = await startServer({ app: "conformance" });
    try {
      const ws = await connect(server.url, { mode: MODES[0] });
      const polling = await connect(server.url, { mode: MODES[1] });
      await emitWithAck(ws, "join", "room-1");
      await emitWithAck(polling, "join", ["room-1", "room-2"]);
      const got = once(polling, "hello");
      await emitWithAck(ws, "io-to", "room-1", "hello", "x");
      await got;
      await httpRequest(`${server.url}/socket.io/?EIO=4&transport=polling&sid=nope`);
      const metric = (body, name) => {
        const line = body.split("\n").find((l) => l.startsWith(name + " "));
        assert.ok(line, `${name} present`);
        return Number(line.slice(name.length + 1));
      };
      let res = await httpRequest(`${server.url}/metrics`);
      assert.equal(res.status, 200);
      assert.match(res.headers["content-type"], /^text\/plain; version=0\.0\.4/);
      let body = res.body;
      assert.equal(metric(body, 'cafio_connected_clients{transport="websocket",protocol="4"}'), 1);
      assert.equal(metric(body, 'cafio_connected_clients{transport="polling",protocol="4"}'), 1);
      assert.equal(metric(body, 'cafio_namespace_sockets{namespace="/"}'), 2);
      // Each socket's own room, room-1 and room-2.
      assert.equal(metric(body, 'cafio_rooms{namespace="/"}'), 4);
      assert.ok(metric(body, "cafio_broadcasts_total") >= 1);
      assert.ok(metric(body, "cafio_broadcast_deliveries_total") >= 2);
      assert.ok(metric(body, "cafio_packets_received_total") >= 5);  // 2 CONNECTs, 2 joins, 1 io-to
      assert.ok(metric(body, "cafio_packets_sent_total") >= 6);
      assert.ok(metric(body, "cafio_bytes_sent_total") > 0);
      assert.equal(metric(body, 'cafio_handshake_errors_total{code="1"}'), 1);
      polling.disconnect();
      // The socket counts its disconnect, then its namespace forgets it and
      // its rooms: wait for all three.
      await eventually(async () => {
        body = (await httpRequest(`${server.url}/metrics`)).body;
        return (
          metric(body, 'cafio_disconnects_total{reason="client namespace disconnect"}') === 1 &&
          metric(body, 'cafio_namespace_sockets{namespace="/"}') === 1 &&
          metric(body, 'cafio_rooms{namespace="/"}') === 2
        );
      }, 3000, "the disconnect counted, the socket and its rooms gone");
    } finally {
      await server.stop();
    }
  });

  it("--metrics-path moves the metrics; --metrics=false turns them off", async () => {
    let server = await startServer({ app: "demo", args: ["--metrics-path", "/stats"] });
    try {
      assert.equal((await httpRequest(`${server.url}/stats`)).status, 200);
      assert.equal((await httpRequest(`${server.url}/metrics`)).status, 404);
    } finally {
      await server.stop();
    }
    server = await startServer({ app: "demo", args: ["--metrics=false"] });
    try {
      assert.equal((await httpRequest(`${server.url}/metrics`)).status, 404);
    } finally {
      await server.stop();
    }
  });
});
