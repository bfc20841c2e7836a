// The officer's queue (held against Chatwoot's inbox): GET /api/officer/queue searched
// (ticket number, queue number, applicant name), narrowed (all / mine / my desk, open /
// closed, status, channel, service) and ordered (oldest waiting first by default, or by
// the SLA deadline), each ticket with this officer's unread count. The server does the
// searching, ordering and counting; the page asks again when something changes
// (`refreshSoon`), and re-renders the ages every minute.
import { $, api, el, errorText, shortTime, t, tf } from "./common.js";
import { statusLabel } from "./timeline.js";

const STATUSES = ["submitted", "verification", "documents_incomplete", "staff_verification", "awaiting_approval", "approved", "rejected", "completed"];
const CLOSED = new Set(["rejected", "completed"]);
const DESK_ROLES = new Set(["front_office", "staff", "approver"]);

/** "12 mnt", "2 j 5 mnt", "3 hari" for a span of `ms`. */
export function duration(ms) {
  const minutes = Math.max(0, Math.floor(ms / 60000));
  if (minutes < 60) return tf("dur_min", { m: minutes });
  if (minutes < 24 * 60) return tf("dur_hm", { h: Math.floor(minutes / 60), m: minutes % 60 });
  return tf("dur_days", { d: Math.floor(minutes / (24 * 60)) });
}

export class OfficerQueue {
  /** `serviceName(code)`: the service's name in the page's language. */
  constructor({ me, serviceName }) {
    this.me = me;
    this.serviceName = serviceName;
    this.items = [];
    this.more = false;
    this.current = null;
    this.timer = null;
    this.loading = null;
    this.again = false;
    $("scope-desk").hidden = !DESK_ROLES.has(me.role);
    const form = $("filters");
    form.addEventListener("submit", (e) => e.preventDefault());
    form.addEventListener("change", (e) => {
      if (e.target.id !== "f-q") this.refreshSoon(0);
    });
    $("f-q").addEventListener("input", () => this.refreshSoon(300));
    setInterval(() => this.render(), 60000);
  }

  params() {
    const q = new URLSearchParams({ limit: "100" });
    const text = $("f-q").value.trim();
    if (text) q.set("q", text.slice(0, 64));
    q.set("scope", new FormData($("filters")).get("scope") || "all");
    q.set("state", $("f-state").value);
    q.set("sort", $("f-sort").value);
    for (const [id, key] of [["f-status", "status"], ["f-channel", "channel"], ["f-service", "service"]]) {
      if ($(id).value) q.set(key, $(id).value);
    }
    return q;
  }

  /** Ask the server again; one request at a time, the last change always asked. */
  async load() {
    if (this.loading) {
      this.again = true;
      return this.loading;
    }
    this.loading = (async () => {
      try {
        const data = await api("GET", `/api/officer/queue?${this.params()}`);
        this.items = data.tickets;
        this.more = data.more;
        this.render();
      } catch (err) {
        $("queue-count").textContent = errorText(err);
      }
    })();
    await this.loading;
    this.loading = null;
    if (this.again) {
      this.again = false;
      await this.load();
    }
  }

  refreshSoon(delay = 250) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.load(), delay);
  }

  setCurrent(id) {
    this.current = id;
    this.markRead(id);
  }

  /** This officer read the ticket to its end (their `read` came back): no badge. */
  markRead(id) {
    const item = this.items.find((x) => x.id === id);
    if (item) item.unread = 0;
    this.render();
  }

  fillSelects(services) {
    const status = $("f-status");
    const keep = status.value;
    status.textContent = "";
    status.append(el("option", { value: "", text: t("all") }), ...STATUSES.map((s) => el("option", { value: s, text: statusLabel(s) })));
    status.value = keep;
    const service = $("f-service");
    const keepService = service.value;
    service.textContent = "";
    service.append(el("option", { value: "", text: t("all") }),
      ...services.map((s) => el("option", { value: s.code, text: `${s.code} — ${this.serviceName(s.code)}` })));
    service.value = keepService;
  }

  /** The age or deadline line of a ticket, and whether it is overdue. */
  clock(item, now) {
    if (CLOSED.has(item.status)) return { text: shortTime(item.updated_at), cls: "" };
    const due = Date.parse(item.due_at);
    if (due <= now) return { text: t("overdue_badge"), cls: " overdue" };
    const wait = tf("waiting_for", { t: duration(now - Date.parse(item.created_at)) });
    if (Date.parse(item.at_risk_at) <= now) return { text: `${wait} · ${tf("due_short", { time: shortTime(item.due_at) })}`, cls: " at-risk" };
    return { text: wait, cls: "" };
  }

  render() {
    const list = $("queue-list");
    const focused = document.activeElement && list.contains(document.activeElement)
      ? document.activeElement.closest("li").dataset.ticketId : null;
    const now = Date.now();
    list.textContent = "";
    $("queue-count").textContent = tf("tickets_n", { n: this.items.length });
    $("queue-more").hidden = !this.more;
    $("queue-more").textContent = tf("queue_more", { n: this.items.length });
    $("queue-empty").hidden = this.items.length > 0;
    for (const item of this.items) {
      const selected = this.current === item.id;
      const clock = this.clock(item, now);
      const link = el("a", {
        href: `#t=${item.id}`,
        class: `queue-item st-${item.status}${selected ? " selected" : ""}${item.unread ? " has-unread" : ""}`,
        attrs: selected ? { "aria-current": "true" } : {},
      },
      el("span", { class: "q-label", text: item.queue }),
      el("span", { class: "q-main" },
        el("span", { class: "q-name", text: item.applicant_name }),
        el("span", { class: "q-service", text: this.serviceName(item.service.code) }),
        el("span", { class: "q-number", text: item.number }),
        el("span", { class: "q-meta" },
          el("span", { class: `badge st-${item.status}`, text: statusLabel(item.status) }),
          el("span", { class: `q-time${clock.cls}`, text: clock.text }))),
      item.unread ? el("span", { class: "q-unread" },
        el("span", { attrs: { "aria-hidden": "true" }, text: item.unread > 99 ? "99+" : String(item.unread) }),
        el("span", { class: "sr", text: tf("unread_badge", { n: item.unread }) })) : null);
      list.append(el("li", { attrs: { "data-ticket-id": String(item.id), "data-unread": String(item.unread) } }, link));
    }
    if (focused) {
      const again = list.querySelector(`li[data-ticket-id="${Number(focused)}"] a`);
      if (again) again.focus();
    }
  }
}
