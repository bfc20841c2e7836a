"""One definition of the wall's numbers: the supervisor page recomputes the queue board
at the screen's "now" in JavaScript (web/src/board.js); it must agree with the
server's pure model (hub/queues/board.py) on the same snapshot and deltas.

Node runs the page's module itself; the same fixtures go through ``Board.apply`` and
``summarize``; the entities held and every office's numbers must be equal.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from hub.clock import iso
from hub.queues.board import OPEN, WAITING, Board, parse_ts, summarize
from tests.support.services import ServiceMissing, require_or_skip

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "web" / "src" / "board.js"
DRIVER = Path(__file__).with_name("board_driver.mjs")

NOW = datetime(2025, 5, 6, 5, 0, tzinfo=UTC)  # 12:00 in Bogor
KOTA, KEC, KEL_A, KEL_B, KEC_2, KEL_C, ELSEWHERE = 1, 2, 3, 4, 5, 6, 99
OFFICES: dict[int, dict[str, Any]] = {
    KOTA: {"id": KOTA, "name": "Kota", "level": "kota", "parent_id": None},
    KEC: {"id": KEC, "name": "Kec", "level": "kecamatan", "parent_id": KOTA},
    KEL_A: {"id": KEL_A, "name": "A", "level": "kelurahan", "parent_id": KEC},
    KEL_B: {"id": KEL_B, "name": "B", "level": "kelurahan", "parent_id": KEC},
    KEC_2: {"id": KEC_2, "name": "Kec 2", "level": "kecamatan", "parent_id": KOTA},
    KEL_C: {"id": KEL_C, "name": "C", "level": "kelurahan", "parent_id": KEC_2},
}
Delta = tuple[str, dict[str, Any]]


def ticket(tid: int, office: int = KEL_A, status: str = "submitted", **kw: Any) -> dict[str, Any]:
    created = kw.pop("created", NOW - timedelta(minutes=tid))
    due = kw.pop("due", NOW + timedelta(hours=24))
    item = {
        "id": tid,
        "number": f"N-{tid}",
        "queue": f"A-{tid:03d}",
        "office_id": office,
        "service": kw.pop("service", "SKTM"),
        "status": status,
        "assignee_id": None,
        "assigned_role": "front_office",
        "version": kw.pop("version", 1),
        "created_at": iso(created),
        "due_at": iso(due),
        "at_risk_at": iso(kw.pop("at_risk", due - timedelta(hours=2))),
        "decided_at": None,
        "closed_at": None,
    }
    item.update({k: iso(v) if isinstance(v, datetime) else v for k, v in kw.items()})
    return item


def officer(uid: int, office: int = KEL_A, online: bool = True, v: int = 1) -> dict[str, Any]:
    return {"id": uid, "name": f"O{uid}", "role": "front_office", "office_id": office,
            "online": online, "v": v}  # fmt: skip


def call(cid: str, caller: int, status: str = "active", office: int = KEL_A) -> dict[str, Any]:
    return {"id": cid, "office_id": office, "ticket_id": 1, "caller_id": caller, "status": status,
            "started_at": iso(NOW), "answered_at": None}  # fmt: skip


def td(item: dict[str, Any]) -> Delta:
    return "queue_ticket", {"ticket": item}


def od(item: dict[str, Any]) -> Delta:
    return "queue_officer", {"officer": item}


def cd(item: dict[str, Any]) -> Delta:
    return "queue_call", {"call": item}


def case(
    initial: list[Delta], deltas: list[Delta], nows: list[datetime], office_id: int = KOTA
) -> dict[str, Any]:
    """A snapshot of ``office_id`` holding ``initial`` (as the server makes it), then ``deltas``."""
    offices = {oid: o for oid, o in OFFICES.items() if oid == office_id or _under(oid, office_id)}
    board = Board(office_id, NOW.date(), offices)
    for event, data in initial:
        board.apply(event, data)
    return {
        "snapshot": board.snapshot(NOW),
        "deltas": [[event, data] for event, data in deltas],
        "nows": [iso(n) for n in nows],
    }


def _under(oid: int, root: int) -> bool:
    parent = OFFICES[oid]["parent_id"]
    while parent is not None:
        if parent == root:
            return True
        parent = OFFICES[parent]["parent_id"]
    return False


def python_result(c: dict[str, Any]) -> dict[str, Any]:
    board = Board.from_snapshot(c["snapshot"])
    for event, data in c["deltas"]:
        board.apply(event, data)
    return {
        "entities": board.entities(),
        "summaries": [summarize(board, parse_ts(now)) for now in c["nows"]],
    }


@pytest.fixture(scope="module")
def run_js(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Runs the page's model under node on a list of cases; returns its parsed output."""
    node = shutil.which("node")
    if node is None:
        require_or_skip(ServiceMissing("node (nodejs) to run web/src/board.js"))
    # board.js is an ES module in a package without "type": "module": hand it to node as .mjs
    module = tmp_path_factory.mktemp("board") / "board.mjs"
    shutil.copyfile(MODEL, module)

    def run(cases: list[dict[str, Any]]) -> dict[str, Any]:
        proc = subprocess.run(
            [node, str(DRIVER), module.as_uri()],
            input=json.dumps(cases),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr
        out: dict[str, Any] = json.loads(proc.stdout)
        return out

    yield run


def assert_same(run_js: Any, cases: list[dict[str, Any]]) -> None:
    got = run_js(cases)["results"]
    # through JSON both ways, so 55.0 and 55 compare equal and dicts compare by key
    want = json.loads(json.dumps([python_result(c) for c in cases]))
    assert len(got) == len(want)
    for i, (js, py) in enumerate(zip(got, want, strict=True)):
        assert js["entities"] == py["entities"], f"case {i}: entities differ"
        for now, js_sum, py_sum in zip(
            cases[i]["nows"], js["summaries"], py["summaries"], strict=True
        ):
            assert js_sum == py_sum, f"case {i} at {now}: numbers differ"


def test_the_status_sets_are_the_servers(run_js: Any) -> None:
    out = run_js([])
    assert out["open"] == sorted(OPEN)
    assert out["waiting"] == sorted(WAITING)


def decided(tid: int, waited: timedelta, office: int = KEL_A, **kw: Any) -> Delta:
    """A ticket decided at ``NOW`` (unless ``decided_at`` says otherwise) after ``waited``."""
    at = kw.pop("decided_at", NOW)
    kw.setdefault("status", "rejected")
    return td(ticket(tid, office=office, created=at - waited, decided_at=at, **kw))


def scenario() -> list[Delta]:
    """The story of tests/queues/test_board.py, spread over two kecamatan."""
    return [
        td(ticket(1, created=NOW - timedelta(hours=3), due=NOW - timedelta(minutes=1))),
        td(ticket(2, status="awaiting_approval", service="KLH", due=NOW + timedelta(hours=1))),
        td(ticket(3, office=KEL_B, status="approved")),
        # decided today: waits 10, 20, …, 100 minutes
        *(decided(10 + i, timedelta(minutes=10 * (i + 1)), status="approved") for i in range(10)),
        decided(30, timedelta(minutes=5), office=KEL_B, status="completed", closed_at=NOW),
        td(ticket(40, office=KEL_C, status="staff_verification", service="KLH")),
        od(officer(7)),
        od(officer(8)),
        od(officer(9, online=False)),
        od(officer(10, office=KEL_B, online=False)),
        od(officer(11, office=KEL_C)),
        cd(call("c1", 7, "ringing")),
        cd(call("c2", 11, "active", office=KEL_C)),
    ]


def later_nows() -> list[datetime]:
    return [NOW, NOW + timedelta(minutes=59), NOW + timedelta(hours=1), NOW + timedelta(hours=30)]


def test_numbers_match_from_snapshot_or_from_deltas(run_js: Any) -> None:
    assert_same(
        run_js,
        [
            case(scenario(), [], later_nows()),  # all in the snapshot
            case([], scenario(), later_nows()),  # all as deltas
            case(scenario()[:7], scenario()[7:], later_nows()),
            case(scenario(), [], later_nows(), office_id=KEC),  # a kecamatan's wall
            case(scenario(), [], later_nows(), office_id=KEL_C),  # a kelurahan alone
        ],
    )


def test_stale_late_and_foreign_deltas_are_ignored_alike(run_js: Any) -> None:
    yesterday = NOW - timedelta(days=1)
    deltas = [
        td(ticket(1, version=2)),
        td(ticket(1, status="verification", version=1)),  # stale
        td(ticket(4, version=1)),
        td(ticket(4, office=ELSEWHERE, version=3)),  # transferred out
        td(ticket(4, version=2)),  # late duplicate: stays gone
        td(ticket(5, status="rejected", decided_at=yesterday)),  # another day's business
        td(ticket(6, status="rejected", decided_at=NOW)),  # today's wait
        td(ticket(7, office=KEL_B, status="completed", decided_at=yesterday, closed_at=NOW)),
        od(officer(7, v=3)),
        od(officer(7, online=False, v=2)),  # stale
        od(officer(8, office=ELSEWHERE)),  # not in this subtree
        od(officer(9, v=0)),  # never seen before: taken, whatever its version
        cd(call("c1", 7, "active")),
        cd(call("c1", 7, "ringing")),  # late ring
        cd(call("c2", 9, "ringing")),
        cd(call("c2", 9, "ended")),
        cd(call("c2", 9, "active")),  # late: stays ended
        cd(call("c3", 7, "ringing", office=ELSEWHERE)),  # another office's call, same caller
    ]
    assert_same(run_js, [case([], deltas, [NOW]), case(deltas[:9], deltas[9:], [NOW])])


def test_boundaries_of_days_sla_and_rounding(run_js: Any) -> None:
    midnight = datetime(2025, 5, 5, 17, 0, tzinfo=UTC)  # 00:00 of the 6th in Bogor
    just_before = midnight - timedelta(milliseconds=1)
    hour = timedelta(hours=1)
    deltas = [
        # decided or closed on either side of Jakarta midnight
        decided(1, hour, status="approved", decided_at=just_before),
        decided(2, hour, decided_at=midnight),
        decided(3, hour, status="completed", decided_at=midnight, closed_at=just_before),
        # due exactly now, just after now, at and just past the at-risk window
        td(ticket(10, due=NOW)),
        td(ticket(11, due=NOW + timedelta(milliseconds=1))),
        td(ticket(12, due=NOW + timedelta(hours=2))),
        td(ticket(13, due=NOW + timedelta(hours=2, milliseconds=1))),
        # equal creation times: the id decides the oldest
        td(ticket(21, office=KEL_B, created=NOW - timedelta(hours=5))),
        td(ticket(20, office=KEL_B, created=NOW - timedelta(hours=5))),
    ]
    nows = [NOW, NOW + timedelta(milliseconds=1), NOW - timedelta(hours=3)]
    # mean waits on a tie of tenths of a minute: 0.25, 0.75, 1.25 (Python rounds to even)
    ties = [
        decided(100 + i, timedelta(seconds=s), office=office)
        for i, (office, s) in enumerate(((KEL_A, 15), (KEL_B, 45), (KEL_C, 75)))
    ]
    # and off a tie: 0.333… and 0.35 (not exact in binary)
    near = [decided(110 + i, timedelta(seconds=s), office=KEL_C) for i, s in enumerate((20, 22))]
    assert_same(
        run_js,
        [
            case([], deltas, nows),
            *(case([], [d], [NOW]) for d in ties),
            case([], ties, [NOW]),
            case([], near[:1], [NOW]),
            case([], near, [NOW]),
        ],
    )


def random_deltas(rng: random.Random, n: int) -> list[Delta]:
    """Deltas a real hub could send: versions rising per ticket (sometimes replayed late)."""
    offices = [*OFFICES, ELSEWHERE]
    statuses = [*sorted(OPEN), "rejected", "completed"]
    versions: dict[int, int] = {}
    presence = 0
    out: list[Delta] = []
    sent: list[Delta] = []
    for _ in range(n):
        roll = rng.random()
        if roll < 0.1 and sent:
            out.append(rng.choice(sent))  # a late duplicate
            continue
        if roll < 0.65:
            tid = rng.randint(1, 40)
            versions[tid] = versions.get(tid, 0) + 1
            created = NOW - timedelta(milliseconds=rng.randint(0, 3 * 86_400_000))
            decided = created + timedelta(milliseconds=rng.randint(0, 86_400_000))
            status = rng.choice(statuses)
            decided_at = decided if status not in WAITING and rng.random() < 0.9 else None
            closed = status in ("rejected", "completed") and rng.random() < 0.8
            d = td(ticket(
                tid, office=rng.choice(offices), status=status, version=versions[tid],
                service=rng.choice(("SKTM", "KLH", "SKU")), created=created,
                due=NOW + timedelta(milliseconds=rng.randint(-86_400_000, 86_400_000)),
                decided_at=decided_at, closed_at=decided if closed else None,
            ))  # fmt: skip
        elif roll < 0.85:
            presence += 1
            d = od(officer(rng.randint(1, 12), office=rng.choice(offices),
                           online=rng.random() < 0.6, v=presence))  # fmt: skip
        else:
            cid = f"c{rng.randint(1, 10)}"
            d = cd(call(cid, rng.randint(1, 12), rng.choice(("ringing", "active", "ended")),
                        office=rng.choice(offices)))  # fmt: skip
        sent.append(d)
        out.append(d)
    return out


def test_random_histories_agree(run_js: Any) -> None:
    rng = random.Random(16)
    cases = []
    for root in (KOTA, KOTA, KOTA, KEC, KEC_2, KEL_A):
        history = random_deltas(rng, 300)
        cut = rng.randint(0, len(history))
        nows = [NOW + timedelta(milliseconds=rng.randint(-7_200_000, 7_200_000)) for _ in range(3)]
        cases.append(case(history[:cut], history[cut:], [NOW, *nows], office_id=root))
    assert_same(run_js, cases)
