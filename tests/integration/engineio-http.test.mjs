// Engine.IO over plain HTTP at /socket.io/ (conformance-app.md §1, §2.1–§2.4,
// §2.7): handshake fields, error codes, CORS, body limit. Assertions that the
// socket.io reference does not meet (it treats every EIO other than "4" as v3,
// §2.1) only run against cafio (`strict`).

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import WebSocket from "ws";
import { HOST, RawSocket, httpRequest, once, startServer, strict } from "./harness.mjs";

const ERRORS = {
  transport: { code: 0, message: "Transport unknown" },
  sid: { code: 1, message: "Session ID unknown" },
  method: { code: 2, message: "Bad handshake method" },
  request: { code: 3, message: "Bad request" },
  version: { code: 5, message: "Unsupported protocol version" },
};

function assertJsonError(response, expected) {
  assert.equal(response.status, 400, `status of ${response.body}`);
  assert.match(response.headers["content-type"] ?? "", /^application\/json/);
  assert.deepEqual(JSON.parse(response.body), expected);
  assert.equal(response.headers["access-control-allow-origin"], "*");
}

describe("engine.io over http", () => {
  let server;
  let base;
  before(async () => {
    server = await startServer();
    base = `${server.url}/socket.io/`;
  });
  after(async () => {
    await server?.stop();
  });

  /** Opens a v4 polling session; returns its handshake object. */
  async function pollingHandshake() {
    const response = await httpRequest(`${base}?EIO=4&transport=polling`);
    assert.equal(response.status, 200);
    assert.equal(response.body[0], "0");
    return JSON.parse(response.body.slice(1));
  }

  it("v4 polling handshake: settings of §1, upgrades [websocket], CORS", async () => {
    const response = await httpRequest(`${base}?EIO=4&transport=polling`, { headers: { Origin: "http://example.test" } });
    assert.equal(response.status, 200);
    assert.equal(response.headers["access-control-allow-origin"], "*");
    assert.equal(response.body[0], "0");
    const { sid, ...rest } = JSON.parse(response.body.slice(1));
    assert.equal(typeof sid, "string");
    assert.ok(sid.length > 0);
    assert.deepEqual(rest, { upgrades: ["websocket"], pingInterval: 300, pingTimeout: 200, maxPayload: 1000000 });
  });

  it("v4 websocket handshake: upgrades []", async () => {
    const raw = await RawSocket.open(server.port);
    try {
      const open = await raw.nextPacket();
      assert.equal(open[0], "0");
      const { sid, ...rest } = JSON.parse(open.slice(1));
      assert.equal(typeof sid, "string");
      assert.deepEqual(rest, { upgrades: [], pingInterval: 300, pingTimeout: 200, maxPayload: 1000000 });
    } finally {
      raw.close();
    }
  });

  it("v3 polling handshake: length-prefixed payload (§2.4)", async () => {
    const response = await httpRequest(`${base}?EIO=3&transport=polling`);
    assert.equal(response.status, 200);
    const match = /^(\d+):(0\{.*?\})(?:\d+:|$)/.exec(response.body);
    assert.ok(match, `v3 payload ${response.body}`);
    assert.equal(Number(match[1]), match[2].length);
    const handshake = JSON.parse(match[2].slice(1));
    assert.equal(typeof handshake.sid, "string");
    assert.deepEqual(handshake.upgrades, ["websocket"]);
    assert.equal(handshake.pingInterval, 300);
    assert.equal(handshake.pingTimeout, 200);
  });

  it("POST answers ok; GET delivers what the session has (CONNECT answer)", async () => {
    const { sid } = await pollingHandshake();
    const post = await httpRequest(`${base}?EIO=4&transport=polling&sid=${sid}`, { method: "POST", body: "40" });
    assert.equal(post.status, 200);
    assert.equal(post.body, "ok");
    assert.equal(post.headers["access-control-allow-origin"], "*");
    const get = await httpRequest(`${base}?EIO=4&transport=polling&sid=${sid}`);
    assert.equal(get.status, 200);
    const packets = get.body.split("\x1e");
    assert.match(packets[0], /^40\{"sid":"[^"]+"\}$/);
    await httpRequest(`${base}?EIO=4&transport=polling&sid=${sid}`, { method: "POST", body: "1" });
  });

  describe("unsupported EIO → 400 code 5 (§2.1)", () => {
    for (const [label, query] of [
      ["missing", "transport=polling"],
      ["abc", "EIO=abc&transport=polling"],
      ["2", "EIO=2&transport=polling"],
      ["5", "EIO=5&transport=polling"],
    ]) {
      it(`EIO ${label} (polling)`, { skip: !strict && "the reference (allowEIO3) treats non-4 as v3" }, async () => {
        assertJsonError(await httpRequest(`${base}?${query}`), ERRORS.version);
      });
    }

    for (const [label, query] of [
      ["missing", "transport=websocket"],
      ["abc", "EIO=abc&transport=websocket"],
      ["5", "EIO=5&transport=websocket"],
    ]) {
      it(`EIO ${label} (websocket upgrade refused, no 101)`, { skip: !strict && "the reference (allowEIO3) treats non-4 as v3" }, async () => {
        const ws = new WebSocket(`ws://${HOST}:${server.port}/socket.io/?${query}`);
        ws.on("error", () => {});
        const [, response] = await once(ws, "unexpected-response", 3000);
        assert.equal(response.statusCode, 400);
        response.resume();
        ws.terminate();
      });
    }
  });

  it("unknown sid (GET) → 400 code 1", async () => {
    assertJsonError(await httpRequest(`${base}?EIO=4&transport=polling&sid=does-not-exist`), ERRORS.sid);
  });

  it("unknown sid (POST) → 400 code 1", async () => {
    assertJsonError(
      await httpRequest(`${base}?EIO=4&transport=polling&sid=does-not-exist`, { method: "POST", body: "40" }),
      ERRORS.sid,
    );
  });

  it("unknown transport → 400 code 0", async () => {
    assertJsonError(await httpRequest(`${base}?EIO=4&transport=carrier-pigeon`), ERRORS.transport);
  });

  it("missing transport → 400 code 0", async () => {
    assertJsonError(await httpRequest(`${base}?EIO=4`), ERRORS.transport);
  });

  it("handshake with POST → 400 code 2", async () => {
    assertJsonError(await httpRequest(`${base}?EIO=4&transport=polling`, { method: "POST", body: "40" }), ERRORS.method);
  });

  it("polling GET on a websocket session → 400 code 3", async () => {
    const raw = await RawSocket.open(server.port);
    try {
      const { sid } = JSON.parse((await raw.nextPacket()).slice(1));
      assertJsonError(await httpRequest(`${base}?EIO=4&transport=polling&sid=${sid}`), ERRORS.request);
    } finally {
      raw.close();
    }
  });

  it("CORS: Access-Control-Allow-Origin * on a handshake without Origin", async () => {
    const response = await httpRequest(`${base}?EIO=4&transport=polling`);
    assert.equal(response.headers["access-control-allow-origin"], "*");
  });

  it("CORS: OPTIONS preflight → 204 allowing GET and POST", async () => {
    const response = await httpRequest(`${base}?EIO=4&transport=polling`, {
      method: "OPTIONS",
      headers: { Origin: "http://example.test", "Access-Control-Request-Method": "POST" },
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers["access-control-allow-origin"], "*");
    const methods = (response.headers["access-control-allow-methods"] ?? "").split(",").map((m) => m.trim().toUpperCase());
    assert.ok(methods.includes("GET") && methods.includes("POST"), `allowed methods ${methods}`);
  });

  it("POST body over maxPayload (1e6) → 413, a body of exactly 1e6 is accepted", async () => {
    const { sid } = await pollingHandshake();
    const url = `${base}?EIO=4&transport=polling&sid=${sid}`;
    assert.equal((await httpRequest(url, { method: "POST", body: "40" })).body, "ok");
    // A valid EVENT packet of exactly 1e6 bytes, then one byte more.
    const packetOfSize = (size) => {
      const head = '42["message","';
      const tail = '"]';
      return head + "x".repeat(size - head.length - tail.length) + tail;
    };
    assert.equal(packetOfSize(1_000_000).length, 1_000_000);
    const exact = await httpRequest(url, { method: "POST", body: packetOfSize(1_000_000) });
    assert.equal(exact.status, 200);
    assert.equal(exact.body, "ok");
    const over = await httpRequest(url, { method: "POST", body: packetOfSize(1_000_001) });
    assert.equal(over.status, 413);
  });
});
