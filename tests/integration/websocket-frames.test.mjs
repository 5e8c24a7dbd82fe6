// The WebSocket layer itself (RFC 6455), as npm ws and Beast implement it and
// the reference server behaves: ping frames, fragmented messages, the
// closing handshake in both directions, and the close code of each protocol
// violation, after which the connection is gone and other clients are still
// served. cafio reads and writes these frames itself on plain connections
// (transport/plain_websocket_connection.cpp). Runs against the reference
// too: CAFIO_SERVER=reference.

import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { MODES, RawSocket, closeClients, connect, emitWithAck, isReference, once, startServer } from "./harness.mjs";

/** A raw Engine.IO v4 WebSocket session with the main namespace connected. */
async function connectedRaw(port, options) {
  const raw = await RawSocket.open(port, undefined, options);
  assert.match(await raw.nextPacket(), /^0\{/);
  raw.send("40");
  assert.match(await raw.nextPacket(), /^40\{/);
  assert.equal(await raw.nextPacket(), '42["auth",{}]');
  return raw;
}

/** One unmasked or otherwise hand-made frame, written under ws. */
function writeRaw(raw, bytes) {
  raw.ws._socket.write(Buffer.from(bytes));
}

/** A masked client frame with the given first byte (FIN, RSV, opcode). */
function maskedFrame(firstByte, payload) {
  const data = Buffer.from(payload);
  assert.ok(data.length < 126);
  const mask = [1, 2, 3, 4];
  const masked = data.map((b, i) => b ^ mask[i % 4]);
  return [firstByte, 0x80 | data.length, ...mask, ...masked];
}

describe("WebSocket frames", () => {
  let server;
  let good; // a socket.io-client connection that must be served throughout
  let raws = [];
  before(async () => {
    server = await startServer();
    good = await connect(server.url, { mode: MODES[0] });
  });
  after(async () => {
    closeClients();
    await server?.stop();
  });
  afterEach(async () => {
    for (const raw of raws) raw.close();
    raws = [];
    assert.deepEqual(await emitWithAck(good, "message-with-ack", "still", "served"), ["still", "served"]);
  });

  it("answers a ping frame with a pong carrying its payload", async () => {
    const raw = await connectedRaw(server.port);
    raws.push(raw);
    const pong = once(raw.ws, "pong");
    raw.ws.ping("are you there");
    const [data] = await pong;
    assert.equal(data.toString(), "are you there");
  });

  it("joins a fragmented message, with a ping between its fragments", async () => {
    const raw = await connectedRaw(server.port);
    raws.push(raw);
    const pong = once(raw.ws, "pong");
    raw.ws.send('421["message-with-', { fin: false });
    raw.ws.ping("between");
    raw.ws.send('ack","frag', { fin: false });
    raw.ws.send('mented"]', { fin: true });
    assert.equal((await pong)[0].toString(), "between");
    assert.equal(await raw.nextPacket(), '431["fragmented"]');
  });

  it("answers the client's close frame with its code, and the session ends", async () => {
    const raw = await connectedRaw(server.port);
    const closed = raw.waitClosed();
    raw.ws.close(4321, "bye");
    const { code } = await closed;
    assert.equal(code, 4321);
  });

  it("sends a close frame without a code when the server closes the transport", async () => {
    const raw = await connectedRaw(server.port);
    raws.push(raw);
    const closed = raw.waitClosed();
    raw.send('42["close-transport"]');
    // ws reports a close frame without a code as 1005 (what engine.io's
    // ws.close() sends); an abrupt end would be 1006.
    assert.equal((await closed).code, 1005);
  });

  // npm ws keeps reading and buffers every pong (the reference grows); Beast
  // and cafio stop reading while their pongs wait for the client.
  it("stops reading a client that pings but does not read the pongs", { skip: isReference && "cafio only" }, async () => {
    const raw = await connectedRaw(server.port);
    raws.push(raw);
    const socket = raw.ws._socket;
    socket.pause(); // read nothing more: the server's pongs pile up on our side
    const ping = Buffer.from(maskedFrame(0x89, "p".repeat(125)));
    const chunk = Buffer.concat(Array(512).fill(ping)); // 67 KB of pings
    const limit = 256 * 1024 * 1024; // far more than every buffer on the way
    let written = 0;
    let stalled = false;
    while (written < limit && !stalled) {
      written += chunk.length;
      if (socket.write(chunk)) continue;
      // The kernel has enough of ours: wait for it to drain, which it no
      // longer does once the server stops reading.
      stalled = await new Promise((res) => {
        const timer = setTimeout(() => res(true), 2000);
        socket.once("drain", () => {
          clearTimeout(timer);
          res(false);
        });
      });
    }
    assert.ok(stalled, `the server read ${written} bytes of pings whose pongs nobody read`);
  });

  const violations = [
    ["an unmasked frame", [0x81, 0x02, 0x34, 0x78], 1002],
    ["a frame with RSV1 set and no extension", maskedFrame(0xc1, "4x"), 1002],
    ["a reserved opcode", maskedFrame(0x83, "4x"), 1002],
    ["a continuation frame outside a message", maskedFrame(0x80, "4x"), 1002],
    ["a fragmented ping", maskedFrame(0x09, ""), 1002],
    ["text that is not UTF-8", maskedFrame(0x81, Buffer.from([0x34, 0xc3, 0x28])), 1007],
  ];
  for (const [label, bytes, code] of violations) {
    it(`closes with ${code} on ${label}`, async () => {
      const raw = await connectedRaw(server.port);
      raws.push(raw);
      const closed = raw.waitClosed();
      writeRaw(raw, bytes);
      assert.equal((await closed).code, code);
    });
  }
});
