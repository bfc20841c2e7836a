"""The pure model: how deltas change a board, and the numbers computed from it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hub.clock import iso
from hub.queues.board import Board, summarize, wait_stats
from hub.queues.service import estimate_minutes

NOW = datetime(2025, 5, 6, 5, 0, tzinfo=UTC)  # 12:00 in Bogor
KOTA, KEC, KEL_A, KEL_B, ELSEWHERE = 1, 2, 3, 4, 99


def board() -> Board:
    offices = {
        KOTA: {"id": KOTA, "name": "Kota", "level": "kota", "parent_id": None},
        KEC: {"id": KEC, "name": "Kec", "level": "kecamatan", "parent_id": KOTA},
        KEL_A: {"id": KEL_A, "name": "A", "level": "kelurahan", "parent_id": KEC},
        KEL_B: {"id": KEL_B, "name": "B", "level": "kelurahan", "parent_id": KEC},
    }
    return Board(KOTA, NOW.date(), offices)


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


def test_ticket_deltas_upsert_by_version_and_leave_when_closed_or_moved() -> None:
    b = board()
    b.apply("queue_ticket", {"ticket": ticket(1, version=2)})
    b.apply("queue_ticket", {"ticket": ticket(1, status="verification", version=1)})  # stale
    assert b.tickets[1]["status"] == "submitted"
    b.apply("queue_ticket", {"ticket": ticket(1, office=ELSEWHERE, version=3)})  # transferred out
    assert 1 not in b.tickets
    b.apply("queue_ticket", {"ticket": ticket(1, version=2)})  # late duplicate: still gone
    assert 1 not in b.tickets
    yesterday = NOW - timedelta(days=1)
    b.apply("queue_ticket", {"ticket": ticket(2, status="rejected", decided_at=yesterday)})
    assert 2 not in b.tickets  # closed on another day: not today's business
    b.apply("queue_ticket", {"ticket": ticket(3, status="rejected", decided_at=NOW)})
    assert 3 in b.tickets  # decided today: counts in today's waits


def test_officer_and_call_deltas() -> None:
    b = board()
    b.apply("queue_officer", {"officer": officer(7, v=3)})
    b.apply("queue_officer", {"officer": officer(7, online=False, v=2)})  # stale
    assert b.officers[7]["online"] is True
    b.apply("queue_call", {"call": call("c1", 7, "active")})
    b.apply("queue_call", {"call": call("c1", 7, "ringing")})  # late ring: ignored
    assert b.calls["c1"]["status"] == "active"
    b.apply("queue_call", {"call": call("c1", 7, "ended")})
    b.apply("queue_call", {"call": call("c1", 7, "active")})  # late: stays ended
    assert b.calls == {}


def test_summary_rolls_up_and_computes_waits_sla_and_officer_states() -> None:
    b = board()
    for t in (
        ticket(1, created=NOW - timedelta(hours=3), due=NOW - timedelta(minutes=1)),  # breached
        ticket(2, status="awaiting_approval", service="KLH", due=NOW + timedelta(hours=1)),
        ticket(3, office=KEL_B, status="approved"),  # open, not waiting
        # decided today: waits 10, 20, …, 100 minutes
        *(
            ticket(
                10 + i,
                status="approved",
                created=NOW - timedelta(minutes=10 * (i + 1)),
                decided_at=NOW,
            )
            for i in range(10)
        ),
        ticket(
            30,
            office=KEL_B,
            status="completed",
            closed_at=NOW,
            decided_at=NOW,
            created=NOW - timedelta(minutes=5),
        ),
    ):
        b.apply("queue_ticket", {"ticket": t})
    b.apply("queue_officer", {"officer": officer(7)})
    b.apply("queue_officer", {"officer": officer(8)})
    b.apply("queue_officer", {"officer": officer(9, online=False)})
    b.apply("queue_officer", {"officer": officer(10, office=KEL_B, online=False)})
    b.apply("queue_call", {"call": call("c1", 7, "ringing")})
    s = summarize(b, NOW)
    a = s[str(KEL_A)]
    assert a["waiting"] == 2
    assert a["by_status"] == {
        "approved": 10, "awaiting_approval": 1, "documents_incomplete": 0,
        "staff_verification": 0, "submitted": 1, "verification": 0,
    }  # fmt: skip
    assert a["by_service"] == {"KLH": 1, "SKTM": 1}
    assert a["oldest_waiting"]["id"] == 1
    assert a["sla"] == {"breached": 1, "at_risk": 1}
    assert a["wait_today"] == {"count": 10, "avg_minutes": 55.0, "p90_minutes": 90.0}
    assert a["officers"] == {"online": 2, "in_call": 1, "idle": 1, "offline": 1}
    assert a["calls"] == {"ringing": 1, "active": 0}
    assert a["completed_today"] == 0
    kec = s[str(KEC)]
    assert kec["waiting"] == 2 and kec["by_status"]["approved"] == 11
    assert kec["completed_today"] == 1
    assert kec["wait_today"]["count"] == 11
    assert kec["officers"]["offline"] == 2
    assert s[str(KOTA)] == kec  # nothing else under the kota here


def test_wait_stats_nearest_rank() -> None:
    assert wait_stats([]) == {"count": 0, "avg_minutes": None, "p90_minutes": None}
    assert wait_stats([60.0]) == {"count": 1, "avg_minutes": 1.0, "p90_minutes": 1.0}
    assert wait_stats([60.0 * m for m in (1, 2, 3)])["p90_minutes"] == 3.0


def test_estimate_uses_service_history_then_office_then_nothing() -> None:
    day = datetime(2025, 5, 5, 1, 0, tzinfo=UTC)
    history = [
        ("SKTM", day, day + timedelta(minutes=30)),
        ("SKTM", day, day + timedelta(minutes=60)),
        ("SKTM", day, day + timedelta(minutes=90)),
        ("KLH", day, day + timedelta(minutes=100)),
    ]
    # typical SKTM wait 60 min; pace = median gap between decisions (30, 30, 10) = 30 min
    assert estimate_minutes(history, "SKTM", timedelta(0), 0) == (60, "service")
    assert estimate_minutes(history, "SKTM", timedelta(minutes=50), 0) == (10, "service")
    assert estimate_minutes(history, "SKTM", timedelta(minutes=50), 3) == (90, "service")
    assert estimate_minutes(history, "KLH", timedelta(0), 0) == (70, "office")  # mean of all 4
    assert estimate_minutes([], "SKTM", timedelta(0), 5) == (None, "none")
