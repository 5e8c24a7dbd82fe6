// Socket API: socket.request, socket.handshake, socket.conn (id, transport,
// protocol, the "upgrade" notification, close), socket ids.

import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { MODES, RawSocket, closeClients, connect, emitWithAck, once, waitConnected } from "./harness.mjs";
import { PollingSession, countAfterQuiet, startApiServer } from "./api-helpers.mjs";

describe("api: request, handshake, conn", () => {
  let server;
  before(async () => {
    server = await startApiServer();
  });
  after(async () => {
    closeClients();
    await server?.stop();
  });
  afterEach(() => closeClients());

  for (const mode of MODES) {
    describe(mode.name, () => {
      const first = mode.name === "websocket" ? "websocket" : "polling";

      it("socket.request: method, url, headers, query and address of the first request", async () => {
        const s = await connect(server.url, { mode, options: { query: { custom: "q v" }, extraHeaders: { "x-api-test": "yes" } } });
        const [r] = await emitWithAck(s, "request");
        assert.equal(r.method, "GET");
        assert.match(r.url, new RegExp(`^/socket\\.io/\\?.*transport=${first}`));
        assert.match(r.url, /custom=q(%20|\+)v/);
        assert.equal(r.headers["x-api-test"], "yes");
        assert.equal(r.headers.host, server.url.slice("http://".length));
        assert.equal(r.query.custom, "q v");
        assert.equal(r.query.EIO, "4");
        assert.equal(r.query.transport, first);
        assert.match(r.address, /^(::ffff:)?127\.0\.0\.1$/);
        assert.equal(r.secure, false);
      });

      it("socket.handshake: headers, time, address, xdomain, secure, issued, url, query, auth", async () => {
        const before = Date.now();
        const s = await connect(server.url, { mode, options: { auth: { token: 1 }, query: { k: "v" }, extraHeaders: { origin: "http://example.test" } } });
        const [h] = await emitWithAck(s, "handshake");
        assert.equal(h.headers.origin, "http://example.test");
        assert.equal(h.xdomain, true);
        assert.equal(h.secure, false);
        assert.match(h.address, /^(::ffff:)?127\.0\.0\.1$/);
        assert.equal(typeof h.issued, "number");
        assert.ok(h.issued >= before - 1000 && h.issued <= Date.now() + 1000, `issued ${h.issued}`);
        assert.ok(Math.abs(Date.parse(h.time) - h.issued) < 1000, `time ${h.time}`);
        assert.match(h.url, new RegExp(`^/socket\\.io/\\?.*transport=${first}`));
        assert.equal(h.query.k, "v");
        assert.deepEqual(h.auth, { token: 1 });
      });

      it("socket.conn: the Engine.IO id, transport and protocol; one conn for all namespaces", async () => {
        const s = await connect(server.url, { mode });
        const other = await waitConnected(s.io.socket("/other"));
        const [c] = await emitWithAck(s, "conn");
        assert.equal(c.id, s.io.engine.id);
        assert.equal(c.engineId, c.id);
        assert.equal(c.protocol, 4);
        assert.equal(c.transport, mode.finalTransport);
        assert.equal(c.socketTransport, mode.finalTransport);
        const [o] = await emitWithAck(other, "conn");
        assert.equal(o.id, c.id);
        assert.notEqual(other.id, s.id, "a socket id per namespace");
        assert.notEqual(s.id, c.id, "socket id is not the Engine.IO id (protocol v5)");
      });

      it("conn.close(): the client sees transport close, no DISCONNECT packet", async () => {
        const s = await connect(server.url, { mode });
        const gone = once(s, "disconnect");
        s.emit("close-transport");
        assert.equal((await gone)[0], "transport close");
      });
    });
  }

  it("upgrade mode: conn.on_upgrade reports the move to websocket, once", async () => {
    const s = await connect(server.url, { mode: MODES[2] });
    const [welcome] = await s.received.take("welcome", 1000);
    const [c] = await emitWithAck(s, "conn");
    assert.equal(c.transport, "websocket");
    if (welcome.transport === "polling") {
      assert.deepEqual(await s.received.take("conn-upgraded", 1000), ["websocket"]);
      assert.equal(await countAfterQuiet(s, "conn-upgraded", 100), 1);
    } else {
      // Already upgraded when the socket connected: no upgrade to report.
      assert.equal(await countAfterQuiet(s, "conn-upgraded", 100), 0);
    }
  });

  it("raw upgrade: the connection handler saw polling, the upgrade listener runs after the 5 packet", async () => {
    const session = await PollingSession.open(server.url);
    await session.post("40");
    let packets = [];
    while (!packets.some((p) => p.startsWith('42["welcome"'))) packets.push(...(await session.nextPackets()));
    assert.equal(JSON.parse(packets.find((p) => p.startsWith('42["welcome"')).slice(2))[1].transport, "polling");
    const ws = await RawSocket.open(server.port, `EIO=4&transport=websocket&sid=${encodeURIComponent(session.sid)}`);
    try {
      ws.send("2probe");
      assert.equal(await ws.nextPacket(), "3probe");
      ws.send("5");
      assert.equal(await ws.nextPacket(), '42["conn-upgraded","websocket"]');
      ws.send('421["conn"]');
      const answer = await ws.nextPacket();
      assert.match(answer, /^431\[/);
      const [c] = JSON.parse(answer.slice(3));
      assert.equal(c.transport, "websocket");
      assert.equal(c.id, session.sid);
    } finally {
      ws.close();
    }
  });
});
