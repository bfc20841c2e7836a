// Offices: Kota Bogor's structure (fixed, with Kemendagri codes); name, address and the
// week's opening hours are editable.
import { $, api, el, t, tf } from "./common.js";
import { ctx, rowButton } from "./admin_ctx.js";
import { messageOf } from "./accounts_common.js";

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
let editing = null;

function hoursText(hours) {
  const open = DAYS.filter((d) => hours[d]);
  if (!open.length) return t("closed");
  return open.map((d) => `${t(`day_${d}`).slice(0, 3)} ${hours[d].open}–${hours[d].close}`).join(", ");
}

function render() {
  const body = $("offices-body");
  body.textContent = "";
  for (const o of ctx.offices) {
    body.append(el("tr", { class: o.level, attrs: { "data-code": o.code } },
      el("td", { text: o.kemendagri_code || "" }),
      el("td", { text: o.code }),
      el("td", { text: o.name }),
      el("td", { text: o.address || "—" }),
      el("td", { text: hoursText(o.hours) }),
      el("td", {}, rowButton("edit", () => openEditor(o)))));
  }
}

function dayRow(day, span) {
  const closed = el("input", { type: "checkbox", id: `closed-${day}`, checked: !span });
  const opens = el("input", { type: "time", id: `opens-${day}`, value: span ? span.open : "07:30", attrs: { "aria-label": `${t(`day_${day}`)} ${t("opens")}` } });
  const closes = el("input", { type: "time", id: `closes-${day}`, value: span ? span.close : "16:00", attrs: { "aria-label": `${t(`day_${day}`)} ${t("closes")}` } });
  const sync = () => { opens.disabled = closes.disabled = closed.checked; };
  closed.addEventListener("change", sync);
  sync();
  return el("div", { class: "day" },
    el("strong", { text: t(`day_${day}`) }),
    el("label", {}, closed, t("closed")),
    opens, closes);
}

function openEditor(o) {
  editing = o;
  $("office-name").value = o.name;
  $("office-address").value = o.address || "";
  const box = $("office-hours");
  box.textContent = "";
  for (const day of DAYS) box.append(dayRow(day, o.hours[day]));
  $("edit-office-error").textContent = "";
  $("dlg-office").showModal();
  loadLetters(o).catch((err) => { $("edit-office-error").textContent = messageOf(err); });
}

let letters = null; // the office's letter settings as loaded

async function loadLetters(o) {
  letters = null;
  $("office-number-help").textContent = t("number_template_help");
  const { settings } = await api("GET", `/api/admin/offices/${o.id}/letters`);
  letters = settings;
  $("office-number-template").value = settings.number_template;
  $("office-electronic").checked = settings.electronic_delivery;
  $("office-next-number").textContent = tf("next_number", { number: settings.next_number });
}

/** PUT the letter settings if they changed (before the office itself is saved). */
async function saveLetters() {
  if (!letters) return;
  const body = {};
  const template = $("office-number-template").value.trim();
  if (template !== letters.number_template) body.number_template = template;
  if ($("office-electronic").checked !== letters.electronic_delivery) body.electronic_delivery = $("office-electronic").checked;
  if (!Object.keys(body).length) return;
  ({ settings: letters } = await api("PUT", `/api/admin/offices/${editing.id}/letters`, body));
}

async function save(e) {
  e.preventDefault();
  const hours = {};
  for (const day of DAYS) {
    hours[day] = $(`closed-${day}`).checked ? null : { open: $(`opens-${day}`).value, close: $(`closes-${day}`).value };
  }
  const body = { name: $("office-name").value.trim(), address: $("office-address").value.trim(), hours };
  try {
    await saveLetters();
    const { office } = await api("PATCH", `/api/admin/offices/${editing.id}`, body);
    ctx.setOffices(ctx.offices.map((o) => (o.id === office.id ? office : o)));
    $("dlg-office").close();
    ctx.status(tf("office_saved", { office: office.name }));
    render();
  } catch (err) {
    $("edit-office-error").textContent = messageOf(err);
  }
}

export function init() {
  $("form-edit-office").addEventListener("submit", save);
  ctx.onRerender(render);
}

export async function show() {
  render();
}
