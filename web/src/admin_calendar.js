// The working-time calendar of a year: national holidays (read only, from the server's
// `holidays` package) and the cuti bersama days an admin sets (PUT replaces the year's).
import { $, api, el, getLang, t, tf } from "./common.js";
import { ctx, rowButton } from "./admin_ctx.js";

let view = null;

function longDate(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString(getLang() === "id" ? "id-ID" : "en-GB",
    { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
}

function cutiRow(day = { date: "", name: "" }) {
  const tr = el("tr", {});
  const n = $("cuti-body").children.length + 1;
  const date = el("input", { type: "date", value: day.date, required: true,
    attrs: { "aria-label": `${t("date")} ${n}`, min: `${view.year}-01-01`, max: `${view.year}-12-31` } });
  const name = el("input", { value: day.name, required: true,
    attrs: { minlength: "2", maxlength: "120", "aria-label": `${t("cuti_name")} ${n}` } });
  tr.append(el("td", {}, date), el("td", {}, name), el("td", {}, rowButton("remove", () => tr.remove())));
  return tr;
}

function render() {
  if (!view) return;
  const list = $("national-list");
  list.textContent = "";
  for (const h of view.national_holidays) list.append(el("li", { text: `${longDate(h.date)} — ${h.name}` }));
  const body = $("cuti-body");
  body.textContent = "";
  for (const day of view.cuti_bersama) body.append(cutiRow(day));
}

async function load() {
  const year = Number($("calendar-year").value);
  if (!(year >= 2020 && year <= 2100)) return;
  view = await api("GET", `/api/admin/calendar/${year}`);
  render();
}

async function save(e) {
  e.preventDefault();
  const days = [...$("cuti-body").children].map((tr) => {
    const [date, name] = tr.querySelectorAll("input");
    return { date: date.value, name: name.value.trim() };
  });
  view = await api("PUT", `/api/admin/calendar/${view.year}/cuti-bersama`, { days });
  render();
  ctx.status(tf("cuti_saved", { year: String(view.year) }));
}

export function init() {
  $("calendar-year").value = String(new Date().getFullYear());
  $("calendar-year").addEventListener("change", () => load().catch(ctx.fail));
  $("calendar-year-form").addEventListener("submit", (e) => { e.preventDefault(); load().catch(ctx.fail); });
  $("cuti-add").addEventListener("click", () => {
    const tr = cutiRow();
    $("cuti-body").append(tr);
    tr.querySelector("input").focus();
  });
  $("cuti-form").addEventListener("submit", (e) => save(e).catch(ctx.fail));
  ctx.onRerender(render);
}

export async function show() {
  await load();
}
