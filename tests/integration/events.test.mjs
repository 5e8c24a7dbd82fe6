// Events and acks in both directions and the per-socket handlers of
// conformance-app.md §3.2/§3.3, in each transport mode.

import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { MODES, closeClients, connect, emitWithAck, startServer } from "./harness.mjs";

const RESERVED = ["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"];

const SAMPLE_ARGS = [
  "text",
  42,
  -1.5,
  true,
  false,
  null,
  { nested: { list: [1, "two", { three: 3 }] }, empty: {} },
  [],
  "unicode: é ü 漢字 🎉",
];

describe("events", () => {
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
      it("message → message-back with the same arguments, no ack", async () => {
        const socket = await connect(server.url, { mode });
        socket.emit("message", ...SAMPLE_ARGS);
        assert.deepEqual(await socket.received.take("message-back"), SAMPLE_ARGS);
        socket.emit("message");
        assert.deepEqual(await socket.received.take("message-back"), []);
      });

      it("message with an ack id answers with message-back and never acks", async () => {
        const socket = await connect(server.url, { mode });
        let acked = false;
        socket.emit("message", "a", () => {
          acked = true;
        });
        assert.deepEqual(await socket.received.take("message-back"), ["a"]);
        await emitWithAck(socket, "noop"); // fence: anything sent before has arrived
        assert.equal(acked, false);
      });

      it("message-with-ack acks with the same arguments", async () => {
        const socket = await connect(server.url, { mode });
        assert.deepEqual(await emitWithAck(socket, "message-with-ack", ...SAMPLE_ARGS), SAMPLE_ARGS);
        assert.deepEqual(await emitWithAck(socket, "message-with-ack"), []);
      });

      it("keeps the order of events and acks", async () => {
        const socket = await connect(server.url, { mode });
        for (let i = 0; i < 20; i++) socket.emit("message", i);
        const acks = await Promise.all(Array.from({ length: 20 }, (_, i) => emitWithAck(socket, "message-with-ack", i)));
        assert.deepEqual(acks, Array.from({ length: 20 }, (_, i) => [i]));
        const backs = [];
        for (let i = 0; i < 20; i++) backs.push(await socket.received.take("message-back"));
        assert.deepEqual(backs, Array.from({ length: 20 }, (_, i) => [i]));
      });

      it("server-ack: the server emits with an ack and reports the client's answer", async () => {
        const socket = await connect(server.url, { mode });
        socket.on("ask", (a, b, answer) => answer(a + b, "ok", { echo: [a, b] }));
        socket.emit("server-ack", "ask", 1, 2);
        assert.deepEqual(await socket.received.take("server-ack-result"), [3, "ok", { echo: [1, 2] }]);
      });

      it("server-ack with an empty answer", async () => {
        const socket = await connect(server.url, { mode });
        socket.on("ping-me", (answer) => answer());
        socket.emit("server-ack", "ping-me");
        assert.deepEqual(await socket.received.take("server-ack-result"), []);
      });

      it("whoami acks id and namespace", async () => {
        const socket = await connect(server.url, { mode });
        assert.deepEqual(await emitWithAck(socket, "whoami"), [{ id: socket.id, nsp: "/" }]);
      });

      it("handshake acks the first request's details", async () => {
        const before = Date.now();
        const socket = await connect(server.url, {
          mode,
          options: {
            query: { custom: "value", n: "1" },
            auth: { token: "abc" },
            extraHeaders: { "X-Cafio-Test": "yes" },
          },
        });
        const [h] = await emitWithAck(socket, "handshake");
        const firstTransport = mode.options.transports?.[0] ?? "polling";

        assert.deepEqual(Object.keys(h).sort(), ["address", "auth", "headers", "issued", "query", "secure", "time", "url", "xdomain"]);
        assert.deepEqual(h.auth, { token: "abc" });
        assert.equal(h.secure, false);
        assert.equal(h.xdomain, false);
        assert.ok(["127.0.0.1", "::ffff:127.0.0.1"].includes(h.address), `address ${h.address}`);

        // query: strings, incl. EIO and transport (polling adds a `t` cache buster).
        const { t, ...query } = h.query;
        assert.deepEqual(query, { custom: "value", n: "1", EIO: "4", transport: firstTransport });
        if (t !== undefined) assert.equal(typeof t, "string");

        // url: path + query string of the first request, consistent with `query`.
        assert.ok(h.url.startsWith("/socket.io/?"), `url ${h.url}`);
        assert.deepEqual(Object.fromEntries(new URLSearchParams(h.url.slice("/socket.io/?".length))), h.query);

        // headers: lower-cased names of the first request.
        assert.equal(h.headers.host, `127.0.0.1:${server.port}`);
        assert.equal(h.headers["x-cafio-test"], "yes");
        for (const name of Object.keys(h.headers)) assert.equal(name, name.toLowerCase());

        // time / issued: the handshake time, as a Date string and as ms.
        assert.equal(typeof h.issued, "number");
        assert.ok(h.issued >= before - 1000 && h.issued <= Date.now() + 1000, `issued ${h.issued}`);
        assert.equal(typeof h.time, "string");
        const parsed = Date.parse(h.time);
        assert.ok(Number.isFinite(parsed), `time ${h.time}`);
        assert.ok(Math.abs(parsed - h.issued) < 1000, `time ${h.time} vs issued ${h.issued}`);
      });

      it("handshake xdomain is true when an Origin header was sent", async () => {
        const socket = await connect(server.url, { mode, options: { extraHeaders: { Origin: "http://example.test" } } });
        const [h] = await emitWithAck(socket, "handshake");
        assert.equal(h.xdomain, true);
        assert.equal(h.headers.origin, "http://example.test");
        assert.deepEqual(h.auth, {});
      });

      it("emit-reserved refuses reserved names and sends nothing", async () => {
        const socket = await connect(server.url, { mode });
        await socket.received.take("auth");
        for (const name of RESERVED) {
          const [reply] = await emitWithAck(socket, "emit-reserved", name);
          assert.equal(reply.ok, false, name);
          assert.deepEqual(Object.keys(reply).sort(), ["error", "ok"]);
          assert.equal(typeof reply.error, "string");
          assert.ok(reply.error.length > 0);
        }
        // The acks are fences: had anything been emitted, it would be here.
        assert.deepEqual(socket.received.events.map((e) => e.event), ["auth"]);
        assert.equal(socket.connected, true);
      });

      it("emit-reserved sends a non-reserved name", async () => {
        const socket = await connect(server.url, { mode });
        assert.deepEqual(await emitWithAck(socket, "emit-reserved", "custom-event"), [{ ok: true }]);
        assert.deepEqual(await socket.received.take("custom-event", 0), ["x"]);
      });

      it("send-me emits message with the arguments", async () => {
        const socket = await connect(server.url, { mode });
        assert.deepEqual(await emitWithAck(socket, "send-me", 1, "two", { three: [3] }), []);
        assert.deepEqual(await socket.received.take("message", 0), [1, "two", { three: [3] }]);
        socket.emit("send-me", "no-ack");
        assert.deepEqual(await socket.received.take("message"), ["no-ack"]);
      });

      it("compress emits the event uncompressed", async () => {
        const socket = await connect(server.url, { mode });
        const big = "z".repeat(20_000); // above any compression threshold
        assert.deepEqual(await emitWithAck(socket, "compress", "squeezed", big, { k: 1 }), []);
        assert.deepEqual(await socket.received.take("squeezed", 0), [big, { k: 1 }]);
      });

      if (mode.finalTransport === "websocket") {
        it("volatile is delivered on a writable websocket", async () => {
          const socket = await connect(server.url, { mode });
          assert.deepEqual(await emitWithAck(socket, "volatile", "flying", 1, { two: 2 }), []);
          assert.deepEqual(await socket.received.take("flying", 0), [1, { two: 2 }]);
        });
      } else {
        it("volatile always acks (delivery on polling depends on a parked GET)", async () => {
          const socket = await connect(server.url, { mode });
          assert.deepEqual(await emitWithAck(socket, "volatile", "flying", 1), []);
          for (const args of socket.received.all("flying")) assert.deepEqual(args, [1]);
        });
      }

      it("noop acks with no arguments, with or without extra arguments", async () => {
        const socket = await connect(server.url, { mode });
        assert.deepEqual(await emitWithAck(socket, "noop"), []);
        assert.deepEqual(await emitWithAck(socket, "noop", 1, "x"), []);
      });

      it("packet middleware rejects forbidden with middleware-error and stays connected", async () => {
        const socket = await connect(server.url, { mode });
        let acked = false;
        socket.emit("forbidden", 1, () => {
          acked = true;
        });
        assert.deepEqual(await socket.received.take("middleware-error"), ["forbidden event"]);
        socket.emit("forbidden");
        assert.deepEqual(await socket.received.take("middleware-error"), ["forbidden event"]);
        // Still connected and served; the forbidden handler never ran.
        assert.deepEqual(await emitWithAck(socket, "message-with-ack", "after"), ["after"]);
        assert.equal(socket.connected, true);
        assert.equal(acked, false);
        assert.equal(socket.received.count("forbidden-reached"), 0);
        assert.equal(socket.received.count("middleware-error"), 2);
      });

      it("handlers work in /custom too", async () => {
        const socket = await connect(server.url, { mode, nsp: "/custom" });
        socket.emit("message", "m", 1);
        assert.deepEqual(await socket.received.take("message-back"), ["m", 1]);
        assert.deepEqual(await emitWithAck(socket, "message-with-ack", "a", { b: 2 }), ["a", { b: 2 }]);
        socket.on("ask", (x, answer) => answer(x * 2));
        socket.emit("server-ack", "ask", 21);
        assert.deepEqual(await socket.received.take("server-ack-result"), [42]);
      });
    });
  }
});
