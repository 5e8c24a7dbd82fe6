#!/usr/bin/env node
// Reference implementation of the bench app (shared/bench-app.md) on npm
// socket.io 4.8: what cafio-node --app bench is compared against by
// tools/bench/run-bench.sh. One process; run it directly with `node` so that
// the started PID is the server (its RSS and CPU time are read from /proc).
//
//   node tools/reference/bench-app.mjs [--host 127.0.0.1] [--port 3000]
//
// --port 0 picks a free port; the line "... listening on HOST:PORT" says which.

import { createServer } from "node:http";
import { parseArgs } from "node:util";
import { Server } from "socket.io";

const { values: options } = parseArgs({
  options: {
    host: { type: "string", default: "127.0.0.1" },
    port: { type: "string", default: "3000" },
    app: { type: "string", default: "bench" }, // accepted for CLI parity with cafio-node
  },
});
if (options.app !== "bench") {
  console.error(`bench-app: unsupported --app ${options.app}`);
  process.exit(2);
}

const httpServer = createServer();
const io = new Server(httpServer, {
  path: "/socket.io/",
  pingInterval: 25000,
  pingTimeout: 20000,
  maxHttpBufferSize: 1e6,
  cors: { origin: "*" },
});

io.on("connection", (socket) => {
  socket.on("join", (room, ack) => {
    socket.join(room);
    if (typeof ack === "function") ack("ok");
  });
  socket.on("io-to", (room, event, payload) => {
    io.to(room).emit(event, payload);
  });
  socket.on("message-with-ack", (...args) => {
    const ack = args.pop();
    if (typeof ack === "function") ack(...args);
  });
});

function shutdown() {
  io.close();
  httpServer.closeAllConnections?.();
  process.exit(0);
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);

httpServer.listen(Number(options.port), options.host, () => {
  const { address, port } = httpServer.address();
  console.log(`bench reference listening on ${address}:${port}`);
});
