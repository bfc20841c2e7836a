// The officer console: the office queue (filters, live), one ticket at a time with
// its timeline, composer, role actions, disposition, calls; the notification bell.
import { $, api, connect, el, errorText, initI18n, requireUser, shortTime, t, tf, wireLogout } from "./common.js";
import { DICT } from "./i18n.js";
import { withLetters } from "./i18n_letters.js";
import { withDesk } from "./i18n_desk.js";
import { ForwardPanel, holderText } from "./desk_console.js";
import { NoteForm } from "./notes.js";
import { CannedPicker } from "./canned.js";
import { LetterPanel, wireScan } from "./letter_console.js";
import { Conversation } from "./conversation.js";
import { statusLabel } from "./timeline.js";
import { CallClient } from "./calls.js";
import { Bell } from "./bell.js";

const STATUSES = ["submitted", "verification", "staff_verification", "awaiting_approval", "approved", "rejected", "completed"];
const CALLERS = new Set(["front_office", "staff", "approver"]);

let me = null;
let tickets = null; // /tickets socket
let calls = null;
let services = [];
const queue = new Map(); // id -> summary
let current = null; // full ticket view
let conversation = null;

function serviceName(code) {
  const s = services.find((x) => x.code === code);
  if (!s) return code || "";
  return document.documentElement.lang === "en" && s.name_en ? s.name_en : s.name;
}

function filters() {
  return { status: $("f-status").value, channel: $("f-channel").value, service: $("f-service").value };
}

function matches(item) {
  const f = filters();
  const service = typeof item.service === "object" ? item.service.code : item.service;
  return (!f.status || item.status === f.status) && (!f.channel || item.channel === f.channel) && (!f.service || service === f.service);
}

async function loadQueue() {
  const f = filters();
  const q = new URLSearchParams({ limit: "100" });
  if (f.status) q.set("status", f.status);
  if (f.channel) q.set("channel", f.channel);
  if (f.service) q.set("service", f.service);
  const data = await api("GET", `/api/tickets?${q}`);
  queue.clear();
  for (const item of data.tickets) queue.set(item.id, { ...item, service: item.service.code });
  renderQueue();
}

function renderQueue() {
  const list = $("queue-list");
  list.textContent = "";
  const items = [...queue.values()].filter(matches).sort((a, b) => b.id - a.id);
  $("queue-count").textContent = tf("tickets_n", { n: items.length });
  for (const item of items) {
    const selected = current && current.id === item.id;
    const link = el("a", {
      href: `#t=${item.id}`,
      class: `queue-item st-${item.status}${selected ? " selected" : ""}`,
      attrs: selected ? { "aria-current": "true" } : {},
    },
    el("span", { class: "q-label", text: item.queue }),
    el("span", { class: "q-number", text: item.number }),
    el("span", { class: "q-service", text: serviceName(item.service) }),
    el("span", { class: `badge st-${item.status}`, text: statusLabel(item.status) }),
    el("span", { class: "q-time", text: shortTime(item.created_at) }));
    list.append(el("li", { attrs: { "data-ticket-id": String(item.id) } }, link));
  }
}

function info(label, value) {
  return el("div", {}, el("dt", { text: label }), el("dd", { text: value == null ? "—" : String(value) }));
}

function renderTicket() {
  if (!current) return;
  const tk = current;
  $("h-detail").textContent = `${tk.queue} · ${tk.number}`;
  $("ticket-body").hidden = false;
  const dl = $("ticket-info");
  dl.textContent = "";
  dl.append(
    info(t("applicant"), `${tk.applicant_name}${tk.applicant_phone ? ` (${tk.applicant_phone})` : ""}`),
    info(t("service"), document.documentElement.lang === "en" ? tk.service.name_en || tk.service.name : tk.service.name),
    info(t("status"), statusLabel(tk.status)),
    info(t("risk"), t(`risk_${tk.risk}`)),
    info(t("channel"), t(`ch_${tk.channel}`)),
    info(t("assigned"), holderText(tk)),
    info(t("created"), shortTime(tk.created_at)),
    info(t("due"), shortTime(tk.due_at)),
  );
  if (tk.callback_pending) dl.append(info("☎", t("callback_pending")));
  if (tk.reject_reason) dl.append(info(t("reject_reason"), tk.reject_reason));
  const actions = $("actions");
  actions.textContent = "";
  for (const action of tk.actions) {
    actions.append(el("button", {
      type: "button",
      class: action === "reject" ? "danger" : "primary",
      text: t(`act_${action}`),
      attrs: { "data-action": action },
      on: { click: () => act(action) },
    }));
  }
  const open = !["rejected", "completed"].includes(tk.status);
  $("forward").hidden = !open || me.role === "supervisor";
  const mayCall = CALLERS.has(me.role) && open;
  $("call-audio").disabled = !mayCall;
  $("call-video").disabled = !mayCall;
  if (letters) letters.show(tk).catch(() => {});
  if (forwardPanel) forwardPanel.show(tk);
}

async function act(action, reason) {
  $("action-error").textContent = "";
  if (action === "complete") {
    letters.focusPickup(); // the hand-over checks the applicant's code first
    return;
  }
  if (action === "reject" && reason == null) {
    $("reason-form").hidden = false;
    $("reason-text").focus();
    return;
  }
  try {
    const { ticket } = await api("POST", `/api/tickets/${current.id}/transition`, { action, version: current.version, reason: reason || null });
    current = ticket;
    renderTicket();
  } catch (err) {
    $("action-error").textContent = errorText(err);
    if (err.code === "conflict") await refreshCurrent();
  }
}

async function refreshCurrent() {
  if (!current) return;
  const { ticket } = await api("GET", `/api/tickets/${current.id}`);
  current = ticket;
  renderTicket();
}

async function openTicket(id) {
  if (current && current.id === id) return;
  if (current && tickets.connected) tickets.emit("leave", { ticket_id: current.id }, () => {});
  try {
    const { ticket } = await api("GET", `/api/tickets/${id}`);
    current = ticket;
  } catch (err) {
    $("h-detail").textContent = errorText(err);
    $("ticket-body").hidden = true;
    current = null;
    return;
  }
  $("timeline").textContent = "";
  $("typing").textContent = "";
  conversation = new Conversation({
    socket: tickets,
    ticketId: id,
    me,
    onEvent: (ev) => {
      if (["status_changed", "disposed", "call", "transferred", "letter_issued", "letter_revoked", "letter_handed_over"].includes(ev.kind)) refreshCurrent().catch(() => {});
    },
  });
  renderTicket();
  renderQueue();
  $("h-detail").focus();
}

function route() {
  const m = /t=(\d+)/.exec(location.hash);
  if (m) openTicket(Number(m[1]));
}

function wireForms() {
  $("filters").addEventListener("change", () => loadQueue().catch((err) => { $("queue-count").textContent = errorText(err); }));
  $("filters").addEventListener("submit", (e) => e.preventDefault());
  $("reason-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const reason = $("reason-text").value.trim();
    if (!reason) return;
    $("reason-form").hidden = true;
    $("reason-text").value = "";
    act("reject", reason);
  });
  $("reason-cancel").addEventListener("click", () => {
    $("reason-form").hidden = true;
  });
  $("call-audio").addEventListener("click", () => current && calls.invite(current.id, "audio"));
  $("call-video").addEventListener("click", () => current && calls.invite(current.id, "video"));
}

async function main() {
  initI18n(withDesk(withLetters(DICT)), () => {
    fillSelects();
    renderQueue();
    renderTicket();
    if (canned) canned.render();
    if (conversation) conversation.timeline.rerender();
    if (calls) calls.rerender();
    if (bell) bell.rerender();
    if (letters) letters.render();
  });
  me = await requireUser();
  if (me.role === "citizen") {
    location.assign("/");
    return;
  }
  wireLogout(me);
  $("h-detail").tabIndex = -1;
  try {
    services = (await api("GET", "/api/reference")).services;
  } catch (_) {
    services = [];
  }
  fillSelects();
  wireForms();
  letters = new LetterPanel({
    me,
    onTicket: (ticket) => (ticket ? ((current = ticket), renderTicket()) : refreshCurrent().catch(() => {})),
  });
  wireScan(letters);
  forwardPanel = new ForwardPanel({
    me,
    onTicket: (ticket) => ((current = ticket), renderTicket()),
    onConflict: () => refreshCurrent().catch(() => {}),
  });
  new NoteForm({ current: () => (current ? current.id : null), conversation: () => conversation });
  canned = new CannedPicker({ officeId: () => (current ? current.office_id : null) });
  tickets = connect("/tickets");
  tickets.on("connect", () => {
    $("offline-banner").hidden = true;
    loadQueue().catch(() => {});
  });
  tickets.on("disconnect", () => {
    $("offline-banner").hidden = false;
  });
  tickets.on("ticket_updated", (summary) => {
    queue.set(summary.id, summary);
    renderQueue();
    if (current && current.id === summary.id && summary.version !== current.version) refreshCurrent().catch(() => {});
  });
  tickets.on("ticket_removed", ({ id }) => {
    queue.delete(id);
    renderQueue();
  });
  tickets.on("ticket_revoked", ({ ticket_id: id }) => {
    if (current && current.id === id) {
      current = null;
      $("ticket-body").hidden = true;
    }
  });
  calls = new CallClient(connect("/calls"));
  bell = new Bell({ onOpenTicket: (id) => { location.hash = `t=${id}`; } });
  window.addEventListener("hashchange", route);
  route();
  window.hub = { page: "officer", get conversation() { return conversation; }, calls, tickets };
}

let bell = null;
let letters = null;
let forwardPanel = null;
let canned = null;

function fillSelects() {
  const status = $("f-status");
  const keep = status.value;
  status.textContent = "";
  status.append(el("option", { value: "", text: t("all") }), ...STATUSES.map((s) => el("option", { value: s, text: statusLabel(s) })));
  status.value = keep;
  const service = $("f-service");
  const keepService = service.value;
  service.textContent = "";
  service.append(el("option", { value: "", text: t("all") }), ...services.map((s) => el("option", { value: s.code, text: `${s.code} — ${serviceName(s.code)}` })));
  service.value = keepService;
}

main().catch((err) => {
  console.error(err);
  const h = document.getElementById("h-detail");
  if (h) h.textContent = errorText(err);
});
