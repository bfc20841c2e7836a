// The officer console: the office queue (queue.js: search, filters, unread, live), one
// ticket at a time with its timeline, composer, role actions, disposition, calls; the
// notification bell; new-message alerts while in the background (alerts.js).
import { $, api, connect, el, errorText, initI18n, requireUser, shortTime, t, tf, wireLogout } from "./common.js";
import { DICT } from "./i18n.js";
import { withLetters } from "./i18n_letters.js";
import { withDesk } from "./i18n_desk.js";
import { ForwardPanel, holderText } from "./desk_console.js";
import { NoteForm } from "./notes.js";
import { CannedPicker } from "./canned.js";
import { LetterPanel, wireScan } from "./letter_console.js";
import { withQueue } from "./i18n_queue.js";
import { withSearch } from "./i18n_search.js";
import { SearchBox } from "./search_box.js";
import { OfficerQueue } from "./queue.js";
import { Alerts } from "./alerts.js";
import "./queue.css";
import { Conversation } from "./conversation.js";
import { statusLabel } from "./timeline.js";
import { CallClient } from "./calls.js";
import { Bell } from "./bell.js";
import { withIntake } from "./i18n_intake.js";
import { DocumentsPanel } from "./officer_documents.js";
import { WalkIn } from "./walkin.js";

const CALLERS = new Set(["front_office", "staff", "approver"]);

let me = null;
let tickets = null; // /tickets socket
let calls = null;
let services = [];
let docs = null;
let queue = null; // OfficerQueue
let alerts = null;
let current = null; // full ticket view
let conversation = null;

function serviceName(code) {
  const s = services.find((x) => x.code === code);
  if (!s) return code || "";
  return document.documentElement.lang === "en" && s.name_en ? s.name_en : s.name;
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
  if (docs) docs.render();
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
    docs.show(current).catch(() => {});
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
  docs.show(current).catch(() => {});
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
      else if (ev.kind.startsWith("document_")) docs.show(current).catch(() => {});
    },
  });
  renderTicket();
  docs.show(current).catch(() => {});
  queue.setCurrent(id);
  $("h-detail").focus();
}

/** Who the officer is calling: the applicant and the ticket. */
function callPeer() {
  return tf("peer_applicant", { name: current.applicant_name, number: current.number });
}

function route() {
  const m = /t=(\d+)/.exec(location.hash);
  if (m) openTicket(Number(m[1]));
}

function wireForms() {
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
  $("call-audio").addEventListener("click", () => current && calls.invite(current.id, "audio", callPeer()));
  $("call-video").addEventListener("click", () => current && calls.invite(current.id, "video", callPeer()));
}

async function main() {
  initI18n(withSearch(withDesk(withIntake(withLetters(withQueue(DICT))))), () => {
    if (queue) {
      queue.fillSelects(services);
      queue.render();
      alerts.rerender();
    }
    renderTicket();
    if (canned) canned.render();
    if (conversation) conversation.timeline.rerender();
    if (calls) calls.rerender();
    if (bell) bell.rerender();
    if (letters) letters.render();
    if (search) search.render();
  });
  me = await requireUser();
  if (me.role === "citizen") {
    location.assign("/");
    return;
  }
  wireLogout(me);
  $("h-detail").tabIndex = -1;
  docs = new DocumentsPanel(me);
  let reference = { services: [], offices: [] };
  try {
    reference = await api("GET", "/api/reference");
  } catch (_) {
    /* the console works without it; filters and walk-in intake stay empty */
  }
  services = reference.services;
  new WalkIn(me, reference, (ticket) => {
    location.hash = `t=${ticket.id}`;
  }).wire();
  queue = new OfficerQueue({ me, serviceName });
  alerts = new Alerts();
  queue.fillSelects(services);
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
    queue.load();
  });
  tickets.on("disconnect", () => {
    $("offline-banner").hidden = false;
  });
  tickets.on("ticket_updated", (summary) => {
    queue.refreshSoon();
    if (current && current.id === summary.id && summary.version !== current.version) refreshCurrent().catch(() => {});
  });
  tickets.on("ticket_removed", () => queue.refreshSoon());
  // a message by someone else on the open ticket (others come as notifications)
  tickets.on("ticket_event", (ev) => {
    if (ev.kind !== "comment" || (ev.actor && ev.actor.id === me.user_id)) return;
    alerts.newMessage();
    if (document.hidden) queue.refreshSoon();
  });
  tickets.on("read", (r) => {
    if (r.reader && r.reader.id === me.user_id) queue.markRead(r.ticket_id);
  });
  tickets.on("ticket_revoked", ({ ticket_id: id }) => {
    if (current && current.id === id) {
      current = null;
      $("ticket-body").hidden = true;
    }
  });
  calls = new CallClient(connect("/calls"));
  bell = new Bell({ onOpenTicket: (id) => { location.hash = `t=${id}`; } });
  bell.socket.on("notification", (n) => {
    if (n.kind === "comment") alerts.newMessage();
    queue.refreshSoon();
  });
  // search every ticket of one's offices and their comments: a result opens in the console
  search = new SearchBox({ hrefOf: (id) => `#t=${id}` });
  window.addEventListener("hashchange", route);
  route();
  window.hub = { page: "officer", get conversation() { return conversation; }, calls, tickets, queue, alerts };
}

let bell = null;
let search = null;
let letters = null;
let forwardPanel = null;
let canned = null;

main().catch((err) => {
  console.error(err);
  const h = document.getElementById("h-detail");
  if (h) h.textContent = errorText(err);
});
