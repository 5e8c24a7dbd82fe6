// Socket API: rooms (join with and without callback, leave, the own id room,
// rooms left on disconnect, empty rooms gone) and broadcasts (socket.to/in
// with several rooms, except, broadcast, local, volatile, compress; the
// namespace's and the server's operators). Who must NOT receive is checked
// after the sender's ack (a causal fence) plus a short quiet time.

import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { MODES, closeClients, connect, disconnectRecord, emitWithAck, eventually, sleep } from "./harness.mjs";
import { pollingConnect, startApiServer } from "./api-helpers.mjs";

const QUIET_MS = 150;

/**
 * Asserts, for each [event, expected, args] of `checks`, that clients[i]
 * received `event` exactly expected[i] times, each with `args`: waits for
 * all the deliveries, then one quiet time for extra ones.
 */
async function assertDelivered(clients, checks) {
  for (const [event, expected] of checks)
    await eventually(() => clients.every((c, i) => c.received.count(event) >= expected[i]), 2000, `"${event}" delivered ${JSON.stringify(expected)}`);
  await sleep(QUIET_MS);
  for (const [event, expected, args] of checks) {
    assert.deepEqual(clients.map((c) => c.received.count(event)), expected, `deliveries of "${event}" per client`);
    for (const c of clients) for (const got of c.received.all(event)) assert.deepEqual(got, args);
  }
}

describe("api: rooms and broadcasts", () => {
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
      // a (the sender) in r1; b in r1; c in r1 and r2; d in r2.
      let a, b, c, d, all;
      const setUp = async () => {
        [a, b, c, d] = await Promise.all([0, 1, 2, 3].map(() => connect(server.url, { mode })));
        all = [a, b, c, d];
        await emitWithAck(a, "join", "r1");
        await emitWithAck(b, "join", ["r1"]);
        await emitWithAck(c, "join", ["r1", "r2"]);
        await emitWithAck(d, "join-one", "r2");
      };

      it("socket.to(r1).to(r2) and socket.in(): each member once, the sender never", async () => {
        await setUp();
        await emitWithAck(a, "to", ["r1", "r2"], "t", 1, { x: [1] });
        await emitWithAck(a, "in", ["r2", "r1", "r2"], "i", 2);
        await emitWithAck(a, "to", ["nobody"], "none"); // a room nobody is in
        await assertDelivered(all, [
          ["t", [0, 1, 1, 1], [1, { x: [1] }]],
          ["i", [0, 1, 1, 1], [2]],
          ["none", [0, 0, 0, 0], []],
        ]);
      });

      it("socket.except(), to().except(), broadcast(), local()", async () => {
        await setUp();
        await emitWithAck(a, "except", ["r1"], "e", 1);
        await emitWithAck(b, "to-except", ["r1", "r2"], ["r2"], "te");
        await emitWithAck(a, "broadcast", "b", "x");
        await emitWithAck(a, "local", "l", "y");
        await assertDelivered(all, [
          ["e", [0, 0, 0, 1], [1]],
          ["te", [1, 0, 0, 0], []],
          ["b", [0, 1, 1, 1], ["x"]],
          ["l", [0, 1, 1, 1], ["y"]],
        ]);
      });

      it("namespace operators include the sender: to, in, except, local, emit, compress", async () => {
        await setUp();
        const big = "q".repeat(5000);
        await emitWithAck(a, "io-to", ["r2", "r1"], "it", 1);
        await emitWithAck(d, "io-in", "r1", "ii");
        await emitWithAck(a, "io-except", ["r2"], "ie");
        await emitWithAck(a, "io-local", "il");
        await emitWithAck(a, "io-compress", "ic", big);
        await emitWithAck(a, "io-emit", "ie2", Buffer.from([1, 2]));
        await assertDelivered(all, [
          ["it", [1, 1, 1, 1], [1]],
          ["ii", [1, 1, 1, 0], []],
          ["ie", [1, 1, 0, 0], []],
          ["il", [1, 1, 1, 1], []],
          ["ic", [1, 1, 1, 1], [big]],
        ]);
        await eventually(() => all.every((s) => s.received.count("ie2") === 1), 2000, "binary broadcast");
        for (const s of all) assert.deepEqual(Buffer.from(s.received.all("ie2")[0][0]), Buffer.from([1, 2]));
      });

      it("the server's operators (io.emit, io.to) reach the main namespace only", async () => {
        await setUp();
        const other = await connect(server.url, { mode, nsp: "/other" });
        await emitWithAck(other, "join", "r1");
        await emitWithAck(other, "server-emit", "se", 1);
        await emitWithAck(other, "server-to", "r2", "st");
        await emitWithAck(other, "io-to", ["r1"], "ot"); // in /other: does not reach "/"
        await assertDelivered([...all, other], [
          ["se", [1, 1, 1, 1, 0], [1]],
          ["st", [0, 0, 1, 1, 0], []],
          ["ot", [0, 0, 0, 0, 1], []],
        ]);
      });

      it("compress(false) emits are delivered", async () => {
        const s = await connect(server.url, { mode });
        const big = "z".repeat(20_000);
        assert.deepEqual(await emitWithAck(s, "compress", "squeezed", big), []);
        assert.deepEqual(await s.received.take("squeezed", 1000), [big]);
      });

      if (mode.finalTransport === "websocket") {
        it("volatile emits are delivered on a writable websocket (socket, broadcast, namespace)", async () => {
          const [s, t] = await Promise.all([connect(server.url, { mode }), connect(server.url, { mode })]);
          // A volatile packet is dropped while a frame is still being
          // written (just after an upgrade, on a loaded machine): an idle
          // websocket must deliver it within a few tries, each with its own
          // value so that a late one cannot count for the next.
          const deliveredWithin = async (handler, event, receivers) => {
            for (let attempt = 1; attempt <= 5; attempt++) {
              await emitWithAck(s, handler, event, attempt);
              const got = await Promise.all(receivers.map((r) => r.received.take(event, 1000).catch(() => null)));
              if (got.every((g) => g !== null)) {
                for (const g of got) assert.deepEqual(g, [attempt]);
                return;
              }
              await sleep(100);
            }
            assert.fail(`no "${event}" delivered to every receiver in 5 tries`);
          };
          await deliveredWithin("volatile", "v", [s]);
          await deliveredWithin("broadcast-volatile", "bv", [t]);
          await deliveredWithin("io-volatile", "iv", [s, t]);
        });
      }
    });
  }

  it("volatile on polling: dropped while no GET is parked, delivered to a parked GET", async () => {
    const session = await pollingConnect(server.url);
    // No GET pending: the volatile event is dropped, the ack is not.
    await session.post('421["volatile","dropped",1]');
    assert.deepEqual(await session.nextPackets(), ["431[]"]);
    // The flag was for that emit only.
    await session.post('423["emit-me","kept",3]');
    assert.deepEqual(await session.nextPackets(), ['42["kept",3]', "433[]"]);
    // A parked GET: the volatile event goes out on it.
    const get = session.startGet();
    await get.sent;
    await sleep(50);
    await session.post('422["volatile","delivered",2]');
    const res = await get.response;
    assert.equal(res.status, 200);
    assert.equal(res.body.split("\x1e")[0], '42["delivered",2]');
    const rest = res.body.split("\x1e").slice(1);
    if (!rest.includes("432[]")) assert.deepEqual(await session.nextPackets(), ["432[]"]);
  });

  it("join(room, cb) / join(rooms, cb) / leave(room, cb): own id room, no-ops, rooms() at once", async () => {
    const s = await connect(server.url);
    assert.deepEqual(await emitWithAck(s, "rooms"), [[s.id]]);
    assert.deepEqual(await emitWithAck(s, "join-one", "b"), [["b", s.id].sort()]);
    assert.deepEqual(await emitWithAck(s, "join", ["c", "a", "b"]), [["a", "b", "c", s.id].sort()]);
    assert.deepEqual(await emitWithAck(s, "join-nocb", "d"), [["a", "b", "c", "d", s.id].sort()]);
    assert.deepEqual(await emitWithAck(s, "join", []), [["a", "b", "c", "d", s.id].sort()]);
    assert.deepEqual(await emitWithAck(s, "leave", "b"), [["a", "c", "d", s.id].sort()]);
    assert.deepEqual(await emitWithAck(s, "leave", "not-a-member"), [["a", "c", "d", s.id].sort()]);
    for (const room of ["a", "c", "d", s.id]) assert.deepEqual(await emitWithAck(s, "room-sockets", room), [[s.id]]);
    assert.deepEqual(await emitWithAck(s, "room-sockets", "b"), [[]]);
    // The own id room is a room like the others: io.to(id) reaches the socket.
    await emitWithAck(s, "io-to", [s.id], "to-me");
    assert.deepEqual(await s.received.take("to-me", 1000), []);
  });

  it("an emptied room is gone, and a new join creates it again", async () => {
    const [s, t] = await Promise.all([connect(server.url), connect(server.url)]);
    await emitWithAck(s, "join", "ephemeral");
    await emitWithAck(t, "join", "ephemeral");
    assert.deepEqual(await emitWithAck(s, "room-sockets", "ephemeral"), [[s.id, t.id].sort()]);
    await emitWithAck(s, "leave", "ephemeral");
    await emitWithAck(t, "leave", "ephemeral");
    assert.deepEqual(await emitWithAck(s, "room-sockets", "ephemeral"), [[]]);
    await emitWithAck(s, "io-to", ["ephemeral"], "gone");
    await sleep(QUIET_MS);
    assert.equal(s.received.count("gone") + t.received.count("gone"), 0);
    await emitWithAck(t, "join", "ephemeral");
    await emitWithAck(s, "io-to", ["ephemeral"], "back");
    assert.deepEqual(await t.received.take("back", 1000), []);
    assert.equal(s.received.count("back"), 0);
  });

  for (const mode of MODES) {
    it(`${mode.name}: rooms are left on disconnect; they are gone when it was the last member`, async () => {
      const observer = await connect(server.url);
      const s = await connect(server.url, { mode });
      const id = s.id;
      await emitWithAck(s, "join", ["solo", "shared"]);
      await emitWithAck(observer, "join", "shared");
      s.disconnect();
      const record = await disconnectRecord(observer, id);
      assert.deepEqual(record.rooms, ["shared", "solo", id].sort());
      assert.deepEqual(record.roomsAfter, []);
      assert.equal(record.reason, "client namespace disconnect");
      await eventually(async () => (await emitWithAck(observer, "room-sockets", "solo"))[0].length === 0, 2000, "solo empty");
      assert.deepEqual(await emitWithAck(observer, "room-sockets", id), [[]]);
      assert.deepEqual(await emitWithAck(observer, "room-sockets", "shared"), [[observer.id]]);
    });
  }
});
