// tools/examples/room-ticker, the embedding example: a plain CAF actor
// broadcasts "tick" {n, votes} to the room "ticks" on a timer and answers
// "vote" with "voted" {choice, total} through the voter's socket actor.

import assert from "node:assert/strict";
import { after, afterEach, describe, it } from "node:test";
import { HOST, MODES, closeClients, connect, emitWithAck, eventually, once, sleep, startServer } from "./harness.mjs";

const INTERVAL_MS = 50;

function startTicker() {
  const binary = process.env.CAFIO_ROOM_TICKER;
  if (!binary) throw new Error("set CAFIO_ROOM_TICKER=<path to room-ticker>");
  return startServer({
    app: "room-ticker",
    command: (port) => [binary, ["--host", HOST, "--port", String(port), "--interval-ms", String(INTERVAL_MS)]],
  });
}

describe("room-ticker example", () => {
  let server;
  after(async () => {
    closeClients();
    await server?.stop();
  });
  afterEach(() => closeClients());

  it("starts; ticks reach the room's members only, with increasing n", async () => {
    server = await startTicker();
    const [member, outsider] = await Promise.all([connect(server.url), connect(server.url, { mode: MODES[1] })]);
    assert.deepEqual(await emitWithAck(member, "join-ticks"), []);
    await eventually(() => member.received.count("tick") >= 3, 2000, "three ticks");
    const ns = member.received.all("tick").map(([t]) => t.n);
    for (let i = 1; i < ns.length; i++) assert.ok(ns[i] > ns[i - 1], `increasing: ${ns}`);
    for (const [t] of member.received.all("tick")) assert.deepEqual(Object.keys(t).sort(), ["n", "votes"]);
    assert.equal(outsider.received.count("tick"), 0);
  });

  it("a vote is answered to the voter with the total, and shows in the next ticks", async () => {
    const [a, b] = await Promise.all([connect(server.url, { mode: MODES[2] }), connect(server.url)]);
    await emitWithAck(a, "join-ticks");
    a.emit("vote", "red");
    assert.deepEqual(await a.received.take("voted", 2000), [{ choice: "red", total: 1 }]);
    b.emit("vote", "red");
    assert.deepEqual(await b.received.take("voted", 2000), [{ choice: "red", total: 2 }]);
    b.emit("vote", "blue");
    assert.deepEqual(await b.received.take("voted", 2000), [{ choice: "blue", total: 1 }]);
    await sleep(10);
    assert.equal(a.received.count("voted"), 1, "only the voter is answered");
    const tick = await eventually(
      () => a.received.all("tick").map(([t]) => t).find((t) => t.votes.red === 2 && t.votes.blue === 1),
      2000,
      "a tick with the votes",
    );
    assert.deepEqual(tick.votes, { blue: 1, red: 2 });
  });

  it("SIGTERM: exit 0, clients disconnected", async () => {
    const s = await connect(server.url);
    const gone = once(s, "disconnect", 5000);
    const result = await server.stop();
    server = null;
    assert.equal(result.code, 0);
    assert.equal(result.killed, false);
    assert.equal((await gone)[0], "transport close");
  });
});
