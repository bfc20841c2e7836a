// The conversation on a ticket page: the timeline (timeline.js) and the outbox
// (outbox.js) wired to the /tickets socket and the composer. Join with resume
// (`after_seq`), gap fill (`missing`), the outbox resent after reconnecting, read
// receipts (sent, and shown on one's own comments), typing, attachments, and the
// correction of one's own comments within 15 minutes (`edit`, `delete`).
//
// All user text goes through textContent (el(..., {text}) / text nodes).
import { $, api, el, emitAck, errorText, newClientId, t, tf } from "./common.js";
import { Outbox } from "./outbox.js";
import { Timeline } from "./timeline.js";

export class Conversation {
  /**
   * `socket`: the /tickets socket; `me`: the user; `onEvent(ev)`: every new event
   * (status changes → the page refreshes its header).
   */
  constructor({ socket, ticketId, me, onEvent }) {
    this.socket = socket;
    this.ticketId = ticketId;
    this.me = me;
    this.onEvent = onEvent || (() => {});
    this.timeline = new Timeline($("timeline"), me, {
      edit: (seq, body) => this.correct("edit", { seq, body }),
      remove: (seq) => this.correct("delete", { seq }),
    });
    this.outbox = new Outbox(ticketId);
    this.files = [];
    this.typingTimers = new Map();
    this.readSent = 0;
    for (const item of this.outbox.all()) this.timeline.showPending(item);
    this.wireSocket();
    this.wireComposer();
    if (socket.connected) this.rejoin();
  }

  wireSocket() {
    const s = this.socket;
    s.on("connect", () => this.rejoin());
    s.on("ticket_event", (ev) => {
      if (ev.ticket_id !== this.ticketId) return;
      this.receive([ev]);
      if (ev.seq > this.timeline.lastSeq + 1 && !this.timeline.events.has(this.timeline.lastSeq + 1)) {
        this.fillGap(ev.seq);
      }
    });
    s.on("typing", (msg) => this.showTyping(msg));
    s.on("read", (r) => {
      if (r.ticket_id === this.ticketId) this.timeline.applyRead(r);
    });
  }

  /** `edit` or `delete` one's own comment; the stored event comes back in the ack. */
  async correct(event, fields) {
    const ack = await emitAck(this.socket, event, { ticket_id: this.ticketId, ...fields });
    this.receive([ack.event]);
  }

  /** New events; `through`: the hub's `through_seq` (seqs up to it not sent are not ours). */
  receive(events, through) {
    const before = this.timeline.lastSeq;
    const fresh = this.timeline.add(events);
    this.timeline.coverThrough(through);
    for (const seq of fresh) {
      const ev = this.timeline.events.get(seq);
      if (ev.kind === "comment" && !this.timeline.isMine(ev)) $("typing").textContent = "";
      this.onEvent(ev);
    }
    if (fresh.length || this.timeline.lastSeq > before) this.markRead();
  }

  /** (Re)join the room: everything after what we hold, then the outbox. */
  async rejoin() {
    try {
      const after = this.timeline.lastSeq;
      let ack;
      try {
        ack = await emitAck(this.socket, "join", { ticket_id: this.ticketId, after_seq: after });
      } catch (err) {
        if (err.code !== "resync_required") throw err;
        await emitAck(this.socket, "join", { ticket_id: this.ticketId });
        const page = await emitAck(this.socket, "history", { ticket_id: this.ticketId, limit: 100 });
        this.timeline.resetTo(page.events, page.through_seq);
        ack = { events: [], last_seq: this.timeline.maxSeq };
      }
      this.receive(ack.events, ack.through_seq);
      for (const read of ack.reads || []) this.timeline.applyRead({ ticket_id: this.ticketId, ...read });
      if (ack.last_seq > this.timeline.lastSeq) await this.fillGap(ack.last_seq + 1);
      this.joined = true;
      await this.flush();
    } catch (err) {
      console.warn("join failed", err);
    }
  }

  /** Ask for what lies between what we hold and `beforeSeq`. */
  async fillGap(beforeSeq) {
    const after = this.timeline.lastSeq;
    if (beforeSeq <= after + 1) return;
    try {
      const ack = await emitAck(this.socket, "missing", { ticket_id: this.ticketId, after_seq: after, before_seq: beforeSeq });
      this.receive(ack.events, ack.through_seq);
    } catch (err) {
      console.warn("gap fill failed", err);
    }
  }

  markRead() {
    const seq = this.timeline.lastSeq;
    if (document.hidden || seq <= this.readSent || !this.socket.connected) return;
    this.readSent = seq;
    emitAck(this.socket, "read", { ticket_id: this.ticketId, seq }).catch(() => {});
  }

  /** Send the outbox; see Outbox.flush. */
  async flush() {
    await this.outbox.flush(this.socket, {
      sent: (item, event) => {
        this.timeline.dropPending(item.client_id);
        this.receive([event]);
      },
      refused: (item, err) => {
        this.timeline.showPending(item, true);
        $("composer-error").textContent = errorText(err);
      },
    });
  }

  wireComposer() {
    const form = $("composer");
    const text = $("composer-text");
    const fileInput = $("composer-file");
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      this.submit();
    });
    text.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.submit();
      }
    });
    let lastTyping = 0;
    text.addEventListener("input", () => {
      const now = Date.now();
      if (now - lastTyping > 3000 && this.socket.connected) {
        lastTyping = now;
        emitAck(this.socket, "typing", { ticket_id: this.ticketId, typing: true }).catch(() => {});
      }
    });
    fileInput.addEventListener("change", () => this.upload([...fileInput.files]).finally(() => {
      fileInput.value = "";
    }));
    document.addEventListener("visibilitychange", () => this.markRead());
  }

  async upload(files) {
    const list = $("composer-files");
    const error = $("composer-error");
    error.textContent = "";
    for (const file of files) {
      const row = el("li", { text: `${file.name} — ${t("uploading")}` });
      list.append(row);
      try {
        const { attachment } = await api("POST", `/api/tickets/${this.ticketId}/attachments?name=${encodeURIComponent(file.name)}`, file);
        this.files.push(attachment);
        row.textContent = "";
        row.append(el("span", { text: attachment.name }), " ",
          el("button", { type: "button", class: "link", text: t("remove"), attrs: { "aria-label": `${t("remove")} ${attachment.name}` },
            on: { click: () => { this.files = this.files.filter((f) => f.id !== attachment.id); row.remove(); } } }));
      } catch (err) {
        row.remove();
        error.textContent = errorText(err);
      }
    }
  }

  submit() {
    const text = $("composer-text");
    const body = text.value.trim();
    if (!body && !this.files.length) return;
    const item = { client_id: newClientId(), body, attachments: this.files.map((f) => f.id), at: new Date().toISOString() };
    this.outbox.push(item);
    this.timeline.showPending(item);
    text.value = "";
    this.files = [];
    $("composer-files").textContent = "";
    $("composer-error").textContent = "";
    this.flush();
  }

  showTyping(msg) {
    if (msg.ticket_id !== this.ticketId) return;
    const who = msg.who || {};
    const mine = this.me.user_id != null ? who.id === this.me.user_id : who.key === `w:${this.me.ticket_id}`;
    if (mine) return;
    const line = $("typing");
    clearTimeout(this.typingTimers.get(who.key));
    if (msg.typing) {
      line.textContent = tf("typing_one", { name: who.name || "" });
      this.typingTimers.set(who.key, setTimeout(() => { line.textContent = ""; }, (msg.expires_in || 6) * 1000));
    } else {
      line.textContent = "";
    }
  }
}
