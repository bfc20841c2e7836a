// The outbox of one ticket: comments typed but not yet acknowledged, kept in
// localStorage so they survive a reload, and sent oldest first, each with its own
// client_id, so a resend after reconnecting is stored once by the server.
import { emitAck } from "./common.js";

/** Codes after which resending the same comment can never succeed. */
const FINAL = new Set(["invalid", "forbidden", "not_found", "too_large"]);

export class Outbox {
  constructor(ticketId) {
    this.ticketId = ticketId;
    this.key = `outbox:${ticketId}`;
    this.flushing = false;
  }

  all() {
    try {
      return JSON.parse(localStorage.getItem(this.key) || "[]");
    } catch (_) {
      return [];
    }
  }

  save(items) {
    try {
      if (items.length) localStorage.setItem(this.key, JSON.stringify(items));
      else localStorage.removeItem(this.key);
    } catch (_) {
      /* storage full or blocked: the item lives only in memory */
    }
  }

  push(item) {
    this.save([...this.all(), item]);
  }

  remove(clientId) {
    this.save(this.all().filter((i) => i.client_id !== clientId));
  }

  /**
   * Send everything in the outbox over `socket`, oldest first. An acknowledged item
   * leaves the outbox and goes to `sent(item, event)`; one refused for good leaves it
   * and goes to `refused(item, err)`; any other failure (timeout, offline, rate
   * limited) stops here and keeps the rest for the next connect.
   */
  async flush(socket, { sent, refused }) {
    if (this.flushing || !socket.connected) return;
    this.flushing = true;
    try {
      for (const item of this.all()) {
        if (!socket.connected) break;
        try {
          const ack = await emitAck(socket, "send", {
            ticket_id: this.ticketId, client_id: item.client_id, body: item.body, attachments: item.attachments || [],
          });
          this.remove(item.client_id);
          sent(item, ack.event);
        } catch (err) {
          if (FINAL.has(err.code)) {
            this.remove(item.client_id);
            refused(item, err);
          } else {
            break; // timeout / offline / rate limited: keep it, retry on the next connect
          }
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
