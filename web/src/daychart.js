// The day's curves of the supervisor's charts, pure (no DOM, no imports): from the
// tickets of the wall's board (board.js) — open ones and those decided or completed
// today, which are all that could have waited or been open today — how many were
// waiting and how many were open past their SLA deadline at each quarter hour since
// 00:00 WIB. At "now" they equal the wall's `waiting` and `sla.breached` (board.js
// `summarize`); tests/web/test_daychart_js.py holds them to that.

export const STEP_MINUTES = 15;
const WIB_MS = 7 * 3600 * 1000;

/** Midnight in Asia/Jakarta (UTC+7, no DST) of the day "YYYY-MM-DD", in ms. */
export function dayStart(day) {
  return Date.parse(`${day}T00:00:00+07:00`);
}

/** "HH:MM" in WIB of a time in ms. */
export function wibLabel(ms) {
  return new Date(ms + WIB_MS).toISOString().slice(11, 16);
}

function at(iso) {
  return iso ? Date.parse(iso) : Infinity;
}

/** When a ticket stopped waiting: its decision (approve or reject). */
function waitEnd(tk) {
  return at(tk.decided_at);
}

/** When a ticket stopped being open: rejected at its decision, completed when picked up. */
function openEnd(tk) {
  if (tk.status === "rejected") return at(tk.decided_at);
  if (tk.status === "completed") return at(tk.closed_at);
  return Infinity;
}

/**
 * { times: [ms], labels: ["HH:MM"], waiting: [n], breached: [n] } for the board's day,
 * every `step` minutes from 00:00 WIB, and `now` last.
 */
export function daySeries(board, now, step = STEP_MINUTES) {
  const times = [];
  const start = board.day ? dayStart(board.day) : now;
  for (let t = start; t < now; t += step * 60000) times.push(t);
  times.push(now);
  const tickets = [...board.tickets.values()].map((tk) => ({
    created: Date.parse(tk.created_at), due: Date.parse(tk.due_at), waitEnd: waitEnd(tk), openEnd: openEnd(tk),
  }));
  const waiting = times.map((t) => tickets.filter((x) => x.created <= t && t < x.waitEnd).length);
  const breached = times.map((t) => tickets.filter((x) => x.created <= t && t < x.openEnd && x.due <= t).length);
  return { times, labels: times.map(wibLabel), waiting, breached };
}
