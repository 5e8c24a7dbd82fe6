// TLS: cafio-node with --tls-cert/--tls-key serves HTTPS polling and WSS,
// tested with a self-signed certificate made here with openssl.

import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { MODES, closeClients, createClient, emitWithAck, isReference, once, startServer, waitConnected } from "./harness.mjs";

const NODE = process.env.CAFIO_NODE;
let openssl = true;
try {
  execFileSync("openssl", ["version"], { stdio: "ignore" });
} catch {
  openssl = false;
}
const skip = isReference || !NODE ? "cafio-node only" : !openssl ? "openssl is not installed" : false;

function httpsGet(url) {
  return new Promise((res, rej) => {
    const req = request(url, { rejectUnauthorized: false, agent: false }, (r) => {
      const chunks = [];
      r.on("data", (c) => chunks.push(c));
      r.on("end", () => res({ status: r.statusCode, body: Buffer.concat(chunks).toString() }));
    });
    req.setTimeout(3000, () => req.destroy(new Error("timeout")));
    req.on("error", rej);
    req.end();
  });
}

describe("TLS", { skip }, () => {
  let dir;
  let cert;
  let key;
  let server;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "cafio-tls-"));
    cert = join(dir, "cert.pem");
    key = join(dir, "key.pem");
    execFileSync("openssl", [
      "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
      "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
      "-keyout", key, "-out", cert,
    ], { stdio: "ignore" });
    server = await startServer({ app: "conformance", args: ["--tls-cert", cert, "--tls-key", key] });
  });
  after(async () => {
    closeClients();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers an Engine.IO handshake over HTTPS", async () => {
    const url = `https://127.0.0.1:${server.port}`;
    const res = await httpsGet(`${url}/socket.io/?EIO=4&transport=polling`);
    assert.equal(res.status, 200);
    const open = JSON.parse(res.body.slice(1));
    assert.deepEqual(open.upgrades, ["websocket"]);
  });

  it("does not speak plain HTTP on the TLS port", async () => {
    const plain = `http://127.0.0.1:${server.port}/socket.io/?EIO=4&transport=polling`;
    await assert.rejects(fetch(plain, { signal: AbortSignal.timeout(3000) }));
  });

  for (const mode of MODES) {
    it(`socket.io-client connects over ${mode.name} (https/wss), emits and gets acks`, async () => {
      const socket = createClient(`https://127.0.0.1:${server.port}`, "/", {
        ...mode.options,
        rejectUnauthorized: false,
        auth: { token: "tls" },
      });
      const auth = once(socket, "auth");
      await waitConnected(socket);
      assert.deepEqual((await auth)[0], { token: "tls" });
      if (mode.upgrade) await once(socket.io.engine, "upgrade", 5000).catch(() => {});
      assert.equal(socket.io.engine.transport.name, mode.finalTransport);
      assert.deepEqual(await emitWithAck(socket, "message-with-ack", 1, "two", Buffer.from([3])), [
        1,
        "two",
        Buffer.from([3]),
      ]);
      const handshake = (await emitWithAck(socket, "handshake"))[0];
      assert.equal(handshake.secure, true);
      socket.disconnect();
    });
  }

  it("a missing or unreadable certificate is a one-line error with exit code 2", () => {
    let r = spawnSync(NODE, ["--tls-cert", join(dir, "nope.pem"), "--tls-key", key], { encoding: "utf8", timeout: 10000 });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /cannot read TLS file/);
    r = spawnSync(NODE, ["--tls-cert", cert], { encoding: "utf8", timeout: 10000 });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--tls-cert and --tls-key go together/);
  });

  it("a file that is not a certificate makes the node fail to start, saying why", () => {
    const junk = join(dir, "junk.pem");
    writeFileSync(junk, "not a certificate\n");
    const r = spawnSync(NODE, ["--port", "0", "--tls-cert", junk, "--tls-key", key], { encoding: "utf8", timeout: 10000 });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /cannot use certificate/);
  });
});
