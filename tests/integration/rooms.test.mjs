// Rooms and broadcasts with three clients (conformance-app.md §3.2: join,
// leave, rooms, room-sockets, to, broadcast, io-to, io-emit), in each
// transport mode. Who must NOT receive is checked after the sender's ack (a
// causal fence on the sender's connection) plus a short bounded wait for the
// other connections.

import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { MODES, closeClients, connect, emitWithAck, eventually, sleep, startServer } from "./harness.mjs";

const QUIET_MS = 150;

/**
 * Waits until each client has received `event` exactly as often as
 * `expected` says (bounded), then a little longer, and asserts the exact
 * counts and arguments, so that extra or duplicate deliveries fail.
 */
async function assertDelivered(clients, event, expected, args) {
  await eventually(
    () => clients.every((c, i) => c.received.count(event) >= expected[i]),
    2000,
    `"${event}" delivered ${JSON.stringify(expected)}`,
  );
  await sleep(QUIET_MS);
  assert.deepEqual(
    clients.map((c) => c.received.count(event)),
    expected,
    `deliveries of "${event}" per client`,
  );
  for (const c of clients) for (const got of c.received.all(event)) assert.deepEqual(got, args);
}

describe("rooms", () => {
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
      let a, b, c;
      const connectThree = async (nsp = "/") => {
        [a, b, c] = await Promise.all([0, 1, 2].map(() => connect(server.url, { mode, nsp })));
      };

      it("rooms contains the own id; join/leave ack the sorted rooms", async () => {
        await connectThree();
        assert.deepEqual(await emitWithAck(a, "rooms"), [[a.id]]);
        assert.deepEqual(await emitWithAck(a, "join", "zeta"), [["zeta", a.id].sort()]);
        assert.deepEqual(await emitWithAck(a, "join", ["beta", "Alpha", "zeta"]), [["Alpha", "beta", "zeta", a.id].sort()]);
        // joining twice is a no-op
        assert.deepEqual(await emitWithAck(a, "join", "beta"), [["Alpha", "beta", "zeta", a.id].sort()]);
        assert.deepEqual(await emitWithAck(a, "rooms"), [["Alpha", "beta", "zeta", a.id].sort()]);
        assert.deepEqual(await emitWithAck(a, "leave", "beta"), [["Alpha", "zeta", a.id].sort()]);
        // leaving a room one is not in is a no-op
        assert.deepEqual(await emitWithAck(a, "leave", "not-joined"), [["Alpha", "zeta", a.id].sort()]);
        assert.deepEqual(await emitWithAck(a, "rooms"), [["Alpha", "zeta", a.id].sort()]);
        // other sockets are unaffected
        assert.deepEqual(await emitWithAck(b, "rooms"), [[b.id]]);
      });

      it("room-sockets lists the sorted members of a room, [] if none", async () => {
        await connectThree();
        await emitWithAck(a, "join", "r1");
        await emitWithAck(b, "join", ["r1", "r2"]);
        await emitWithAck(c, "join", "r2");
        assert.deepEqual(await emitWithAck(c, "room-sockets", "r1"), [[a.id, b.id].sort()]);
        assert.deepEqual(await emitWithAck(a, "room-sockets", "r2"), [[b.id, c.id].sort()]);
        assert.deepEqual(await emitWithAck(a, "room-sockets", "nobody"), [[]]);
        assert.deepEqual(await emitWithAck(a, "room-sockets", a.id), [[a.id]]);
        await emitWithAck(b, "leave", "r1");
        assert.deepEqual(await emitWithAck(c, "room-sockets", "r1"), [[a.id]]);
      });

      it("room-sockets is scoped to the namespace", async () => {
        await connectThree();
        const custom = await connect(server.url, { mode, nsp: "/custom" });
        await emitWithAck(a, "join", "shared");
        await emitWithAck(custom, "join", "shared");
        assert.deepEqual(await emitWithAck(a, "room-sockets", "shared"), [[a.id]]);
        assert.deepEqual(await emitWithAck(custom, "room-sockets", "shared"), [[custom.id]]);
      });

      it("to: union of rooms, each socket at most once, excluding the sender", async () => {
        await connectThree();
        await emitWithAck(a, "join", ["r1", "r2"]); // the sender is a member
        await emitWithAck(b, "join", ["r1", "r2"]); // member of both rooms
        await emitWithAck(c, "join", "r2");
        assert.deepEqual(await emitWithAck(a, "to", ["r1", "r2"], "to-event", 1, { x: "y" }), []);
        await assertDelivered([a, b, c], "to-event", [0, 1, 1], [1, { x: "y" }]);
      });

      it("to a single room and to a room without members", async () => {
        await connectThree();
        await emitWithAck(b, "join", "only-b");
        assert.deepEqual(await emitWithAck(a, "to", ["only-b"], "single"), []);
        assert.deepEqual(await emitWithAck(a, "to", ["empty-room"], "nobody-gets-this"), []);
        await assertDelivered([a, b, c], "single", [0, 1, 0], []);
        assert.deepEqual([a, b, c].map((s) => s.received.count("nobody-gets-this")), [0, 0, 0]);
      });

      it("to a socket id room reaches that socket", async () => {
        await connectThree();
        assert.deepEqual(await emitWithAck(a, "to", [c.id], "direct", "hi"), []);
        await assertDelivered([a, b, c], "direct", [0, 0, 1], ["hi"]);
      });

      it("to without an ack still delivers", async () => {
        await connectThree();
        await emitWithAck(b, "join", "r");
        a.emit("to", ["r"], "no-ack-to", 5);
        await assertDelivered([a, b, c], "no-ack-to", [0, 1, 0], [5]);
      });

      it("broadcast reaches every socket of the namespace but the sender", async () => {
        await connectThree();
        const other = await connect(server.url, { mode, nsp: "/custom" });
        assert.deepEqual(await emitWithAck(b, "broadcast", "bc", "v", [1]), []);
        await assertDelivered([a, b, c, other], "bc", [1, 0, 1, 0], ["v", [1]]);
      });

      it("io-to includes the sender when it is in the room", async () => {
        await connectThree();
        await emitWithAck(a, "join", "r1");
        await emitWithAck(b, "join", "r1");
        assert.deepEqual(await emitWithAck(a, "io-to", "r1", "io-to-event", "payload"), []);
        await assertDelivered([a, b, c], "io-to-event", [1, 1, 0], ["payload"]);
      });

      it("io-to excludes the sender when it is not in the room", async () => {
        await connectThree();
        await emitWithAck(b, "join", "r1");
        await emitWithAck(c, "join", "r1");
        assert.deepEqual(await emitWithAck(a, "io-to", "r1", "io-to-other"), []);
        await assertDelivered([a, b, c], "io-to-other", [0, 1, 1], []);
      });

      it("io-emit reaches every socket of the namespace, sender included", async () => {
        await connectThree();
        const other = await connect(server.url, { mode, nsp: "/custom" });
        assert.deepEqual(await emitWithAck(c, "io-emit", "all", { n: 3 }), []);
        await assertDelivered([a, b, c, other], "all", [1, 1, 1, 0], [{ n: 3 }]);
      });

      it("broadcasts are scoped to the namespace (/custom)", async () => {
        await connectThree("/custom");
        const main = await connect(server.url, { mode });
        await emitWithAck(b, "join", "r");
        await emitWithAck(main, "join", "r");
        assert.deepEqual(await emitWithAck(a, "to", ["r"], "scoped"), []);
        await assertDelivered([a, b, c, main], "scoped", [0, 1, 0, 0], []);
        assert.deepEqual(await emitWithAck(a, "io-emit", "scoped-all"), []);
        await assertDelivered([a, b, c, main], "scoped-all", [1, 1, 1, 0], []);
      });

      it("leave stops deliveries to that room", async () => {
        await connectThree();
        await emitWithAck(b, "join", "r1");
        await emitWithAck(c, "join", "r1");
        assert.deepEqual(await emitWithAck(b, "leave", "r1"), [[b.id]]);
        assert.deepEqual(await emitWithAck(a, "io-to", "r1", "after-leave"), []);
        await assertDelivered([a, b, c], "after-leave", [0, 0, 1], []);
      });

      it("a disconnected socket leaves its rooms", async () => {
        await connectThree();
        await emitWithAck(b, "join", "r1");
        await emitWithAck(c, "join", "r1");
        const goneId = b.id;
        b.disconnect();
        await eventually(
          async () => (await emitWithAck(a, "room-sockets", "r1"))[0].length === 1,
          2000,
          "room r1 emptied of the disconnected socket",
        );
        assert.deepEqual(await emitWithAck(a, "room-sockets", "r1"), [[c.id]]);
        assert.deepEqual(await emitWithAck(a, "room-sockets", goneId), [[]]);
      });
    });
  }
});
