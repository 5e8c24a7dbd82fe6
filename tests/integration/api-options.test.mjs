// server_options from the command line of cafio-api-server: cookie, CORS,
// maxHttpBufferSize (max_payload), connectTimeout, allowRequest, transports,
// allowUpgrades, upgradeTimeout.

import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import WebSocket from "ws";
import { HOST, MODES, RawSocket, closeClients, connect, connectError, createClient, emitWithAck, httpRequest, once, sleep } from "./harness.mjs";
import { pollingConnect, startApiServer } from "./api-helpers.mjs";

const handshakeUrl = (server, transport = "polling") => `${server.url}/socket.io/?EIO=4&transport=${transport}`;

/**
 * Opens a websocket handshake; resolves with { status, headers, body } of a
 * refusal or { status: 101, headers, ws, first } (first: the first message).
 */
function wsHandshake(server, query = "EIO=4&transport=websocket", headers = {}) {
  return new Promise((res, rej) => {
    const ws = new WebSocket(`ws://${HOST}:${server.port}/socket.io/?${query}`, { headers });
    // Listening from the start: the open packet may come with the 101.
    const first = once(ws, "message", 2000).then(([data]) => String(data));
    first.catch(() => {});
    const timer = setTimeout(() => {
      ws.terminate();
      rej(new Error("timeout: websocket handshake not answered"));
    }, 3000);
    let upgradeHeaders = {};
    ws.on("upgrade", (response) => {
      upgradeHeaders = response.headers;
    });
    ws.on("open", () => {
      clearTimeout(timer);
      res({ status: 101, headers: upgradeHeaders, ws, first });
    });
    ws.on("unexpected-response", (req, response) => {
      const chunks = [];
      response.on("data", (c) => chunks.push(c));
      response.on("end", () => {
        clearTimeout(timer);
        res({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks).toString() });
        req.destroy();
      });
    });
    ws.on("error", (err) => {
      clearTimeout(timer);
      rej(err);
    });
  });
}

const parseHandshake = (body) => JSON.parse(body.slice(1));

describe("api: server options", () => {
  const servers = {};
  before(async () => {
    const configs = {
      web: ["--cookie", "--cors-origin", "http://example.test", "--cors-credentials", "--max-payload", "1000", "--connect-timeout", "300"],
      allow: ["--allow-request-header", "x-allowed"],
      wsOnly: ["--transports", "websocket"],
      pollingOnly: ["--transports", "polling"],
      noUpgrades: ["--no-upgrades"],
      upgradeTimeout: ["--upgrade-timeout", "300"],
    };
    await Promise.all(
      Object.entries(configs).map(async ([name, args]) => {
        servers[name] = await startApiServer(args);
      }),
    );
  });
  after(async () => {
    closeClients();
    await Promise.all(Object.values(servers).map((s) => s.stop()));
  });
  afterEach(() => closeClients());

  describe("cookie", () => {
    it("the polling handshake sets io=<sid>; Path=/; HttpOnly; SameSite=Lax", async () => {
      const res = await httpRequest(handshakeUrl(servers.web));
      assert.equal(res.status, 200);
      const { sid } = parseHandshake(res.body);
      assert.deepEqual(res.headers["set-cookie"], [`io=${sid}; Path=/; HttpOnly; SameSite=Lax`]);
    });

    it("a websocket handshake sets none (as engine.io 6.6: only its polling transport emits \"headers\")", async () => {
      const { status, headers, ws, first } = await wsHandshake(servers.web);
      try {
        assert.equal(status, 101);
        await first;
        assert.equal(headers["set-cookie"], undefined);
      } finally {
        ws.terminate();
      }
    });

    it("no cookie without the option", async () => {
      const res = await httpRequest(handshakeUrl(servers.allow), { headers: { "x-allowed": "1" } });
      assert.equal(res.headers["set-cookie"], undefined);
    });
  });

  describe("CORS", () => {
    it("the configured origin and credentials on polling answers", async () => {
      const res = await httpRequest(handshakeUrl(servers.web), { headers: { origin: "http://example.test" } });
      assert.equal(res.status, 200);
      assert.equal(res.headers["access-control-allow-origin"], "http://example.test");
      assert.equal(res.headers["access-control-allow-credentials"], "true");
    });

    it("a preflight OPTIONS is answered 204 with the methods", async () => {
      const res = await httpRequest(handshakeUrl(servers.web), {
        method: "OPTIONS",
        headers: { origin: "http://example.test", "access-control-request-method": "POST" },
      });
      assert.equal(res.status, 204);
      assert.equal(res.headers["access-control-allow-origin"], "http://example.test");
      assert.equal(res.headers["access-control-allow-credentials"], "true");
      const methods = res.headers["access-control-allow-methods"].split(",");
      assert.ok(methods.includes("GET") && methods.includes("POST"), methods.join());
    });

    it("no CORS headers without the option", async () => {
      const res = await httpRequest(handshakeUrl(servers.allow), { headers: { origin: "http://example.test", "x-allowed": "1" } });
      assert.equal(res.headers["access-control-allow-origin"], undefined);
    });
  });

  describe("maxHttpBufferSize (max_payload 1000)", () => {
    it("is announced in the handshake", async () => {
      const res = await httpRequest(handshakeUrl(servers.web));
      assert.equal(parseHandshake(res.body).maxPayload, 1000);
    });

    it("a longer POST body is refused with 413; a shorter one is taken", async () => {
      const session = await pollingConnect(servers.web.url);
      const ok = await session.post(`42["echo","${"a".repeat(900)}"]`);
      assert.equal(ok.status, 200);
      const tooLong = await session.post(`42["echo","${"a".repeat(1100)}"]`);
      assert.equal(tooLong.status, 413);
    });

    it("a longer websocket message closes the connection (1009)", async () => {
      const raw = await RawSocket.open(servers.web.port);
      await raw.nextPacket();
      raw.send("40");
      await raw.nextPacket();
      raw.send(`42["echo","${"b".repeat(2000)}"]`);
      const { code } = await raw.waitClosed(2000);
      assert.equal(code, 1009);
    });
  });

  describe("connectTimeout (300 ms)", () => {
    it("a connection that connects no namespace is closed", async () => {
      const raw = await RawSocket.open(servers.web.port);
      const started = Date.now();
      await raw.waitClosed(2000);
      const ms = Date.now() - started;
      assert.ok(ms >= 250, `closed after ${ms} ms`);
    });

    it("a connection that connected a namespace is kept", async () => {
      const s = await connect(servers.web.url, { mode: MODES[0] });
      await sleep(450);
      assert.equal(s.connected, true);
      assert.deepEqual(await emitWithAck(s, "echo", 1), [1]);
    });
  });

  describe("allowRequest (header x-allowed)", () => {
    it("a polling handshake without the header: 403 {code 4, denied}; with it: 200", async () => {
      const denied = await httpRequest(handshakeUrl(servers.allow));
      assert.equal(denied.status, 403);
      assert.deepEqual(JSON.parse(denied.body), { code: 4, message: "denied" });
      const allowed = await httpRequest(handshakeUrl(servers.allow), { headers: { "X-Allowed": "yes" } });
      assert.equal(allowed.status, 200);
    });

    it("a websocket handshake without the header is refused; with it, accepted", async () => {
      const denied = await wsHandshake(servers.allow);
      assert.notEqual(denied.status, 101);
      assert.ok(denied.status === 400 || denied.status === 403, `status ${denied.status}`);
      const allowed = await wsHandshake(servers.allow, undefined, { "x-allowed": "1" });
      assert.equal(allowed.status, 101);
      allowed.ws.terminate();
    });

    for (const mode of MODES) {
      it(`${mode.name}: socket.io-client connects with the header, fails without`, async () => {
        const s = await connect(servers.allow.url, { mode, options: { extraHeaders: { "x-allowed": "1" } } });
        assert.deepEqual(await emitWithAck(s, "echo", "in"), ["in"]);
        const err = await connectError(createClient(servers.allow.url, "/", mode.options));
        assert.ok(err instanceof Error);
      });
    }
  });

  describe("transports", () => {
    it("websocket only: polling handshake 400 Transport unknown; no upgrades", async () => {
      const res = await httpRequest(handshakeUrl(servers.wsOnly));
      assert.equal(res.status, 400);
      assert.deepEqual(JSON.parse(res.body), { code: 0, message: "Transport unknown" });
      const { status, ws, first } = await wsHandshake(servers.wsOnly);
      assert.equal(status, 101);
      assert.deepEqual(parseHandshake(await first).upgrades, []);
      ws.terminate();
    });

    it("websocket only: a polling client fails, a websocket client connects", async () => {
      await connectError(createClient(servers.wsOnly.url, "/", MODES[1].options));
      const s = await connect(servers.wsOnly.url, { mode: MODES[0] });
      assert.deepEqual(await emitWithAck(s, "echo", 1), [1]);
    });

    it("polling only: no upgrades announced, websocket handshakes refused, clients stay on polling", async () => {
      const res = await httpRequest(handshakeUrl(servers.pollingOnly));
      assert.equal(res.status, 200);
      assert.deepEqual(parseHandshake(res.body).upgrades, []);
      const refused = await wsHandshake(servers.pollingOnly);
      assert.equal(refused.status, 400);
      const s = await connect(servers.pollingOnly.url, { mode: { options: {} } });
      await sleep(200);
      assert.equal(s.io.engine.transport.name, "polling");
      assert.equal((await emitWithAck(s, "conn"))[0].transport, "polling");
    });
  });

  describe("upgrades", () => {
    it("--no-upgrades: the polling handshake announces none, the client stays on polling", async () => {
      const res = await httpRequest(handshakeUrl(servers.noUpgrades));
      assert.deepEqual(parseHandshake(res.body).upgrades, []);
      const s = await connect(servers.noUpgrades.url, { mode: { options: {} } });
      await sleep(200);
      assert.equal(s.io.engine.transport.name, "polling");
      assert.equal((await emitWithAck(s, "conn"))[0].transport, "polling");
      assert.equal(s.received.count("conn-upgraded"), 0);
    });

    it("the upgrades announced by default", async () => {
      const res = await httpRequest(handshakeUrl(servers.upgradeTimeout));
      assert.deepEqual(parseHandshake(res.body).upgrades, ["websocket"]);
    });

    it("upgradeTimeout (300 ms): a probe that never sends 5 is closed; the polling session goes on", async () => {
      const session = await pollingConnect(servers.upgradeTimeout.url);
      const ws = await RawSocket.open(servers.upgradeTimeout.port, `EIO=4&transport=websocket&sid=${encodeURIComponent(session.sid)}`);
      const started = Date.now();
      ws.send("2probe");
      assert.equal(await ws.nextPacket(), "3probe");
      await ws.waitClosed(2000);
      const ms = Date.now() - started;
      assert.ok(ms >= 250, `closed after ${ms} ms`);
      const post = await session.post('421["echo","still polling"]');
      assert.equal(post.status, 200);
      assert.deepEqual(await session.nextPackets(), ['431["still polling"]']);
      assert.equal((await session.post('422["conn"]')).status, 200);
      const [conn] = await session.nextPackets();
      assert.equal(JSON.parse(conn.slice(3))[0].transport, "polling");
    });
  });
});

