// The supervisor's audit trail view (#audit): one office's hash chain, newest first,
// 25 entries a page (GET /api/audit/trail, docs/protocol.md §15). Entries hold no NIK,
// phone or address; a citizen actor is shown by role only.
import { $, api, el, errorText, fullTime, t } from "./common.js";
import { roleLabel, statusLabel } from "./timeline.js";

const PAGE = 25;

function actionLabel(action) {
  const key = `audit_${action}`;
  const word = t(key);
  return word === key ? action : word;
}

function detail(e) {
  const s = e.summary || {};
  if (e.target_type === "ticket") {
    const parts = [s.ticket];
    if (s.from && s.to) parts.push(`${statusLabel(s.from)} → ${statusLabel(s.to)}`);
    if (s.to_role) parts.push(`→ ${roleLabel(s.to_role)}`);
    return parts.filter(Boolean).join(" · ");
  }
  if (e.target_type === "letter") return [s.ticket, s.letter].filter(Boolean).join(" · ");
  const { before, after } = s;
  const keys = Object.keys(after || s);
  return keys.map((k) => `${k}: ${before && k in before ? `${JSON.stringify(before[k])} → ` : ""}${JSON.stringify((after || s)[k])}`).join("; ");
}

export class AuditTrail {
  constructor() {
    this.officeId = null;
    this.offices = [];
    this.entries = [];
    this.more = false;
    $("audit-office").addEventListener("change", () => {
      this.officeId = Number($("audit-office").value);
      this.load();
    });
    $("audit-more").addEventListener("click", () => this.load(true));
  }

  async load(older = false) {
    $("audit-error").textContent = "";
    const params = new URLSearchParams({ limit: String(PAGE) });
    if (this.officeId != null) params.set("office_id", String(this.officeId));
    const last = this.entries[this.entries.length - 1];
    if (older && last) params.set("before", String(last.seq));
    try {
      const page = await api("GET", `/api/audit/trail?${params}`);
      this.offices = page.offices;
      this.officeId = page.office_id;
      this.entries = older ? [...this.entries, ...page.entries] : page.entries;
      this.more = page.more;
    } catch (err) {
      $("audit-error").textContent = errorText(err);
    }
    this.render();
  }

  fillOffices() {
    const select = $("audit-office");
    select.textContent = "";
    for (const o of this.offices) {
      select.append(el("option", { value: String(o.id), text: `${o.code} — ${o.name}` }));
    }
    if (this.officeId != null) select.value = String(this.officeId);
  }

  row(e) {
    const role = e.actor_role === "admin" ? t("audit_role_admin") : roleLabel(e.actor_role);
    const who = e.actor_role === "cli" ? t("audit_cli") : [role, e.actor_name].filter(Boolean).join(" · ");
    return el("tr", { attrs: { "data-seq": String(e.seq) } },
      el("td", { class: "num", text: String(e.seq) }),
      el("td", { text: fullTime(e.at) }),
      el("td", { text: who }),
      el("td", { text: actionLabel(e.action) }),
      el("td", { text: detail(e) }),
      el("td", {}, el("code", { attrs: { title: e.hash }, text: e.hash.slice(0, 12) })));
  }

  render() {
    this.fillOffices();
    const body = $("audit-list");
    body.textContent = "";
    for (const e of this.entries) body.append(this.row(e));
    $("audit-empty").hidden = this.entries.length > 0;
    $("audit-more").hidden = !this.more;
  }
}
