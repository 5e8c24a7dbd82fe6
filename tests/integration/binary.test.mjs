// Binary payloads (BINARY_EVENT / BINARY_ACK with attachments) in both
// directions, byte-exact, in each transport mode (conformance-app.md §3.2:
// `message` preserves binary, `message-with-ack` acks with the same arguments).

import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { MODES, closeClients, connect, emitWithAck, startServer } from "./harness.mjs";

const bytes = (...values) => Uint8Array.from(values);
const ramp = (n) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + 3) & 0xff);

/**
 * Replaces every binary value (Buffer, Uint8Array, ArrayBuffer) by
 * { $binary: <hex> } so that structures compare byte-exact with deepEqual
 * whatever binary type the client library hands out.
 */
function normalize(value) {
  if (value instanceof ArrayBuffer) return { $binary: Buffer.from(value).toString("hex") };
  if (ArrayBuffer.isView(value)) return { $binary: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex") };
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v)]));
  return value;
}

const CASES = [
  ["a single Buffer", [Buffer.from([0, 1, 2, 255])]],
  ["a Uint8Array with all byte values", [Uint8Array.from({ length: 256 }, (_, i) => i)]],
  ["an empty Buffer", [Buffer.alloc(0)]],
  ["binary nested in objects and arrays", [
    "label",
    { file: { name: "a.bin", data: bytes(0xde, 0xad, 0xbe, 0xef) }, list: [bytes(1), "x", [bytes(2, 3)]] },
    [bytes(), { deep: [[{ deeper: Buffer.from("héllo") }]] }],
    7,
  ]],
  ["the same buffer twice", (() => {
    const shared = bytes(9, 8, 7);
    return [shared, { again: shared }];
  })()],
  // 10: socket.io-parser 4.2.7 (server and client) refuses more attachments.
  ["ten attachments", Array.from({ length: 10 }, (_, i) => ramp(i + 1))],
  ["a large buffer (200 kB)", [ramp(200_000)]],
  ["binary whose bytes look like packets", [Buffer.from('{"_placeholder":true,"num":0}'), Buffer.from("451-"), "451-"]],
];

describe("binary", () => {
  let server;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    closeClients();
    await server?.stop();
  });
  afterEach(() => closeClients());

  for (const mode of MODES) {
    describe(mode.name, () => {
      for (const [label, args] of CASES) {
        it(`message → message-back: ${label}`, async () => {
          const socket = await connect(server.url, { mode });
          socket.emit("message", ...args);
          const back = await socket.received.take("message-back");
          assert.deepEqual(normalize(back), normalize(args));
          for (const [i, arg] of args.entries()) {
            if (ArrayBuffer.isView(arg)) assert.ok(back[i] instanceof Uint8Array || back[i] instanceof ArrayBuffer);
          }
        });

        it(`message-with-ack acks: ${label}`, async () => {
          const socket = await connect(server.url, { mode });
          const ack = await emitWithAck(socket, "message-with-ack", ...args);
          assert.deepEqual(normalize(ack), normalize(args));
        });
      }

      it("binary through server-ack: server → client event and client → server ack", async () => {
        const socket = await connect(server.url, { mode });
        socket.on("bin-ask", (payload, answer) => {
          answer({ got: payload.data, extra: bytes(4, 2) }, Buffer.from([0xff]));
        });
        socket.emit("server-ack", "bin-ask", { data: bytes(1, 2, 3) });
        const result = await socket.received.take("server-ack-result");
        assert.deepEqual(normalize(result), normalize([{ got: bytes(1, 2, 3), extra: bytes(4, 2) }, bytes(0xff)]));
      });

      it("binary through a broadcast to another client", async () => {
        const a = await connect(server.url, { mode });
        const b = await connect(server.url, { mode });
        const room = `bin-${mode.name}`;
        await emitWithAck(b, "join", room);
        const payload = { blob: ramp(1000), list: [bytes(0), bytes()] };
        await emitWithAck(a, "to", [room], "bin-broadcast", payload, "tail");
        const got = await b.received.take("bin-broadcast");
        assert.deepEqual(normalize(got), normalize([payload, "tail"]));
      });
    });
  }
});
