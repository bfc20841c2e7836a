"""The dashboard's model, pure: the entities of a subtree, how a delta changes them,
and the numbers (``summarize``) computed from them.

The server builds a snapshot with :meth:`Board.snapshot`; a client holding the
same :class:`Board` and applying every delta with :meth:`Board.apply` ends with
equal entities, and so (``summarize`` being a function of them) equal numbers.
Items are kept as their JSON dicts, exactly as they travel.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from hub.clock import JAKARTA, iso
from hub.tickets.lifecycle import OPEN_STATUSES, WAITING_STATUSES

Item = dict[str, Any]

OPEN = frozenset(s.value for s in OPEN_STATUSES)
WAITING = frozenset(s.value for s in WAITING_STATUSES)
CALL_RANK = {"ringing": 0, "active": 1, "ended": 2}


@dataclass(frozen=True)
class Roster:
    """Who is online now, and the presence version of every officer seen so far."""

    online: frozenset[int] = frozenset()
    versions: Mapping[int, int] = field(default_factory=dict)


def parse_ts(value: str) -> datetime:
    return datetime.fromisoformat(value)


def jakarta_day(value: str | None) -> date | None:
    return parse_ts(value).astimezone(JAKARTA).date() if value else None


def keeps_ticket(t: Item, day: date) -> bool:
    """Open tickets, and those decided or completed on ``day`` (for today's numbers)."""
    return t["status"] in OPEN or day in (jakarta_day(t["decided_at"]), jakarta_day(t["closed_at"]))


def officer_state(o: Item, calls: Iterable[Item]) -> str:
    """``in_call`` (ringing or active, as caller) > ``idle`` (online) > ``offline``."""
    if any(c["caller_id"] == o["id"] for c in calls):
        return "in_call"
    return "idle" if o["online"] else "offline"


@dataclass
class Board:
    office_id: int
    day: date
    offices: dict[int, Item]
    tickets: dict[int, Item] = field(default_factory=dict)
    officers: dict[int, Item] = field(default_factory=dict)
    calls: dict[str, Item] = field(default_factory=dict)
    ticket_versions: dict[int, int] = field(default_factory=dict)
    officer_versions: dict[int, int] = field(default_factory=dict)
    call_ranks: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_snapshot(cls, snap: Mapping[str, Any]) -> Board:
        board = cls(
            office_id=snap["office_id"],
            day=date.fromisoformat(snap["day"]),
            offices={o["id"]: o for o in snap["offices"]},
        )
        for t in snap["tickets"]:
            board.apply("queue_ticket", {"ticket": t})
        for o in snap["officers"]:
            board.apply("queue_officer", {"officer": o})
        for c in snap["calls"]:
            board.apply("queue_call", {"call": c})
        return board

    def apply(self, event: str, data: Mapping[str, Any]) -> None:
        """Apply one delta (see docs/protocol.md §8); stale and foreign ones are no-ops."""
        if event == "queue_ticket":
            self._ticket(data["ticket"])
        elif event == "queue_officer":
            self._officer(data["officer"])
        elif event == "queue_call":
            self._call(data["call"])

    def _ticket(self, t: Item) -> None:
        if t["version"] <= self.ticket_versions.get(t["id"], 0):
            return
        self.ticket_versions[t["id"]] = t["version"]
        if t["office_id"] in self.offices and keeps_ticket(t, self.day):
            self.tickets[t["id"]] = t
        else:
            self.tickets.pop(t["id"], None)

    def _officer(self, o: Item) -> None:
        if o["v"] <= self.officer_versions.get(o["id"], -1):
            return
        self.officer_versions[o["id"]] = o["v"]
        if o["office_id"] in self.offices:
            self.officers[o["id"]] = o
        else:
            self.officers.pop(o["id"], None)

    def _call(self, c: Item) -> None:
        rank = CALL_RANK[c["status"]]
        if rank <= self.call_ranks.get(c["id"], -1):
            return
        self.call_ranks[c["id"]] = rank
        if c["status"] != "ended" and c["office_id"] in self.offices:
            self.calls[c["id"]] = c
        else:
            self.calls.pop(c["id"], None)

    def entities(self) -> dict[str, list[Item]]:
        """The board's entities as a snapshot lists them (sorted by id)."""
        return {
            "offices": sorted(self.offices.values(), key=lambda o: o["id"]),
            "tickets": sorted(self.tickets.values(), key=lambda t: t["id"]),
            "officers": sorted(self.officers.values(), key=lambda o: o["id"]),
            "calls": sorted(self.calls.values(), key=lambda c: c["id"]),
        }

    def snapshot(self, now: datetime) -> dict[str, Any]:
        return {
            "office_id": self.office_id,
            "as_of": iso(now),
            "day": self.day.isoformat(),
            **self.entities(),
            "summary": summarize(self, now),
        }


def _subtrees(offices: Mapping[int, Item]) -> dict[int, set[int]]:
    """Every office → itself and all offices under it (within the board)."""
    out: dict[int, set[int]] = {oid: {oid} for oid in offices}
    for oid in offices:
        parent = offices[oid]["parent_id"]
        seen = {oid}
        while parent in offices and parent not in seen:
            out[parent].add(oid)
            seen.add(parent)
            parent = offices[parent]["parent_id"]
    return out


def _minutes(seconds: float) -> float:
    return round(seconds / 60, 1)


def wait_stats(waits: list[float]) -> dict[str, Any]:
    """Count, mean and nearest-rank p90 of waits in seconds, as minutes (0.1)."""
    if not waits:
        return {"count": 0, "avg_minutes": None, "p90_minutes": None}
    ordered = sorted(waits)
    p90 = ordered[max(math.ceil(0.9 * len(ordered)) - 1, 0)]
    return {
        "count": len(ordered),
        "avg_minutes": _minutes(sum(ordered) / len(ordered)),
        "p90_minutes": _minutes(p90),
    }


def summarize(board: Board, now: datetime) -> dict[str, Any]:
    """The dashboard's numbers per office of the board, each rolled up over its subtree."""
    subtrees = _subtrees(board.offices)
    live_calls = list(board.calls.values())
    out: dict[str, Any] = {}
    for oid, members in sorted(subtrees.items()):
        tickets = [t for t in board.tickets.values() if t["office_id"] in members]
        open_ = [t for t in tickets if t["status"] in OPEN]
        waiting = sorted(
            (t for t in open_ if t["status"] in WAITING), key=lambda t: (t["created_at"], t["id"])
        )
        by_status = dict.fromkeys(sorted(OPEN), 0)  # every open status, zeros included
        for t in open_:
            by_status[t["status"]] += 1
        by_service: dict[str, int] = {}
        for t in waiting:
            by_service[t["service"]] = by_service.get(t["service"], 0) + 1
        waits = [
            (parse_ts(t["decided_at"]) - parse_ts(t["created_at"])).total_seconds()
            for t in tickets
            if jakarta_day(t["decided_at"]) == board.day
        ]
        due = [(parse_ts(t["at_risk_at"]), parse_ts(t["due_at"])) for t in open_]
        states = [
            officer_state(o, live_calls)
            for o in board.officers.values()
            if o["office_id"] in members
        ]
        calls = [c for c in live_calls if c["office_id"] in members]
        oldest = waiting[0] if waiting else None
        out[str(oid)] = {
            "waiting": len(waiting),
            "by_status": by_status,
            "by_service": dict(sorted(by_service.items())),
            "oldest_waiting": {k: oldest[k] for k in ("id", "number", "created_at")}
            if oldest
            else None,
            "wait_today": wait_stats(waits),
            "sla": {
                # on the offices' working-time calendar (hub.calendar, protocol §14)
                "breached": sum(1 for _r, d in due if d <= now),
                "at_risk": sum(1 for r, d in due if r <= now < d),
            },
            "officers": {
                "online": sum(1 for s in states if s != "offline"),
                "in_call": states.count("in_call"),
                "idle": states.count("idle"),
                "offline": states.count("offline"),
            },
            "calls": {
                "ringing": sum(1 for c in calls if c["status"] == "ringing"),
                "active": sum(1 for c in calls if c["status"] == "active"),
            },
            "completed_today": sum(
                1
                for t in tickets
                if t["status"] == "completed" and jakarta_day(t["closed_at"]) == board.day
            ),
        }
    return out
