// Helpers for socket.io-client 2.5.0 (Engine.IO v3, Socket.IO protocol v4),
// the old clients of issue 4 (conformance-app.md §1, §2.4, §2.6, §3). Same
// rules as harness.mjs: every wait is bounded, every client created here is
// closed by closeClientsV2().

import ioV2 from "socket.io-client-v2";
import WebSocket from "ws";
import { HOST, once } from "./harness.mjs";

/**
 * The transport modes of socket.io-client 2.x the suite runs in. In Node its
 * polling always asks for base64 binary (`b64=1`: its XMLHttpRequest has no
 * XHR2 responseType), so binary over polling travels as "b4<base64>" text;
 * XHR2 binary payloads are covered by eio3-http.test.mjs. forceBase64 makes
 * the WebSocket carry binary as "b4<base64>" text frames too.
 */
export const V2_MODES = [
  { name: "websocket", options: { transports: ["websocket"] }, finalTransport: "websocket", b64: false },
  { name: "polling", options: { transports: ["polling"] }, finalTransport: "polling", b64: true },
  { name: "upgrade", options: {}, finalTransport: "websocket", upgrade: true, b64: true },
  {
    name: "websocket-base64",
    options: { transports: ["websocket"], forceBase64: true },
    finalTransport: "websocket",
    b64: true,
  },
];

/**
 * Everything a v2 socket received, in order. socket.io-client 2 has no
 * onAny: its `onevent` (called for every EVENT / BINARY_EVENT packet of the
 * socket's namespace) is wrapped instead.
 */
export class EventLogV2 {
  constructor(socket) {
    this.events = [];
    this.waiters = new Set();
    const original = socket.onevent;
    socket.onevent = (packet) => {
      const [event, ...args] = packet.data || [];
      this.events.push({ event, args: [...args], taken: false });
      for (const waiter of this.waiters) waiter();
      original.call(socket, packet);
    };
  }

  all(event) {
    return this.events.filter((e) => e.event === event).map((e) => e.args);
  }

  count(event) {
    return this.all(event).length;
  }

  /** Arguments of the first not yet taken `event`, waiting up to `timeoutMs`. */
  take(event, timeoutMs = 3000) {
    const pick = () => {
      const entry = this.events.find((e) => e.event === event && !e.taken);
      if (!entry) return null;
      entry.taken = true;
      return entry.args;
    };
    const now = pick();
    if (now) return Promise.resolve(now);
    return new Promise((res, rej) => {
      const waiter = () => {
        const args = pick();
        if (!args) return;
        clearTimeout(timer);
        this.waiters.delete(waiter);
        res(args);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        rej(new Error(`timeout: no "${event}" event within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }
}

const openClients = new Set();

/**
 * Creates a socket.io-client 2 socket for `nsp` (which may carry a query,
 * "/private?token=secret": v2's namespace auth), tracked for closeClientsV2.
 */
export function createClientV2(url, nsp = "/", options = {}) {
  const socket = ioV2(url + nsp, { forceNew: true, reconnection: false, ...options });
  socket.received = new EventLogV2(socket);
  openClients.add(socket);
  return socket;
}

/** A further socket for `nsp` on the same connection (Manager) as `socket`. */
export function namespaceSocketV2(socket, nsp, options = {}) {
  const other = socket.io.socket(nsp, options);
  other.received = new EventLogV2(other);
  openClients.add(other);
  return other;
}

function settleOn(emitter, resolveOn, rejectOn, failure, timeoutMs) {
  return new Promise((res, rej) => {
    const cleanup = () => {
      clearTimeout(timer);
      emitter.off(resolveOn, onResolve);
      emitter.off(rejectOn, onReject);
    };
    const onResolve = (...args) => {
      cleanup();
      res(args);
    };
    const onReject = (...args) => {
      cleanup();
      rej(failure(...args));
    };
    const timer = setTimeout(() => {
      cleanup();
      rej(new Error(`timeout: no "${resolveOn}" within ${timeoutMs} ms`));
    }, timeoutMs);
    emitter.on(resolveOn, onResolve);
    emitter.on(rejectOn, onReject);
  });
}

/**
 * Resolves once `socket` is connected; rejects with the server's ERROR
 * packet (v2 `error` event) or on timeout.
 */
export async function waitConnectedV2(socket, timeoutMs = 5000) {
  if (!socket.connected) {
    await settleOn(socket, "connect", "error", (err) => new Error(`error instead of connect: ${JSON.stringify(err)}`), timeoutMs);
  }
  return socket;
}

/** Resolves with the data of the ERROR packet a connection attempt ends with. */
export async function connectRefusalV2(socket, timeoutMs = 5000) {
  const [err] = await settleOn(socket, "error", "connect", () => new Error("connected, but an error was expected"), timeoutMs);
  return err;
}

/** Connects a v2 client in `mode` and waits for connect (and the upgrade). */
export async function connectV2(url, { mode = V2_MODES[0], nsp = "/", options = {} } = {}) {
  const socket = createClientV2(url, nsp, { ...mode.options, ...options });
  const upgraded = mode.upgrade ? once(socket.io.engine, "upgrade", 5000) : null;
  await waitConnectedV2(socket);
  if (upgraded) await upgraded;
  return socket;
}

/** Closes every client created here. */
export function closeClientsV2() {
  for (const socket of openClients) {
    socket.io.reconnection(false);
    socket.close();
    socket.io.engine?.close();
  }
  openClients.clear();
}

/**
 * A raw Engine.IO v3 WebSocket client: queues frames (text as strings,
 * binary as Buffers) and, unless `heartbeat` is false, sends the v3 client
 * ping "2" every `pingEvery` ms (v3: the client pings, the server answers).
 */
export class RawSocketV3 {
  static async open(port, { query = "", sid, heartbeat = true, pingEvery = 150 } = {}) {
    const url = `ws://${HOST}:${port}/socket.io/?EIO=3&transport=websocket${sid ? `&sid=${sid}` : ""}${query}`;
    const raw = new RawSocketV3(new WebSocket(url));
    await once(raw.ws, "open", 3000);
    if (heartbeat) raw.timer = setInterval(() => raw.ws.readyState === WebSocket.OPEN && raw.ws.send("2"), pingEvery);
    return raw;
  }

  constructor(ws) {
    this.ws = ws;
    this.frames = [];
    this.waiters = new Set();
    this.closed = new Promise((res) =>
      ws.once("close", (code, reason) => {
        clearInterval(this.timer);
        res({ code, reason: String(reason) });
      }),
    );
    ws.on("error", () => {});
    ws.on("message", (data, isBinary) => {
      this.frames.push(isBinary ? Buffer.from(data) : data.toString());
      for (const waiter of this.waiters) waiter();
    });
  }

  send(frame) {
    this.ws.send(frame);
  }

  /** The next frame, pongs ("3") included, waiting up to `timeoutMs`. */
  next(timeoutMs = 3000) {
    if (this.frames.length) return Promise.resolve(this.frames.shift());
    return new Promise((res, rej) => {
      const waiter = () => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
        res(this.frames.shift());
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        rej(new Error(`timeout: no frame within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** The next frame that is not a plain pong "3". */
  async nextPacket(timeoutMs = 3000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const frame = await this.next(Math.max(1, deadline - Date.now()));
      if (frame !== "3") return frame;
    }
  }

  waitClosed(timeoutMs = 3000) {
    let timer;
    const timeout = new Promise((_, rej) => {
      timer = setTimeout(() => rej(new Error(`timeout: connection still open after ${timeoutMs} ms`)), timeoutMs);
    });
    return Promise.race([this.closed, timeout]).finally(() => clearTimeout(timer));
  }

  close() {
    clearInterval(this.timer);
    this.ws.terminate();
  }
}
