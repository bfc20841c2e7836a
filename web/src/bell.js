// The notification bell: unread counts and the inbox on /notifications (every device
// of a person hears `counts` and `read`, so reading on one clears the badge on the
// others), the "Aktifkan notifikasi" button (Web Push on this device, asked only on
// a click), and a browser notification for a new one while the page is hidden.
import { $, connect, el, emitAck, errorText, shortTime, t, tf } from "./common.js";
import { currentSubscription, enablePush, pushSupported, registerWorker } from "./push.js";

/** What a notification is about, in words (unknown kinds show as themselves). */
export function kindLabel(kind) {
  const key = `kind_${kind}`;
  const text = t(key);
  return text === key ? kind : text;
}

export class Bell {
  /**
   * `onOpenTicket(id)`: open a ticket (default: its page); `onCounts(counts)`: every
   * new count (a page may show per-ticket unread marks).
   */
  constructor({ onOpenTicket, onCounts } = {}) {
    this.button = $("bell");
    this.count = $("bell-count");
    this.panel = $("bell-panel");
    this.list = $("bell-list");
    this.empty = $("bell-empty");
    this.permission = $("notify-permission");
    this.onOpenTicket = onOpenTicket || ((id) => location.assign(`/tickets/${id}`));
    this.onCounts = onCounts || (() => {});
    this.items = [];
    this.counts = { total: 0, tickets: [] };
    this.synced = false; // the inbox was read from the hub at least once
    this.socket = connect("/notifications");
    this.socket.on("connect", () => this.sync());
    this.socket.on("counts", (c) => this.setCounts(c));
    this.socket.on("notification", (n) => this.arrived(n));
    this.socket.on("read", () => this.sync());
    this.button.addEventListener("click", () => this.toggle());
    this.panel.addEventListener("keydown", (e) => {
      if (e.key === "Escape") this.toggle(false);
    });
    $("bell-read-all").addEventListener("click", () => this.readAll());
    this.permission.addEventListener("click", () => this.enable());
    registerWorker();
    this.showPermission();
  }

  get total() {
    return this.counts.total || 0;
  }

  /** Offer "Aktifkan notifikasi" where pushes are possible and this device has none yet. */
  async showPermission() {
    if (!pushSupported() || Notification.permission === "denied") {
      this.permission.hidden = true;
      return;
    }
    const sub = await currentSubscription();
    this.permission.hidden = Boolean(sub) && Notification.permission === "granted";
  }

  async enable() {
    const note = $("bell-push-note");
    note.textContent = "";
    try {
      await enablePush();
      note.textContent = t("push_enabled");
    } catch (err) {
      note.textContent = err.code === "push_denied" ? t("push_denied") : errorText(err);
    }
    await this.showPermission();
  }

  async sync() {
    try {
      const ack = await emitAck(this.socket, "sync", { limit: 30 });
      this.items = ack.notifications;
      this.setCounts(ack.counts);
      this.synced = true;
      this.render();
    } catch (err) {
      console.warn("notifications sync failed", err);
    }
  }

  setCounts(counts) {
    this.counts = counts || { total: 0, tickets: [] };
    const total = this.total;
    this.count.hidden = total === 0;
    this.count.textContent = total > 99 ? "99+" : String(total);
    this.button.setAttribute("aria-label", `${t("notifications")}: ${tf("unread_n", { n: total })}`);
    this.onCounts(this.counts);
  }

  /** Unread notifications of one ticket (0 when none). */
  unreadOf(ticketId) {
    const row = (this.counts.tickets || []).find((x) => x.ticket_id === ticketId);
    return row ? row.unread : 0;
  }

  /** Mark a ticket's notifications read (its page is being looked at). */
  async markTicketRead(ticketId) {
    if (!this.unreadOf(ticketId)) return;
    try {
      const ack = await emitAck(this.socket, "mark_read", { ticket_id: ticketId });
      this.setCounts(ack.counts);
    } catch (err) {
      console.warn("mark read failed", err);
    }
  }

  arrived(n) {
    this.items = [n, ...this.items.filter((i) => i.id !== n.id)];
    this.render();
    if (document.hidden && "Notification" in window && Notification.permission === "granted") {
      const note = new Notification(n.title, { body: n.preview, tag: `n-${n.id}` });
      note.onclick = () => {
        window.focus();
        this.onOpenTicket(n.ticket_id);
        note.close();
      };
    }
  }

  toggle(open = this.panel.hidden) {
    this.panel.hidden = !open;
    this.button.setAttribute("aria-expanded", String(open));
    if (open) {
      this.sync();
      $("bell-read-all").focus();
    } else {
      this.button.focus();
    }
  }

  async readAll() {
    try {
      const ack = await emitAck(this.socket, "mark_read", { all: true });
      this.setCounts(ack.counts);
      await this.sync();
    } catch (err) {
      console.warn(err);
    }
  }

  async open(n) {
    // read first (every device hears it), then leave: the page may unload at once
    await emitAck(this.socket, "mark_read", { id: n.id }, 2000).catch(() => {});
    this.toggle(false);
    this.onOpenTicket(n.ticket_id);
  }

  render() {
    this.list.textContent = "";
    this.empty.hidden = this.items.length > 0;
    for (const n of this.items) {
      const button = el("button", {
        type: "button",
        class: `note${n.read ? "" : " unread"}`,
        attrs: { "data-kind": n.kind, "data-ticket-id": String(n.ticket_id) },
        on: { click: () => this.open(n) },
      },
      el("span", { class: "note-kind", text: kindLabel(n.kind) }),
      el("strong", { text: n.title }), el("span", { text: n.preview }),
      el("time", { text: shortTime(n.updated_at), attrs: { datetime: n.updated_at } }));
      this.list.append(el("li", {}, button));
    }
  }

  rerender() {
    this.setCounts(this.counts);
    this.render();
  }
}
