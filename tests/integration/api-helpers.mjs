// Helpers of the Socket API tests (api-*.test.mjs): start cafio-api-server
// (tests/integration/servers/api_server.cpp) or, with
// CAFIO_API_SERVER=reference, its mirror on socket.io 4.8
// (servers/api-server-reference.mjs); read its disconnect log; a raw
// Engine.IO polling session.

import { request } from "node:http";
import { join } from "node:path";
import { HOST, SOURCE_ROOT, eventually, httpRequest, once, sleep, startServer } from "./harness.mjs";

/** True when the api tests run against the socket.io 4.8 mirror. */
export const isApiReference = process.env.CAFIO_API_SERVER === "reference";

function apiCommand(args) {
  return (port) => {
    const common = ["--host", HOST, "--port", String(port), ...args];
    if (isApiReference) return [process.execPath, [join(SOURCE_ROOT, "tests/integration/servers/api-server-reference.mjs"), ...common]];
    const binary = process.env.CAFIO_API_SERVER;
    if (!binary) throw new Error("set CAFIO_API_SERVER=<path to cafio-api-server> (or =reference for the socket.io 4.8 mirror)");
    return [binary, common];
  };
}

/** Starts the api server with these command-line options. */
export function startApiServer(args = []) {
  return startServer({ app: "api", command: apiCommand(args) });
}

/** The disconnect records the server printed ({"disconnect": record} lines). */
export function disconnectLines(logText) {
  const records = [];
  for (const line of logText.split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      const parsed = JSON.parse(line);
      if (parsed.disconnect) records.push(parsed.disconnect);
    } catch {
      // not a record
    }
  }
  return records;
}

/** The server-side reason of socket `id`, asked through `observer` (bounded). */
export async function reasonOf(observer, id, timeoutMs = 3000) {
  const record = await eventually(
    async () => (await observer.timeout(2000).emitWithAck("disconnect-info", id)) ?? null,
    timeoutMs,
    `disconnect record of ${id}`,
  );
  return record.reason;
}

/** Resolves once `socket` has received `event` `count` times in total; returns them all. */
export async function received(socket, event, count = 1, timeoutMs = 2000) {
  await eventually(() => socket.received.count(event) >= count, timeoutMs, `${count} "${event}"`);
  return socket.received.all(event);
}

/** Waits a little, then returns how often `socket` received `event`. */
export async function countAfterQuiet(socket, event, quietMs = 150) {
  await sleep(quietMs);
  return socket.received.count(event);
}

/**
 * A raw Engine.IO v4 polling session with plain HTTP (one connection per
 * request), for what socket.io-client cannot do: hold or abort a GET,
 * write while no GET is parked.
 */
export class PollingSession {
  static async open(url, { query = "", headers = {} } = {}) {
    const res = await httpRequest(`${url}/socket.io/?EIO=4&transport=polling${query}`, { headers });
    if (res.status !== 200) throw new Error(`handshake answered ${res.status}: ${res.body}`);
    const handshake = JSON.parse(res.body.slice(1));
    const session = new PollingSession(url, handshake.sid);
    session.handshake = handshake;
    session.handshakeResponse = res;
    return session;
  }

  constructor(url, sid) {
    this.url = url;
    this.sid = sid;
  }

  get path() {
    return `${this.url}/socket.io/?EIO=4&transport=polling&sid=${encodeURIComponent(this.sid)}`;
  }

  /** POSTs `packets` (joined with \x1e); resolves with the response. */
  post(...packets) {
    return httpRequest(this.path, { method: "POST", headers: { "content-type": "text/plain;charset=UTF-8" }, body: packets.join("\x1e") });
  }

  /** One GET: resolves with the packets of its payload (bounded). */
  async get(timeoutMs = 3000) {
    const res = await httpRequest(this.path, {}, timeoutMs);
    if (res.status !== 200) throw new Error(`GET answered ${res.status}: ${res.body}`);
    return res.body.split("\x1e");
  }

  /** GETs until a packet other than ping/noop arrives (answering pings); bounded. */
  async nextPackets(timeoutMs = 3000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const packets = await this.get(Math.max(1, deadline - Date.now()));
      if (packets.includes("2")) await this.post("3");
      const useful = packets.filter((p) => p !== "2" && p !== "6");
      if (useful.length) return useful;
      if (Date.now() > deadline) throw new Error("timeout: no packet");
    }
  }

  /**
   * Starts a GET and leaves it parked; `abort()` destroys its connection,
   * `response` resolves with its answer (or null once aborted).
   */
  startGet() {
    let req;
    const response = new Promise((res) => {
      req = request(this.path, { agent: false }, (r) => {
        const chunks = [];
        r.on("data", (c) => chunks.push(c));
        r.on("end", () => res({ status: r.statusCode, body: Buffer.concat(chunks).toString() }));
        r.on("error", () => res(null));
      });
      req.on("error", () => res(null));
      req.end();
    });
    const sent = once(req, "socket", 1000).then(([socket]) => (socket.connecting ? once(socket, "connect", 1000) : null));
    return { response, sent, abort: () => req.destroy() };
  }
}

/**
 * Connects a raw polling session to `nsp` (POST 40, GET until the CONNECT
 * answer and the app's "welcome"); `socketId` is the socket's id.
 */
export async function pollingConnect(url, nsp = "/", auth = null) {
  const session = await PollingSession.open(url);
  const prefix = nsp === "/" ? "" : `${nsp},`;
  await session.post(`40${prefix}${auth ? JSON.stringify(auth) : ""}`);
  // Until the CONNECT answer and the app's "welcome": nothing else is queued then.
  const packets = [];
  const welcome = `42${prefix}["welcome"`;
  while (!packets.some((p) => p.startsWith(welcome))) packets.push(...(await session.nextPackets()));
  const connect = packets.find((p) => p.startsWith(`40${prefix}`));
  if (!connect) throw new Error(`no CONNECT answer in ${JSON.stringify(packets)}`);
  session.socketId = JSON.parse(connect.slice(2 + prefix.length)).sid;
  return session;
}

