// The notification bell: unread counts and the inbox on /notifications, and a
// browser notification for each new one while the page is in the background.
import { $, connect, el, emitAck, shortTime, t, tf } from "./common.js";

export class Bell {
  constructor({ onOpenTicket } = {}) {
    this.button = $("bell");
    this.count = $("bell-count");
    this.panel = $("bell-panel");
    this.list = $("bell-list");
    this.empty = $("bell-empty");
    this.permission = $("notify-permission");
    this.onOpenTicket = onOpenTicket || ((id) => location.assign(`/tickets/${id}`));
    this.items = [];
    this.total = 0;
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
    if ("Notification" in window && Notification.permission === "default") {
      this.permission.hidden = false;
      this.permission.addEventListener("click", async () => {
        await Notification.requestPermission();
        this.permission.hidden = Notification.permission !== "default";
      });
    }
  }

  async sync() {
    try {
      const ack = await emitAck(this.socket, "sync", { limit: 30 });
      this.items = ack.notifications;
      this.setCounts(ack.counts);
      this.render();
    } catch (err) {
      console.warn("notifications sync failed", err);
    }
  }

  setCounts(counts) {
    this.total = counts.total || 0;
    this.count.hidden = this.total === 0;
    this.count.textContent = this.total > 99 ? "99+" : String(this.total);
    this.button.setAttribute("aria-label", `${t("notifications")}: ${tf("unread_n", { n: this.total })}`);
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

  render() {
    this.list.textContent = "";
    this.empty.hidden = this.items.length > 0;
    for (const n of this.items) {
      const button = el("button", { type: "button", class: `note${n.read ? "" : " unread"}`, on: {
        click: () => {
          emitAck(this.socket, "mark_read", { id: n.id }).catch(() => {});
          this.toggle(false);
          this.onOpenTicket(n.ticket_id);
        },
      } },
      el("strong", { text: n.title }), el("span", { text: n.preview }), el("time", { text: shortTime(n.updated_at) }));
      this.list.append(el("li", {}, button));
    }
  }

  rerender() {
    this.setCounts({ total: this.total });
    this.render();
  }
}
