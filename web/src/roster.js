// The supervisor's officer roster: every officer of the wall's board with their state
// (in a call, online and idle, offline — the same rule as the wall's numbers, board.js)
// and their open tickets, live from the board; and, per officer, whether today's
// notifications reached them (GET /api/notifications/delivery/summary), with the full
// record in a dialog (GET /api/notifications/delivery?user_id=).
import { $, api, el, errorText, shortTime, t, tf } from "./common.js";
import { roleLabel, statusLabel } from "./timeline.js";
import { byAge, OPEN } from "./board.js";

const STATE_ORDER = { in_call: 0, idle: 1, offline: 2 };

/** "in_call" | "idle" | "offline", as board.js counts them. */
export function officerState(board, officer) {
  if ([...board.calls.values()].some((c) => c.caller_id === officer.id)) return "in_call";
  return officer.online ? "idle" : "offline";
}

/** Did the latest update of a notification reach its officer (docs/protocol.md §7)? */
export function reached(n) {
  const at = Date.parse(n.updated_at);
  const since = (iso) => Boolean(iso) && Date.parse(iso) >= at;
  return Boolean(n.read_at) || since(n.delivered_live_at) || since(n.pushed_at);
}

export class Roster {
  constructor({ board, officeName }) {
    this.board = board;
    this.officeName = officeName;
    this.summary = new Map();
    this.shown = null; // the officer whose record is open
    $("delivery-close").addEventListener("click", () => $("delivery").close());
    $("delivery").addEventListener("close", () => {
      const id = this.shown && this.shown.id;
      this.shown = null;
      const button = id != null && document.querySelector(`#roster-list button[data-officer-id="${Number(id)}"]`);
      if (button) button.focus();
    });
  }

  async loadSummary() {
    try {
      const { officers } = await api("GET", "/api/notifications/delivery/summary");
      this.summary = new Map(officers.map((o) => [o.user_id, o]));
      $("roster-error").textContent = "";
    } catch (err) {
      $("roster-error").textContent = errorText(err);
    }
    this.render();
  }

  officers() {
    const board = this.board;
    return [...board.officers.values()].map((o) => ({ ...o, state: officerState(board, o) })).sort((a, b) =>
      this.officeName(a.office_id).localeCompare(this.officeName(b.office_id))
      || STATE_ORDER[a.state] - STATE_ORDER[b.state] || a.name.localeCompare(b.name));
  }

  render() {
    const body = $("roster-list");
    const rows = this.officers();
    body.textContent = "";
    $("roster-empty").hidden = rows.length > 0;
    $("roster-table").hidden = rows.length === 0;
    const open = [...this.board.tickets.values()].filter((x) => OPEN.has(x.status)).sort(byAge);
    for (const o of rows) {
      const mine = open.filter((x) => x.assignee_id === o.id);
      const summary = this.summary.get(o.id);
      body.append(el("tr", { attrs: { "data-officer-id": String(o.id), "data-state": o.state } },
        el("th", { attrs: { scope: "row" }, text: o.name }),
        el("td", { text: roleLabel(o.role) }),
        el("td", { text: this.officeName(o.office_id) }),
        el("td", {}, el("span", { class: `state state-${o.state}`, text: t(`state_${o.state}`) })),
        el("td", {}, mine.length
          ? el("ul", { class: "chips" }, mine.map((x) => el("li", { attrs: { "data-ticket-id": String(x.id) } },
            el("strong", { text: x.queue }), ` ${statusLabel(x.status)}`)))
          : el("span", { class: "muted", text: t("none_open") })),
        el("td", { class: "told" },
          summary ? el("span", { class: summary.not_reached ? "warn" : "muted",
            text: summary.not_reached ? tf("delivery_missed", { n: summary.not_reached, total: summary.notifications })
              : tf("delivery_today", { n: summary.notifications }) }) : null,
          el("button", {
            type: "button", class: "small ghost", text: t("delivery"),
            attrs: { "data-officer-id": String(o.id), "aria-label": tf("delivery_label", { name: o.name }) },
            on: { click: () => this.openDelivery(o) },
          }))));
    }
  }

  async openDelivery(officer) {
    this.shown = officer;
    $("delivery-who").textContent = tf("delivery_for", { name: officer.name, office: this.officeName(officer.office_id) });
    $("delivery-error").textContent = "";
    $("delivery-list").textContent = "";
    $("delivery-empty").hidden = true;
    $("delivery").showModal();
    $("delivery-close").focus();
    try {
      const { notifications } = await api("GET", `/api/notifications/delivery?user_id=${officer.id}&limit=50`);
      this.fillDelivery(notifications);
    } catch (err) {
      $("delivery-error").textContent = errorText(err);
    }
  }

  fillDelivery(rows) {
    const body = $("delivery-list");
    body.textContent = "";
    $("delivery-empty").hidden = rows.length > 0;
    $("delivery-table").hidden = rows.length === 0;
    const when = (iso) => (iso ? shortTime(iso) : t("not_yet"));
    for (const n of rows) {
      const ok = reached(n);
      body.append(el("tr", { attrs: { "data-notification-id": String(n.id), "data-reached": String(ok) } },
        el("td", { text: t(`kind_${n.kind}`) + (n.count > 1 ? ` ×${n.count}` : "") }),
        el("td", { class: "num", text: n.ticket_number }),
        el("td", { text: shortTime(n.updated_at) }),
        el("td", { text: when(n.delivered_live_at) }),
        el("td", { text: when(n.pushed_at) }),
        el("td", { text: when(n.read_at) }),
        el("td", {}, el("span", { class: ok ? "ok" : "warn", text: t(ok ? "told_yes" : "told_no") }))));
    }
  }
}
