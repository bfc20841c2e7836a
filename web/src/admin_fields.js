// The form fields of a service in the service editor: code, labels, kind, required,
// options (for a choice). Saved with PUT /api/admin/services/{id}/fields.
import { $, el, t } from "./common.js";
import { rowButton } from "./admin_ctx.js";

const KINDS = ["text", "textarea", "date", "number", "select"];

export function fieldRow(f) {
  const cell = (cls, value, label, attrs = {}) =>
    el("td", {}, el("input", { class: cls, value, attrs: { "aria-label": label, ...attrs } }));
  const kind = el("select", { class: "fld-kind", attrs: { "aria-label": t("field_kind") } },
    ...KINDS.map((k) => el("option", { value: k, text: t(`kind_${k}`) })));
  kind.value = f.kind || "text";
  const required = el("input", { type: "checkbox", class: "fld-required", checked: f.required, attrs: { "aria-label": t("required") } });
  const row = el("tr", { attrs: { "data-code": f.code } },
    cell("fld-code", f.code, t("req_code"), { pattern: "[A-Z0-9_]{2,32}" }),
    cell("fld-label", f.label, t("label_id")),
    cell("fld-label-en", f.label_en, t("label_en")),
    el("td", {}, kind),
    el("td", {}, required),
    cell("fld-options", (f.options || []).join("; "), t("field_options")),
    el("td", {}, rowButton("remove", () => row.remove(), "ghost")));
  return row;
}

export function fillFields(fields) {
  const body = $("service-fields");
  body.textContent = "";
  for (const f of fields || []) body.append(fieldRow(f));
}

export function readFields() {
  return [...$("service-fields").querySelectorAll("tr")].map((row) => {
    const kind = row.querySelector(".fld-kind").value;
    const options = row.querySelector(".fld-options").value.split(";").map((x) => x.trim()).filter(Boolean);
    return {
      code: row.querySelector(".fld-code").value.trim().toUpperCase(),
      label: row.querySelector(".fld-label").value.trim(),
      label_en: row.querySelector(".fld-label-en").value.trim(),
      kind,
      required: row.querySelector(".fld-required").checked,
      options: kind === "select" ? options : [],
    };
  });
}

export function wireFields() {
  $("add-field").addEventListener("click", () => $("service-fields").append(fieldRow({ code: "", label: "", label_en: "", kind: "text", required: true, options: [] })));
}
