// The supervisor's wall screen: the live queues of the watched office and every
// office under it (docs/protocol-queues.md). A snapshot from `watch`, then deltas
// applied by the documented rules; the numbers are the same pure summary as
// hub/queues/board.py `summarize` (board.js), recomputed here at the screen's "now".
// Below the numbers, the waiting tickets: each row has a button that opens the
// reassign dialog (an officer of the ticket's office or a role desk, and a note),
// sent as `reassign` on /queues; the change comes back as the usual delta — and one
// that opens the transfer dialog (transfer.js). Beside the wall, the other views
// (supervisor_views.js): officers, call history, today's charts, the canned replies.
import { $, api, clockTime, connect, el, emitAck, errorText, initI18n, requireUser, shortTime, t, tf, wireLogout } from "./common.js";
import { DICT } from "./i18n.js";
import { withQueue } from "./i18n_queue.js";
import { withSearch } from "./i18n_search.js";
import { withDesk } from "./i18n_desk.js";
import { fillTargets as fillForwardTargets, forwardError } from "./desk_console.js";
import { CannedAdmin } from "./canned_admin.js";
import { SupervisorViews } from "./supervisor_views.js";
import { Transfer } from "./transfer.js";
import "./supervisor.css";
import { roleLabel, statusLabel } from "./timeline.js";
import {
  applyCall, applyOfficer, applyTicket, byAge, childrenOf, jakartaDay, load, newBoard, summarize, WAITING,
} from "./board.js";


let socket = null;
let watch = async () => {};
/** The ticket the reassign dialog is about, as it was when the dialog opened. */
let target = null;
/** The office's canned replies, kept here (canned_admin.js). */
let canned = null;

const board = newBoard();
let views = null;
let transfer = null;

function minutesSince(iso, now) {
  return Math.max(0, Math.round((now - Date.parse(iso)) / 60000));
}

function tile(label, value, { alert = false, id } = {}) {
  return el("div", { class: `tile${alert ? " alert" : ""}`, attrs: id ? { "data-tile": id } : {} },
    el("span", { class: "num", text: String(value) }), el("span", { class: "lbl", text: label }));
}

function render() {
  if (board.officeId == null) return;
  const now = Date.now();
  const children = childrenOf(board);
  const ids = children.get(board.officeId) || [];
  const shown = ids.length ? ids : [board.officeId];
  const numbers = summarize(board, now, [board.officeId, ...shown]);
  const top = numbers[String(board.officeId)];
  const totals = $("wall-totals");
  totals.textContent = "";
  totals.append(
    tile(t("waiting"), top.waiting, { id: "waiting" }),
    tile(statusLabel("approved"), top.by_status.approved, { id: "ready" }),
    tile(t("done_today"), top.completed_today, { id: "completed" }),
    tile(t("longest_wait"), top.oldest_waiting ? tf("minutes_n", { n: minutesSince(top.oldest_waiting.created_at, now) }) : "—", { id: "oldest" }),
    tile(t("overdue"), top.sla.breached, { alert: top.sla.breached > 0, id: "breached" }),
    tile(t("at_risk"), top.sla.at_risk, { alert: top.sla.at_risk > 0, id: "at-risk" }),
    tile(t("avg_wait_today"), top.wait_today.avg_minutes != null ? tf("minutes_n", { n: top.wait_today.avg_minutes }) : "—", { id: "avg" }),
    tile(t("officers_online"), `${top.officers.online} (${top.officers.in_call} ${t("in_call")})`, { id: "officers" }),
  );
  const offices = $("wall-offices");
  offices.textContent = "";
  for (const id of shown) {
    const office = board.offices.find((o) => o.id === id);
    const s = numbers[String(id)];
    const rows = [
      [t("waiting"), s.waiting],
      ...[...WAITING].map((st) => [statusLabel(st), s.by_status[st]]),
      [statusLabel("approved"), s.by_status.approved],
      [t("longest_wait"), s.oldest_waiting ? tf("minutes_n", { n: minutesSince(s.oldest_waiting.created_at, now) }) : "—"],
      [t("overdue"), s.sla.breached],
      [t("at_risk"), s.sla.at_risk],
      [t("officers_online"), `${s.officers.online} (${s.officers.in_call} ${t("in_call")})`],
      [t("calls_now"), s.calls.ringing + s.calls.active],
      [t("done_today"), s.completed_today],
    ];
    offices.append(el("section", { class: "office", attrs: { "aria-label": office ? office.name : String(id), "data-office-id": String(id) } },
      el("h2", { text: office ? office.name : String(id) }),
      el("dl", {}, rows.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: String(v) })]))));
  }
  renderWaiting(now);
  if (views) views.render(now);
  $("wall-updated").textContent = tf("updated_at", { time: clockTime(new Date(now)) });
}

function officeName(id) {
  const office = board.offices.find((o) => o.id === id);
  return office ? office.name : String(id);
}

function deskText(tk) {
  const officer = tk.assignee_id != null ? board.officers.get(tk.assignee_id) : null;
  if (officer) return officer.name;
  return tk.assigned_role ? roleLabel(tk.assigned_role) : "—";
}

/** The waiting tickets, oldest first, one reassign button per row. */
/** "breached", "at_risk" or "" for a ticket at `now` (on the working-time calendar: protocol §14). */
function slaState(tk, now) {
  if (Date.parse(tk.due_at) <= now) return "breached";
  if (Date.parse(tk.at_risk_at) <= now) return "at_risk";
  return "";
}

function renderWaiting(now) {
  const body = $("waiting-list");
  const active = document.activeElement && body.contains(document.activeElement) ? document.activeElement : null;
  const focused = active && active.dataset.ticketId;
  const focusedTransfer = active && active.dataset.transferId;
  const rows = [...board.tickets.values()].filter((x) => WAITING.has(x.status)).sort(byAge);
  body.textContent = "";
  $("waiting-empty").hidden = rows.length > 0;
  $("waiting-table").hidden = rows.length === 0;
  for (const tk of rows) {
    const button = el("button", {
      type: "button",
      class: "small",
      text: t("reassign"),
      attrs: { "data-ticket-id": String(tk.id), "aria-label": tf("reassign_label", { queue: tk.queue, number: tk.number }) },
      on: { click: () => openReassign(tk.id) },
    });
    const sla = slaState(tk, now);
    const age = tf("minutes_n", { n: minutesSince(tk.created_at, now) });
    const due = sla ? ` · ${t(sla === "breached" ? "overdue" : "at_risk")} (${tf("due_short", { time: shortTime(tk.due_at) })})` : "";
    body.append(el("tr", { class: sla ? `sla-${sla}` : "", attrs: { "data-ticket-id": String(tk.id), "data-status": tk.status, "data-sla": sla } },
      el("td", { class: "q", text: tk.queue }),
      el("td", { text: tk.number }),
      el("td", { text: officeName(tk.office_id) }),
      el("td", { text: tk.service }),
      el("td", { text: statusLabel(tk.status) }),
      el("td", { class: "desk", text: deskText(tk) }),
      el("td", { class: "age", text: age + due }),
      el("td", { class: "acts" }, button, transfer ? transfer.button(tk) : null)));
  }
  if (focused) focusRow(focused);
  else if (focusedTransfer) {
    const again = body.querySelector(`button[data-transfer-id="${Number(focusedTransfer)}"]`);
    if (again) again.focus();
    else $("h-waiting").focus();
  }
}

function focusRow(ticketId) {
  const button = document.querySelector(`#waiting-list button[data-ticket-id="${Number(ticketId)}"]`);
  if (button) button.focus();
  else $("h-waiting").focus();
}

/**
 * Who can take the ticket now (the hub's forward targets: no dead ends), grouped by
 * desk, each officer marked online or not from the board.
 */
async function fillTargets(tk) {
  try {
    const body = await api("GET", `/api/tickets/${tk.id}/forward-targets`);
    if (!target || target.id !== tk.id) return;
    fillForwardTargets($("reassign-to"), body, null, (o) => {
      const known = board.officers.get(o.id);
      return known ? t(known.online ? "online_mark" : "offline_mark") : null;
    });
  } catch (err) {
    $("reassign-error").textContent = errorText(err);
  }
}

function describeTarget(tk) {
  $("reassign-ticket").textContent = `${tk.queue} · ${tk.number} · ${officeName(tk.office_id)} · ${statusLabel(tk.status)}`;
}

function openReassign(id) {
  const tk = board.tickets.get(id);
  if (!tk) return;
  target = { ...tk };
  $("reassign-error").textContent = "";
  $("reassign-note").value = "";
  $("reassign-to").textContent = ""; // the targets of this ticket, as the hub lists them
  describeTarget(target);
  fillTargets(target);
  $("reassign").showModal();
  $("reassign-to").focus();
}

function reassignError(err) {
  for (const code of ["conflict", "invalid_transition"]) {
    if (err && err.code === code) return t(`err_reassign_${code}`);
  }
  return forwardError(err);
}

async function sendReassign() {
  if (!target) return;
  const note = $("reassign-note").value.trim();
  const choice = $("reassign-to").value;
  if (!note || !choice) return;
  const payload = { ticket_id: target.id, version: target.version, note };
  if (choice.startsWith("u:")) payload.to_user_id = Number(choice.slice(2));
  else payload.to_role = choice.slice(2);
  const officer = payload.to_user_id != null ? board.officers.get(payload.to_user_id) : null;
  const toText = officer ? officer.name : roleLabel(payload.to_role);
  const button = $("reassign-send");
  button.disabled = true;
  $("reassign-error").textContent = "";
  try {
    const { ticket } = await emitAck(socket, "reassign", payload);
    $("reassign-done").textContent = tf("reassigned", { queue: target.queue, to: toText || "" });
    applyTicket(board, ticket); // the same item comes as a delta; the version check keeps one
    schedule();
    $("reassign").close();
  } catch (err) {
    $("reassign-error").textContent = reassignError(err);
    if (err.code === "invalid") await fillTargets(target); // who can act may have changed
    if (err.code === "conflict") {
      // someone changed it first: reload the board and show the ticket as it is now
      await watch();
      const fresh = board.tickets.get(target.id);
      if (fresh && WAITING.has(fresh.status)) {
        target = { ...fresh };
        describeTarget(target);
        await fillTargets(target);
      }
    }
  } finally {
    button.disabled = false;
  }
}

function wireReassign() {
  const dialog = $("reassign");
  $("h-waiting").tabIndex = -1;
  $("reassign-form").addEventListener("submit", (e) => {
    e.preventDefault();
    sendReassign();
  });
  $("reassign-cancel").addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => {
    const id = target && target.id;
    target = null;
    if (id != null) focusRow(id);
  });
}

let pending = false;
function schedule() {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => {
    pending = false;
    render();
  });
}

async function main() {
  initI18n(withSearch(withDesk(withQueue(DICT))), () => {
    render();
    if (canned) canned.render();
    if (target) {
      describeTarget(target);
      fillTargets(target);
    }
    if (views) views.rerender();
    if (transfer) transfer.describe();
  });
  const me = await requireUser();
  wireLogout(me);
  wireReassign();
  views = new SupervisorViews({ board, officeName });
  transfer = new Transfer({ board, officeName, reload: () => watch() });
  const services = transfer.loadServices();
  canned = new CannedAdmin();
  canned.load();
  socket = connect("/queues");
  watch = async () => {
    try {
      const { snapshot } = await emitAck(socket, "watch", { office_id: me.office_id });
      load(board, snapshot);
      $("offline-banner").hidden = true;
      await services;
      render();
      if (views.current == null) views.start();
    } catch (err) {
      $("wall-updated").textContent = errorText(err);
    }
  };
  socket.on("connect", watch);
  socket.on("disconnect", () => {
    $("offline-banner").hidden = false;
  });
  socket.on("queue_ticket", (m) => {
    applyTicket(board, m.ticket);
    schedule();
  });
  socket.on("queue_officer", (m) => {
    applyOfficer(board, m.officer);
    schedule();
  });
  socket.on("queue_call", (m) => {
    applyCall(board, m.call);
    views.callChanged(m.call);
    schedule();
  });
  // after a Redis outage the hub re-sends the whole board: deltas may have been lost
  socket.on("queue_snapshot", (m) => {
    load(board, m.snapshot);
    render();
  });
  // time-dependent numbers (ages, SLA) move on their own; a new Jakarta day restarts the sets
  setInterval(() => {
    if (board.day && jakartaDay(new Date().toISOString()) !== board.day) watch();
    else render();
  }, 30000);
  window.hub = { page: "supervisor", board, views };
}

main().catch((err) => {
  console.error(err);
  $("wall-updated").textContent = errorText(err);
});
