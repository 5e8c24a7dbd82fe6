// The app of api_server.cpp on the Node reference (socket.io 4.8), with the
// same events, namespaces and command-line options, so that the api-*.test.mjs
// files can be run against it (CAFIO_API_SERVER=reference) to check what they
// assert against the reference's observable behaviour. Listener ids, which
// Node's EventEmitter does not have, are numbered here as cafio numbers them:
// one counter per socket.

import { createServer } from "node:http";
import { Server } from "socket.io";

// -- command line ---------------------------------------------------------------

const opts = {
  host: "127.0.0.1",
  port: 3000,
  pingInterval: 25000,
  pingTimeout: 20000,
  connectTimeout: 45000,
  transports: ["polling", "websocket"],
  allowUpgrades: true,
  upgradeTimeout: 10000,
  maxHttpBufferSize: 1e6,
};
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const flag = argv[i];
  const value = () => argv[++i];
  const number = () => Number(value());
  switch (flag) {
    case "--host": opts.host = value(); break;
    case "--port": opts.port = number(); break;
    case "--ping-interval": opts.pingInterval = number(); break;
    case "--ping-timeout": opts.pingTimeout = number(); break;
    case "--connect-timeout": opts.connectTimeout = number(); break;
    case "--upgrade-timeout": opts.upgradeTimeout = number(); break;
    case "--max-payload": opts.maxHttpBufferSize = number(); break;
    case "--transports": {
      const t = value();
      opts.transports = t === "both" ? ["polling", "websocket"] : [t];
      break;
    }
    case "--no-upgrades": opts.allowUpgrades = false; break;
    case "--per-message-deflate": opts.perMessageDeflate = { threshold: 1024 }; break;
    case "--no-http-compression": opts.httpCompression = false; break;
    case "--cookie": opts.cookie = { name: "io", path: "/", httpOnly: true, sameSite: "lax" }; break;
    case "--allow-request-header": {
      const name = value().toLowerCase();
      opts.allowRequest = (req, cb) => (name in req.headers ? cb(null, true) : cb("denied", false));
      break;
    }
    case "--cors-origin": opts.cors = { ...opts.cors, origin: value() }; break;
    case "--cors-credentials": opts.cors = { ...opts.cors, credentials: true }; break;
    default:
      console.error(`api-server-reference: unknown argument ${flag}`);
      process.exit(2);
  }
}
const { host, port, ...serverOptions } = opts;

// -- helpers ------------------------------------------------------------------

const sortedRooms = (s) => [...s.rooms].sort();
const roomsOf = (v) => (typeof v === "string" ? [v] : Array.isArray(v) ? v.filter((r) => typeof r === "string") : []);
const str = (v) => (typeof v === "string" ? v : "");
const plain = (args) => args.filter((a) => typeof a !== "function");
const byId = (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function targets(nsp, query) {
  let op = nsp;
  if (query && typeof query === "object") {
    if ("in" in query) op = op.in(roomsOf(query.in));
    if ("except" in query) op = op.except(roomsOf(query.except));
  }
  return op;
}

function infoToJson(s) {
  return {
    id: s.id,
    nsp: s.nsp?.name ?? s.nsp,
    rooms: [...s.rooms].sort(),
    data: s.data,
    auth: s.handshake.auth,
    url: s.handshake.url,
    address: s.handshake.address,
    headers: s.handshake.headers,
  };
}

const disconnects = new Map();
let lastDisconnect = null;

// -- handlers -------------------------------------------------------------------

function onConnection(socket, io, dynParent) {
  socket.data ??= {};
  const extra = { anySeen: [], outgoing: [], roomsAtDisconnecting: [], handled: 0 };
  // Listener ids: a function → id map, numbered as cafio does.
  let nextId = 1;
  const ids = new Map();
  const idOf = (fn) => {
    if (!ids.has(fn)) ids.set(fn, nextId++);
    return ids.get(fn);
  };
  const fnOf = (id) => [...ids].find(([, v]) => v === id)?.[0];
  const ack = (args) => (typeof args[args.length - 1] === "function" ? args.pop() : null);
  const on = (event, fn) => {
    idOf(fn);
    socket.on(event, fn);
  };

  const record = () => {
    on("disconnecting", () => {
      extra.roomsAtDisconnecting = sortedRooms(socket);
    });
    on("disconnect", (reason) => {
      const entry = {
        id: socket.id,
        nsp: socket.nsp.name,
        reason,
        rooms: extra.roomsAtDisconnecting,
        roomsAfter: sortedRooms(socket),
        anyEvents: extra.anySeen.map((e) => e.event),
      };
      console.log(JSON.stringify({ disconnect: entry }));
      disconnects.set(socket.id, entry);
      lastDisconnect = entry;
    });
  };
  record();

  // Packet middlewares.
  socket.use((packet, next) => {
    const [event] = packet;
    const insert = (v) => packet.splice(typeof packet[packet.length - 1] === "function" ? packet.length - 1 : packet.length, 0, v);
    if (event === "forbidden") return next(Object.assign(new Error("forbidden event"), { data: { why: 1 } }));
    if (event === "mw-slow") return setTimeout(next, 100);
    if (event === "mw-order" || event === "mw-mutate") insert("first");
    next();
  });
  socket.use((packet, next) => {
    const insert = (v) => packet.splice(typeof packet[packet.length - 1] === "function" ? packet.length - 1 : packet.length, 0, v);
    if (packet[0] === "mw-order") insert("second");
    next();
  });
  on("error", (err) => socket.emit("mw-error", err.message, err.data));
  on("forbidden", (...a) => {
    const k = ack(a);
    socket.emit("forbidden-reached");
    k?.("forbidden-reached");
  });
  on("mw-order", (...a) => ack(a)?.(...a));
  on("mw-mutate", (...a) => ack(a)?.(...a));
  on("mw-slow", (...a) => ack(a)?.("slow", ++extra.handled));
  on("mw-fast", (...a) => ack(a)?.("fast", ++extra.handled));

  // Listeners.
  const reporter = (event, tag) => (...a) => {
    const k = ack(a);
    socket.emit("heard", { event, tag, args: a });
    k?.(tag);
  };
  const describe = (event) => ({
    ids: socket.listeners(event).map(idOf),
    count: socket.listenerCount(event),
    names: socket.eventNames().sort(),
  });
  on("listener-add", (event, tag, once, k) => {
    const fn = reporter(event, tag ?? null);
    const id = idOf(fn);
    if (once === true) socket.once(event, fn);
    else socket.on(event, fn);
    k(id);
  });
  on("listener-on", (event, tag, k) => {
    on(event, reporter(event, tag ?? null));
    k(describe(event));
  });
  on("listener-once", (event, tag, k) => {
    const fn = reporter(event, tag ?? null);
    idOf(fn);
    socket.once(event, fn);
    k(describe(event));
  });
  on("listener-remove", (event, id, k) => {
    const fn = fnOf(id);
    if (fn) socket.removeListener(event, fn);
    k(describe(event));
  });
  on("listener-off", (event, k) => {
    socket.removeAllListeners(event);
    k(describe(event));
  });
  on("listeners", (event, k) => k(describe(event)));
  on("listener-remove-all", (k) => {
    socket.removeAllListeners();
    const names = socket.eventNames().sort();
    on("alive", (k2) => k2("alive"));
    record();
    k(names);
  });
  on("listener-self-remove", (event, k) => {
    const fn = () => {
      socket.removeListener(event, fn);
      socket.emit("heard", { event, tag: "self-removing" });
      on(event, () => socket.emit("heard", { event, tag: "added-while-running" }));
    };
    on(event, fn);
    k(idOf(fn));
  });

  // Catch-all listeners.
  const anyRecorder = (tag) => (event, ...a) => extra.anySeen.push({ tag, event, args: plain(a) });
  const outRecorder = (tag) => (event, ...a) => extra.outgoing.push({ tag, event, args: plain(a) });
  on("any-add", (tag, prepend, k) => {
    const fn = anyRecorder(tag ?? null);
    if (prepend === true) socket.prependAny(fn);
    else socket.onAny(fn);
    k(idOf(fn));
  });
  on("any-on", (tag, prepend, k) => {
    const fn = anyRecorder(tag ?? null);
    idOf(fn);
    if (prepend === true) socket.prependAny(fn);
    else socket.onAny(fn);
    k(socket.listenersAny().map(idOf));
  });
  on("any-off", (id, k) => {
    if (typeof id === "number") socket.offAny(fnOf(id));
    else socket.offAny();
    k(socket.listenersAny().map(idOf));
  });
  on("any-list", (k) => k(socket.listenersAny().map(idOf)));
  on("any-log", (k) => {
    const seen = extra.anySeen;
    extra.anySeen = [];
    k(seen);
  });
  on("out-add", (tag, prepend, k) => {
    const fn = outRecorder(tag ?? null);
    if (prepend === true) socket.prependAnyOutgoing(fn);
    else socket.onAnyOutgoing(fn);
    k(idOf(fn));
  });
  on("out-on", (tag, prepend, k) => {
    const fn = outRecorder(tag ?? null);
    idOf(fn);
    if (prepend === true) socket.prependAnyOutgoing(fn);
    else socket.onAnyOutgoing(fn);
    k(socket.listenersAnyOutgoing().map(idOf));
  });
  on("out-off", (id, k) => {
    if (typeof id === "number") socket.offAnyOutgoing(fnOf(id));
    else socket.offAnyOutgoing();
    k(socket.listenersAnyOutgoing().map(idOf));
  });
  on("out-log", (k) => {
    const seen = extra.outgoing;
    extra.outgoing = [];
    k(seen);
  });

  // Acks.
  const result = (err, values) => ({ error: err ? err.message : null, values });
  on("echo", (...a) => ack(a)?.(...a));
  on("ack-twice", (k) => {
    k("first");
    k("second");
  });
  on("ack-later", (ms, k) => setTimeout(() => k("late"), typeof ms === "number" ? ms : 50));
  on("ack-thread", (k) => setImmediate(() => k("from a thread")));
  on("ack-asked", (...a) => ack(a)?.(true));
  on("server-ack", (event, ...a) => {
    socket.emit(event, ...plain(a), (...values) => socket.emit("server-ack-result", result(null, values)));
  });
  on("ack-timeout", (event, ms, ...a) => {
    socket.timeout(typeof ms === "number" ? ms : 100).emit(event, ...plain(a), (err, ...values) => {
      socket.emit("ack-timeout-result", result(err, err ? [] : values));
    });
  });
  on("ack-promise", (event, ...a) => {
    socket.emitWithAck(event, ...plain(a)).then(
      (value) => socket.emit("ack-promise-result", result(null, [value])),
      (err) => socket.emit("ack-promise-result", result(err, [])),
    );
  });
  on("ack-promise-timeout", (event, ms, ...a) => {
    socket
      .timeout(typeof ms === "number" ? ms : 100)
      .emitWithAck(event, ...plain(a))
      .then(
        (value) => socket.emit("ack-promise-result", result(null, [value])),
        (err) => socket.emit("ack-promise-result", result(err, [])),
      );
  });

  // Emits.
  on("emit-me", (event, ...a) => {
    const k = ack(a);
    socket.emit(event, ...a);
    k?.();
  });
  on("send-me", (...a) => {
    const k = ack(a);
    socket.send(...a);
    k?.();
  });
  on("emit-reserved", (name, k) => {
    try {
      socket.emit(name, "x");
      k?.({ ok: true });
    } catch (e) {
      k?.({ ok: false, error: e.message });
    }
  });
  on("emit-reserved-ack", (name, k) => {
    socket.emitWithAck(name, "x").then(
      (value) => k(result(null, [value])),
      (err) => k(result(err, [])),
    );
  });
  on("volatile", (event, ...a) => {
    const k = ack(a);
    socket.volatile.emit(event, ...a);
    k?.();
  });
  on("compress", (event, ...a) => {
    const k = ack(a);
    socket.compress(false).emit(event, ...a);
    k?.();
  });
  on("binary", (n, k) => {
    const bytes = Buffer.from([...Array(typeof n === "number" ? n : 4).keys()].map((i) => i % 256));
    socket.emit("bin", bytes, { nested: bytes }); // socket.io 4 has no binary() flag
    k?.(bytes);
  });
  on("bytes-of", (...a) => {
    const k = ack(a);
    k?.(a.map((v) => (Buffer.isBuffer(v) ? v.length : null)));
  });
  on("after", (ms, event, k) => {
    setTimeout(() => socket.connected && socket.emit(event, "after"), ms);
    k?.();
  });

  // Rooms and broadcasts.
  on("rooms", (k) => k(sortedRooms(socket)));
  on("join", (rooms, k) => {
    socket.join(roomsOf(rooms));
    k(sortedRooms(socket));
  });
  on("join-one", (room, k) => {
    socket.join(str(room));
    k(sortedRooms(socket));
  });
  on("join-nocb", (rooms, k) => {
    socket.join(roomsOf(rooms));
    k(sortedRooms(socket));
  });
  on("leave", (room, k) => {
    socket.leave(str(room));
    k(sortedRooms(socket));
  });
  on("room-sockets", async (room, k) => {
    const sockets = await socket.nsp.in(str(room)).fetchSockets();
    k(sockets.map((s) => s.id).sort());
  });
  const withAck = (fn) => (...a) => {
    const k = ack(a);
    fn(...a);
    k?.();
  };
  on("to", withAck((rooms, event, ...a) => roomsOf(rooms).length && socket.to(roomsOf(rooms)).emit(event, ...a)));
  on("in", withAck((rooms, event, ...a) => roomsOf(rooms).length && socket.in(roomsOf(rooms)).emit(event, ...a)));
  on("except", withAck((rooms, event, ...a) => roomsOf(rooms).length && socket.except(roomsOf(rooms)).emit(event, ...a)));
  on("to-except", withAck((to, except, event, ...a) => roomsOf(to).length && socket.to(roomsOf(to)).except(roomsOf(except)).emit(event, ...a)));
  on("broadcast", withAck((event, ...a) => socket.broadcast.emit(event, ...a)));
  on("local", withAck((event, ...a) => socket.local.emit(event, ...a)));
  on("broadcast-volatile", withAck((event, ...a) => socket.broadcast.volatile.emit(event, ...a)));
  on("broadcast-reserved", (name, k) => {
    try {
      socket.broadcast.emit(name, "x");
      k({ ok: true });
    } catch (e) {
      k({ ok: false, error: e.message });
    }
  });
  on("io-emit", withAck((event, ...a) => socket.nsp.emit(event, ...a)));
  on("io-to", withAck((rooms, event, ...a) => roomsOf(rooms).length && socket.nsp.to(roomsOf(rooms)).emit(event, ...a)));
  on("io-in", withAck((room, event, ...a) => socket.nsp.in(str(room)).emit(event, ...a)));
  on("io-except", withAck((rooms, event, ...a) => roomsOf(rooms).length && socket.nsp.except(roomsOf(rooms)).emit(event, ...a)));
  on("io-local", withAck((event, ...a) => socket.nsp.local.emit(event, ...a)));
  on("io-volatile", withAck((event, ...a) => socket.nsp.volatile.emit(event, ...a)));
  on("io-compress", withAck((event, ...a) => socket.nsp.compress(false).emit(event, ...a)));

  // Socket data and queries.
  on("data-set", (value, k) => {
    socket.data = value ?? null;
    k(socket.data);
  });
  on("data-get", (k) => k(socket.data));
  on("fetch-sockets", async (query, k) => {
    const sockets = await targets(socket.nsp, query).fetchSockets();
    k(sockets.sort(byId).map(infoToJson));
  });
  on("remote-emit", async (id, event, ...a) => {
    const k = ack(a);
    const sockets = await socket.nsp.in(str(id)).fetchSockets();
    for (const s of sockets) s.emit(event, ...a);
    k?.(sockets.length);
  });
  on("remote-join", async (id, rooms, k) => {
    const sockets = await socket.nsp.in(str(id)).fetchSockets();
    for (const s of sockets) s.join(roomsOf(rooms));
    k(sockets.length);
  });
  on("remote-leave", async (id, rooms, k) => {
    const sockets = await socket.nsp.in(str(id)).fetchSockets();
    for (const s of sockets) for (const r of roomsOf(rooms)) s.leave(r);
    k(sockets.length);
  });
  on("remote-disconnect", async (id, close, k) => {
    const sockets = await socket.nsp.in(str(id)).fetchSockets();
    k(sockets.length);
    for (const s of sockets) s.disconnect(close === true);
  });
  on("sockets-join", (query, rooms, k) => {
    targets(socket.nsp, query).socketsJoin(roomsOf(rooms));
    k();
  });
  on("sockets-join-fetch", async (query, rooms, k) => {
    targets(socket.nsp, query).socketsJoin(roomsOf(rooms));
    const sockets = await socket.nsp.in(roomsOf(rooms)[0]).fetchSockets();
    k(sockets.map((s) => s.id).sort());
  });
  on("sockets-leave", (query, rooms, k) => {
    targets(socket.nsp, query).socketsLeave(roomsOf(rooms));
    k();
  });
  on("disconnect-sockets", (query, close, k) => {
    k();
    targets(socket.nsp, query).disconnectSockets(close === true);
  });
  // socket.io 4.8 returns true (and its in-memory adapter only warns);
  // cafio returns the number of other nodes reached: 0.
  on("server-side-emit", (...a) => ack(a)?.(0));
  on("server-emit", withAck((event, ...a) => io.emit(event, ...a)));
  on("server-to", withAck((room, event, ...a) => io.to(str(room)).emit(event, ...a)));
  on("create-namespace", (name, k) => {
    io.of(str(name)).on("connection", (s) => onConnection(s, io, dynParent));
    k();
  });
  on("dyn-emit", withAck((event, ...a) => dynParent.emit(event, ...a)));
  on("dyn-to", withAck((room, event, ...a) => dynParent.to(str(room)).emit(event, ...a)));
  on("dyn-fetch", async (k) => {
    // socket.io 4.8 throws for fetchSockets() on a parent namespace; cafio
    // gathers the children's sockets. Emulated with the children here.
    const all = [];
    for (const child of dynParent.children) all.push(...(await child.fetchSockets()));
    k(all.map((s) => ({ id: s.id, nsp: s.nsp.name })).sort(byId));
  });

  // Identity and connection.
  on("whoami", (k) => k({ id: socket.id, nsp: socket.nsp.name, connected: socket.connected }));
  on("handshake", (k) => k(socket.handshake));
  on("request", (k) => {
    const r = socket.request;
    k({
      method: r.method,
      url: r.url,
      headers: r.headers,
      query: { ...r._query },
      address: socket.handshake.address,
      secure: socket.handshake.secure,
      issued: socket.handshake.issued,
    });
  });
  on("conn", (k) =>
    k({
      id: socket.conn.id,
      transport: socket.conn.transport.name,
      protocol: socket.conn.protocol,
      engineId: socket.conn.id,
      socketTransport: socket.conn.transport.name,
    }),
  );

  // Lifecycle.
  on("disconnect-me", (close) => socket.disconnect(close === true));
  on("close-transport", () => socket.conn.close());
  on("last-disconnect", (k) => k(lastDisconnect));
  on("disconnect-info", (id, k) => k(disconnects.get(id) ?? null));

  socket.conn.on("upgrade", (transport) => socket.emit("conn-upgraded", transport.name));
  socket.emit("welcome", { id: socket.id, nsp: socket.nsp.name, transport: socket.conn.transport.name, data: socket.data });
}

const httpServer = createServer();
const io = new Server(httpServer, serverOptions);
io.use((socket, next) => {
  setTimeout(() => {
    const auth = socket.handshake.auth;
    if ("refuse" in auth) return next(Object.assign(new Error("refused"), { data: auth.refuse }));
    socket.data = { middleware: "/" };
    next();
  }, 20);
});
const dyn = io.of(/^\/dyn-[0-9]+$/);
io.on("connection", (s) => onConnection(s, io, dyn));
io.of("/other").on("connection", (s) => onConnection(s, io, dyn));
io.of("/mw-error")
  .use((s, next) => next(Object.assign(new Error("nope"), { data: { code: 42 } })))
  .on("connection", (s) => onConnection(s, io, dyn));
dyn.use((socket, next) => {
  if ("dynDeny" in socket.handshake.auth) return next(new Error("dyn denied"));
  socket.data = { middleware: "dyn" };
  next();
});
dyn.on("connection", (s) => {
  onConnection(s, io, dyn);
  s.emit("dyn-hello", s.nsp.name);
});
io.of((name, auth, next) => next(null, name.startsWith("/pred-") && auth.ok === true)).on("connection", (s) => {
  onConnection(s, io, dyn);
  s.emit("pred-hello", s.nsp.name);
});

httpServer.listen(port, host, () => console.log(`api-server-reference on http://${host}:${port}/socket.io/`));

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    io.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  });
}
