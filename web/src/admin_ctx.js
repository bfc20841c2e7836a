// What the admin tabs share: the offices, a status line, an error line, re-rendering.
import { $, el, t } from "./common.js";
import { messageOf } from "./accounts_common.js";

const renderers = [];

export const ctx = {
  offices: [],
  byId: new Map(),
  setOffices(list) {
    this.offices = list;
    this.byId = new Map(list.map((o) => [o.id, o]));
  },
  officeName(id) {
    const o = this.byId.get(id);
    return o ? o.name : "—";
  },
  /** `<option>`s of every office, kecamatan and kelurahan indented under their parent. */
  officeOptions(select, { all = false } = {}) {
    const keep = select.value;
    select.textContent = "";
    if (all) select.append(el("option", { value: "", text: t("all_offices") }));
    for (const o of this.offices) {
      const indent = o.level === "kelurahan" ? "    " : o.level === "kecamatan" ? "  " : "";
      select.append(el("option", { value: String(o.id), text: `${indent}${o.name}` }));
    }
    if (keep) select.value = keep;
  },
  status(text) {
    $("admin-error").textContent = "";
    $("admin-status").textContent = text;
  },
  fail(err) {
    $("admin-status").textContent = "";
    $("admin-error").textContent = messageOf(err);
  },
  clear() {
    $("admin-status").textContent = "";
    $("admin-error").textContent = "";
  },
  onRerender(fn) {
    renderers.push(fn);
  },
  rerender() {
    for (const fn of renderers) fn();
  },
};

/** A small button for a table row. */
export function rowButton(key, onClick, extra = "") {
  return el("button", { type: "button", class: `small ${extra}`.trim(), text: t(key), on: { click: onClick } });
}
