// The nine server-side disconnect reasons of socket.io 4.8
// (actors/disconnect_reason.hpp), each caused for real and read from the
// server's disconnect record ("disconnect-info"), or from its stdout log for
// "server shutting down".

import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { MODES, RawSocket, closeClients, connect, disconnectRecord, emitWithAck, once, sleep } from "./harness.mjs";
import { disconnectLines, pollingConnect, startApiServer } from "./api-helpers.mjs";

/**
 * A raw websocket client connected to "/", once the app's "welcome" is in
 * (so that no write of the server is in flight); `autoPong` false lets the
 * session time out.
 */
async function rawConnected(port, { autoPong = true } = {}) {
  const raw = await RawSocket.open(port, undefined, { autoPong });
  assert.match(await raw.nextPacket(), /^0\{/);
  raw.send("40");
  const answer = await raw.nextPacket();
  assert.match(answer, /^40\{"sid":/);
  assert.match(await raw.nextPacket(), /^42\["welcome",/);
  return { raw, id: JSON.parse(answer.slice(2)).sid };
}

describe("api: disconnect reasons", () => {
  let server;
  before(async () => {
    server = await startApiServer(["--ping-interval", "200", "--ping-timeout", "100"]);
  });
  after(async () => {
    closeClients();
    await server?.stop();
  });
  afterEach(() => closeClients());

  const reason = async (id) => {
    const observer = await connect(server.url);
    const record = await disconnectRecord(observer, id, 3000);
    assert.deepEqual(record.roomsAfter, []);
    return record.reason;
  };

  for (const mode of MODES) {
    it(`${mode.name}: the client closes its connection → transport close`, async () => {
      const s = await connect(server.url, { mode });
      const id = s.id;
      s.io.engine.close();
      assert.equal(await reason(id), "transport close");
    });

    it(`${mode.name}: client disconnect() → client namespace disconnect`, async () => {
      const s = await connect(server.url, { mode });
      const id = s.id;
      s.disconnect();
      assert.equal(await reason(id), "client namespace disconnect");
    });

    it(`${mode.name}: socket.disconnect() on the server → server namespace disconnect`, async () => {
      const s = await connect(server.url, { mode });
      const id = s.id;
      const gone = once(s, "disconnect");
      s.emit("disconnect-me", false);
      assert.equal((await gone)[0], "io server disconnect");
      assert.equal(await reason(id), "server namespace disconnect");
    });

    it(`${mode.name}: conn.close() on the server → forced close`, async () => {
      const s = await connect(server.url, { mode });
      const id = s.id;
      const gone = once(s, "disconnect");
      s.emit("close-transport");
      assert.equal((await gone)[0], "transport close");
      assert.equal(await reason(id), "forced close");
    });
  }

  it("a websocket closed by the client without a close packet → transport close", async () => {
    const { raw, id } = await rawConnected(server.port);
    raw.close();
    assert.equal(await reason(id), "transport close");
  });

  it("a held polling GET whose connection breaks → transport error", async () => {
    const session = await pollingConnect(server.url);
    const get = session.startGet();
    await get.sent;
    await sleep(50); // parked on the server
    get.abort();
    assert.equal(await get.response, null);
    assert.equal(await reason(session.socketId), "transport error");
  });

  it("a Socket.IO-level decode error (42{}) → forced close", async () => {
    const { raw, id } = await rawConnected(server.port);
    raw.send("42{}");
    await raw.waitClosed(2000);
    assert.equal(await reason(id), "forced close");
  });

  it("no pong within pingTimeout → ping timeout", async () => {
    const { raw, id } = await rawConnected(server.port, { autoPong: false });
    try {
      await raw.waitClosed(2000);
      assert.equal(await reason(id), "ping timeout");
    } finally {
      raw.close();
    }
  });

  it("an Engine.IO-level undecodable packet (abc) → parse error", async () => {
    const { raw, id } = await rawConnected(server.port);
    raw.send("abc");
    await raw.waitClosed(2000);
    assert.equal(await reason(id), "parse error");
  });

  it("polling: a packet for a namespace never joined → forced server close", async () => {
    const session = await pollingConnect(server.url);
    const res = await session.post('42/never,["x"]');
    assert.equal(res.status, 200);
    assert.equal(await reason(session.socketId), "forced server close");
  });

  it("websocket: a packet for a namespace never joined → forced server close (socket.io 4.8: forced close)", async () => {
    const { raw, id } = await rawConnected(server.port);
    raw.send('42/never,["x"]');
    await raw.waitClosed(2000);
    // socket.io 4.8's Client.close() closes the engine first (dist/client.js:151),
    // which over a websocket reports "forced close" synchronously before its
    // own onclose("forced server close") (:152) runs; over polling without a
    // parked GET the close is deferred and "forced server close" wins.
    assert.ok(["forced server close", "forced close"].includes(await reason(id)));
  });

  it(
    "an undecodable frame while the server writes to that websocket does not crash the server",
    async () => {
      const own = await startApiServer();
      let stopped = false;
      try {
        const attempt = async () => {
          const raw = await RawSocket.open(own.port);
          await raw.nextPacket();
          raw.send("40");
          await raw.nextPacket(); // CONNECT; "welcome" follows at once...
          raw.send("abc"); // ...while this frame fails to decode
          await raw.waitClosed(2000);
        };
        for (let round = 0; round < 40; round++) await Promise.all([attempt(), attempt(), attempt(), attempt()]);
        const s = await connect(own.url);
        assert.deepEqual(await emitWithAck(s, "echo", "alive"), ["alive"]);
        const result = await own.stop();
        stopped = true;
        assert.equal(result.code, 0, result.log.split("\n").filter((l) => !l.startsWith("{")).slice(-30).join("\n"));
      } finally {
        if (!stopped) await own.stop().catch(() => {});
      }
    },
  );

  it("io.close() (SIGTERM) → server shutting down, for every socket, exit 0", async () => {
    const own = await startApiServer();
    let stopped = false;
    try {
      const clients = [];
      for (const mode of MODES) clients.push(await connect(own.url, { mode }));
      const other = await connect(own.url, { nsp: "/other" });
      const dyn = await connect(own.url, { nsp: "/dyn-9" });
      await Promise.all([...clients, other].map((c) => new Promise((res) => c.emit("join", "everyone", res))));
      const ids = [...clients, other, dyn].map((c) => c.id);
      const gone = [...clients, other, dyn].map((c) => once(c, "disconnect", 5000));
      const result = await own.stop();
      stopped = true;
      assert.equal(result.code, 0);
      for (const [why] of await Promise.all(gone)) assert.equal(why, "transport close");
      const records = disconnectLines(result.log);
      for (const id of ids) {
        const record = records.find((r) => r.id === id);
        assert.ok(record, `a record of ${id} in the log:\n${result.log}`);
        assert.equal(record.reason, "server shutting down");
        assert.deepEqual(record.roomsAfter, []);
      }
      assert.deepEqual(records.find((r) => r.id === ids[0]).rooms, ["everyone", ids[0]].sort());
    } finally {
      if (!stopped) await own.stop();
    }
  });
});
