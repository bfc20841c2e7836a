// The search box (web/templates/_search.html) of the officer console, the supervisor
// page and the citizen's requests: GET /api/search (docs/protocol.md §15) answers only
// with what the person may see; each result links to its ticket (`hrefOf(id)`: the
// console's `#t=…`, the citizen's `/t/…`). Officers also find their offices' internal
// notes, marked as such.
import { $, api, el, errorText, fullTime, t, tf } from "./common.js";
import { statusLabel } from "./timeline.js";

function serviceName(tk) {
  return document.documentElement.lang === "en" && tk.service_en ? tk.service_en : tk.service;
}

export class SearchBox {
  constructor({ hrefOf }) {
    this.hrefOf = hrefOf;
    this.found = null;
    $("search-form").addEventListener("submit", (e) => {
      e.preventDefault();
      this.run($("search-q").value.trim());
    });
  }

  async run(q) {
    $("search-error").textContent = "";
    if (!q) return;
    try {
      this.found = await api("GET", `/api/search?q=${encodeURIComponent(q)}`);
    } catch (err) {
      this.found = null;
      $("search-error").textContent = errorText(err);
    }
    this.render();
  }

  ticketItem(tk) {
    return el("li", { attrs: { "data-ticket-id": String(tk.id) } },
      el("a", { href: this.hrefOf(tk.id) }, el("strong", { text: `${tk.queue_label} · ${tk.number}` })),
      el("span", { text: ` ${tk.applicant_name} · ${serviceName(tk) || ""} · ` }),
      el("span", { class: "status", attrs: { "data-status": tk.status }, text: statusLabel(tk.status) }));
  }

  commentItem(c) {
    const note = c.kind === "internal_note";
    return el("li", { attrs: { "data-ticket-id": String(c.ticket_id), "data-seq": String(c.seq), "data-kind": c.kind } },
      el("a", { href: this.hrefOf(c.ticket_id) }, el("strong", { text: c.number })),
      note ? el("span", { class: "badge", text: t("search_note") }) : null,
      el("q", { text: c.body }),
      el("span", { class: "muted", text: tf("search_comment_by", { who: c.actor_name, time: fullTime(c.created_at) }) }));
  }

  fill(list, items, make) {
    list.textContent = "";
    if (!items.length) list.append(el("li", { class: "muted", text: t("search_none") }));
    for (const item of items) list.append(make(item));
  }

  /** Draw the last results again (after a language switch too). */
  render() {
    $("search-results").hidden = this.found === null;
    if (this.found === null) return;
    this.fill($("search-tickets"), this.found.tickets, (tk) => this.ticketItem(tk));
    this.fill($("search-comments"), this.found.comments, (c) => this.commentItem(c));
  }
}
