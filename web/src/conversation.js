// A ticket's one timeline (comments, status changes, dispositions, calls) and the
// composer: join with resume (`after_seq`), gap fill (`missing`), an outbox kept in
// localStorage and resent with the same client_id after reconnecting.
//
// All user text goes through textContent (el(..., {text}) / text nodes).
import { $, api, el, emitAck, errorText, newClientId, shortTime, t, tf } from "./common.js";

const IMAGE_TYPES = new Set(["image/jpeg", "image/png", "image/webp"]);

function statusLabel(s) {
  return s ? t(`st_${s}`) : "";
}

function roleLabel(r) {
  return r ? t(`role_${r}`) : "";
}

function mmss(seconds) {
  const s = Math.max(0, Math.round(seconds || 0));
  return `${String(Math.floor(s / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
}

/** One line describing a non-comment event (text only). */
export function describeEvent(ev) {
  const p = ev.payload || {};
  switch (ev.kind) {
    case "created":
      return t("ev_created");
    case "status_changed":
      return tf("ev_status", { from: statusLabel(p.from), to: statusLabel(p.to) }) + (p.reason ? ` — ${p.reason}` : "");
    case "disposed": {
      const to = p.to_user ? p.to_user.name : roleLabel(p.to_role);
      return tf("ev_disposed", { to }) + (p.note ? ` — ${p.note}` : "");
    }
    case "transferred":
      return t("ev_transferred") + (p.note ? ` — ${p.note}` : "");
    case "call": {
      const media = t(p.media === "video" ? "video_call" : "voice_call");
      const outcome = t(`out_${p.outcome}`);
      const dur = p.outcome === "completed" ? ` · ${mmss(p.duration_s)}` : "";
      return tf("ev_call", { media, outcome }) + dur;
    }
    default:
      return ev.kind;
  }
}

export class Timeline {
  /** `list`: the <ol>; `me`: the signed-in user ({user_id, role, ticket_id}). */
  constructor(list, me) {
    this.list = list;
    this.me = me;
    this.events = new Map(); // seq -> event
    this.nodes = new Map(); // seq -> <li>
    this.pending = new Map(); // client_id -> <li>
    this.contiguous = 0; // every seq <= this is held
  }

  get lastSeq() {
    return this.contiguous;
  }

  get maxSeq() {
    let max = 0;
    for (const seq of this.events.keys()) max = Math.max(max, seq);
    return max;
  }

  isMine(ev) {
    const a = ev.actor || {};
    if (this.me.user_id != null) return a.id === this.me.user_id;
    return a.id == null && a.role === this.me.role;
  }

  /** Add events (any order, duplicates ignored). Returns the seqs that were new. */
  add(events) {
    const fresh = [];
    for (const ev of events) {
      if (this.events.has(ev.seq)) continue;
      this.events.set(ev.seq, ev);
      fresh.push(ev.seq);
      if (ev.kind === "comment_edited" || ev.kind === "comment_deleted") {
        this.applyEdit(ev);
        continue;
      }
      this.insert(ev);
      if (ev.client_id && this.pending.has(ev.client_id)) {
        this.pending.get(ev.client_id).remove();
        this.pending.delete(ev.client_id);
      }
    }
    while (this.events.has(this.contiguous + 1)) this.contiguous += 1;
    if (fresh.length) this.scroll();
    return fresh;
  }

  /** Reset to a page that does not start at seq 1 (resync). */
  resetTo(events) {
    this.events.clear();
    this.nodes.clear();
    for (const node of [...this.list.children]) if (!node.classList.contains("pending")) node.remove();
    const first = events.length ? events[0].seq - 1 : 0;
    this.contiguous = first;
    this.add(events);
  }

  applyEdit(ev) {
    const target = this.events.get(ev.payload.target_seq);
    if (!target) return;
    target.payload = ev.kind === "comment_deleted"
      ? { body: "", deleted: true }
      : { ...target.payload, body: ev.payload.body, edited: true };
    const old = this.nodes.get(target.seq);
    if (old) {
      const node = this.render(target);
      old.replaceWith(node);
      this.nodes.set(target.seq, node);
    }
  }

  insert(ev) {
    const node = this.render(ev);
    this.nodes.set(ev.seq, node);
    let before = null;
    for (const [seq, other] of this.nodes) {
      if (seq > ev.seq && (!before || seq < Number(before.dataset.seq))) before = other;
    }
    if (!before) before = this.list.querySelector("li.pending");
    this.list.insertBefore(node, before);
  }

  render(ev) {
    const time = el("time", { text: shortTime(ev.created_at), attrs: { datetime: ev.created_at || "" } });
    if (ev.kind !== "comment") {
      return el("li", { class: `event ev-${ev.kind}`, attrs: { "data-seq": String(ev.seq), "data-kind": ev.kind } },
        el("span", { class: "event-text", text: describeEvent(ev) }),
        el("span", { class: "meta" }, ev.actor && ev.actor.name ? `${ev.actor.name} · ` : "", time));
    }
    const p = ev.payload || {};
    const mine = this.isMine(ev);
    const body = p.deleted
      ? el("p", { class: "body deleted", text: t("ev_deleted") })
      : el("p", { class: "body", text: p.body || "" });
    const files = (p.attachments || []).map((a) => attachmentNode(a));
    return el("li", { class: `comment ${mine ? "mine" : "theirs"}`, attrs: { "data-seq": String(ev.seq), "data-kind": "comment" } },
      el("span", { class: "author", text: (ev.actor && ev.actor.name) || "" }),
      body,
      files.length ? el("ul", { class: "files" }, files) : null,
      el("span", { class: "meta" }, time, p.edited ? ` ${t("edited")}` : ""));
  }

  /** Show a comment waiting in the outbox. */
  showPending(item, failed = false) {
    let node = this.pending.get(item.client_id);
    const state = el("span", { class: "meta", text: failed ? t("failed") : t("pending") });
    const fresh = el("li", { class: `comment mine pending${failed ? " failed" : ""}`, attrs: { "data-client-id": item.client_id } },
      el("p", { class: "body", text: item.body }), state);
    if (node) node.replaceWith(fresh);
    else this.list.append(fresh);
    this.pending.set(item.client_id, fresh);
    this.scroll();
  }

  dropPending(clientId) {
    const node = this.pending.get(clientId);
    if (node) node.remove();
    this.pending.delete(clientId);
  }

  scroll() {
    const last = this.list.lastElementChild;
    if (last && last.scrollIntoView) last.scrollIntoView({ block: "nearest" });
  }

  rerender() {
    for (const [seq, node] of this.nodes) {
      const fresh = this.render(this.events.get(seq));
      node.replaceWith(fresh);
      this.nodes.set(seq, fresh);
    }
  }
}

function attachmentNode(a) {
  const link = el("a", { href: a.url, text: a.name, attrs: { target: "_blank", rel: "noopener" } });
  if (IMAGE_TYPES.has(a.type)) {
    return el("li", {}, el("a", { href: a.url, attrs: { target: "_blank", rel: "noopener" } },
      el("img", { src: a.url, alt: a.name, loading: "lazy", class: "thumb" })), link);
  }
  return el("li", {}, link);
}

/** The outbox of one ticket in localStorage: comments typed but not yet acknowledged. */
class Outbox {
  constructor(ticketId) {
    this.key = `outbox:${ticketId}`;
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
}

/** Codes after which resending the same comment can never succeed. */
const FINAL = new Set(["invalid", "forbidden", "not_found", "too_large"]);

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
    this.timeline = new Timeline($("timeline"), me);
    this.outbox = new Outbox(ticketId);
    this.files = [];
    this.flushing = false;
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
  }

  receive(events) {
    const fresh = this.timeline.add(events);
    for (const seq of fresh) {
      const ev = this.timeline.events.get(seq);
      if (ev.kind === "comment" && !this.timeline.isMine(ev)) $("typing").textContent = "";
      this.onEvent(ev);
    }
    if (fresh.length) this.markRead();
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
        this.timeline.resetTo(page.events);
        ack = { events: [], last_seq: this.timeline.maxSeq };
      }
      this.receive(ack.events);
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
      this.receive(ack.events);
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

  /** Send everything in the outbox, oldest first, each with its own client_id. */
  async flush() {
    if (this.flushing || !this.socket.connected) return;
    this.flushing = true;
    try {
      for (const item of this.outbox.all()) {
        if (!this.socket.connected) break;
        try {
          const ack = await emitAck(this.socket, "send", {
            ticket_id: this.ticketId, client_id: item.client_id, body: item.body, attachments: item.attachments || [],
          });
          this.outbox.remove(item.client_id);
          this.timeline.dropPending(item.client_id);
          this.receive([ack.event]);
        } catch (err) {
          if (FINAL.has(err.code)) {
            this.outbox.remove(item.client_id);
            this.timeline.showPending(item, true);
            $("composer-error").textContent = errorText(err);
          } else {
            break; // timeout / offline / rate limited: keep it, retry on the next connect
          }
        }
      }
    } finally {
      this.flushing = false;
    }
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

export { statusLabel, roleLabel, mmss };
