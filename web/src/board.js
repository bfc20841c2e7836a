// The supervisor wall's model, pure (no DOM, no imports): the entities of a subtree,
// how a delta changes them, and the numbers computed from them. The same rules as
// hub/queues/board.py (`Board.apply`, `summarize`), recomputed here at the screen's
// "now" so ages and SLA numbers move between deltas. tests/web/test_board_js.py runs
// this module under node on the fixtures of the Python one and compares the results.
//
// A board: { officeId, day ("YYYY-MM-DD", Asia/Jakarta), offices: [item],
// tickets / officers / calls: Map(id -> item), and the versions seen so far }.

export const WAITING = new Set(["submitted", "verification", "documents_incomplete", "staff_verification", "awaiting_approval"]);
export const OPEN = new Set([...WAITING, "approved"]);
const CALL_RANK = { ringing: 0, active: 1, ended: 2 };

export function newBoard() {
  return {
    officeId: null,
    day: null,
    offices: [],
    tickets: new Map(),
    officers: new Map(),
    calls: new Map(),
    versions: new Map(), // ticket id -> version seen (kept for removed ones, and across reloads)
    officerV: new Map(),
    callRank: new Map(),
  };
}

/** The Asia/Jakarta (UTC+7, no DST) day of an ISO time. */
export function jakartaDay(iso) {
  if (!iso) return null;
  return new Date(Date.parse(iso) + 7 * 3600 * 1000).toISOString().slice(0, 10);
}

/** Oldest first; the ticket id breaks ties. */
export function byAge(a, b) {
  if (a.created_at !== b.created_at) return a.created_at < b.created_at ? -1 : 1;
  return a.id - b.id;
}

function inTree(board, officeId) {
  return board.offices.some((o) => o.id === officeId);
}

/** Replace the entities with a snapshot's (the ticket versions seen stay: a stale delta stays stale). */
export function load(board, snapshot) {
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

/** Open tickets, and those decided or completed on the board's day (for today's numbers). */
function keepsTicket(board, tk) {
  return OPEN.has(tk.status) || jakartaDay(tk.decided_at) === board.day || jakartaDay(tk.closed_at) === board.day;
}

export function applyTicket(board, tk) {
  if (tk.version <= (board.versions.get(tk.id) || 0)) return;
  board.versions.set(tk.id, tk.version);
  if (inTree(board, tk.office_id) && keepsTicket(board, tk)) board.tickets.set(tk.id, tk);
  else board.tickets.delete(tk.id);
}

export function applyOfficer(board, o) {
  if (board.officerV.has(o.id) && o.v <= board.officerV.get(o.id)) return;
  board.officerV.set(o.id, o.v);
  if (inTree(board, o.office_id)) board.officers.set(o.id, o);
  else board.officers.delete(o.id);
}

export function applyCall(board, c) {
  const rank = CALL_RANK[c.status];
  if (board.callRank.has(c.id) && rank <= board.callRank.get(c.id)) return;
  board.callRank.set(c.id, rank);
  if (c.status === "ended" || !inTree(board, c.office_id)) board.calls.delete(c.id);
  else board.calls.set(c.id, c);
}

/** Office id -> ids of the offices directly under it (within the board). */
export function childrenOf(board) {
  const children = new Map();
  for (const o of board.offices) {
    if (o.parent_id != null) {
      if (!children.has(o.parent_id)) children.set(o.parent_id, []);
      children.get(o.parent_id).push(o.id);
    }
  }
  return children;
}

/** Office id -> itself and every office under it (within the board). */
function subtrees(board) {
  const known = new Map(board.offices.map((o) => [o.id, o]));
  const out = new Map(board.offices.map((o) => [o.id, new Set([o.id])]));
  for (const o of board.offices) {
    const seen = new Set([o.id]);
    let parent = o.parent_id;
    while (known.has(parent) && !seen.has(parent)) {
      out.get(parent).add(o.id);
      seen.add(parent);
      parent = known.get(parent).parent_id;
    }
  }
  return out;
}

/** Python's round(x, 1): the tenth nearest to x's exact value, a tie to the even tenth. */
function round1(x) {
  const quarters = x * 4; // exact: a tie is only possible at an odd number of quarters
  if (Number.isInteger(quarters) && Math.abs(quarters % 2) === 1) {
    const low = Math.floor(x * 10);
    return (low % 2 === 0 ? low : low + 1) / 10;
  }
  return Number(x.toFixed(1));
}

/** Count, mean and nearest-rank p90 of waits in seconds, as minutes (0.1). */
export function waitStats(seconds) {
  if (!seconds.length) return { count: 0, avg_minutes: null, p90_minutes: null };
  const sorted = [...seconds].sort((a, b) => a - b);
  const avg = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  const p90 = sorted[Math.max(0, Math.ceil(0.9 * sorted.length) - 1)];
  return { count: sorted.length, avg_minutes: round1(avg / 60), p90_minutes: round1(p90 / 60) };
}

function countBy(items, key) {
  const out = {};
  for (const x of items) out[x[key]] = (out[x[key]] || 0) + 1;
  return out;
}

/** The numbers of one office over its subtree `members`, at `now` (ms since the epoch). */
function summarizeOne(board, members, now) {
  const tickets = [...board.tickets.values()].filter((x) => members.has(x.office_id));
  const open = tickets.filter((x) => OPEN.has(x.status));
  const waiting = open.filter((x) => WAITING.has(x.status)).sort(byAge);
  const byStatus = Object.fromEntries([...OPEN].map((s) => [s, 0])); // zeros included
  for (const x of open) byStatus[x.status] += 1;
  const waits = tickets
    .filter((x) => jakartaDay(x.decided_at) === board.day)
    .map((x) => (Date.parse(x.decided_at) - Date.parse(x.created_at)) / 1000);
  // at_risk_at and due_at are on the offices' working-time calendar (protocol §14)
  const due = open.map((x) => [Date.parse(x.at_risk_at), Date.parse(x.due_at)]);
  const live = [...board.calls.values()];
  const states = [...board.officers.values()].filter((o) => members.has(o.office_id)).map((o) => {
    if (live.some((c) => c.caller_id === o.id)) return "in_call";
    return o.online ? "idle" : "offline";
  });
  const calls = live.filter((c) => members.has(c.office_id));
  const oldest = waiting[0];
  return {
    waiting: waiting.length,
    by_status: byStatus,
    by_service: countBy(waiting, "service"),
    oldest_waiting: oldest ? { id: oldest.id, number: oldest.number, created_at: oldest.created_at } : null,
    wait_today: waitStats(waits),
    sla: {
      breached: due.filter(([, d]) => d <= now).length,
      at_risk: due.filter(([r, d]) => r <= now && now < d).length,
    },
    officers: {
      online: states.filter((s) => s !== "offline").length,
      in_call: states.filter((s) => s === "in_call").length,
      idle: states.filter((s) => s === "idle").length,
      offline: states.filter((s) => s === "offline").length,
    },
    calls: {
      ringing: calls.filter((c) => c.status === "ringing").length,
      active: calls.filter((c) => c.status === "active").length,
    },
    completed_today: tickets.filter((x) => x.status === "completed" && jakartaDay(x.closed_at) === board.day).length,
  };
}

/**
 * The dashboard's numbers of the offices `ids` (default: all of the board), each
 * rolled up over its subtree: { "<office id>": {...} }, the shape of a snapshot's
 * `summary` (hub/queues/board.py `summarize`).
 */
export function summarize(board, now, ids = board.offices.map((o) => o.id)) {
  const trees = subtrees(board);
  const out = {};
  for (const id of ids) out[String(id)] = summarizeOne(board, trees.get(id) || new Set([id]), now);
  return out;
}
