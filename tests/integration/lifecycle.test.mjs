// Disconnections and their server-side records (conformance-app.md §3.2:
// disconnect-me, close-transport, last-disconnect, disconnect-info, the
// disconnect record and its reasons), in each transport mode.

import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import {
  MODES,
  closeClients,
  connect,
  disconnectRecord,
  emitWithAck,
  eventually,
  once,
  startServer,
  waitConnected,
} from "./harness.mjs";

describe("lifecycle", () => {
  let server;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    closeClients();
    await server?.stop();
  });
  afterEach(() => closeClients());

  it("disconnect-info of an unknown id is null", async () => {
    const observer = await connect(server.url);
    assert.deepEqual(await emitWithAck(observer, "disconnect-info", "no-such-socket-id"), [null]);
  });

  for (const mode of MODES) {
    describe(mode.name, () => {
      it("disconnect-me(false): io server disconnect; record server namespace disconnect", async () => {
        const observer = await connect(server.url, { mode });
        const socket = await connect(server.url, { mode });
        const custom = socket.io.socket("/custom");
        await waitConnected(custom);
        const id = socket.id;
        await emitWithAck(socket, "join", ["room-a", "room-b"]);

        const disconnected = once(socket, "disconnect");
        socket.emit("disconnect-me", false);
        const [reason] = await disconnected;
        assert.equal(reason, "io server disconnect");

        assert.deepEqual(await disconnectRecord(observer, id), {
          id,
          nsp: "/",
          reason: "server namespace disconnect",
          rooms: [id, "room-a", "room-b"].sort(),
          roomsAfter: [],
        });
        // Only this namespace: the connection and /custom live on.
        assert.equal(custom.connected, true);
        assert.deepEqual(await emitWithAck(custom, "message-with-ack", "alive"), ["alive"]);
        assert.deepEqual(await emitWithAck(custom, "disconnect-info", custom.id), [null]);
      });

      for (const value of ["true", 1]) {
        it(`disconnect-me(${JSON.stringify(value)}) behaves like false: other namespaces live on`, async () => {
          const observer = await connect(server.url, { mode });
          const socket = await connect(server.url, { mode });
          const custom = socket.io.socket("/custom");
          await waitConnected(custom);
          const id = custom.id;
          const disconnected = once(custom, "disconnect");
          custom.emit("disconnect-me", value);
          assert.equal((await disconnected)[0], "io server disconnect");
          const record = await disconnectRecord(observer, id);
          assert.equal(record.reason, "server namespace disconnect");
          assert.equal(record.nsp, "/custom");
          assert.equal(socket.connected, true);
          assert.deepEqual(await emitWithAck(socket, "message-with-ack", "alive"), ["alive"]);
        });
      }

      it("disconnect-me(true): every namespace socket disconnected, connection closed", async () => {
        const observer = await connect(server.url, { mode });
        const socket = await connect(server.url, { mode });
        const custom = socket.io.socket("/custom");
        await waitConnected(custom);
        const ids = { main: socket.id, custom: custom.id };
        await emitWithAck(custom, "join", "c-room");

        const mainGone = once(socket, "disconnect");
        const customGone = once(custom, "disconnect");
        const engineClosed = once(socket.io.engine, "close");
        socket.emit("disconnect-me", true);
        assert.equal((await mainGone)[0], "io server disconnect");
        assert.equal((await customGone)[0], "io server disconnect");
        await engineClosed;

        assert.deepEqual(await disconnectRecord(observer, ids.main), {
          id: ids.main,
          nsp: "/",
          reason: "server namespace disconnect",
          rooms: [ids.main],
          roomsAfter: [],
        });
        assert.deepEqual(await disconnectRecord(observer, ids.custom), {
          id: ids.custom,
          nsp: "/custom",
          reason: "server namespace disconnect",
          rooms: ["c-room", ids.custom].sort(),
          roomsAfter: [],
        });
      });

      it("client disconnect: record client namespace disconnect with rooms", async () => {
        const observer = await connect(server.url, { mode });
        const socket = await connect(server.url, { mode });
        const id = socket.id;
        await emitWithAck(socket, "join", ["z-room", "A-room"]);
        socket.disconnect();
        assert.deepEqual(await disconnectRecord(observer, id), {
          id,
          nsp: "/",
          reason: "client namespace disconnect",
          rooms: ["A-room", "z-room", id].sort(),
          roomsAfter: [],
        });
        assert.deepEqual(await emitWithAck(observer, "room-sockets", "z-room"), [[]]);
      });

      it("client disconnect of one namespace keeps the others", async () => {
        const observer = await connect(server.url, { mode });
        const socket = await connect(server.url, { mode });
        const custom = socket.io.socket("/custom");
        await waitConnected(custom);
        const id = custom.id;
        custom.disconnect();
        const record = await disconnectRecord(observer, id);
        assert.deepEqual(record, { id, nsp: "/custom", reason: "client namespace disconnect", rooms: [id], roomsAfter: [] });
        assert.equal(socket.connected, true);
        assert.deepEqual(await emitWithAck(socket, "message-with-ack", 1), [1]);
      });

      it("client closing the connection: record transport close", async () => {
        const observer = await connect(server.url, { mode });
        const socket = await connect(server.url, { mode });
        const id = socket.id;
        await emitWithAck(socket, "join", "t-room");
        socket.io.engine.close(); // Engine.IO close, no Socket.IO DISCONNECT
        const record = await disconnectRecord(observer, id);
        assert.deepEqual(record, { id, nsp: "/", reason: "transport close", rooms: ["t-room", id].sort(), roomsAfter: [] });
      });

      it("last-disconnect reports the most recent disconnect", async () => {
        const observer = await connect(server.url, { mode });
        const socket = await connect(server.url, { mode, nsp: "/custom" });
        const id = socket.id;
        socket.disconnect();
        const record = await eventually(
          async () => {
            const [last] = await emitWithAck(observer, "last-disconnect");
            return last && last.id === id ? last : null;
          },
          2000,
          "last-disconnect of the socket",
        );
        assert.deepEqual(record, { id, nsp: "/custom", reason: "client namespace disconnect", rooms: [id], roomsAfter: [] });
      });

      it("close-transport: transport close on the client, reconnect, non-client reason on the server", async () => {
        const observer = await connect(server.url, { mode });
        const socket = await connect(server.url, {
          mode,
          options: { reconnection: true, reconnectionDelay: 50, reconnectionDelayMax: 100, randomizationFactor: 0 },
        });
        const firstId = socket.id;
        const disconnected = once(socket, "disconnect");
        socket.emit("close-transport");
        assert.equal((await disconnected)[0], "transport close");

        await once(socket, "connect", 5000);
        assert.equal(socket.connected, true);
        assert.notEqual(socket.id, firstId);
        assert.deepEqual(await emitWithAck(socket, "whoami"), [{ id: socket.id, nsp: "/" }]);

        const record = await disconnectRecord(observer, firstId);
        assert.equal(record.id, firstId);
        assert.equal(record.nsp, "/");
        assert.equal(typeof record.reason, "string");
        assert.ok(record.reason.length > 0);
        assert.notEqual(record.reason, "client namespace disconnect");
        assert.deepEqual(record.rooms, [firstId]);
        assert.deepEqual(record.roomsAfter, []);
        socket.io.reconnection(false);
      });
    });
  }
});
