#!/usr/bin/env node
// Reference implementation of the conformance app (shared/conformance-app.md
// §1 and §3) on npm socket.io 4.8. The integration suite is validated against
// it (CAFIO_SERVER=reference) and it serves side-by-side comparisons with
// cafio-node.
//
//   node tools/reference/conformance-app.mjs [--host 127.0.0.1] [--port 3000]

import { createServer } from "node:http";
import { parseArgs } from "node:util";
import { Server } from "socket.io";

const { values: options } = parseArgs({
  options: {
    host: { type: "string", default: "127.0.0.1" },
    port: { type: "string", default: "3000" },
    app: { type: "string", default: "conformance" }, // accepted for CLI parity with cafio-node
  },
});
if (options.app !== "conformance") {
  console.error(`conformance-app: unsupported --app ${options.app}`);
  process.exit(2);
}

// §1 settings.
const httpServer = createServer();
const io = new Server(httpServer, {
  path: "/socket.io/",
  allowEIO3: true,
  pingInterval: 300,
  pingTimeout: 200,
  maxHttpBufferSize: 1e6,
  connectTimeout: 1000,
  cors: { origin: "*" },
});

const sorted = (iterable) => [...iterable].sort();

// Splits a handler's arguments into (args, ack): the ack is the trailing
// function socket.io appends when the client attached an ack id. A missing ack
// becomes a no-op so handlers "still do their work and send no ACK".
function splitAck(args) {
  if (args.length > 0 && typeof args[args.length - 1] === "function") {
    return [args.slice(0, -1), args[args.length - 1]];
  }
  return [args, () => {}];
}

// Disconnect records (§3.2): the most recent one overall plus one per socket
// id, bounded (a Map iterates in insertion order, so the oldest goes first).
const MAX_RECORDS = 1000;
const records = new Map();
let lastRecord = null;

function storeRecord(record) {
  records.delete(record.id);
  records.set(record.id, record);
  while (records.size > MAX_RECORDS) {
    records.delete(records.keys().next().value);
  }
  lastRecord = record;
}

function registerHandlers(nsp, socket) {
  let roomsWhenDisconnecting = [];
  socket.on("disconnecting", () => {
    roomsWhenDisconnecting = sorted(socket.rooms);
  });
  socket.on("disconnect", (reason) => {
    storeRecord({
      id: socket.id,
      nsp: nsp.name,
      reason,
      rooms: roomsWhenDisconnecting,
      roomsAfter: sorted(socket.rooms),
    });
  });

  socket.on("message", (...raw) => {
    const [args] = splitAck(raw); // never acks
    socket.emit("message-back", ...args);
  });
  socket.on("message-with-ack", (...raw) => {
    const [args, ack] = splitAck(raw);
    ack(...args);
  });
  socket.on("whoami", (...raw) => {
    const [, ack] = splitAck(raw);
    ack({ id: socket.id, nsp: nsp.name });
  });
  socket.on("rooms", (...raw) => {
    const [, ack] = splitAck(raw);
    ack(sorted(socket.rooms));
  });
  socket.on("handshake", (...raw) => {
    const [, ack] = splitAck(raw);
    const h = socket.handshake;
    ack({
      headers: h.headers,
      time: h.time,
      address: h.address,
      xdomain: h.xdomain,
      secure: h.secure,
      issued: h.issued,
      url: h.url,
      query: { ...h.query },
      auth: h.auth,
    });
  });
  socket.on("room-sockets", (...raw) => {
    const [[room], ack] = splitAck(raw);
    ack(sorted(nsp.adapter.rooms.get(room) ?? []));
  });
  socket.on("join", (...raw) => {
    const [[rooms], ack] = splitAck(raw);
    socket.join(rooms); // in-memory adapter: synchronous
    ack(sorted(socket.rooms));
  });
  socket.on("leave", (...raw) => {
    const [[room], ack] = splitAck(raw);
    socket.leave(room);
    ack(sorted(socket.rooms));
  });
  socket.on("to", (...raw) => {
    const [[rooms, event, ...args], ack] = splitAck(raw);
    let op = socket.to(rooms[0]);
    for (const room of rooms.slice(1)) op = op.to(room);
    op.emit(event, ...args);
    ack();
  });
  socket.on("broadcast", (...raw) => {
    const [[event, ...args], ack] = splitAck(raw);
    socket.broadcast.emit(event, ...args);
    ack();
  });
  socket.on("io-to", (...raw) => {
    const [[room, event, ...args], ack] = splitAck(raw);
    nsp.to(room).emit(event, ...args);
    ack();
  });
  socket.on("io-emit", (...raw) => {
    const [[event, ...args], ack] = splitAck(raw);
    nsp.emit(event, ...args);
    ack();
  });
  socket.on("send-me", (...raw) => {
    const [args, ack] = splitAck(raw);
    socket.send(...args);
    ack();
  });
  socket.on("compress", (...raw) => {
    const [[event, ...args], ack] = splitAck(raw);
    socket.compress(false).emit(event, ...args);
    ack();
  });
  socket.on("volatile", (...raw) => {
    const [[event, ...args], ack] = splitAck(raw);
    socket.volatile.emit(event, ...args);
    ack();
  });
  socket.on("server-ack", (...raw) => {
    const [[event, ...args]] = splitAck(raw); // no ack of its own
    socket.emit(event, ...args, (...answer) => {
      socket.emit("server-ack-result", ...answer);
    });
  });
  socket.on("emit-reserved", (...raw) => {
    const [[name], ack] = splitAck(raw);
    try {
      socket.emit(name, "x");
      ack({ ok: true });
    } catch (err) {
      ack({ ok: false, error: err.message });
    }
  });
  socket.on("noop", (...raw) => {
    const [, ack] = splitAck(raw);
    ack();
  });
  socket.on("disconnect-me", (...raw) => {
    const [[close]] = splitAck(raw);
    socket.disconnect(close === true);
  });
  socket.on("close-transport", () => {
    socket.conn.close();
  });
  socket.on("last-disconnect", (...raw) => {
    const [, ack] = splitAck(raw);
    ack(lastRecord);
  });
  socket.on("disconnect-info", (...raw) => {
    const [[id], ack] = splitAck(raw);
    ack(records.get(id) ?? null);
  });

  // §3.1 + §2.8: the only spontaneous packet, written a few milliseconds
  // after the CONNECT answer so that it travels in its own transport write.
  setTimeout(() => {
    if (socket.connected) socket.emit("auth", socket.handshake.auth);
  }, 15);
}

for (const name of ["/", "/custom", "/private"]) {
  const nsp = io.of(name);
  if (name === "/private") {
    // §3.4: namespace middleware.
    nsp.use((socket, next) => {
      const auth = socket.handshake.auth;
      if (auth && auth.token === "secret") next();
      else next(new Error("unauthorized"));
    });
  }
  nsp.on("connection", (socket) => {
    if (name === "/") {
      // §3.3: packet middleware; socket.io 4 does not forward its errors.
      socket.use(([event], next) => {
        if (event === "forbidden") next(new Error("forbidden event"));
        else next();
      });
      socket.on("error", (err) => {
        socket.emit("middleware-error", err?.message);
      });
      socket.on("forbidden", (...raw) => {
        const [, ack] = splitAck(raw);
        socket.emit("forbidden-reached");
        ack("forbidden-reached");
      });
    }
    registerHandlers(nsp, socket);
  });
}

function shutdown() {
  io.close();
  httpServer.closeAllConnections?.();
  process.exit(0);
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);

httpServer.listen(Number(options.port), options.host, () => {
  const { address, port } = httpServer.address();
  console.log(`conformance reference listening on ${address}:${port}`);
});
