// A ticket's one timeline (comments, status changes, dispositions, calls) as a list
// on the page: events held by seq, rendered in order whatever order they arrive in,
// edits and deletions applied to their target, comments still in the outbox shown
// as pending at the end. One's own comments carry a read mark (the other side's read
// position, docs/protocol.md §5) and, for 15 minutes, "Ubah" / "Hapus".
//
// All user text goes through textContent (el(..., {text}) / text nodes).
import { el, shortTime, t, tf } from "./common.js";
import { describeLetterEvent } from "./i18n_letters.js";
import { commentTools, mayCorrect, ReadMarks } from "./comment_tools.js";
import { renderNote } from "./notes.js";

const IMAGE_TYPES = new Set(["image/jpeg", "image/png", "image/webp"]);

export function statusLabel(s) {
  return s ? t(`st_${s}`) : "";
}

export function roleLabel(r) {
  return r ? t(`role_${r}`) : "";
}

/** A desk's label ("Kasi Pelayanan"; the page's dictionary has `withDesk`), else the role's. */
function deskLabel(r) {
  const key = `desk_${r}`;
  return r && t(key) !== key ? t(key) : roleLabel(r);
}

export function mmss(seconds) {
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
      const to = p.to_user ? p.to_user.name : deskLabel(p.to_role);
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
    case "document_checked":
      return tf("ev_document_checked", { name: p.name, state: t(`doc_state_${p.state}`) }) + (p.reason ? ` — ${p.reason}` : "");
    case "document_uploaded":
      return tf("ev_document_uploaded", { name: p.name });
    default:
      return describeLetterEvent(ev, t, tf) || ev.kind;
  }
}

export class Timeline {
  /**
   * `list`: the <ol>; `me`: the signed-in user ({user_id, role, ticket_id});
   * `actions`: `{edit(seq, body), remove(seq)}` (promises) for one's own comments.
   */
  constructor(list, me, actions = null) {
    this.list = list;
    this.me = me;
    this.actions = actions;
    this.reads = new ReadMarks(me);
    this.events = new Map(); // seq -> event
    this.nodes = new Map(); // seq -> <li>
    this.pending = new Map(); // client_id -> <li>
    this.contiguous = 0; // every seq <= this is held
    // "Ubah"/"Hapus" go once a comment is 15 minutes old
    this.expiry = setInterval(() => this.refreshMine(), 30000);
  }

  /** A read position (`read` event or join ack): re-mark one's own comments. */
  applyRead(read) {
    if (this.reads.apply(read)) this.refreshMine();
  }

  /** Re-render one's own comments whose read mark or correction buttons changed. */
  refreshMine() {
    for (const [seq, node] of this.nodes) {
      const ev = this.events.get(seq);
      if (!ev || ev.kind !== "comment" || !this.isMine(ev) || node.querySelector("form, .confirm-delete")) continue;
      const mark = this.reads.mark(ev);
      const tools = Boolean(this.actions) && mayCorrect(ev);
      if (node.dataset.read === String(mark.read) && node.dataset.tools === String(tools)) continue;
      const fresh = this.render(ev);
      node.replaceWith(fresh);
      this.nodes.set(seq, fresh);
    }
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

  /**
   * Add events (any order, duplicates ignored). Returns the seqs that were new.
   * An officer gets some events twice: redacted (ticket room) and whole (office room);
   * the whole one wins, whichever comes first.
   */
  add(events) {
    const fresh = [];
    for (const ev of events) {
      const held = this.events.get(ev.seq);
      if (held) {
        if (held.redacted && !ev.redacted) this.replace(ev);
        continue;
      }
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

  /**
   * The hub said every seq up to `seq` that we may see is in hand (`through_seq`): the
   * others are not for us (internal notes), so they are no gap to ask for.
   */
  coverThrough(seq) {
    if (seq == null || seq <= this.contiguous) return;
    this.contiguous = seq;
    while (this.events.has(this.contiguous + 1)) this.contiguous += 1;
  }

  replace(ev) {
    this.events.set(ev.seq, ev);
    const old = this.nodes.get(ev.seq);
    if (!old) return;
    const node = this.render(ev);
    old.replaceWith(node);
    this.nodes.set(ev.seq, node);
  }

  /** Reset to a page that does not start at seq 1 (resync), covering up to `through`. */
  resetTo(events, through) {
    this.events.clear();
    this.nodes.clear();
    for (const node of [...this.list.children]) if (!node.classList.contains("pending")) node.remove();
    const first = events.length ? events[0].seq - 1 : 0;
    this.contiguous = first;
    this.add(events);
    this.coverThrough(through);
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
    if (ev.kind === "internal_note") return renderNote(ev, time);
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
    const mark = mine && !p.deleted ? this.reads.mark(ev) : null;
    const tools = mine && Boolean(this.actions) && mayCorrect(ev);
    const li = el("li", {
      class: `comment ${mine ? "mine" : "theirs"}`,
      attrs: { "data-seq": String(ev.seq), "data-kind": "comment", "data-read": String(Boolean(mark && mark.read)), "data-tools": String(tools) },
    },
    el("span", { class: "author", text: (ev.actor && ev.actor.name) || "" }),
    body,
    files.length ? el("ul", { class: "files" }, files) : null,
    el("span", { class: "meta" }, time, p.edited && !p.deleted ? el("span", { class: "edited", text: ` ${t("edited")}` }) : "",
      mark ? el("span", { class: `tick${mark.read ? " read" : ""}`, text: ` · ${mark.text}` }) : ""));
    if (tools) li.append(commentTools(li, ev, this.actions));
    return li;
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
