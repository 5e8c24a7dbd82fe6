// cafio-node stops cleanly on SIGTERM and SIGINT: exit code 0 within a
// bounded time, every client told (its connection closes), no hang with
// clients connected over each transport and sockets in rooms.

import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { MODES, closeClients, connect, emitWithAck, once, startServer } from "./harness.mjs";

describe("shutdown", () => {
  after(() => closeClients());

  for (const signal of ["SIGTERM", "SIGINT"]) {
    it(`${signal}: exit code 0, every client disconnected`, async () => {
      const server = await startServer();
      let stopped = false;
      try {
        const clients = [];
        for (const mode of MODES) clients.push(await connect(server.url, { mode }));
        for (const c of clients) await emitWithAck(c, "join", "everyone");
        const gone = clients.map((c) => once(c, "disconnect", 5000));

        const result = await server.stop({ signal });
        stopped = true;
        assert.equal(result.code, 0, `exit code on ${signal}`);
        assert.equal(result.killed, false);
        assert.ok(result.ms < 5000, `stopped in ${result.ms} ms`);
        for (const [reason] of await Promise.all(gone)) assert.equal(reason, "transport close");
      } finally {
        if (!stopped) await server.stop();
      }
    });
  }

  it("a polling client that stopped polling does not delay the exit", async () => {
    const server = await startServer();
    // A handshake whose session then never polls again.
    const res = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`);
    assert.equal(res.status, 200);
    const result = await server.stop();
    assert.equal(result.code, 0);
    assert.ok(result.ms < 3000, `stopped in ${result.ms} ms`);
  });
});
