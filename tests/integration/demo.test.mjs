// The chat demo's server side (`cafio-node --app demo`, tools/cafio-node/
// demo_app.cpp) with socket.io-client: its validation rules, who receives
// what, binary images, disconnect reasons, and the page it serves over HTTP.
// The browser test (tests/browser/) drives the page itself.

import assert from "node:assert/strict";
import { request } from "node:http";
import { after, afterEach, before, describe, it } from "node:test";
import { closeClients, connect, emitWithAck, eventually, sleep, startServer } from "./harness.mjs";

const QUIET_MS = 150;
const WAIT_MS = 5000; // generous: the suite also runs under ASan on a loaded machine
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const ask = async (socket, event, ...args) => (await emitWithAck(socket, event, ...args))[0];

function get(url, method = "GET") {
  return new Promise((res, rej) => {
    const req = request(url, { method }, (r) => {
      const chunks = [];
      r.on("data", (c) => chunks.push(c));
      r.on("end", () => res({ status: r.statusCode, headers: r.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.setTimeout(3000, () => req.destroy(new Error("timeout")));
    req.on("error", rej);
    req.end();
  });
}

describe("demo app", () => {
  let server;
  before(async () => {
    server = await startServer({ app: "demo" });
  });
  after(async () => {
    closeClients();
    await server?.stop();
  });
  afterEach(() => closeClients());

  /** A connected client with `nickname`, in `room` when given. */
  async function member(nickname, room) {
    const s = await connect(server.url);
    const named = await ask(s, "nickname", nickname);
    assert.equal(named.nickname, nickname);
    s.maxImageBytes = named.maxImageBytes;
    if (room) assert.equal((await ask(s, "join", room)).room, room);
    return s;
  }

  /** The last "members" list `socket` received for `room`, as nicknames. */
  const lastMembers = (socket, room) =>
    socket.received
      .all("members")
      .map(([m]) => m)
      .filter((m) => m.room === room)
      .map((m) => m.members.map((x) => x.nickname))
      .pop();

  it("refuses empty, long and odd nicknames, and any event before one", async () => {
    const s = await connect(server.url);
    assert.match((await ask(s, "join", "general")).error, /nickname first/);
    assert.match((await ask(s, "nickname", "  ")).error, /1 to 20 characters/);
    assert.match((await ask(s, "nickname", "x".repeat(21))).error, /1 to 20 characters/);
    assert.match((await ask(s, "nickname", "<b>hi</b>")).error, /letters, digits/);
    assert.match((await ask(s, "nickname", 42)).error, /required/);
    const ok = await ask(s, "nickname", "  Zoë_2.0 ");
    assert.equal(ok.nickname, "Zoë_2.0");
    assert.ok(ok.maxImageBytes > 0 && ok.maxImageBytes < 1_000_000, "below maxPayload");
    assert.match((await ask(s, "nickname", "again")).error, /already set/);
  });

  it("keeps nicknames unique, ignoring case", async () => {
    await member("Linus");
    const s = await connect(server.url);
    assert.match((await ask(s, "nickname", "linus")).error, /taken/);
    assert.equal((await ask(s, "nickname", "linus2")).nickname, "linus2");
  });

  it("normalizes room names and refuses the others", async () => {
    const s = await member("ann");
    assert.equal((await ask(s, "join", "  #General ")).room, "general");
    assert.match((await ask(s, "join", "no spaces")).error, /lower-case letters/);
    assert.match((await ask(s, "join", "x".repeat(25))).error, /1 to 24/);
  });

  it("announces a join to the room and pushes its member list and the room list", async () => {
    const a = await member("ann", "lobby");
    const b = await member("bob", "lobby");
    const [notice] = await a.received.take("system");
    assert.equal(notice.text, "ann joined #lobby"); // a's own join first
    const [bobs] = await a.received.take("system");
    assert.deepEqual([bobs.kind, bobs.room, bobs.text], ["join", "lobby", "bob joined #lobby"]);
    await eventually(() => JSON.stringify(lastMembers(a, "lobby")) === '["ann","bob"]', WAIT_MS, "ann sees both");
    await eventually(() => JSON.stringify(lastMembers(b, "lobby")) === '["ann","bob"]', WAIT_MS, "bob sees both");
    await eventually(() => {
      const rooms = a.received.all("rooms").pop()?.[0] ?? [];
      return rooms.find((r) => r.name === "lobby")?.members === 2 && rooms.some((r) => r.name === "general");
    }, WAIT_MS, "the room list counts two in lobby and lists the default rooms");
  });

  it("sends chat to the room, the sender included, and nowhere else", async () => {
    const a = await member("ann", "one");
    const b = await member("bob", "one");
    const c = await member("cid", "two");
    assert.deepEqual(await ask(a, "chat", "  hi there "), { ok: true });
    for (const s of [a, b]) {
      const [m] = await s.received.take("chat");
      assert.deepEqual([m.room, m.from, m.text, m.id], ["one", "ann", "hi there", a.id]);
    }
    await sleep(QUIET_MS);
    assert.equal(c.received.count("chat"), 0);
    assert.match((await ask(a, "chat", "   ")).error, /empty/);
    assert.match((await ask(a, "chat", "é".repeat(1001))).error, /at most 1000/);
    assert.deepEqual(await ask(c, "leave"), { ok: true });
    assert.match((await ask(c, "chat", "x")).error, /join a room/);
  });

  it("relays typing to the room, the sender excluded", async () => {
    const a = await member("ann", "typing");
    const b = await member("bob", "typing");
    // "typing" is volatile: dropped while b's transport cannot take it right
    // now (a poll in between, a write in flight). Repeat until one arrives.
    let t;
    for (let i = 0; i < 30 && !t; i++) {
      a.emit("typing", true);
      t = (await b.received.take("typing", 200).catch(() => null))?.[0];
    }
    assert.deepEqual(t, { id: a.id, nickname: "ann", typing: true });
    await ask(a, "chat", "fence"); // everything a sent before is delivered
    await sleep(QUIET_MS);
    assert.equal(a.received.count("typing"), 0);
  });

  it("relays an image as binary, with the type read from its bytes", async () => {
    const a = await member("ann", "pics");
    const b = await member("bob", "pics");
    const bytes = Buffer.concat([PNG_MAGIC, Buffer.from("rest of a png")]);
    assert.deepEqual(await ask(a, "image", { name: "p.png", data: bytes }), { ok: true });
    for (const s of [a, b]) {
      const [m] = await s.received.take("image");
      assert.deepEqual([m.from, m.name, m.type, m.size], ["ann", "p.png", "image/png", bytes.length]);
      assert.ok(Buffer.isBuffer(m.data), "a binary attachment, not base64 text");
      assert.ok(m.data.equals(bytes));
    }
  });

  it("refuses images that are not binary, not images, or too large", async () => {
    const a = await member("ann", "pics");
    assert.match((await ask(a, "image", { name: "p.png", data: "iVBORw0KGgo=" })).error, /binary/);
    assert.match((await ask(a, "image", { name: "x.txt", data: Buffer.from("hello") })).error, /PNG, JPEG, GIF and WebP/);
    const big = Buffer.concat([PNG_MAGIC, Buffer.alloc(a.maxImageBytes)]);
    assert.match((await ask(a, "image", { name: "big.png", data: big })).error, new RegExp(`at most ${a.maxImageBytes}`));
    assert.equal(a.received.count("image"), 0);
  });

  it("tells the old room when a member moves, and updates both member lists", async () => {
    const a = await member("ann", "red");
    const b = await member("bob", "red");
    await ask(b, "join", "blue");
    await eventually(() => a.received.all("system").some(([m]) => m.text === "bob left #red"), WAIT_MS, "leave notice");
    await eventually(() => JSON.stringify(lastMembers(a, "red")) === '["ann"]', WAIT_MS, "red lists ann");
    await eventually(() => JSON.stringify(lastMembers(b, "blue")) === '["bob"]', WAIT_MS, "blue lists bob");
  });

  it("tells the room why a member disconnected and lists the rest", async () => {
    const a = await member("ann", "bye");
    const b = await member("bob", "bye");
    await eventually(() => JSON.stringify(lastMembers(a, "bye")) === '["ann","bob"]', WAIT_MS, "both listed");
    b.disconnect();
    const [notice] = await eventually(() => a.received.all("system").find(([m]) => m.kind === "disconnect"), WAIT_MS, "disconnect notice");
    assert.deepEqual([notice.reason, notice.text], ["client namespace disconnect", "bob disconnected (client namespace disconnect)"]);
    await eventually(() => JSON.stringify(lastMembers(a, "bye")) === '["ann"]', WAIT_MS, "bye lists ann");
  });

  it("serves the page at / and /demo/, with content types; other paths 404", async () => {
    const page = await get(server.url + "/");
    assert.equal(page.status, 200);
    assert.equal(page.headers["content-type"], "text/html; charset=utf-8");
    assert.match(page.headers["content-security-policy"], /default-src 'self'/);
    assert.match(page.body, /<script src="\/socket\.io\/socket\.io\.js"/);
    for (const [path, type] of [
      ["/demo/app.js", "text/javascript; charset=utf-8"],
      ["/demo/style.css", "text/css; charset=utf-8"],
      ["/demo/favicon.svg", "image/svg+xml"],
      ["/socket.io/socket.io.js", "application/javascript; charset=utf-8"],
    ]) {
      const r = await get(server.url + path);
      assert.deepEqual([path, r.status, r.headers["content-type"]], [path, 200, type]);
    }
    for (const path of ["/demo/", "/demo/index.html", "/demo/../main.cpp", "/index.html", "/favicon.ico"])
      assert.equal((await get(server.url + path)).status, 404, path);
    assert.equal((await get(server.url + "/", "POST")).status, 404);
  });
});
