// Engine.IO v3 on the wire (issue 4; conformance-app.md §2.4, §2.6, §2.7):
// length-prefixed polling payloads (lengths in UTF-16 code units), base64
// binary for b64=1, XHR2 binary payloads, JSONP polling, client-sent pings,
// WebSocket frames with the v3 type byte, the v3 upgrade, and the answers to
// bad v3 input (the reference server's).

import assert from "node:assert/strict";
import { request } from "node:http";
import { runInNewContext } from "node:vm";
import { after, afterEach, before, describe, it } from "node:test";
import WebSocket from "ws";
import { HOST, once, sleep, startServer, strict } from "./harness.mjs";
import { RawSocketV3 } from "./harness-v2.mjs";

const SESSION_UNKNOWN = { code: 1, message: "Session ID unknown" };
const BAD_REQUEST = { code: 3, message: "Bad request" };
const UNSUPPORTED = { code: 5, message: "Unsupported protocol version" };

/** One HTTP request on a fresh connection; the body as a Buffer. Bounded. */
function rawRequest(url, { method = "GET", headers = {}, body } = {}, timeoutMs = 3000) {
  return new Promise((res, rej) => {
    const req = request(url, { method, headers, agent: false }, (response) => {
      const chunks = [];
      response.on("data", (c) => chunks.push(c));
      response.on("end", () => {
        clearTimeout(timer);
        const bytes = Buffer.concat(chunks);
        res({ status: response.statusCode, headers: response.headers, bytes, body: bytes.toString() });
      });
    });
    const timer = setTimeout(() => {
      req.destroy();
      rej(new Error(`timeout: ${method} ${url} not answered within ${timeoutMs} ms`));
    }, timeoutMs);
    req.on("error", (err) => {
      if (!req.res) {
        clearTimeout(timer);
        rej(err);
      }
    });
    req.end(body);
  });
}

/** A v3 text payload: "<length>:<packet>" with JavaScript (UTF-16) lengths. */
const encodeText = (packets) => packets.map((p) => `${p.length}:${p}`).join("");

/** Splits a v3 text payload into its packets (strings; binary stays "b4..."). */
function decodeText(body) {
  const packets = [];
  let i = 0;
  while (i < body.length) {
    const colon = body.indexOf(":", i);
    assert.ok(colon > i, `length prefix at ${i} of ${JSON.stringify(body)}`);
    const length = Number(body.slice(i, colon));
    const packet = body.slice(colon + 1, colon + 1 + length);
    assert.equal(packet.length, length, `packet length in ${JSON.stringify(body)}`);
    packets.push(packet);
    i = colon + 1 + length;
  }
  return packets;
}

/** An XHR2 binary payload: <0|1><length digits as bytes><0xFF><packet>. */
function encodeBinary(packets) {
  return Buffer.concat(
    packets.map((p) => {
      const data = typeof p === "string" ? Buffer.from(p) : p; // binary: type byte included
      const digits = [...String(data.length)].map(Number);
      return Buffer.concat([Buffer.from([typeof p === "string" ? 0 : 1, ...digits, 0xff]), data]);
    }),
  );
}

/** Decodes an XHR2 binary payload into strings and Buffers (type byte kept). */
function decodeBinary(bytes) {
  const packets = [];
  let i = 0;
  while (i < bytes.length) {
    const isString = bytes[i++] === 0;
    let length = 0;
    while (bytes[i] !== 0xff) {
      assert.ok(i < bytes.length && bytes[i] <= 9, "length digit");
      length = length * 10 + bytes[i++];
    }
    i++;
    const data = bytes.subarray(i, i + length);
    packets.push(isString ? data.toString() : Buffer.from(data));
    i += length;
  }
  return packets;
}

/** Runs a JSONP answer as the browser would; returns the payload string passed to ___eio[index]. */
function runJsonp(body, index) {
  let payload;
  const ___eio = [];
  ___eio[index] = (s) => {
    payload = s;
  };
  runInNewContext(body, { ___eio });
  assert.equal(typeof payload, "string", `JSONP body ${body}`);
  return payload;
}

/** What engine.io-client 3 does to a JSONP POST payload before form-encoding it. */
const jsonpEscape = (data) => data.replace(/\\n/g, "\\\n").replace(/\n/g, "\\n");

function assertJsonError(response, expected) {
  assert.equal(response.status, 400, `status of ${response.body}`);
  assert.match(response.headers["content-type"] ?? "", /^application\/json/);
  assert.deepEqual(JSON.parse(response.body), expected);
  assert.equal(response.headers["access-control-allow-origin"], "*");
}

describe("engine.io v3 over http", () => {
  let server;
  let base;
  let sockets = [];
  before(async () => {
    server = await startServer();
    base = `${server.url}/socket.io/`;
  });
  after(async () => {
    for (const s of sockets) s.close();
    await server?.stop();
  });
  afterEach(() => {
    for (const s of sockets) s.close();
    sockets = [];
  });

  const url = (sid, extra = "") => `${base}?EIO=3&transport=polling&sid=${sid}${extra}`;
  const post = (sid, body, { extra = "", headers = {} } = {}) => rawRequest(url(sid, extra), { method: "POST", body, headers });
  const get = (sid, extra = "") => rawRequest(url(sid, extra));

  /** A v3 polling handshake; returns { sid, handshake, response }. */
  async function handshake(query = "") {
    const response = await rawRequest(`${base}?EIO=3&transport=polling${query}`);
    assert.equal(response.status, 200, response.body);
    const [open] = decodeText(response.body);
    assert.equal(open[0], "0");
    const handshake = JSON.parse(open.slice(1));
    return { sid: handshake.sid, handshake, response };
  }

  /**
   * GETs until the packets received satisfy `done` (the client pings before
   * each GET so that the v3 session stays alive); pongs "3" are dropped.
   */
  async function collect(sid, done, { jsonp = false, tries = 10 } = {}) {
    const extra = jsonp ? "&j=0" : "";
    const packets = [];
    for (let i = 0; i < tries && !done(packets); i++) {
      assert.equal((await post(sid, jsonp ? "d=1%3A2" : "1:2", { extra })).body, "ok");
      const response = await get(sid, extra);
      assert.equal(response.status, 200, response.body);
      const body = jsonp ? runJsonp(response.body, 0) : response.body;
      const fresh = decodeText(body).filter((p) => p !== "3");
      packets.push(...fresh);
      if (fresh.length === 0) await sleep(20);
    }
    assert.ok(done(packets), `packets received: ${JSON.stringify(packets)}`);
    return packets;
  }

  /** Handshake, then the automatic connection to / (40 and the auth event). */
  async function connectedSession(query = "") {
    const session = await handshake(query);
    const packets = await collect(session.sid, (p) => p.length >= 2);
    assert.deepEqual(packets, ["40", '42["auth",{}]']);
    return session;
  }

  describe("polling", () => {
    it("handshake: <length>:0{...} with the reference's fields, CORS", async () => {
      const { handshake: h, response } = await handshake();
      assert.match(response.headers["content-type"], /^text\/plain; charset=UTF-8/);
      assert.equal(response.headers["access-control-allow-origin"], "*");
      const { sid, ...rest } = h;
      assert.equal(typeof sid, "string");
      // engine.io 6 sends maxPayload to v3 clients as well.
      assert.deepEqual(rest, { upgrades: ["websocket"], pingInterval: 300, pingTimeout: 200, maxPayload: 1000000 });
      assert.equal(response.body, encodeText([`0${JSON.stringify(h)}`]));
    });

    it("connects / at once: CONNECT without payload, then auth {}", async () => {
      await connectedSession();
    });

    it("lengths count UTF-16 code units, both ways (non-BMP characters)", async () => {
      const { sid } = await connectedSession();
      const text = "é€😀𝄞!";
      const packet = `421${JSON.stringify(["message-with-ack", text])}`;
      assert.notEqual(packet.length, Buffer.byteLength(packet));
      assert.equal((await post(sid, encodeText([packet]))).body, "ok");
      await sleep(50); // the answer is queued before the GET: one payload
      const response = await get(sid);
      assert.equal(response.body, encodeText([`431${JSON.stringify([text])}`]));
    });

    it("several packets in one POST; their answers in one payload", async () => {
      const { sid } = await connectedSession();
      const body = encodeText(['42["message","a"]', '421["message-with-ack","b"]', '422["message-with-ack","c"]']);
      assert.equal((await post(sid, body)).body, "ok");
      const packets = await collect(sid, (p) => p.length >= 3);
      assert.deepEqual(packets, ['42["message-back","a"]', '431["b"]', '432["c"]']);
    });

    it("a client ping is answered with a pong; the server never pings", async () => {
      const { sid } = await connectedSession();
      for (let i = 0; i < 3; i++) {
        assert.equal((await post(sid, "1:2")).body, "ok");
        assert.equal((await get(sid)).body, "1:3");
      }
      assert.equal((await post(sid, "6:2hello")).body, "ok");
      assert.equal((await get(sid)).body, "1:3"); // the ping's data is not echoed
    });

    it("without pings the session closes after pingInterval + pingTimeout", async () => {
      const { sid } = await handshake();
      const started = Date.now();
      const bodies = [];
      for (;;) {
        const response = await get(sid);
        if (response.status !== 200) {
          assertJsonError(response, SESSION_UNKNOWN);
          break;
        }
        bodies.push(response.body);
        assert.ok(bodies.length < 5, `bodies ${JSON.stringify(bodies)}`);
      }
      const elapsed = Date.now() - started;
      assert.ok(elapsed >= 400 && elapsed < 2000, `closed after ${elapsed} ms`);
      assert.equal(bodies.at(-1), "1:1");
      assert.ok(!bodies.some((b) => decodeText(b).includes("2")), `a server ping in ${JSON.stringify(bodies)}`);
    });

    it("pings every 150 ms keep the session alive", async () => {
      const { sid } = await connectedSession();
      const until = Date.now() + 1200;
      while (Date.now() < until) {
        assert.equal((await post(sid, "1:2")).body, "ok");
        assert.equal((await get(sid)).body, "1:3");
        await sleep(150);
      }
      assert.equal((await post(sid, encodeText(['421["message-with-ack","alive"]']))).body, "ok");
      assert.deepEqual(await collect(sid, (p) => p.length >= 1), ['431["alive"]']);
    });

    it("a pong from the client (the v4 direction) closes the session", async () => {
      const { sid } = await connectedSession();
      assert.equal((await post(sid, "1:3")).body, "ok");
      assertJsonError(await get(sid), SESSION_UNKNOWN);
    });

    it("b64=1: binary attachments as b4<base64>, mixed with text in one payload", async () => {
      const { sid } = await connectedSession("&b64=1");
      const event = '451-["message",{"_placeholder":true,"num":0},"é😀"]';
      const attachment = `b4${Buffer.from([1, 2, 3, 255]).toString("base64")}`;
      assert.equal((await post(sid, encodeText([event, attachment]))).body, "ok");
      await sleep(50); // both packets are queued before the GET: one payload
      const response = await get(sid);
      assert.match(response.headers["content-type"], /^text\/plain/);
      assert.equal(response.body, encodeText(['451-["message-back",{"_placeholder":true,"num":0},"é😀"]', attachment]));
    });

    it("XHR2: binary payloads both ways (application/octet-stream), text and binary mixed", async () => {
      const { sid } = await connectedSession();
      const event = '451-1["message-with-ack",{"_placeholder":true,"num":0},"😀"]';
      const attachment = Buffer.from([4, 0, 1, 2, 0xff, 0xfe]); // type byte 4, then the data
      const body = encodeBinary([event, attachment]);
      const answer = await post(sid, body, { headers: { "Content-Type": "application/octet-stream" } });
      assert.equal(answer.body, "ok");
      await sleep(50); // both packets are queued before the GET: one payload
      const response = await get(sid);
      assert.equal(response.headers["content-type"], "application/octet-stream");
      const expected = encodeBinary(['461-1[{"_placeholder":true,"num":0},"😀"]', attachment]);
      assert.deepEqual(decodeBinary(response.bytes), decodeBinary(expected));
      assert.ok(response.bytes.equals(expected), `body ${response.bytes.toString("hex")}`);
    });

    it("XHR2 session: a payload without binary stays length-prefixed text", async () => {
      const { sid } = await connectedSession();
      assert.equal((await post(sid, encodeText(['421["message-with-ack","t"]']))).body, "ok");
      await sleep(50);
      const response = await get(sid);
      assert.match(response.headers["content-type"], /^text\/plain/);
      assert.equal(response.body, encodeText(['431["t"]']));
    });

    it("a v4 request on a v3 session is refused (400 Bad request), the session lives on", async () => {
      const { sid } = await connectedSession();
      assertJsonError(await rawRequest(`${base}?EIO=4&transport=polling&sid=${sid}`), BAD_REQUEST);
      assertJsonError(await rawRequest(`${base}?EIO=4&transport=polling&sid=${sid}`, { method: "POST", body: "1:2" }), BAD_REQUEST);
      assert.equal((await post(sid, "1:2")).body, "ok");
      assert.equal((await get(sid)).body, "1:3");
    });

    it("a v3 request on a v4 session is refused (400 Bad request)", async () => {
      const response = await rawRequest(`${base}?EIO=4&transport=polling`);
      const { sid } = JSON.parse(response.body.slice(1));
      assertJsonError(await get(sid), BAD_REQUEST);
    });
  });

  describe("JSONP polling", () => {
    it("handshake answers ___eio[j](\"<payload>\"); with the digits of j", async () => {
      for (const [j, index] of [["4", 4], ["a1b2", 12]]) {
        const response = await rawRequest(`${base}?EIO=3&transport=polling&j=${j}&b64=1`);
        assert.equal(response.status, 200);
        assert.match(response.headers["content-type"], /^text\/plain; charset=UTF-8/);
        assert.ok(response.body.startsWith(`___eio[${index}]("`), response.body);
        assert.ok(response.body.endsWith('");'), response.body);
        const [open] = decodeText(runJsonp(response.body, index));
        const { sid, ...rest } = JSON.parse(open.slice(1));
        assert.equal(typeof sid, "string");
        assert.deepEqual(rest, { upgrades: ["websocket"], pingInterval: 300, pingTimeout: 200, maxPayload: 1000000 });
      }
    });

    /** A JSONP session (j=0, b64=1 as engine.io-client 3 sends), connected to /. */
    async function jsonpSession() {
      const response = await rawRequest(`${base}?EIO=3&transport=polling&j=0&b64=1`);
      const [open] = decodeText(runJsonp(response.body, 0));
      const sid = JSON.parse(open.slice(1)).sid;
      const packets = await collect(sid, (p) => p.length >= 2, { jsonp: true });
      assert.deepEqual(packets, ["40", '42["auth",{}]']);
      return sid;
    }

    const jsonpPost = (sid, payload) =>
      post(sid, `d=${encodeURIComponent(jsonpEscape(payload))}`, {
        extra: "&j=0",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
      });

    it("POST d= with engine.io-client's escaping; answers as valid JavaScript", async () => {
      const sid = await jsonpSession();
      const text = 'line1\nline2 \\n back\\slash "quoted" </script> \u2028\u2029 é😀 + & = %';
      const payload = encodeText([`421${JSON.stringify(["message-with-ack", text, { nested: text }])}`]);
      assert.equal((await jsonpPost(sid, payload)).body, "ok");
      const response = await get(sid, "&j=0");
      assert.ok(!/[\u2028\u2029]/.test(response.body), "raw U+2028/U+2029 in the script");
      const packets = decodeText(runJsonp(response.body, 0));
      assert.equal(packets.length, 1);
      assert.ok(packets[0].startsWith("431"), packets[0]);
      assert.deepEqual(JSON.parse(packets[0].slice(3)), [text, { nested: text }]);
    });

    it("binary travels as b4<base64> inside the script", async () => {
      const sid = await jsonpSession();
      const attachment = `b4${Buffer.from([9, 8, 7]).toString("base64")}`;
      const payload = encodeText(['451-["message",{"_placeholder":true,"num":0}]', attachment]);
      assert.equal((await jsonpPost(sid, payload)).body, "ok");
      const packets = decodeText(runJsonp((await get(sid, "&j=0")).body, 0));
      assert.deepEqual(packets, ['451-["message-back",{"_placeholder":true,"num":0}]', attachment]);
    });

    it("a form without d, or with d twice, is ignored (ok, session alive)", async () => {
      const sid = await jsonpSession();
      assert.equal((await post(sid, "x=1", { extra: "&j=0" })).body, "ok");
      assert.equal((await post(sid, "d=1%3A2&d=1%3A2", { extra: "&j=0" })).body, "ok");
      assert.equal((await jsonpPost(sid, encodeText(['421["message-with-ack","alive"]']))).body, "ok");
      assert.deepEqual(decodeText(runJsonp((await get(sid, "&j=0")).body, 0)), ['431["alive"]']);
    });

    it("a malformed payload in d closes the session", async () => {
      const sid = await jsonpSession();
      assert.equal((await post(sid, "d=abc", { extra: "&j=0" })).body, "ok");
      assertJsonError(await get(sid, "&j=0"), SESSION_UNKNOWN);
    });
  });

  describe("bad v3 input: POST answered ok, session closed (next request: 400 Session ID unknown)", () => {
    const TEXT = [
      ["no length", "abc"],
      ["an empty body", ""],
      ["a length with nothing after it", "1:"],
      ["a length past the body", "2:4"],
      ["a non-numeric length", "x:42"],
      ["an unknown packet type", "1:9"],
      ["a length in bytes, not UTF-16 units", "3:4é"],
    ];
    for (const [label, body] of TEXT) {
      it(`text payload with ${label}`, async () => {
        const { sid } = await connectedSession();
        const answer = await post(sid, body);
        assert.equal(answer.status, 200);
        assert.equal(answer.body, "ok");
        assertJsonError(await get(sid), SESSION_UNKNOWN);
      });
    }

    const BINARY = [
      ["no 0xFF after the length", Buffer.from([0, 1, 1])],
      ["an empty packet", Buffer.from([0, 0, 0xff])],
      ["an unknown text packet type", Buffer.concat([Buffer.from([0, 2, 0xff]), Buffer.from("9x")])],
    ];
    for (const [label, body] of BINARY) {
      it(`XHR2 binary payload with ${label}`, async () => {
        const { sid } = await connectedSession();
        const answer = await post(sid, body, { headers: { "Content-Type": "application/octet-stream" } });
        assert.equal(answer.status, 200);
        assert.equal(answer.body, "ok");
        assertJsonError(await get(sid), SESSION_UNKNOWN);
      });
    }

    // The reference reads these at the Socket.IO level (a lone surrogate is
    // a string there), flushes what it queued and closes; cafio may refuse
    // them earlier. Either way the session ends.
    for (const [label, body] of [
      ["an undecodable Socket.IO packet", encodeText(['42["message","unterminated'])],
      ["a length splitting a surrogate pair", "2:4😀"],
    ]) {
      it(`${label} closes the connection`, async () => {
        const { sid } = await connectedSession();
        assert.equal((await post(sid, body)).body, "ok");
        for (let i = 0; ; i++) {
          const response = await get(sid);
          if (response.status === 400) {
            assertJsonError(response, SESSION_UNKNOWN);
            break;
          }
          assert.ok(i < 3, `still open: ${response.body}`);
        }
      });
    }
  });

  describe("websocket", () => {
    it("handshake: open packet with upgrades [], then 40 and auth {}", async () => {
      const raw = await RawSocketV3.open(server.port);
      sockets.push(raw);
      const open = await raw.nextPacket();
      assert.equal(open[0], "0");
      const { sid, ...rest } = JSON.parse(open.slice(1));
      assert.equal(typeof sid, "string");
      assert.deepEqual(rest, { upgrades: [], pingInterval: 300, pingTimeout: 200, maxPayload: 1000000 });
      assert.equal(await raw.nextPacket(), "40");
      assert.equal(await raw.nextPacket(), '42["auth",{}]');
    });

    it("client pings are answered with 3; no server pings", async () => {
      const raw = await RawSocketV3.open(server.port, { heartbeat: false });
      sockets.push(raw);
      await raw.nextPacket(); // open
      assert.equal(await raw.next(), "40");
      assert.equal(await raw.next(), '42["auth",{}]');
      for (let i = 0; i < 3; i++) {
        raw.send("2");
        assert.equal(await raw.next(), "3");
      }
      raw.send("2probe"); // only an upgrade candidate answers 3probe
      assert.equal(await raw.next(), "3");
    });

    it("without pings the connection closes after pingInterval + pingTimeout", async () => {
      const raw = await RawSocketV3.open(server.port, { heartbeat: false });
      sockets.push(raw);
      const started = Date.now();
      const frames = [];
      raw.ws.on("message", (d, isBinary) => frames.push(isBinary ? "<binary>" : d.toString()));
      await raw.waitClosed(3000);
      const elapsed = Date.now() - started;
      assert.ok(elapsed >= 400, `closed after ${elapsed} ms`);
      assert.ok(!frames.includes("2"), `a server ping in ${JSON.stringify(frames)}`);
    });

    it("binary frames carry the type byte 4, both ways", async () => {
      const raw = await RawSocketV3.open(server.port);
      sockets.push(raw);
      await raw.nextPacket();
      await raw.nextPacket();
      await raw.nextPacket();
      raw.send('452-["message",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]');
      raw.send(Buffer.from([4, 1, 2, 3]));
      raw.send(Buffer.from([4]));
      assert.equal(await raw.nextPacket(), '452-["message-back",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]');
      assert.deepEqual(await raw.nextPacket(), Buffer.from([4, 1, 2, 3]));
      assert.deepEqual(await raw.nextPacket(), Buffer.from([4]));
    });

    it("b64=1: binary as b4<base64> text frames, both ways", async () => {
      const raw = await RawSocketV3.open(server.port, { query: "&b64=1" });
      sockets.push(raw);
      await raw.nextPacket();
      await raw.nextPacket();
      await raw.nextPacket();
      raw.send('451-0["message-with-ack",{"_placeholder":true,"num":0}]');
      raw.send(`b4${Buffer.from([0, 255, 7]).toString("base64")}`);
      assert.equal(await raw.nextPacket(), '461-0[{"_placeholder":true,"num":0}]');
      assert.equal(await raw.nextPacket(), `b4${Buffer.from([0, 255, 7]).toString("base64")}`);
    });

    it("an undecodable frame closes the connection", async () => {
      const raw = await RawSocketV3.open(server.port);
      sockets.push(raw);
      await raw.nextPacket();
      raw.send("abc");
      await raw.waitClosed(3000);
    });

    it("a v4 WebSocket for a v3 session is refused", async () => {
      const { sid } = await connectedSession();
      const ws = new WebSocket(`ws://${HOST}:${server.port}/socket.io/?EIO=4&transport=websocket&sid=${sid}`);
      ws.on("error", () => {});
      const [, response] = await once(ws, "unexpected-response", 3000);
      assert.equal(response.statusCode, 400);
      response.resume();
      ws.terminate();
    });
  });

  describe("upgrade", () => {
    it("probe, noop for the parked GET, upgrade, then traffic on the WebSocket only", async () => {
      const { sid } = await connectedSession();
      const parked = get(sid);
      await sleep(50);
      const raw = await RawSocketV3.open(server.port, { sid, heartbeat: false });
      sockets.push(raw);
      raw.send("2probe");
      assert.equal(await raw.next(), "3probe");
      const released = await parked;
      assert.equal(released.status, 200);
      assert.equal(released.body, "1:6");
      raw.send("5");
      raw.send('421["message-with-ack","over ws"]');
      assert.equal(await raw.next(), '431["over ws"]');
      raw.send("2");
      assert.equal(await raw.next(), "3");
      // Polling requests on the upgraded session are refused.
      assertJsonError(await get(sid), BAD_REQUEST);
      // A second WebSocket for the session is closed.
      const second = await RawSocketV3.open(server.port, { sid, heartbeat: false });
      sockets.push(second);
      await second.waitClosed(3000);
      raw.send('421["message-with-ack","still"]');
      assert.equal(await raw.next(), '431["still"]');
    });

    it("packets queued during the upgrade are not lost", async () => {
      const { sid } = await connectedSession();
      const raw = await RawSocketV3.open(server.port, { sid, heartbeat: false });
      sockets.push(raw);
      raw.send("2probe");
      assert.equal(await raw.next(), "3probe");
      // Sent by polling while the probe is done; answered before "5".
      assert.equal((await post(sid, encodeText(['421["message-with-ack","queued"]']))).body, "ok");
      await sleep(100);
      raw.send("5");
      assert.equal(await raw.next(), '431["queued"]');
    });
  });
});

describe("engine.io v3 refused when allow_eio3 is off", { skip: !strict && "cafio-node options" }, () => {
  it("demo app (default): EIO=3 → 400 Unsupported protocol version; --allow-eio3 accepts it", async () => {
    const off = await startServer({ app: "demo" });
    try {
      const base = `${off.url}/socket.io/`;
      const response = await rawRequest(`${base}?EIO=3&transport=polling`);
      assert.equal(response.status, 400);
      assert.deepEqual(JSON.parse(response.body), UNSUPPORTED);
      const ws = new WebSocket(`ws://${HOST}:${off.port}/socket.io/?EIO=3&transport=websocket`);
      ws.on("error", () => {});
      const [, refused] = await once(ws, "unexpected-response", 3000);
      assert.equal(refused.statusCode, 400);
      refused.resume();
      ws.terminate();
      assert.equal((await rawRequest(`${base}?EIO=4&transport=polling`)).status, 200);
    } finally {
      await off.stop();
    }
    const on = await startServer({ app: "demo", args: ["--allow-eio3"] });
    try {
      const response = await rawRequest(`${on.url}/socket.io/?EIO=3&transport=polling`);
      assert.equal(response.status, 200);
      assert.match(response.body, /^\d+:0\{"sid":/);
    } finally {
      await on.stop();
    }
  });
});
