// Notification settings (/preferences), role-aware: the devices that get pushes (with
// unsubscribe; "Aktifkan notifikasi" for this one), push on/off per kind, quiet hours
// (officers), muted requests. Every change is saved at once (PUT replaces the whole
// preferences, docs/protocol.md §7).
import { $, api, el, errorText, fullTime, initI18n, requireUser, t, tf } from "./common.js";
import { DICT } from "./i18n.js";
import { withCitizen } from "./i18n_citizen.js";
import { currentSubscription, enablePush, forgetDevice, listDevices, pushSupported } from "./push.js";
import { startShell } from "./shell.js";

const OFFICERS = new Set(["front_office", "staff", "approver", "supervisor"]);
const KINDS = {
  citizen: ["comment", "status_changed", "missed_call"],
  officer: ["comment", "disposed", "sla_warning", "sla_breached"],
};

let me = null;
let shell = null;
let prefs = { muted_tickets: [], push_opt_out: [], quiet_hours: null };
let devices = null; // not read yet
let here = null; // this browser's subscription endpoint
let tickets = [];
let saves = 0; // successful saves, on #prefs-status (data-saved)

/** A device's name from its push service (the only thing the hub knows of it). */
export function deviceName(endpoint) {
  let host = "";
  try {
    host = new URL(endpoint).hostname;
  } catch (_) {
    return t("dev_other");
  }
  if (host === "fcm.googleapis.com" || host.endsWith(".googleapis.com")) return t("dev_fcm");
  if (host.endsWith("mozilla.com")) return t("dev_mozilla");
  if (host.endsWith("push.apple.com")) return t("dev_apple");
  if (host.endsWith("notify.windows.com")) return t("dev_windows");
  return `${t("dev_other")} (${host})`;
}

function status(text) {
  $("prefs-error").textContent = "";
  $("prefs-status").textContent = text;
}

async function save() {
  try {
    ({ preferences: prefs } = await api("PUT", "/api/notifications/preferences", prefs));
    status(t("saved"));
    saves += 1;
    $("prefs-status").dataset.saved = String(saves);
  } catch (err) {
    $("prefs-status").textContent = "";
    $("prefs-error").textContent = errorText(err);
    render(); // back to what the hub holds
  }
}

function renderDevices() {
  if (devices === null) return; // nothing to say (or offer) before the hub answered
  const state = $("push-state");
  const enable = $("push-enable");
  if (!pushSupported()) {
    state.textContent = t("push_state_unsupported");
    enable.hidden = true;
  } else if (Notification.permission === "denied") {
    state.textContent = t("push_state_denied");
    enable.hidden = true;
  } else {
    const on = Boolean(here) && devices.some((d) => d.endpoint === here);
    state.textContent = t(on ? "push_state_on" : "push_state_off");
    enable.hidden = on;
  }
  const list = $("devices");
  list.textContent = "";
  if (!devices.length) list.append(el("li", { class: "muted", text: t("devices_none") }));
  for (const d of devices) {
    const name = deviceName(d.endpoint);
    const mine = d.endpoint === here;
    const facts = [tf("device_added", { time: fullTime(d.created_at) })];
    if (d.last_success_at) facts.push(tf("device_last", { time: fullTime(d.last_success_at) }));
    list.append(el("li", { class: "device", attrs: { "data-device-id": String(d.id), "data-this-device": String(mine) } },
      el("span", { class: "device-name" }, el("strong", { text: name }), mine ? ` — ${t("this_device")}` : ""),
      el("span", { class: "muted", text: facts.join(", ") }),
      el("button", {
        type: "button", class: "ghost small", text: t("unsubscribe"),
        attrs: { "aria-label": tf("unsubscribe_label", { device: mine ? `${name}, ${t("this_device")}` : name }) },
        on: { click: () => forget(d.endpoint) },
      })));
  }
}

async function loadDevices() {
  const sub = await currentSubscription();
  here = sub ? sub.endpoint : null;
  devices = await listDevices();
  renderDevices();
}

async function forget(endpoint) {
  try {
    await forgetDevice(endpoint);
    status(t("saved"));
  } catch (err) {
    $("push-error").textContent = errorText(err);
  }
  await loadDevices();
  if (shell && shell.bell) shell.bell.showPermission();
}

function renderKinds() {
  const box = $("kinds");
  box.textContent = "";
  const kinds = me.role === "citizen" ? KINDS.citizen : KINDS.officer;
  for (const kind of kinds) {
    const id = `kind-${kind}`;
    const input = el("input", { type: "checkbox", id, checked: !prefs.push_opt_out.includes(kind), attrs: { "data-kind": kind } });
    input.addEventListener("change", () => {
      const off = new Set(prefs.push_opt_out);
      if (input.checked) off.delete(kind);
      else off.add(kind);
      prefs = { ...prefs, push_opt_out: [...off] };
      save();
    });
    box.append(el("label", { class: "check", attrs: { for: id } }, input, " ", t(`pref_${kind}`)));
  }
}

function renderQuiet() {
  $("quiet-card").hidden = !OFFICERS.has(me.role);
  const q = prefs.quiet_hours;
  $("quiet-on").checked = Boolean(q);
  if (q) {
    $("quiet-start").value = q.start;
    $("quiet-end").value = q.end;
  }
}

function renderMuted() {
  const list = $("mute-list");
  list.textContent = "";
  if (!tickets.length) list.append(el("li", { class: "muted", text: t("no_tickets") }));
  for (const tk of tickets) {
    const id = `mute-${tk.id}`;
    const input = el("input", { type: "checkbox", id, checked: prefs.muted_tickets.includes(tk.id), attrs: { "data-ticket-id": String(tk.id) } });
    input.addEventListener("change", () => {
      const muted = new Set(prefs.muted_tickets);
      if (input.checked) muted.add(tk.id);
      else muted.delete(tk.id);
      prefs = { ...prefs, muted_tickets: [...muted] };
      save();
    });
    const service = document.documentElement.lang === "en" && tk.service.name_en ? tk.service.name_en : tk.service.name;
    list.append(el("li", {}, el("label", { class: "check", attrs: { for: id } }, input,
      el("span", {}, el("strong", { text: tk.number }), ` — ${service}`))));
  }
}

function render() {
  renderKinds();
  renderQuiet();
  renderMuted();
  renderDevices();
}

async function loadTickets() {
  const { tickets: list } = await api("GET", "/api/tickets?limit=50");
  const shown = new Set(list.map((tk) => tk.id));
  const extra = [];
  for (const id of prefs.muted_tickets.filter((x) => !shown.has(x))) {
    try {
      extra.push((await api("GET", `/api/tickets/${id}`)).ticket);
    } catch (_) {
      /* no longer visible: it stays muted, unlisted */
    }
  }
  tickets = [...list, ...extra];
}

async function main() {
  initI18n(withCitizen(DICT), () => {
    if (me) render();
    if (shell) shell.rerender();
  });
  me = await requireUser();
  shell = startShell(me);
  $("push-enable").addEventListener("click", async () => {
    $("push-error").textContent = "";
    try {
      await enablePush();
      status(t("push_enabled"));
    } catch (err) {
      $("push-error").textContent = err.code === "push_denied" ? t("push_denied") : errorText(err);
    }
    await loadDevices();
    if (shell.bell) shell.bell.showPermission();
  });
  $("form-quiet").addEventListener("submit", (e) => {
    e.preventDefault();
    const on = $("quiet-on").checked;
    prefs = { ...prefs, quiet_hours: on ? { start: $("quiet-start").value, end: $("quiet-end").value } : null };
    save();
  });
  ({ preferences: prefs } = await api("GET", "/api/notifications/preferences"));
  await loadTickets();
  render();
  await loadDevices();
  window.hub = { page: "preferences", get shell() { return shell; } };
}

main().catch((err) => {
  console.error(err);
  const error = document.getElementById("prefs-error");
  if (error) error.textContent = errorText(err);
});
