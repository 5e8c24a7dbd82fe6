// Socket API: socket.data, fetch_sockets() (socket_info with data, rooms,
// auth, request) and the operations on its results (emit, join, leave,
// disconnect), sockets_join / sockets_leave, disconnect_sockets(false|true),
// server_side_emit.

import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { closeClients, connect, disconnectRecord, emitWithAck, eventually, once, sleep, waitConnected } from "./harness.mjs";
import { startApiServer } from "./api-helpers.mjs";

const rooms = async (s) => (await emitWithAck(s, "rooms"))[0];

describe("api: socket queries", () => {
  let server;
  before(async () => {
    server = await startApiServer();
  });
  after(async () => {
    closeClients();
    await server?.stop();
  });
  afterEach(() => closeClients());

  /** a in r1 (data {user: "a"}), b in r1 and r2 (auth {token: "b"}), c; d in /other. */
  async function setUp() {
    const [a, b, c] = await Promise.all([
      connect(server.url),
      connect(server.url, { options: { auth: { token: "b" } } }),
      connect(server.url),
    ]);
    const d = await connect(server.url, { nsp: "/other" });
    await emitWithAck(a, "join", "r1");
    await emitWithAck(b, "join", ["r1", "r2"]);
    assert.deepEqual(await emitWithAck(a, "data-set", { user: "a" }), [{ user: "a" }]);
    return { a, b, c, d };
  }

  it("socket.data: set by a connect middleware, changed by a handler", async () => {
    const s = await connect(server.url);
    assert.deepEqual(await emitWithAck(s, "data-get"), [{ middleware: "/" }]);
    assert.deepEqual((await s.received.take("welcome", 1000))[0].data, { middleware: "/" });
    await emitWithAck(s, "data-set", [1, "two"]);
    assert.deepEqual(await emitWithAck(s, "data-get"), [[1, "two"]]);
  });

  it("fetch_sockets(): id, nsp, rooms, data, auth, request of every socket of the namespace", async () => {
    const { a, b, c, d } = await setUp();
    const [infos] = await emitWithAck(c, "fetch-sockets", null);
    assert.deepEqual(infos.map((i) => i.id), [a.id, b.id, c.id].sort(), "sorted ids, /other excluded");
    const byId = Object.fromEntries(infos.map((i) => [i.id, i]));
    assert.deepEqual(byId[a.id].rooms, [a.id, "r1"].sort());
    assert.deepEqual(byId[b.id].rooms, [b.id, "r1", "r2"].sort());
    assert.deepEqual(byId[a.id].data, { user: "a" });
    assert.deepEqual(byId[c.id].data, { middleware: "/" });
    assert.deepEqual(byId[b.id].auth, { token: "b" });
    assert.deepEqual(byId[a.id].auth, {});
    for (const info of infos) {
      assert.equal(info.nsp, "/");
      assert.match(info.url, /^\/socket\.io\/\?EIO=4&transport=websocket/);
      assert.match(info.address, /^(::ffff:)?127\.0\.0\.1$/);
      assert.equal(info.headers.host, server.url.slice("http://".length));
    }
    const [others] = await emitWithAck(d, "fetch-sockets", null);
    assert.deepEqual(others.map((i) => [i.id, i.nsp]), [[d.id, "/other"]]);
  });

  it("fetch_sockets() of rooms, with except", async () => {
    const { a, b, c } = await setUp();
    assert.deepEqual((await emitWithAck(c, "fetch-sockets", { in: "r2" }))[0].map((i) => i.id), [b.id]);
    assert.deepEqual((await emitWithAck(c, "fetch-sockets", { in: ["r1", "r2"] }))[0].map((i) => i.id), [a.id, b.id].sort());
    assert.deepEqual((await emitWithAck(c, "fetch-sockets", { in: "r1", except: "r2" }))[0].map((i) => i.id), [a.id]);
    assert.deepEqual((await emitWithAck(c, "fetch-sockets", { except: ["r1"] }))[0].map((i) => i.id), [c.id]);
    assert.deepEqual(await emitWithAck(c, "fetch-sockets", { in: "nobody" }), [[]]);
  });

  it("a fetched socket: emit, join, leave", async () => {
    const { a, b } = await setUp();
    assert.deepEqual(await emitWithAck(a, "remote-emit", b.id, "re", 1, { two: 2 }), [1]);
    assert.deepEqual(await b.received.take("re", 1000), [1, { two: 2 }]);
    assert.deepEqual(await emitWithAck(a, "remote-emit", "no-such-id", "re"), [0]);

    assert.deepEqual(await emitWithAck(a, "remote-join", b.id, ["x", "y"]), [1]);
    await eventually(async () => (await rooms(b)).includes("y"), 2000, "b in x and y");
    assert.deepEqual(await rooms(b), [b.id, "r1", "r2", "x", "y"].sort());
    assert.deepEqual(await emitWithAck(a, "remote-leave", b.id, ["x", "r1"]), [1]);
    await eventually(async () => !(await rooms(b)).includes("r1"), 2000, "b left x and r1");
    assert.deepEqual(await rooms(b), [b.id, "r2", "y"].sort());
  });

  it("a fetched socket: disconnect(false) leaves that namespace only", async () => {
    const { a, b } = await setUp();
    const other = await waitConnected(b.io.socket("/other"));
    const id = b.id;
    const gone = once(b, "disconnect");
    assert.deepEqual(await emitWithAck(a, "remote-disconnect", id, false), [1]);
    assert.deepEqual(await gone, ["io server disconnect", undefined]);
    assert.equal((await disconnectRecord(a, id)).reason, "server namespace disconnect");
    assert.deepEqual(await emitWithAck(other, "echo", "alive"), ["alive"]);
  });

  it("a fetched socket: disconnect(true) closes the whole connection", async () => {
    const { a, b } = await setUp();
    const other = await waitConnected(b.io.socket("/other"));
    const ids = [b.id, other.id];
    const gone = [once(b, "disconnect"), once(other, "disconnect")];
    const closed = once(b.io.engine, "close");
    assert.deepEqual(await emitWithAck(a, "remote-disconnect", b.id, true), [1]);
    for (const [reason] of await Promise.all(gone)) assert.equal(reason, "io server disconnect");
    await closed;
    for (const id of ids) assert.equal((await disconnectRecord(a, id)).reason, "server namespace disconnect");
  });

  it("sockets_join / sockets_leave: rooms of the targeted sockets", async () => {
    const { a, b, c } = await setUp();
    await emitWithAck(c, "sockets-join", { in: "r1" }, ["joined", "j2"]);
    await eventually(async () => (await emitWithAck(c, "room-sockets", "j2"))[0].length === 2, 2000, "r1 members in j2");
    assert.deepEqual(await emitWithAck(c, "room-sockets", "joined"), [[a.id, b.id].sort()]);
    await emitWithAck(c, "sockets-join", null, ["everyone"]);
    await eventually(async () => (await emitWithAck(c, "room-sockets", "everyone"))[0].length === 3, 2000, "all in everyone");
    await emitWithAck(c, "sockets-leave", { in: "r2" }, ["joined", "everyone"]);
    await eventually(async () => (await emitWithAck(c, "room-sockets", "joined"))[0].length === 1, 2000, "b left joined");
    assert.deepEqual(await emitWithAck(c, "room-sockets", "joined"), [[a.id]]);
    assert.deepEqual(await emitWithAck(c, "room-sockets", "everyone"), [[a.id, c.id].sort()]);
    await emitWithAck(c, "sockets-leave", null, ["joined", "j2", "everyone"]);
    await eventually(async () => (await emitWithAck(c, "room-sockets", "everyone"))[0].length === 0, 2000, "everyone empty");
    assert.deepEqual(await rooms(a), [a.id, "r1"].sort());
  });

  it(
    "sockets_join: the sockets are in the room when the next query runs (socket.io's adapter joins synchronously)",
    async () => {
      const { a, b, c } = await setUp();
      assert.deepEqual(await emitWithAck(c, "sockets-join-fetch", { in: "r1" }, ["now"]), [[a.id, b.id].sort()]);
    },
  );

  it("disconnect_sockets(false): the targeted sockets leave their namespace", async () => {
    const { a, b, c } = await setUp();
    const ids = [a.id, b.id];
    const gone = [once(a, "disconnect"), once(b, "disconnect")];
    await emitWithAck(c, "disconnect-sockets", { in: "r1" }, false);
    for (const [reason] of await Promise.all(gone)) assert.equal(reason, "io server disconnect");
    for (const id of ids) assert.equal((await disconnectRecord(c, id)).reason, "server namespace disconnect");
    assert.equal(c.connected, true);
    assert.deepEqual((await emitWithAck(c, "fetch-sockets", null))[0].map((i) => i.id), [c.id]);
  });

  it("disconnect_sockets(true): the targeted connections close; other namespaces of them too", async () => {
    const { a, b, c } = await setUp();
    const aOther = await waitConnected(a.io.socket("/other"));
    const aOtherId = aOther.id;
    const observer = await connect(server.url, { nsp: "/other" });
    const gone = [once(a, "disconnect"), once(aOther, "disconnect")];
    const closed = once(a.io.engine, "close");
    await emitWithAck(b, "disconnect-sockets", { except: ["r2"] }, true); // a and c
    for (const [reason] of await Promise.all(gone)) assert.equal(reason, "io server disconnect");
    await closed;
    await eventually(() => !c.connected, 2000, "c disconnected");
    assert.equal(b.connected, true);
    assert.equal((await disconnectRecord(observer, aOtherId)).nsp, "/other");
  });

  it("disconnect_sockets() of nobody changes nothing", async () => {
    const { a, b, c } = await setUp();
    await emitWithAck(c, "disconnect-sockets", { in: "nobody" }, true);
    await sleep(100);
    assert.equal(a.connected && b.connected && c.connected, true);
  });

  it("server_side_emit on a single node reaches no peer: 0", async () => {
    const s = await connect(server.url);
    assert.deepEqual(await emitWithAck(s, "server-side-emit", "hello", 1), [0]);
  });
});
