// The supervisor's wall screen: the live queues of the watched office and every
// office under it (docs/protocol-queues.md). A snapshot from `watch`, then deltas
// applied by the documented rules; the numbers are the same pure summary as
// hub/queues/board.py `summarize`, recomputed here at the screen's "now".
// Below the numbers, the waiting tickets: each row has a button that opens the
// reassign dialog (an officer of the ticket's office or a role desk, and a note),
// sent as `reassign` on /queues; the change comes back as the usual delta.
import { $, connect, el, emitAck, errorText, initI18n, requireUser, t, tf, wireLogout } from "./common.js";
import { DICT } from "./i18n.js";
import { roleLabel, statusLabel } from "./conversation.js";

const WAITING = new Set(["submitted", "verification", "staff_verification", "awaiting_approval"]);
const OPEN = new Set([...WAITING, "approved"]);
const AT_RISK_MS = 2 * 3600 * 1000;
const CALL_RANK = { ringing: 0, active: 1, ended: 2 };
const DESKS = ["front_office", "staff", "approver"];

let socket = null;
let watch = async () => {};
/** The ticket the reassign dialog is about, as it was when the dialog opened. */
let target = null;

const board = {
  officeId: null,
  day: null,
  offices: [],
  tickets: new Map(),
  officers: new Map(),
  calls: new Map(),
  versions: new Map(), // ticket id -> version seen (kept for removed ones)
  officerV: new Map(),
  callRank: new Map(),
};

/** The Asia/Jakarta (UTC+7, no DST) day of an ISO time. */
function jakartaDay(iso) {
  if (!iso) return null;
  return new Date(Date.parse(iso) + 7 * 3600 * 1000).toISOString().slice(0, 10);
}

function subtree() {
  const children = new Map();
  for (const o of board.offices) {
    if (o.parent_id != null) {
      if (!children.has(o.parent_id)) children.set(o.parent_id, []);
      children.get(o.parent_id).push(o.id);
    }
  }
  const under = (id) => {
    const out = new Set([id]);
    for (const c of children.get(id) || []) for (const x of under(c)) out.add(x);
    return out;
  };
  return { under, children };
}

function inTree(officeId) {
  return board.offices.some((o) => o.id === officeId);
}

function load(snapshot) {
  board.officeId = snapshot.office_id;
  board.day = snapshot.day;
  board.offices = snapshot.offices;
  board.tickets = new Map(snapshot.tickets.map((x) => [x.id, x]));
  board.officers = new Map(snapshot.officers.map((x) => [x.id, x]));
  board.calls = new Map(snapshot.calls.map((x) => [x.id, x]));
  for (const x of snapshot.tickets) board.versions.set(x.id, Math.max(board.versions.get(x.id) || 0, x.version));
  for (const x of snapshot.officers) board.officerV.set(x.id, x.v);
  for (const x of snapshot.calls) board.callRank.set(x.id, CALL_RANK[x.status]);
}

function applyTicket(tk) {
  if (tk.version <= (board.versions.get(tk.id) || 0)) return;
  board.versions.set(tk.id, tk.version);
  const today = jakartaDay(tk.decided_at) === board.day || jakartaDay(tk.closed_at) === board.day;
  if (inTree(tk.office_id) && (OPEN.has(tk.status) || today)) board.tickets.set(tk.id, tk);
  else board.tickets.delete(tk.id);
}

function applyOfficer(o) {
  if (o.v <= (board.officerV.get(o.id) || 0)) return;
  board.officerV.set(o.id, o.v);
  if (inTree(o.office_id)) board.officers.set(o.id, o);
  else board.officers.delete(o.id);
}

function applyCall(c) {
  const rank = CALL_RANK[c.status];
  if (board.callRank.has(c.id) && rank <= board.callRank.get(c.id)) return;
  board.callRank.set(c.id, rank);
  if (c.status === "ended" || !inTree(c.office_id)) board.calls.delete(c.id);
  else board.calls.set(c.id, c);
}

function waitStats(seconds) {
  if (!seconds.length) return { count: 0, avg: null, p90: null };
  const sorted = [...seconds].sort((a, b) => a - b);
  const avg = sorted.reduce((a, b) => a + b, 0) / sorted.length / 60;
  const p90 = sorted[Math.max(0, Math.ceil(0.9 * sorted.length) - 1)] / 60;
  return { count: sorted.length, avg: Math.round(avg * 10) / 10, p90: Math.round(p90 * 10) / 10 };
}

/** The numbers of one office over its subtree (hub/queues/board.py `summarize`). */
function summarize(members, now) {
  const tickets = [...board.tickets.values()].filter((x) => members.has(x.office_id));
  const open = tickets.filter((x) => OPEN.has(x.status));
  const waiting = open.filter((x) => WAITING.has(x.status)).sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.id - b.id));
  const byStatus = {};
  for (const x of open) byStatus[x.status] = (byStatus[x.status] || 0) + 1;
  const waits = tickets.filter((x) => jakartaDay(x.decided_at) === board.day).map((x) => (Date.parse(x.decided_at) - Date.parse(x.created_at)) / 1000);
  const due = open.map((x) => Date.parse(x.due_at));
  const calls = [...board.calls.values()];
  const states = [...board.officers.values()].filter((o) => members.has(o.office_id)).map((o) => {
    if (calls.some((c) => c.caller_id === o.id)) return "in_call";
    return o.online ? "idle" : "offline";
  });
  const mine = calls.filter((c) => members.has(c.office_id));
  return {
    waiting: waiting.length,
    byStatus,
    oldest: waiting[0] || null,
    wait: waitStats(waits),
    breached: due.filter((d) => d <= now).length,
    atRisk: due.filter((d) => now < d && d <= now + AT_RISK_MS).length,
    online: states.filter((s) => s !== "offline").length,
    inCall: states.filter((s) => s === "in_call").length,
    idle: states.filter((s) => s === "idle").length,
    ringing: mine.filter((c) => c.status === "ringing").length,
    active: mine.filter((c) => c.status === "active").length,
    completed: tickets.filter((x) => x.status === "completed" && jakartaDay(x.closed_at) === board.day).length,
  };
}

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
  const { under, children } = subtree();
  const top = summarize(under(board.officeId), now);
  const totals = $("wall-totals");
  totals.textContent = "";
  totals.append(
    tile(t("waiting"), top.waiting, { id: "waiting" }),
    tile(statusLabel("approved"), top.byStatus.approved || 0, { id: "ready" }),
    tile(t("done_today"), top.completed, { id: "completed" }),
    tile(t("longest_wait"), top.oldest ? tf("minutes_n", { n: minutesSince(top.oldest.created_at, now) }) : "—", { id: "oldest" }),
    tile(t("overdue"), top.breached, { alert: top.breached > 0, id: "breached" }),
    tile(t("avg_wait_today"), top.wait.avg != null ? tf("minutes_n", { n: top.wait.avg }) : "—", { id: "avg" }),
    tile(t("officers_online"), `${top.online} (${top.inCall} ${t("in_call")})`, { id: "officers" }),
  );
  const offices = $("wall-offices");
  offices.textContent = "";
  const ids = children.get(board.officeId) || [];
  const shown = ids.length ? ids : [board.officeId];
  for (const id of shown) {
    const office = board.offices.find((o) => o.id === id);
    const s = summarize(under(id), now);
    const rows = [
      [t("waiting"), s.waiting],
      ...[...WAITING].map((st) => [statusLabel(st), s.byStatus[st] || 0]),
      [statusLabel("approved"), s.byStatus.approved || 0],
      [t("longest_wait"), s.oldest ? tf("minutes_n", { n: minutesSince(s.oldest.created_at, now) }) : "—"],
      [t("overdue"), s.breached],
      [t("at_risk"), s.atRisk],
      [t("officers_online"), `${s.online} (${s.inCall} ${t("in_call")})`],
      [t("calls_now"), s.ringing + s.active],
      [t("done_today"), s.completed],
    ];
    offices.append(el("section", { class: "office", attrs: { "aria-label": office ? office.name : String(id), "data-office-id": String(id) } },
      el("h2", { text: office ? office.name : String(id) }),
      el("dl", {}, rows.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: String(v) })]))));
  }
  renderWaiting(now);
  $("wall-updated").textContent = tf("updated_at", { time: new Date(now).toLocaleTimeString(document.documentElement.lang === "en" ? "en-GB" : "id-ID") });
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

function byAge(a, b) {
  if (a.created_at !== b.created_at) return a.created_at < b.created_at ? -1 : 1;
  return a.id - b.id;
}

/** The waiting tickets, oldest first, one reassign button per row. */
function renderWaiting(now) {
  const body = $("waiting-list");
  const focused = document.activeElement && body.contains(document.activeElement)
    ? document.activeElement.dataset.ticketId : null;
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
    body.append(el("tr", { attrs: { "data-ticket-id": String(tk.id), "data-status": tk.status } },
      el("td", { class: "q", text: tk.queue }),
      el("td", { text: tk.number }),
      el("td", { text: officeName(tk.office_id) }),
      el("td", { text: tk.service }),
      el("td", { text: statusLabel(tk.status) }),
      el("td", { class: "desk", text: deskText(tk) }),
      el("td", { text: tf("minutes_n", { n: minutesSince(tk.created_at, now) }) }),
      el("td", {}, button)));
  }
  if (focused) focusRow(focused);
}

function focusRow(ticketId) {
  const button = document.querySelector(`#waiting-list button[data-ticket-id="${Number(ticketId)}"]`);
  if (button) button.focus();
  else $("h-waiting").focus();
}

/** Officers of the ticket's office (from the snapshot) and the three role desks. */
function fillTargets(tk) {
  const select = $("reassign-to");
  const keep = select.value;
  select.textContent = "";
  const officers = [...board.officers.values()]
    .filter((o) => o.office_id === tk.office_id && DESKS.includes(o.role))
    .sort((a, b) => DESKS.indexOf(a.role) - DESKS.indexOf(b.role) || a.name.localeCompare(b.name));
  if (officers.length) {
    select.append(el("optgroup", { label: t("reassign_officers") }, officers.map((o) => el("option", {
      value: `u:${o.id}`,
      text: `${o.name} — ${roleLabel(o.role)} (${t(o.online ? "online_mark" : "offline_mark")})`,
    }))));
  }
  select.append(el("optgroup", { label: t("reassign_desks") },
    DESKS.map((r) => el("option", { value: `r:${r}`, text: tf("desk_of", { role: roleLabel(r) }) }))));
  if ([...select.options].some((o) => o.value === keep)) select.value = keep;
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
  $("reassign-to").value = "";
  describeTarget(target);
  fillTargets(target);
  $("reassign").showModal();
  $("reassign-to").focus();
}

function reassignError(err) {
  for (const code of ["conflict", "invalid_transition"]) {
    if (err && err.code === code) return t(`err_reassign_${code}`);
  }
  return errorText(err);
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
    applyTicket(ticket); // the same item comes as a delta; the version check keeps one
    schedule();
    $("reassign").close();
  } catch (err) {
    $("reassign-error").textContent = reassignError(err);
    if (err.code === "conflict") {
      // someone changed it first: reload the board and show the ticket as it is now
      await watch();
      const fresh = board.tickets.get(target.id);
      if (fresh && WAITING.has(fresh.status)) {
        target = { ...fresh };
        describeTarget(target);
        fillTargets(target);
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
  initI18n(DICT, () => {
    render();
    if (target) {
      describeTarget(target);
      fillTargets(target);
    }
  });
  const me = await requireUser();
  wireLogout(me);
  wireReassign();
  socket = connect("/queues");
  watch = async () => {
    try {
      const { snapshot } = await emitAck(socket, "watch", { office_id: me.office_id });
      load(snapshot);
      $("offline-banner").hidden = true;
      render();
    } catch (err) {
      $("wall-updated").textContent = errorText(err);
    }
  };
  socket.on("connect", watch);
  socket.on("disconnect", () => {
    $("offline-banner").hidden = false;
  });
  socket.on("queue_ticket", (m) => {
    applyTicket(m.ticket);
    schedule();
  });
  socket.on("queue_officer", (m) => {
    applyOfficer(m.officer);
    schedule();
  });
  socket.on("queue_call", (m) => {
    applyCall(m.call);
    schedule();
  });
  // after a Redis outage the hub re-sends the whole board: deltas may have been lost
  socket.on("queue_snapshot", (m) => {
    load(m.snapshot);
    render();
  });
  // time-dependent numbers (ages, SLA) move on their own; a new Jakarta day restarts the sets
  setInterval(() => {
    if (board.day && jakartaDay(new Date().toISOString()) !== board.day) watch();
    else render();
  }, 30000);
  window.hub = { page: "supervisor", board };
}

main().catch((err) => {
  console.error(err);
  $("wall-updated").textContent = errorText(err);
});
