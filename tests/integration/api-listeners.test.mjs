// Socket API: listeners with ids (on, once, add_listener, remove_listener,
// off, remove_all_listeners, listeners, listener_count, event_names), the
// catch-all listeners (on_any, prepend_any, off_any, listeners_any), the
// outgoing catch-all listeners (on_any_outgoing, ...) and packet middlewares
// (socket.use) with the "error" event. Events and handlers:
// servers/api_server.cpp.

import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { closeClients, connect, disconnectRecord, emitWithAck, emitWithAckTimeout, eventually, MODES } from "./harness.mjs";
import { countAfterQuiet, received, startApiServer } from "./api-helpers.mjs";

/** The "heard" reports of `event` so far. */
const heard = (socket, event) => socket.received.all("heard").map(([h]) => h).filter((h) => h.event === event);

describe("api: listeners", () => {
  let server;
  before(async () => {
    server = await startApiServer();
  });
  after(async () => {
    closeClients();
    await server?.stop();
  });
  afterEach(() => closeClients());

  it("add_listener ids, listeners(), listener_count(), event_names(); the first answer acks", async () => {
    const s = await connect(server.url);
    const [a] = await emitWithAck(s, "listener-add", "foo", "a", false);
    const [b] = await emitWithAck(s, "listener-add", "foo", "b", false);
    assert.equal(typeof a, "number");
    assert.notEqual(a, b);
    const [info] = await emitWithAck(s, "listeners", "foo");
    assert.deepEqual(info.ids, [a, b], "call order");
    assert.equal(info.count, 2);
    assert.ok(info.names.includes("foo") && info.names.includes("listeners"), JSON.stringify(info.names));
    assert.deepEqual([...info.names].sort(), info.names, "event_names sorted");

    // Both run, in order; the ack is answered once, by the first.
    assert.deepEqual(await emitWithAck(s, "foo", 1, "x"), ["a"]);
    // a answers at once, inside its handler (as in socket.io): b's emit
    // follows the ack on the wire.
    await eventually(() => heard(s, "foo").length === 2, 2000, "both listeners heard");
    assert.deepEqual(heard(s, "foo").map((h) => [h.tag, h.args]), [["a", [1, "x"]], ["b", [1, "x"]]]);

    const [afterRemove] = await emitWithAck(s, "listener-remove", "foo", a);
    assert.deepEqual(afterRemove.ids, [b]);
    assert.equal(afterRemove.count, 1);
    // Removing an unknown id changes nothing.
    assert.deepEqual((await emitWithAck(s, "listener-remove", "foo", 987654))[0].ids, [b]);
    s.emit("foo", 2);
    await emitWithAck(s, "echo"); // a fence: "heard" of foo would come first
    assert.deepEqual(heard(s, "foo").slice(2).map((h) => h.tag), ["b"]);

    const [afterOff] = await emitWithAck(s, "listener-off", "foo");
    assert.equal(afterOff.count, 0);
    assert.deepEqual(afterOff.ids, []);
    assert.ok(!afterOff.names.includes("foo"));
    s.emit("foo", 3);
    await emitWithAck(s, "echo");
    assert.equal(heard(s, "foo").length, 3);
  });

  it("on() and once() without ids; a once listener runs once and is gone", async () => {
    const s = await connect(server.url);
    const [on] = await emitWithAck(s, "listener-on", "bar", "on");
    assert.equal(on.count, 1);
    const [both] = await emitWithAck(s, "listener-once", "bar", "once");
    assert.equal(both.count, 2);
    assert.equal(both.ids.length, 2);
    const [id] = await emitWithAck(s, "listener-add", "bar", "added-once", true);
    assert.deepEqual((await emitWithAck(s, "listeners", "bar"))[0].ids, [...both.ids, id]);

    s.emit("bar", 1);
    s.emit("bar", 2);
    await emitWithAck(s, "echo");
    assert.deepEqual(heard(s, "bar").map((h) => [h.tag, h.args[0]]), [["on", 1], ["once", 1], ["added-once", 1], ["on", 2]]);
    const [left] = await emitWithAck(s, "listeners", "bar");
    assert.deepEqual(left.ids, [both.ids[0]]);
    assert.equal(left.count, 1);
  });

  it("a listener may remove itself; one added while an event runs is not called for it", async () => {
    const s = await connect(server.url);
    await emitWithAck(s, "listener-self-remove", "baz");
    s.emit("baz");
    await emitWithAck(s, "echo");
    assert.deepEqual(heard(s, "baz").map((h) => h.tag), ["self-removing"]);
    s.emit("baz");
    await emitWithAck(s, "echo");
    assert.deepEqual(heard(s, "baz").map((h) => h.tag), ["self-removing", "added-while-running"]);
  });

  it("remove_all_listeners removes every listener", async () => {
    const s = await connect(server.url);
    const [names] = await emitWithAck(s, "listener-remove-all");
    assert.deepEqual(names, []);
    // "echo" has no listener any more: no answer; what was added back works.
    await assert.rejects(emitWithAckTimeout(s, 300, "echo", 1), /timeout/);
    assert.deepEqual(await emitWithAck(s, "alive"), ["alive"]);
    assert.equal(s.connected, true);
  });

  describe("catch-all", () => {
    it("on_any / prepend_any run before the handlers, in order; off_any(id) and off_any()", async () => {
      const s = await connect(server.url);
      const [a] = await emitWithAck(s, "any-add", "A", false);
      const [b] = await emitWithAck(s, "any-add", "B", true); // prepended
      const [c] = await emitWithAck(s, "any-add", "C", false);
      assert.deepEqual(await emitWithAck(s, "any-list"), [[b, a, c]]);
      s.emit("probe", 1, { two: 2 }); // no handler: the catch-all still sees it
      const [log] = await emitWithAck(s, "any-log");
      const probes = log.filter((e) => e.event === "probe");
      assert.deepEqual(probes.map((e) => e.tag), ["B", "A", "C"]);
      for (const e of probes) assert.deepEqual(e.args, [1, { two: 2 }]);
      // The catch-all saw the query itself too (it runs before the handler).
      assert.deepEqual(log.filter((e) => e.event === "any-log").map((e) => e.tag), ["B", "A", "C"]);

      assert.deepEqual(await emitWithAck(s, "any-off", a), [[b, c]]);
      s.emit("probe", 2);
      const [log2] = await emitWithAck(s, "any-log");
      assert.deepEqual(log2.filter((e) => e.event === "probe").map((e) => e.tag), ["B", "C"]);
      assert.deepEqual(await emitWithAck(s, "any-off", null), [[]]);
      s.emit("probe", 3);
      assert.deepEqual((await emitWithAck(s, "any-log"))[0].filter((e) => e.event === "probe"), []);
    });

    it("on_any / prepend_any without ids", async () => {
      const s = await connect(server.url);
      const [first] = await emitWithAck(s, "any-on", "on", false);
      assert.equal(first.length, 1);
      const [both] = await emitWithAck(s, "any-on", "prepended", true);
      assert.deepEqual(both.slice(1), first);
      s.emit("probe");
      const [log] = await emitWithAck(s, "any-log");
      assert.deepEqual(log.filter((e) => e.event === "probe").map((e) => e.tag), ["prepended", "on"]);
    });

    it("on_any sees an event a packet middleware refuses (socket.io runs onAny before the middlewares)", async () => {
      const s = await connect(server.url);
      await emitWithAck(s, "any-add", "A", false);
      s.emit("forbidden", 1);
      await received(s, "mw-error");
      const [log] = await emitWithAck(s, "any-log");
      assert.deepEqual(log.filter((e) => e.event === "forbidden").map((e) => e.args), [[1]]);
    });

    it("on_any does not see the reserved events (error, disconnecting, disconnect)", async () => {
      const s = await connect(server.url);
      const observer = await connect(server.url);
      await emitWithAck(s, "any-add", "A", false);
      s.emit("forbidden");
      await received(s, "mw-error");
      const [log] = await emitWithAck(s, "any-log");
      assert.deepEqual(log.filter((e) => e.event === "error"), []);
      const id = s.id;
      s.disconnect();
      const record = await disconnectRecord(observer, id);
      assert.deepEqual(record.anyEvents.filter((e) => e === "disconnecting" || e === "disconnect"), []);
    });
  });

  describe("outgoing catch-all", () => {
    for (const mode of MODES) {
      it(`${mode.name}: on_any_outgoing sees emits and received broadcasts; prepend; off`, async () => {
        const a = await connect(server.url, { mode });
        const b = await connect(server.url, { mode });
        const [x] = await emitWithAck(a, "out-add", "X", false);
        const [p] = await emitWithAck(a, "out-add", "P", true);
        assert.notEqual(x, p);
        await emitWithAck(a, "emit-me", "hello", 1, { k: "v" });
        await received(a, "hello");
        await emitWithAck(b, "broadcast", "bc", 2);
        await received(a, "bc");
        await emitWithAck(b, "io-emit", "all", 3);
        await received(a, "all");
        await received(b, "all");
        const [log] = await emitWithAck(a, "out-log");
        assert.deepEqual(
          log.map((e) => [e.tag, e.event, e.args]),
          [
            ["P", "hello", [1, { k: "v" }]],
            ["X", "hello", [1, { k: "v" }]],
            ["P", "bc", [2]],
            ["X", "bc", [2]],
            ["P", "all", [3]],
            ["X", "all", [3]],
          ],
        );
        // B has no outgoing listener: nothing recorded there.
        assert.deepEqual(await emitWithAck(b, "out-log"), [[]]);

        assert.deepEqual(await emitWithAck(a, "out-off", p), [[x]]);
        await emitWithAck(b, "broadcast", "bc2");
        await received(a, "bc2");
        assert.deepEqual((await emitWithAck(a, "out-log"))[0].map((e) => [e.tag, e.event]), [["X", "bc2"]]);
        assert.deepEqual(await emitWithAck(a, "out-off", null), [[]]);
        await emitWithAck(b, "broadcast", "bc3");
        await emitWithAck(a, "emit-me", "hello2");
        await received(a, "bc3");
        assert.deepEqual(await emitWithAck(a, "out-log"), [[]]);
      });
    }

    it("on_any_outgoing / prepend_any_outgoing without ids", async () => {
      const a = await connect(server.url);
      const [one] = await emitWithAck(a, "out-on", "on", false);
      const [two] = await emitWithAck(a, "out-on", "pre", true);
      assert.equal(one.length, 1);
      assert.deepEqual(two.slice(1), one);
      await emitWithAck(a, "emit-me", "e");
      assert.deepEqual((await emitWithAck(a, "out-log"))[0].map((e) => e.tag), ["pre", "on"]);
    });
  });

  describe("packet middlewares (socket.use)", () => {
    for (const mode of MODES) {
      it(`${mode.name}: a refused event goes to the "error" listeners with its data, not to its handler`, async () => {
        const s = await connect(server.url, { mode });
        let acked = false;
        s.emit("forbidden", 1, () => {
          acked = true;
        });
        assert.deepEqual((await received(s, "mw-error"))[0], ["forbidden event", { why: 1 }]);
        assert.deepEqual(await emitWithAck(s, "echo", "still here"), ["still here"]);
        assert.equal(s.connected, true);
        assert.equal(acked, false);
        assert.equal(await countAfterQuiet(s, "forbidden-reached", 50), 0);
      });
    }

    it("middlewares run in order and may change the arguments", async () => {
      const s = await connect(server.url);
      assert.deepEqual(await emitWithAck(s, "mw-order", 1), [1, "first", "second"]);
      assert.deepEqual(await emitWithAck(s, "mw-mutate"), ["first"]);
    });

    it("next() called later (s.after): that event waits, later events do not", async () => {
      const s = await connect(server.url);
      const slow = emitWithAck(s, "mw-slow");
      const fast = emitWithAck(s, "mw-fast");
      const [[slowName, slowSeq], [fastName, fastSeq]] = await Promise.all([slow, fast]);
      assert.equal(slowName, "slow");
      assert.equal(fastName, "fast");
      assert.ok(fastSeq < slowSeq, `fast handled #${fastSeq}, slow #${slowSeq}`);
    });
  });
});
