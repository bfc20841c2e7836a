// The supervisor's wall screen: the live queues of the watched office and every
// office under it (docs/protocol-queues.md). A snapshot from `watch`, then deltas
// applied by the documented rules; the numbers are the same pure summary as
// hub/queues/board.py `summarize`, recomputed here at the screen's "now".
import { $, connect, el, emitAck, errorText, initI18n, requireUser, t, tf, wireLogout } from "./common.js";
import { DICT } from "./i18n.js";
import { statusLabel } from "./conversation.js";

const WAITING = new Set(["submitted", "verification", "staff_verification", "awaiting_approval"]);
const OPEN = new Set([...WAITING, "approved"]);
const AT_RISK_MS = 2 * 3600 * 1000;
const CALL_RANK = { ringing: 0, active: 1, ended: 2 };

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
  $("wall-updated").textContent = tf("updated_at", { time: new Date(now).toLocaleTimeString(document.documentElement.lang === "en" ? "en-GB" : "id-ID") });
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
  initI18n(DICT, render);
  const me = await requireUser();
  wireLogout(me);
  const socket = connect("/queues");
  const watch = async () => {
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
