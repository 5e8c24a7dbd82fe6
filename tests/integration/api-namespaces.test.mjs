// Socket API: namespaces. Static ones ("/", "/other"), dynamic ones by
// regex (io.of(std::regex("^/dyn-[0-9]+$"))) and by predicate (/pred-*
// with auth.ok === true): accepted, refused "Invalid namespace", children
// get the parent's middleware and connection handler, the parent's
// broadcasts reach every child; connect middlewares refusing with data.

import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { MODES, closeClients, connect, connectError, createClient, emitWithAck, eventually, sleep, waitConnected } from "./harness.mjs";
import { startApiServer } from "./api-helpers.mjs";

describe("api: namespaces", () => {
  let server;
  before(async () => {
    server = await startApiServer();
  });
  after(async () => {
    closeClients();
    await server?.stop();
  });
  afterEach(() => closeClients());

  const refusal = async (nsp, options = {}) => connectError(createClient(server.url, nsp, { transports: ["websocket"], ...options }));

  for (const mode of MODES) {
    it(`${mode.name}: a regex child gets the parent's middleware and connection handler`, async () => {
      const s = await connect(server.url, { mode, nsp: "/dyn-1" });
      assert.deepEqual(await s.received.take("dyn-hello", 1000), ["/dyn-1"]);
      assert.deepEqual(await emitWithAck(s, "whoami"), [{ id: s.id, nsp: "/dyn-1", connected: true }]);
      assert.deepEqual(await emitWithAck(s, "data-get"), [{ middleware: "dyn" }]);
      assert.deepEqual(await emitWithAck(s, "echo", 1), [1]);
    });
  }

  it("names the regex does not match are refused with Invalid namespace", async () => {
    for (const nsp of ["/dyn-", "/dyn-1x", "/dyn-a", "/xdyn-1", "/nope"]) {
      const err = await refusal(nsp);
      assert.equal(err.message, "Invalid namespace", nsp);
    }
  });

  it("the parent's middleware may refuse a child connection", async () => {
    const err = await refusal("/dyn-7", { auth: { dynDeny: true } });
    assert.equal(err.message, "dyn denied");
    // The same child accepts others.
    const s = await connect(server.url, { nsp: "/dyn-7" });
    assert.equal(s.connected, true);
  });

  it(
    "the parent's broadcasts reach every child (emit, to(room)), and only them",
    async () => {
      const [one, two, main] = await Promise.all([
        connect(server.url, { nsp: "/dyn-11" }),
        connect(server.url, { nsp: "/dyn-22" }),
        connect(server.url),
      ]);
      await emitWithAck(one, "join", "r");
      await emitWithAck(main, "join", "r");
      await emitWithAck(main, "dyn-emit", "to-children", 1);
      await emitWithAck(main, "dyn-to", "r", "to-room", 2);
      assert.deepEqual(await one.received.take("to-children", 1000), [1]);
      assert.deepEqual(await two.received.take("to-children", 1000), [1]);
      assert.deepEqual(await one.received.take("to-room", 1000), [2]);
      await sleep(100);
      assert.equal(two.received.count("to-room"), 0);
      assert.equal(main.received.count("to-children") + main.received.count("to-room"), 0);
    },
  );

  it("children are separate namespaces: their broadcasts and rooms stay in them", async () => {
    const [one, two, main] = await Promise.all([
      connect(server.url, { nsp: "/dyn-41" }),
      connect(server.url, { nsp: "/dyn-42" }),
      connect(server.url),
    ]);
    for (const s of [one, two, main]) await emitWithAck(s, "join", "r");
    await emitWithAck(two, "io-emit", "child-only");
    await emitWithAck(one, "io-to", ["r"], "r-in-one");
    assert.deepEqual(await two.received.take("child-only", 1000), []);
    assert.deepEqual(await one.received.take("r-in-one", 1000), []);
    assert.deepEqual(await emitWithAck(one, "room-sockets", "r"), [[one.id]]);
    await sleep(100);
    assert.equal(one.received.count("child-only") + main.received.count("child-only"), 0);
    assert.equal(two.received.count("r-in-one") + main.received.count("r-in-one"), 0);
  });

  it("fetch_sockets() on the parent lists the sockets of every child (a cafio extension: socket.io 4.8 throws)", async () => {
    const [one, two, main] = await Promise.all([
      connect(server.url, { nsp: "/dyn-31" }),
      connect(server.url, { nsp: "/dyn-32" }),
      connect(server.url),
    ]);
    await eventually(async () => {
      const [list] = await emitWithAck(main, "dyn-fetch");
      const mine = list.filter((i) => i.nsp === "/dyn-31" || i.nsp === "/dyn-32");
      return mine.length === 2 && mine;
    }, 2000, "both children listed");
    const [list] = await emitWithAck(main, "dyn-fetch");
    assert.ok(list.some((i) => i.id === one.id && i.nsp === "/dyn-31"));
    assert.ok(list.some((i) => i.id === two.id && i.nsp === "/dyn-32"));
    assert.ok(!list.some((i) => i.id === main.id));
  });

  it("a predicate namespace: accepted only when the predicate holds", async () => {
    const s = await connect(server.url, { nsp: "/pred-a", options: { auth: { ok: true } } });
    assert.deepEqual(await s.received.take("pred-hello", 1000), ["/pred-a"]);
    assert.deepEqual(await emitWithAck(s, "whoami"), [{ id: s.id, nsp: "/pred-a", connected: true }]);
    assert.equal((await refusal("/pred-b", { auth: { ok: "true" } })).message, "Invalid namespace");
    assert.equal((await refusal("/pred-c")).message, "Invalid namespace");
    assert.equal((await refusal("/other-x", { auth: { ok: true } })).message, "Invalid namespace");
    // Once created, the child exists: socket.io routes later CONNECTs to it
    // without asking the predicate again.
    const again = await connect(server.url, { nsp: "/pred-a" });
    assert.deepEqual(await again.received.take("pred-hello", 1000), ["/pred-a"]);
  });

  for (const mode of MODES) {
    it(`${mode.name}: a namespace middleware refusing with data; the connection's other namespaces live on`, async () => {
      const main = await connect(server.url, { mode });
      const refused = main.io.socket("/mw-error");
      const err = await connectError(refused);
      assert.equal(err.message, "nope");
      assert.deepEqual(err.data, { code: 42 });
      const invalid = main.io.socket("/nope");
      assert.equal((await connectError(invalid)).message, "Invalid namespace");
      assert.deepEqual(await emitWithAck(main, "echo", "alive"), ["alive"]);
      const other = await waitConnected(main.io.socket("/other"));
      assert.deepEqual(await emitWithAck(other, "whoami"), [{ id: other.id, nsp: "/other", connected: true }]);
    });
  }

  it("a namespace created from a handler at run time (io.of after listen)", async () => {
    const s = await connect(server.url);
    assert.equal((await refusal("/late")).message, "Invalid namespace");
    assert.deepEqual(await emitWithAck(s, "create-namespace", "/late"), []);
    const late = await connect(server.url, { nsp: "/late" });
    assert.deepEqual(await emitWithAck(late, "whoami"), [{ id: late.id, nsp: "/late", connected: true }]);
    assert.deepEqual((await late.received.take("welcome", 1000))[0].nsp, "/late");
  });

  it("the main namespace's middleware continues later, or refuses with data", async () => {
    const err = await refusal("/", { auth: { refuse: { why: "testing" } } });
    assert.equal(err.message, "refused");
    assert.deepEqual(err.data, { why: "testing" });
    const s = await connect(server.url, { options: { auth: { any: 1 } } });
    assert.deepEqual(await emitWithAck(s, "data-get"), [{ middleware: "/" }]);
    assert.deepEqual((await emitWithAck(s, "handshake"))[0].auth, { any: 1 });
  });
});
