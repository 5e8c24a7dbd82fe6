// Socket API: acknowledgements both ways (ack, emit_with_ack with a callback,
// with timeout(), promise style with then()), emit/send, binary, reserved
// names refused, s.after. Events: servers/api_server.cpp.

import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { MODES, RawSocket, closeClients, connect, emitWithAck } from "./harness.mjs";
import { countAfterQuiet, received, startApiServer } from "./api-helpers.mjs";

const RESERVED = ["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"];

/** A raw websocket client connected to "/": resolves once the CONNECT answer is in. */
async function rawConnected(port) {
  const raw = await RawSocket.open(port);
  assert.match(await raw.nextPacket(), /^0\{/);
  raw.send("40");
  assert.match(await raw.nextPacket(), /^40\{"sid":/);
  assert.match(await raw.nextPacket(), /^42\["welcome",/);
  return raw;
}

describe("api: acks and emits", () => {
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
      it("client → server ack with every JSON kind and binary; emitWithAck promise", async () => {
        const s = await connect(server.url, { mode });
        const args = [1, "two", { three: [3, null, true] }, Buffer.from([0, 1, 255]), [Buffer.from("x")]];
        const answer = await emitWithAck(s, "echo", ...args);
        assert.equal(answer.length, args.length);
        assert.deepEqual(answer.slice(0, 3), args.slice(0, 3));
        assert.deepEqual(Buffer.from(answer[3]), args[3]);
        assert.deepEqual(Buffer.from(answer[4][0]), Buffer.from("x"));
        assert.equal(await s.emitWithAck("echo", "p"), "p");
        assert.deepEqual(await s.timeout(2000).emitWithAck("bytes-of", Buffer.alloc(5), "no", Buffer.alloc(0)), [5, null, 0]);
      });

      it("server → client ack (emit_with_ack callback), binary answer included", async () => {
        const s = await connect(server.url, { mode });
        s.on("ask", (n, cb) => cb(n + 1, "ok", Buffer.from([9, 8])));
        s.emit("server-ack", "ask", 41);
        const [[result]] = await received(s, "server-ack-result");
        assert.equal(result.error, null);
        assert.deepEqual(result.values.slice(0, 2), [42, "ok"]);
        assert.deepEqual(Buffer.from(result.values[2]), Buffer.from([9, 8]));
      });

      it("timeout(): no answer → \"operation has timed out\"; an answer in time → its values", async () => {
        const s = await connect(server.url, { mode });
        s.on("silent", () => {});
        s.on("answering", (a, cb) => cb(a, "b"));
        const started = Date.now();
        s.emit("ack-timeout", "silent", 150);
        const [[timedOut]] = await received(s, "ack-timeout-result", 1, 3000);
        const ms = Date.now() - started;
        assert.deepEqual(timedOut, { error: "operation has timed out", values: [] });
        assert.ok(ms >= 140, `timed out after ${ms} ms`);
        s.emit("ack-timeout", "answering", 2000, "a");
        const results = await received(s, "ack-timeout-result", 2);
        assert.deepEqual(results[1][0], { error: null, values: ["a", "b"] });
      });

      it("timeout(): an answer after the timeout is ignored", async () => {
        const s = await connect(server.url, { mode });
        s.on("slow", (cb) => setTimeout(() => cb("late"), 300));
        s.emit("ack-timeout", "slow", 100);
        const [[result]] = await received(s, "ack-timeout-result");
        assert.equal(result.error, "operation has timed out");
        assert.equal(await countAfterQuiet(s, "ack-timeout-result", 400), 1);
        assert.equal(s.connected, true);
      });

      it("promise style: emit_with_ack(...).then(), with and without timeout()", async () => {
        const s = await connect(server.url, { mode });
        s.on("ping-me", (x, cb) => cb(`pong ${x}`));
        s.on("never", () => {});
        s.emit("ack-promise", "ping-me", 1);
        assert.deepEqual((await received(s, "ack-promise-result"))[0], [{ error: null, values: ["pong 1"] }]);
        s.emit("ack-promise-timeout", "never", 100);
        assert.deepEqual((await received(s, "ack-promise-result", 2))[1], [{ error: "operation has timed out", values: [] }]);
        s.emit("ack-promise-timeout", "ping-me", 2000, 2);
        assert.deepEqual((await received(s, "ack-promise-result", 3))[2], [{ error: null, values: ["pong 2"] }]);
      });
    });
  }

  it("an ack answers once: a second call sends nothing", async () => {
    const raw = await rawConnected(server.port);
    try {
      raw.send('421["ack-twice"]');
      assert.equal(await raw.nextPacket(), '431["first"]');
      raw.send('422["echo","fence"]');
      assert.equal(await raw.nextPacket(), '432["fence"]');
    } finally {
      raw.close();
    }
  });

  it("an ack kept and called later (from a timer), or from another thread", async () => {
    const s = await connect(server.url);
    assert.deepEqual(await emitWithAck(s, "ack-later", 100), ["late"]);
    assert.deepEqual(await emitWithAck(s, "ack-thread"), ["from a thread"]);
  });

  it("an event without ack id gets no ACK packet; with one, the handler sees it", async () => {
    const raw = await rawConnected(server.port);
    try {
      raw.send('42["ack-asked"]');
      raw.send('427["ack-asked"]');
      assert.equal(await raw.nextPacket(), "437[true]");
    } finally {
      raw.close();
    }
  });

  it("emit(), send() and a binary built on the server", async () => {
    const s = await connect(server.url);
    assert.deepEqual(await emitWithAck(s, "emit-me", "custom", 1, { a: [2] }), []);
    assert.deepEqual(await s.received.take("custom", 1000), [1, { a: [2] }]);
    assert.deepEqual(await emitWithAck(s, "send-me", "m", 2), []);
    assert.deepEqual(await s.received.take("message", 1000), ["m", 2]);
    const [bytes] = await emitWithAck(s, "binary", 300);
    const expected = Buffer.from([...Array(300).keys()].map((i) => i % 256));
    assert.deepEqual(Buffer.from(bytes), expected);
    const [bin, nested] = await s.received.take("bin", 1000);
    assert.deepEqual(Buffer.from(bin), expected);
    assert.deepEqual(Buffer.from(nested.nested), expected);
  });

  it("reserved event names are refused by emit, emit_with_ack and broadcast; nothing is sent", async () => {
    const s = await connect(server.url);
    const other = await connect(server.url);
    for (const name of RESERVED) {
      assert.deepEqual(await emitWithAck(s, "emit-reserved", name), [{ ok: false, error: `"${name}" is a reserved event name` }]);
      assert.deepEqual(await emitWithAck(s, "emit-reserved-ack", name), [{ error: `"${name}" is a reserved event name`, values: [] }]);
      assert.deepEqual(await emitWithAck(s, "broadcast-reserved", name), [{ ok: false, error: `"${name}" is a reserved event name` }]);
    }
    // "error" and ordinary names are not reserved for emits.
    assert.deepEqual(await emitWithAck(s, "emit-reserved", "plain"), [{ ok: true }]);
    assert.deepEqual(await s.received.take("plain", 1000), ["x"]);
    assert.deepEqual(await emitWithAck(s, "broadcast-reserved", "plain2"), [{ ok: true }]);
    assert.deepEqual(await other.received.take("plain2", 1000), ["x"]);
    assert.equal(s.connected && other.connected, true);
  });

  it("s.after(ms, fn) runs later inside the socket", async () => {
    const s = await connect(server.url);
    const started = Date.now();
    await emitWithAck(s, "after", 120, "later");
    assert.deepEqual(await s.received.take("later", 2000), ["after"]);
    assert.ok(Date.now() - started >= 110);
  });
});
