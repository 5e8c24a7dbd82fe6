// Malformed input over a raw Engine.IO v4 WebSocket (conformance-app.md §3.5,
// §2.5): the offending connection is closed (all its namespaces, with a
// `parse error`/`forced close` record) while a well-behaved socket.io-client
// connection on the same server keeps being served.

import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import {
  MODES,
  RawSocket,
  closeClients,
  connect,
  disconnectRecord,
  emitWithAck,
  startServer,
} from "./harness.mjs";

const RESERVED = ["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"];

const MALFORMED = [
  ["an unknown Socket.IO packet type (4abc)", "4abc"],
  ["an unknown Socket.IO packet type (47)", "47"],
  ["an unknown Engine.IO packet type", "9hello"],
  ["an EVENT with an object payload (42{})", "42{}"],
  ["an EVENT with junk before the payload (42abc[...])", '42abc["message","x"]'],
  ["an EVENT with a string payload", '42"message"'],
  ["an EVENT with an empty array", "42[]"],
  ["an EVENT whose name is an object", '42[{"a":1},"x"]'],
  ["an EVENT whose name is null", "42[null]"],
  ["an EVENT with invalid JSON", '42["message","unterminated'],
  ["an EVENT with a non-numeric ack id", '42x1["message-with-ack"]'],
  ["a BINARY_EVENT with a malformed attachment count", '45a-["message",{"_placeholder":true,"num":0}]'],
  ...RESERVED.map((name) => [`an event named with the reserved name ${name}`, `42${JSON.stringify([name, "x"])}`]),
];

/** Opens a raw websocket session and connects the namespace; returns { raw, id }. */
async function rawConnected(port, nsp = "/") {
  const raw = await RawSocket.open(port);
  const open = await raw.nextPacket();
  assert.match(open, /^0\{/);
  const handshake = JSON.parse(open.slice(1));
  assert.deepEqual(handshake.upgrades, []);
  raw.send(nsp === "/" ? "40" : `40${nsp},`);
  const connected = await raw.nextPacket();
  const prefix = nsp === "/" ? "40" : `40${nsp},`;
  assert.ok(connected.startsWith(prefix), `CONNECT answer ${connected}`);
  const { sid } = JSON.parse(connected.slice(prefix.length));
  assert.equal(typeof sid, "string");
  const auth = await raw.nextPacket();
  assert.equal(auth, nsp === "/" ? '42["auth",{}]' : `42${nsp},["auth",{}]`);
  return { raw, id: sid };
}

describe("malformed input", () => {
  let server;
  let good; // a well-behaved client that must survive every case
  let raws = [];
  before(async () => {
    server = await startServer();
    good = await connect(server.url, { mode: MODES[0] });
  });
  after(async () => {
    closeClients();
    await server?.stop();
  });
  afterEach(() => {
    for (const raw of raws) raw.close();
    raws = [];
  });

  const assertGoodClientServed = async () => {
    assert.equal(good.connected, true);
    assert.deepEqual(await emitWithAck(good, "message-with-ack", "still", "served"), ["still", "served"]);
  };

  for (const [label, frame] of MALFORMED) {
    it(`closes the connection on ${label}`, async () => {
      const { raw, id } = await rawConnected(server.port);
      raws.push(raw);
      raw.send(frame);
      await raw.waitClosed(3000);
      const record = await disconnectRecord(good, id);
      assert.equal(record.nsp, "/");
      assert.ok(["parse error", "forced close"].includes(record.reason), `reason ${record.reason}`);
      assert.deepEqual(record.roomsAfter, []);
      await assertGoodClientServed();
    });
  }

  it("closes every namespace of the connection when one namespace misbehaves", async () => {
    const raw = await RawSocket.open(server.port);
    raws.push(raw);
    assert.match(await raw.nextPacket(), /^0\{/);
    raw.send("40");
    const main = JSON.parse((await raw.nextPacket()).slice(2)).sid;
    assert.equal(await raw.nextPacket(), '42["auth",{}]');
    raw.send("40/custom,");
    const customAnswer = await raw.nextPacket();
    assert.ok(customAnswer.startsWith("40/custom,"), customAnswer);
    const custom = JSON.parse(customAnswer.slice("40/custom,".length)).sid;
    assert.equal(await raw.nextPacket(), '42/custom,["auth",{}]');

    raw.send("42/custom,{}");
    await raw.waitClosed(3000);
    for (const [id, nsp] of [[main, "/"], [custom, "/custom"]]) {
      const record = await disconnectRecord(good, id);
      assert.equal(record.nsp, nsp);
      assert.ok(["parse error", "forced close"].includes(record.reason), `reason ${record.reason}`);
    }
    await assertGoodClientServed();
  });

  it("accepts and ignores numeric event names (42[1])", async () => {
    const { raw } = await rawConnected(server.port);
    raws.push(raw);
    raw.send("42[1]");
    raw.send('42[2,"x",{"y":1}]');
    raw.send('427["noop"]');
    assert.equal(await raw.nextPacket(), "437[]");
    raw.send('428["message-with-ack","alive"]');
    assert.equal(await raw.nextPacket(), '438["alive"]');
    await assertGoodClientServed();
  });

  it("closes a websocket message larger than maxPayload", async () => {
    const { raw } = await rawConnected(server.port);
    raws.push(raw);
    raw.send(`42["message","${"x".repeat(1_000_001)}"]`);
    await raw.waitClosed(3000);
    await assertGoodClientServed();
  });

  it("closes a connection that sends no CONNECT within connectTimeout (1000 ms)", async () => {
    const raw = await RawSocket.open(server.port);
    raws.push(raw);
    const opened = Date.now();
    assert.match(await raw.nextPacket(), /^0\{/);
    await raw.waitClosed(3000);
    const elapsed = Date.now() - opened;
    assert.ok(elapsed >= 700, `closed after ${elapsed} ms, before connectTimeout`);
    await assertGoodClientServed();
  });

  it("the good client is still served at the end", async () => {
    await assertGoodClientServed();
    assert.deepEqual(await emitWithAck(good, "whoami"), [{ id: good.id, nsp: "/" }]);
  });
});
