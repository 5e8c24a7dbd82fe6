// Shared helpers of the integration suite: start/stop the server under test,
// connect socket.io clients, and bounded waits. Every wait here has a timeout;
// every process and client started here is stopped by its owner.

import { spawn } from "node:child_process";
import { once as eventOnce } from "node:events";
import { createWriteStream, existsSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:http";
import { connect as tcpConnect, createServer as createTcpServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { io } from "socket.io-client";
import WebSocket from "ws";

export const HOST = "127.0.0.1";
export const SOURCE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** True when the suite runs against the Node reference (tools/reference/). */
export const isReference = process.env.CAFIO_SERVER === "reference";
/**
 * Assertions guarded by `strict` pin behaviour that conformance-app.md
 * requires of cafio but that the socket.io reference does not implement
 * (e.g. §2.1 EIO validation with allowEIO3).
 */
export const strict = !isReference;

const PORT_MIN = 20000;
const PORT_MAX = 32000; // exclusive
const PORT_TRIES = 50;
const START_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 5_000;
const START_ATTEMPTS = 3;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Resolves with a free port in [20000, 32000) on 127.0.0.1. */
export async function freePort() {
  for (let i = 0; i < PORT_TRIES; i++) {
    const port = PORT_MIN + Math.floor(Math.random() * (PORT_MAX - PORT_MIN));
    const probe = createTcpServer();
    const free = await new Promise((res) => {
      probe.once("error", () => res(false));
      probe.listen(port, HOST, () => res(true));
    });
    if (free) {
      await new Promise((res) => probe.close(res));
      return port;
    }
  }
  throw new Error(`no free port in [${PORT_MIN}, ${PORT_MAX}) after ${PORT_TRIES} tries`);
}

function accepts(port) {
  return new Promise((res) => {
    const s = tcpConnect({ host: HOST, port });
    s.once("connect", () => {
      s.destroy();
      res(true);
    });
    s.once("error", () => res(false));
  });
}

function serverCommand(app, port, args) {
  if (isReference) {
    const script = join(SOURCE_ROOT, "tools/reference", `${app}-app.mjs`);
    if (!existsSync(script)) throw new Error(`no reference implementation for app "${app}" (${script})`);
    return [process.execPath, [script, "--host", HOST, "--port", String(port), ...args]];
  }
  const binary = process.env.CAFIO_NODE;
  if (!binary) {
    throw new Error("set CAFIO_NODE=<path to cafio-node> (or CAFIO_SERVER=reference to test the Node reference)");
  }
  return [binary, ["--app", app, "--host", HOST, "--port", String(port), ...args]];
}

function readLog(path) {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

function tail(path, lines = 60) {
  try {
    return readFileSync(path, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

async function startOnce({ app, args, env, command: commandFor }) {
  const port = await freePort();
  const [command, argv] = commandFor ? commandFor(port) : serverCommand(app, port, args);
  const logPath = join(tmpdir(), `cafio-it-${app}-${port}-${process.pid}.log`);
  const log = createWriteStream(logPath);
  await eventOnce(log, "open");
  const child = spawn(command, argv, {
    cwd: SOURCE_ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env },
  });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });

  let exited = null; // { code, signal } once the process is gone
  let ready = false; // accepted a TCP connection
  let stopping = false;
  const exitPromise = new Promise((res) => {
    // "close": the process has exited and its output has been drained.
    child.once("close", (code, signal) => {
      exited = { code, signal };
      res(exited);
    });
    child.once("error", (err) => {
      exited = { code: null, signal: null, error: err };
      res(exited);
    });
  });
  exitPromise.then(({ code, signal, error }) => {
    if (ready && !stopping) {
      // A crash mid-suite: show what the server said before dying.
      setTimeout(() => {
        process.stderr.write(
          `\n[harness] server ${command} exited unexpectedly ` +
            `(code ${code}, signal ${signal}${error ? `, ${error.message}` : ""}); log ${logPath}:\n` +
            `${tail(logPath)}\n`,
        );
      }, 50);
    }
  });

  // Resolves once the process has exited, with { code, signal, killed, ms, log }
  // (log: everything the server printed).
  // The log is kept only when the server failed to start, died on its own,
  // ignored the signal or exited with an error. cafio-node must exit 0 on
  // SIGTERM and SIGINT (a sanitizer finding at exit makes it non-zero): a
  // stop that is not clean fails the caller.
  let output = "";
  async function stop({ signal = "SIGTERM" } = {}) {
    let killed = false;
    const started = Date.now();
    if (!exited) {
      stopping = true;
      child.kill(signal);
      const timer = setTimeout(() => {
        killed = true;
        child.kill("SIGKILL");
      }, STOP_GRACE_MS);
      await exitPromise;
      clearTimeout(timer);
      if (killed) process.stderr.write(`[harness] server ignored ${signal} for ${STOP_GRACE_MS} ms, killed; log ${logPath}\n`);
      await new Promise((res) => log.end(res));
      output = readLog(logPath);
      const clean = !killed && exited.code === 0;
      if (ready && clean) rmSync(logPath, { force: true });
      if (ready && !clean && strict)
        throw new Error(`server did not exit cleanly on ${signal} (code ${exited.code}, signal ${exited.signal}${killed ? ", killed" : ""}); log ${logPath}:\n${tail(logPath)}`);
    } else {
      stopping = true;
      await new Promise((res) => log.end(res));
      output = readLog(logPath);
    }
    return { ...exited, killed, ms: Date.now() - started, log: output };
  }

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline && !exited) {
    if (await accepts(port)) {
      ready = true;
      // What the server wrote so far (stdout and stderr).
      const logText = () => (existsSync(logPath) ? readFileSync(logPath, "utf8") : "");
      return { port, url: `http://${HOST}:${port}`, logPath, logText, stop };
    }
    await sleep(25);
  }
  const why = exited ? `exited (code ${exited.code}, signal ${exited.signal})` : `did not accept within ${START_TIMEOUT_MS} ms`;
  await stop();
  const error = new Error(`server ${command} ${argv.join(" ")} ${why}:\n${tail(logPath)}`);
  error.exited = Boolean(exited);
  throw error;
}

/**
 * Starts the server under test on a free port: cafio-node's `app` with
 * `args`, or what `command(port)` returns as [executable, argv] (`app` then
 * only names the log file).
 * @returns {Promise<{port:number, url:string, logPath:string, stop:() => Promise<object>}>}
 */
export async function startServer({ app = "conformance", args = [], env = {}, command } = {}) {
  let lastError;
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    try {
      return await startOnce({ app, args, env, command });
    } catch (err) {
      lastError = err;
      if (!err.exited) break; // only a lost port race is worth another try
    }
  }
  throw lastError;
}

/** Resolves with the arguments of the next `event` on `emitter`, rejects after `timeoutMs`. */
export function once(emitter, event, timeoutMs = 3000) {
  return new Promise((res, rej) => {
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      rej(new Error(`timeout: no "${event}" within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (...args) => {
      clearTimeout(timer);
      res(args);
    };
    emitter.once(event, listener);
  });
}

/** Polls `predicate` until it returns a truthy value; rejects after `timeoutMs`. */
export async function eventually(predicate, timeoutMs = 2000, what = "condition") {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timeout: ${what} not reached within ${timeoutMs} ms`);
    await sleep(10);
  }
}

/** Emits `event` with an ack callback; resolves with the array of ack arguments. */
export function emitWithAckTimeout(socket, timeoutMs, event, ...args) {
  return new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`timeout: no ack for "${event}" within ${timeoutMs} ms`)), timeoutMs);
    socket.emit(event, ...args, (...ackArgs) => {
      clearTimeout(timer);
      res(ackArgs);
    });
  });
}

export const emitWithAck = (socket, event, ...args) => emitWithAckTimeout(socket, 3000, event, ...args);

/**
 * Everything a socket received, in order (attached before the connection
 * opens, so the spontaneous `auth` event is never missed).
 */
export class EventLog {
  constructor(socket) {
    this.events = [];
    this.waiters = new Set();
    socket.onAny((event, ...args) => {
      this.events.push({ event, args, taken: false });
      for (const waiter of this.waiters) waiter();
    });
  }

  /** Arguments of every `event` received so far. */
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

/** The three transport modes of socket.io-client 4.8 the suite runs in. */
export const MODES = [
  { name: "websocket", options: { transports: ["websocket"] }, finalTransport: "websocket" },
  { name: "polling", options: { transports: ["polling"] }, finalTransport: "polling" },
  { name: "upgrade", options: {}, finalTransport: "websocket", upgrade: true },
];

const openClients = new Set();

/** Creates a socket.io-client socket (tracked for closeClients) with its EventLog as `socket.received`. */
export function createClient(url, nsp = "/", options = {}) {
  const socket = io(url + nsp, { forceNew: true, reconnection: false, ...options });
  socket.received = new EventLog(socket);
  openClients.add(socket);
  return socket;
}

/**
 * Resolves with the arguments of `resolveOn`, or rejects with
 * `failure(...args)` of `rejectOn`, whichever comes first; bounded.
 */
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

/** Resolves once `socket` is connected; rejects with the connect_error or on timeout. */
export async function waitConnected(socket, timeoutMs = 5000) {
  if (!socket.connected) await settleOn(socket, "connect", "connect_error", (err) => err, timeoutMs);
  return socket;
}

/**
 * Connects a client in the given transport mode (one of MODES) and waits for
 * `connect`; in upgrade mode also for the Engine.IO `upgrade` to websocket.
 */
export async function connect(url, { mode = MODES[0], nsp = "/", options = {} } = {}) {
  const socket = createClient(url, nsp, { ...mode.options, ...options });
  const upgraded = mode.upgrade ? once(socket.io.engine, "upgrade", 5000) : null;
  await waitConnected(socket);
  if (upgraded) await upgraded;
  return socket;
}

/** Resolves with the connect_error a connection attempt ends with (rejects if it connects). */
export async function connectError(socket, timeoutMs = 5000) {
  const [err] = await settleOn(socket, "connect_error", "connect", () => new Error("connected, but a connect_error was expected"), timeoutMs);
  return err;
}

/** Closes every client created through createClient (call it in afterEach/after). */
export function closeClients() {
  for (const socket of openClients) {
    socket.io.reconnection(false);
    socket.disconnect();
    socket.io.engine?.close();
  }
  openClients.clear();
}

/**
 * Resolves once the server has a disconnect record for `id` (§3.2
 * `disconnect-info`), asked through the connected `observer` socket.
 */
export async function disconnectRecord(observer, id, timeoutMs = 2000) {
  return eventually(async () => (await emitWithAck(observer, "disconnect-info", id))[0], timeoutMs, `disconnect record of ${id}`);
}

/**
 * A raw Engine.IO v4 WebSocket client that answers pings, queues text frames
 * and reports its close.
 */
export class RawSocket {
  static async open(port, query = "EIO=4&transport=websocket", { autoPong = true, headers } = {}) {
    const raw = new RawSocket(new WebSocket(`ws://${HOST}:${port}/socket.io/?${query}`, { headers }), { autoPong });
    await once(raw.ws, "open", 3000);
    return raw;
  }

  /** autoPong: answer the server's pings (false: let the session time out). */
  constructor(ws, { autoPong = true } = {}) {
    this.ws = ws;
    this.frames = [];
    this.waiters = new Set();
    this.closed = new Promise((res) => ws.once("close", (code, reason) => res({ code, reason: String(reason) })));
    ws.on("error", () => {}); // a refused/reset connection shows up as `close`
    ws.on("message", (data, isBinary) => {
      const frame = isBinary ? data : data.toString();
      if (frame === "2" && autoPong) ws.send("3"); // heartbeat (§2.6)
      this.frames.push(frame);
      for (const waiter of this.waiters) waiter();
    });
  }

  send(frame) {
    this.ws.send(frame);
  }

  /** The next frame (pings included), waiting up to `timeoutMs`. */
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

  /** The next frame that is not a ping. */
  async nextPacket(timeoutMs = 3000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const frame = await this.next(Math.max(1, deadline - Date.now()));
      if (frame !== "2") return frame;
    }
  }

  /** Resolves with { code, reason } once closed; rejects after `timeoutMs`. */
  waitClosed(timeoutMs = 3000) {
    let timer;
    const timeout = new Promise((_, rej) => {
      timer = setTimeout(() => rej(new Error(`timeout: connection still open after ${timeoutMs} ms`)), timeoutMs);
    });
    return Promise.race([this.closed, timeout]).finally(() => clearTimeout(timer));
  }

  close() {
    this.ws.terminate();
  }
}

/**
 * One plain HTTP request (a fresh connection, no keep-alive pool).
 * @returns {Promise<{status:number, headers:object, body:string}>}
 */
export function httpRequest(url, { method = "GET", headers = {}, body } = {}, timeoutMs = 3000) {
  return new Promise((res, rej) => {
    const req = request(url, { method, headers, agent: false }, (response) => {
      const chunks = [];
      response.on("data", (c) => chunks.push(c));
      response.on("end", () => {
        clearTimeout(timer);
        res({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks).toString() });
      });
    });
    const timer = setTimeout(() => {
      req.destroy();
      rej(new Error(`timeout: ${method} ${url} not answered within ${timeoutMs} ms`));
    }, timeoutMs);
    // The server may answer (e.g. 413) and close before the whole body is sent.
    req.on("error", (err) => {
      if (!req.res) {
        clearTimeout(timer);
        rej(err);
      }
    });
    req.end(body);
  });
}
