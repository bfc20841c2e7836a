// The audit trail, newest first (it holds no personal data: roles, ids, fields).
import { $, api, el, shortTime, t } from "./common.js";

let entries = [];

function row(e) {
  const who = e.actor_role === "cli" ? "CLI" : `${t(`role_${e.actor_role}`)} #${e.actor_id}`;
  return el("tr", {},
    el("td", { text: shortTime(e.at) }),
    el("td", { text: who }),
    el("td", { text: e.action }),
    el("td", { text: e.target_id ? `${e.target_type} #${e.target_id}` : e.target_type }),
    el("td", {}, el("pre", { text: JSON.stringify(e.summary) })));
}

function render() {
  const body = $("audit-body");
  body.textContent = "";
  for (const e of entries) body.append(row(e));
}

async function more() {
  const last = entries[entries.length - 1];
  const { entries: page } = await api("GET", `/api/admin/audit?limit=50${last ? `&before=${last.id}` : ""}`);
  entries.push(...page);
  $("audit-more").hidden = page.length < 50;
  render();
}

export function init() {
  $("audit-more").addEventListener("click", () => more());
}

export async function show() {
  entries = [];
  await more();
}
