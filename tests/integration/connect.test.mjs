// Connecting to the namespaces of the conformance app (conformance-app.md §3,
// §3.1, §3.4), in each transport mode of socket.io-client 4.8.

import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import {
  EventLog,
  MODES,
  closeClients,
  connect,
  connectError,
  createClient,
  emitWithAck,
  startServer,
  waitConnected,
} from "./harness.mjs";

describe("connect", () => {
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
      it("ends on the expected Engine.IO transport", async () => {
        const socket = await connect(server.url, { mode });
        assert.equal(socket.io.engine.transport.name, mode.finalTransport);
        const [reply] = await emitWithAck(socket, "whoami");
        assert.deepEqual(reply, { id: socket.id, nsp: "/" });
        assert.equal(socket.io.engine.transport.name, mode.finalTransport);
      });

      it("emits auth with the CONNECT payload on /", async () => {
        const socket = await connect(server.url, { mode, options: { auth: { token: "abc" } } });
        assert.deepEqual(await socket.received.take("auth"), [{ token: "abc" }]);
      });

      it("emits auth {} when the client sends no auth", async () => {
        const socket = await connect(server.url, { mode });
        assert.deepEqual(await socket.received.take("auth"), [{}]);
      });

      it("auth is the first and only spontaneous event", async () => {
        const socket = await connect(server.url, { mode, options: { auth: { n: 1, s: "é", list: [1, null] } } });
        assert.deepEqual(await socket.received.take("auth"), [{ n: 1, s: "é", list: [1, null] }]);
        await emitWithAck(socket, "noop"); // fence
        assert.deepEqual(
          socket.received.events.map((e) => e.event),
          ["auth"],
        );
      });

      it("connects to /custom and emits auth there", async () => {
        const socket = await connect(server.url, { mode, nsp: "/custom", options: { auth: { token: "abc" } } });
        assert.deepEqual(await socket.received.take("auth"), [{ token: "abc" }]);
        const [reply] = await emitWithAck(socket, "whoami");
        assert.deepEqual(reply, { id: socket.id, nsp: "/custom" });
      });

      it("accepts /private with token \"secret\"", async () => {
        const socket = await connect(server.url, { mode, nsp: "/private", options: { auth: { token: "secret" } } });
        assert.deepEqual(await socket.received.take("auth"), [{ token: "secret" }]);
        const [reply] = await emitWithAck(socket, "whoami");
        assert.deepEqual(reply, { id: socket.id, nsp: "/private" });
      });

      for (const [label, auth] of [
        ["a wrong token", { token: "wrong" }],
        ["no auth", undefined],
        ["a non-string token", { token: ["secret"] }],
        ["a differently cased token", { token: "Secret" }],
      ]) {
        it(`refuses /private with ${label} (connect_error "unauthorized")`, async () => {
          const socket = createClient(server.url, "/private", { ...mode.options, ...(auth ? { auth } : {}) });
          const err = await connectError(socket);
          assert.equal(err.message, "unauthorized");
          assert.equal(socket.connected, false);
        });
      }

      it("refuses an unknown namespace with connect_error \"Invalid namespace\"", async () => {
        const socket = createClient(server.url, "/random", mode.options);
        const err = await connectError(socket);
        assert.equal(err.message, "Invalid namespace");
        assert.equal(socket.connected, false);
      });

      it("keeps other namespaces of the connection working after refusals, and allows a retry", async () => {
        const main = await connect(server.url, { mode });
        const manager = main.io;
        const unknown = manager.socket("/random");
        assert.equal((await connectError(unknown)).message, "Invalid namespace");
        const priv = manager.socket("/private", { auth: { token: "nope" } });
        const privLog = new EventLog(priv);
        assert.equal((await connectError(priv)).message, "unauthorized");

        // Still one Engine.IO connection, `/` unaffected.
        assert.equal(main.connected, true);
        assert.deepEqual(await emitWithAck(main, "message-with-ack", "still", 1), ["still", 1]);

        // Retry CONNECT on the same connection with the right token.
        const engineId = manager.engine.id;
        priv.auth = { token: "secret" };
        priv.connect();
        await waitConnected(priv);
        assert.equal(manager.engine.id, engineId);
        assert.deepEqual(await privLog.take("auth"), [{ token: "secret" }]);
        const [reply] = await emitWithAck(priv, "whoami");
        assert.deepEqual(reply, { id: priv.id, nsp: "/private" });
        const [mainReply] = await emitWithAck(main, "whoami");
        assert.deepEqual(mainReply, { id: main.id, nsp: "/" });
        assert.notEqual(priv.id, main.id);
        priv.disconnect();
      });

      it("gives every namespace socket of one connection its own id", async () => {
        const main = await connect(server.url, { mode });
        const custom = main.io.socket("/custom");
        await waitConnected(custom);
        const [a] = await emitWithAck(main, "whoami");
        const [b] = await emitWithAck(custom, "whoami");
        assert.equal(a.id, main.id);
        assert.equal(b.id, custom.id);
        assert.notEqual(a.id, b.id);
        assert.equal(b.nsp, "/custom");
        custom.disconnect();
      });
    });
  }
});
