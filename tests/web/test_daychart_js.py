"""The supervisor's day charts (web/src/daychart.js) under node: quarter hours from 00:00 WIB,
and at "now" the same numbers as the wall (board.js ``summarize``: ``waiting``,
``sla.breached``), on a day of tickets opened, decided, rejected and picked up."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from hub.clock import iso
from tests.support.services import ServiceMissing, require_or_skip

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "web" / "src"
DAY = "2025-05-06"
MIDNIGHT = datetime(2025, 5, 5, 17, 0, tzinfo=UTC)  # 00:00 WIB on DAY

DRIVER = """
const [chartUrl, boardUrl] = process.argv.slice(1);
const chart = await import(chartUrl);
const model = await import(boardUrl);
let input = "";
for await (const chunk of process.stdin) input += chunk;
const { snapshot, nows } = JSON.parse(input);
const board = model.newBoard();
model.load(board, snapshot);
const out = nows.map((now) => {
  const ms = Date.parse(now);
  const s = chart.daySeries(board, ms);
  const wall = model.summarize(board, ms)[String(snapshot.office_id)];
  return { series: s, wall: { waiting: wall.waiting, breached: wall.sla.breached } };
});
console.log(JSON.stringify(out));
"""


def at(hours: float) -> datetime:
    return MIDNIGHT + timedelta(hours=hours)


def ticket(tid: int, created: datetime, due: datetime, status: str, **ends: Any) -> dict[str, Any]:
    return {
        "id": tid, "number": f"N-{tid}", "queue": f"A-{tid:03d}", "office_id": 1,
        "service": "SKTM", "status": status, "assignee_id": None, "assigned_role": None,
        "version": 1, "created_at": iso(created), "due_at": iso(due),
        "decided_at": iso(ends["decided"]) if "decided" in ends else None,
        "closed_at": iso(ends["closed"]) if "closed" in ends else None,
    }  # fmt: skip


TICKETS = [
    ticket(1, at(-30), at(-6), "submitted"),  # from yesterday, overdue all day
    ticket(2, at(8), at(10), "verification"),  # overdue from 10:00
    ticket(3, at(8.5), at(30), "approved", decided=at(11)),  # open (to pick up), not waiting
    ticket(4, at(9), at(9.5), "rejected", decided=at(12)),  # overdue 09:30–12:00, then closed
    ticket(5, at(-20), at(-1), "completed", decided=at(-2), closed=at(13)),  # open till 13:00
]
SNAPSHOT = {
    "office_id": 1, "as_of": iso(at(14)), "day": DAY, "tickets": TICKETS, "officers": [],
    "calls": [], "offices": [{"id": 1, "name": "Kel", "level": "kelurahan", "parent_id": None}],
}  # fmt: skip


def expected(t: datetime) -> tuple[int, int]:
    """(waiting, open past due) at ``t``, straight from the definitions."""
    waiting = breached = 0
    for x in TICKETS:
        created, due = datetime.fromisoformat(x["created_at"]), datetime.fromisoformat(x["due_at"])
        decided = datetime.fromisoformat(x["decided_at"]) if x["decided_at"] else None
        closed = datetime.fromisoformat(x["closed_at"]) if x["closed_at"] else None
        end = decided if x["status"] == "rejected" else closed
        if created <= t and (decided is None or t < decided):
            waiting += 1
        if created <= t and (end is None or t < end) and due <= t:
            breached += 1
    return waiting, breached


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Any:
    node = shutil.which("node")
    if node is None:
        require_or_skip(ServiceMissing("node (nodejs) to run web/src/daychart.js"))
    where = tmp_path_factory.mktemp("daychart")
    for name in ("daychart", "board"):  # ES modules in a package without "type": "module"
        shutil.copyfile(SRC / f"{name}.js", where / f"{name}.mjs")

    def go(nows: list[datetime]) -> list[dict[str, Any]]:
        proc = subprocess.run(
            [node, "--input-type=module", "-e", DRIVER,
             (where / "daychart.mjs").as_uri(), (where / "board.mjs").as_uri()],
            input=json.dumps({"snapshot": SNAPSHOT, "nows": [iso(n) for n in nows]}),
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        out: list[dict[str, Any]] = json.loads(proc.stdout)
        return out

    return go


def test_quarter_hours_since_midnight_wib_and_the_wall_at_now(run: Any) -> None:
    nows = [at(0.1), at(9.75), at(12.5), at(14) + timedelta(minutes=7)]
    for now, got in zip(nows, run(nows), strict=True):
        s = got["series"]
        assert s["labels"][0] == "00:00" and s["times"][-1] == int(now.timestamp() * 1000)
        steps = [b - a for a, b in zip(s["times"], s["times"][1:-1], strict=False)]
        assert set(steps) <= {15 * 60 * 1000}
        for ms, label, waiting, breached in zip(
            s["times"], s["labels"], s["waiting"], s["breached"], strict=True
        ):
            t = datetime.fromtimestamp(ms / 1000, UTC)
            assert label == (t + timedelta(hours=7)).strftime("%H:%M")
            assert (waiting, breached) == expected(t), label
        if now >= at(14):  # the board is the state as of 14:00: the wall counts from it
            last = (s["waiting"][-1], s["breached"][-1])
            assert last == (got["wall"]["waiting"], got["wall"]["breached"])


def test_the_shape_of_the_day(run: Any) -> None:
    [got] = run([at(14)])
    s = got["series"]
    by = dict(zip(s["labels"], zip(s["waiting"], s["breached"], strict=True), strict=True))
    assert by["07:45"] == (1, 2)  # yesterday's waiting one; it and the approved one overdue
    assert by["09:45"] == (4, 3)  # 1, 2, 3 and 4 wait; 1, 4 and 5 overdue
    assert by["10:00"] == (4, 4)  # 2 falls due
    assert by["12:00"] == (2, 3)  # 3 approved at 11, 4 rejected at 12 (closed)
    assert by["13:00"] == (2, 2)  # 5 picked up
