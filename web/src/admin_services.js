// Services: the 16 letters — names, risk, office level, service standard, SLA and the
// documents each requires (one row per document; a kept code keeps its id).
import { $, api, el, getLang, t, tf } from "./common.js";
import { ctx, rowButton } from "./admin_ctx.js";
import { messageOf } from "./accounts_common.js";
import { fillFields, readFields, wireFields } from "./admin_fields.js";

const KINDS = ["image", "pdf"];

let services = [];
let editing = null;

function options(select, values, prefix) {
  select.textContent = "";
  for (const v of values) select.append(el("option", { value: v, text: t(`${prefix}${v}`) }));
}

function render() {
  const body = $("services-body");
  body.textContent = "";
  for (const s of services) {
    const name = getLang() === "en" ? s.name_en : s.name;
    const docs = s.requirements.map((r) => (getLang() === "en" ? r.name_en : r.name) + (r.required ? "" : ` (${t("optional")})`));
    body.append(el("tr", { attrs: { "data-code": s.code } },
      el("td", { text: s.code }),
      el("td", { text: name }),
      el("td", { text: t(`risk_${s.risk}`) }),
      el("td", { text: t(`level_${s.office_level}`) }),
      el("td", { text: `${s.standard.value} ${t(`unit_${s.standard.unit}`)}` }),
      el("td", { text: docs.join("; ") }),
      el("td", {}, rowButton("edit", () => openEditor(s)))));
  }
}

function reqRow(r) {
  const cell = (cls, value, label, attrs = {}) =>
    el("td", {}, el("input", { class: cls, value, attrs: { "aria-label": label, ...attrs } }));
  const required = el("input", { type: "checkbox", class: "req-required", checked: r.required, attrs: { "aria-label": t("required") } });
  const accepts = r.accepts || KINDS;
  const kinds = KINDS.map((k) => el("label", {},
    el("input", { type: "checkbox", class: "req-accepts", value: k, checked: accepts.includes(k) }), ` ${t(`accepts_${k}`)}`));
  const row = el("tr", {},
    cell("req-code", r.code, t("req_code"), { pattern: "[A-Z0-9_]{2,32}" }),
    cell("req-name", r.name, t("name_id")),
    cell("req-name-en", r.name_en, t("name_en")),
    el("td", {}, required),
    el("td", {}, ...kinds),
    el("td", {}, rowButton("remove", () => row.remove(), "ghost")));
  return row;
}

function openEditor(s) {
  editing = s;
  $("service-name").value = s.name;
  $("service-name-en").value = s.name_en;
  options($("service-risk"), ["low", "high"], "risk_");
  $("service-risk").value = s.risk;
  options($("service-level"), ["kelurahan", "kecamatan", "kota"], "level_");
  $("service-level").value = s.office_level;
  $("service-standard").value = String(s.standard.value);
  options($("service-unit"), ["working_days", "working_hours"], "unit_");
  $("service-unit").value = s.standard.unit;
  $("service-sla").value = String(s.sla_hours);
  const reqs = $("service-reqs");
  reqs.textContent = "";
  for (const r of s.requirements) reqs.append(reqRow(r));
  fillFields(s.fields);
  $("edit-service-error").textContent = "";
  $("dlg-service").showModal();
}

async function save(e) {
  e.preventDefault();
  const patch = {
    name: $("service-name").value.trim(),
    name_en: $("service-name-en").value.trim(),
    risk: $("service-risk").value,
    office_level: $("service-level").value,
    standard_value: Number($("service-standard").value),
    standard_unit: $("service-unit").value,
    sla_hours: Number($("service-sla").value),
  };
  const requirements = [...$("service-reqs").querySelectorAll("tr")].map((row) => ({
    code: row.querySelector(".req-code").value.trim().toUpperCase(),
    name: row.querySelector(".req-name").value.trim(),
    name_en: row.querySelector(".req-name-en").value.trim(),
    required: row.querySelector(".req-required").checked,
    accepts: [...row.querySelectorAll(".req-accepts:checked")].map((x) => x.value),
  }));
  try {
    await api("PATCH", `/api/admin/services/${editing.id}`, patch);
    await api("PUT", `/api/admin/services/${editing.id}/requirements`, { requirements });
    await api("PUT", `/api/admin/services/${editing.id}/fields`, { fields: readFields() });
    $("dlg-service").close();
    ctx.status(tf("service_saved", { service: editing.code }));
    await show();
  } catch (err) {
    $("edit-service-error").textContent = messageOf(err);
  }
}

export function init() {
  $("form-edit-service").addEventListener("submit", save);
  $("add-req").addEventListener("click", () => $("service-reqs").append(reqRow({ code: "", name: "", name_en: "", required: true })));
  wireFields();
  ctx.onRerender(render);
}

export async function show() {
  ({ services } = await api("GET", "/api/admin/services"));
  render();
}
