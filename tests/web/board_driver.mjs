// Runs the supervisor wall's model (web/src/board.js, passed as a file URL) on the
// cases read as JSON from stdin, and prints what it holds and computes, for
// tests/web/test_board_js.py to compare with hub/queues/board.py.
//
// A case: { snapshot, deltas: [[event, data]], nows: [iso] } → { entities, summaries }.
const [moduleUrl] = process.argv.slice(2);
const model = await import(moduleUrl);

const APPLY = { queue_ticket: ["ticket", model.applyTicket], queue_officer: ["officer", model.applyOfficer], queue_call: ["call", model.applyCall] };

function sortedById(items) {
  return [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function run({ snapshot, deltas, nows }) {
  const board = model.newBoard();
  model.load(board, snapshot);
  for (const [event, data] of deltas) {
    const [key, apply] = APPLY[event];
    apply(board, data[key]);
  }
  return {
    entities: {
      offices: sortedById(board.offices),
      tickets: sortedById(board.tickets.values()),
      officers: sortedById(board.officers.values()),
      calls: sortedById(board.calls.values()),
    },
    summaries: nows.map((now) => model.summarize(board, Date.parse(now))),
  };
}

let input = "";
for await (const chunk of process.stdin) input += chunk;
const cases = JSON.parse(input);
process.stdout.write(JSON.stringify({
  open: [...model.OPEN].sort(),
  waiting: [...model.WAITING].sort(),
  results: cases.map(run),
}));
