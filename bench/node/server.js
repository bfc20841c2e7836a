// B2: a bare Node.js Socket.IO server relaying to a room (no auth, no database, no Redis).
// Same frames as the hub: `join` enters the ticket's room, `send` relays `ticket_event`, then acks.
"use strict";
const http = require("node:http");
const { Server } = require("socket.io");

const port = Number(process.argv[2] || 9002);
const httpServer = http.createServer((req, res) => { res.writeHead(404); res.end(); });
const io = new Server(httpServer, {
  transports: ["websocket"],
  perMessageDeflate: false,
  pingInterval: 20000,
  pingTimeout: 20000,
  maxHttpBufferSize: 1e6,
});
let seq = 0;
io.of("/tickets").on("connection", (socket) => {
  socket.on("join", (data, ack) => {
    socket.join(`ticket:${data.ticket_id}`);
    if (typeof ack === "function") ack({ ok: true });
  });
  socket.on("send", (data, ack) => {
    seq += 1;
    io.of("/tickets").to(`ticket:${data.ticket_id}`).emit("ticket_event", {
      ticket_id: data.ticket_id, seq, kind: "comment",
      actor: { id: 0, name: "bench", role: "citizen" },
      client_id: data.client_id, payload: { body: data.body },
      created_at: new Date().toISOString(),
    });
    if (typeof ack === "function") ack({ ok: true });
  });
});
httpServer.listen(port, "127.0.0.1", () => process.stdout.write(`b2 on ${port}\n`));
process.on("SIGTERM", () => { io.close(); process.exit(0); });
