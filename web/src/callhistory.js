// The supervisor's call history: GET /api/calls/history for all their offices or one,
// newest first, with each call's outcome (completed, missed, declined, …) and length.
// Reloaded when shown, on a change of office, and when a call of the board ends.
import { $, api, el, errorText, shortTime, t, tf } from "./common.js";

const LEVELS = { kota: 0, kecamatan: 1, kelurahan: 2 };

export class CallHistory {
  constructor({ board, officeName }) {
    this.board = board;
    this.officeName = officeName;
    this.calls = [];
    this.timer = null;
    $("calls-form").addEventListener("submit", (e) => {
      e.preventDefault();
      this.load();
    });
    $("calls-office").addEventListener("change", () => this.load());
  }

  fillOffices() {
    const select = $("calls-office");
    const keep = select.value;
    select.textContent = "";
    const offices = [...this.board.offices].sort((a, b) => LEVELS[a.level] - LEVELS[b.level] || a.name.localeCompare(b.name));
    select.append(el("option", { value: "", text: t("calls_all_offices") }),
      ...offices.map((o) => el("option", { value: String(o.id), text: o.name })));
    if ([...select.options].some((o) => o.value === keep)) select.value = keep;
  }

  async load() {
    const office = $("calls-office").value;
    const query = new URLSearchParams({ limit: "100" });
    if (office) query.set("office_id", office);
    try {
      const { calls } = await api("GET", `/api/calls/history?${query}`);
      this.calls = calls;
      $("calls-error").textContent = "";
    } catch (err) {
      $("calls-error").textContent = errorText(err);
    }
    this.render();
  }

  /** A call of the board changed: the history is worth asking again once it ended. */
  changed(call) {
    if (call.status !== "ended") return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.load(), 500);
  }

  ticketText(id) {
    const tk = this.board.tickets.get(id);
    return tk ? `${tk.queue} · ${tk.number}` : `#${id}`;
  }

  render() {
    const body = $("calls-list");
    body.textContent = "";
    $("calls-empty").hidden = this.calls.length > 0;
    $("calls-table").hidden = this.calls.length === 0;
    for (const c of this.calls) {
      const outcome = c.status === "ended" ? c.outcome : "live";
      body.append(el("tr", { attrs: { "data-call-id": c.call_id, "data-outcome": outcome || "" } },
        el("td", { text: shortTime(c.created_at) }),
        el("td", {}, el("a", { href: `/tickets/${c.ticket_id}`, text: this.ticketText(c.ticket_id) })),
        el("td", { text: this.officeName(c.office_id) }),
        el("td", { text: c.caller.name }),
        el("td", { text: t(`media_${c.media}`) }),
        el("td", {}, el("span", { class: `outcome out-${outcome}`, text: t(`out_${outcome}`) })),
        el("td", { class: "num", text: c.duration_s ? tf("seconds_n", { n: Math.round(c.duration_s) }) : "—" })));
    }
  }
}
