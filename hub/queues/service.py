"""Queue aggregates: snapshots and waiting-time estimates, over an ``AsyncSession``.

The deltas that keep a snapshot current follow from what tickets and calls record
(:mod:`hub.queues.projections`).
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hub import policy
from hub.clock import JAKARTA, jakarta_today
from hub.errors import NotFound
from hub.models import ServiceType, Ticket
from hub.principal import Principal
from hub.queues import store
from hub.queues.board import Board, Roster
from hub.queues.events import call_item, office_item, officer_item, ticket_item
from hub.tickets.lifecycle import WAITING_STATUSES

#: How far back the waiting-time estimate looks.
HISTORY = timedelta(days=14)
#: Fewer decisions of a service than this → estimate from the whole office.
MIN_SAMPLES = 3


def day_start(day: date) -> datetime:
    """Midnight of ``day`` in Asia/Jakarta, as an aware datetime."""
    return datetime.combine(day, time(), JAKARTA)


async def check_watch(session: AsyncSession, p: Principal, office_id: int) -> None:
    """``not_found`` for an office that does not exist, whoever asks (the offices are
    public, ``GET /api/reference``); then supervisors of the office (or above it) and
    admins only, ``forbidden`` for anyone else."""
    if await store.office(session, office_id) is None:
        raise NotFound("office_not_found")
    policy.check_supervise(p, office_id)


async def snapshot(
    session: AsyncSession, p: Principal, office_id: int, roster: Roster, now: datetime
) -> dict[str, Any]:
    """Everything a dashboard of ``office_id`` shows, computed from the database at ``now``.

    Authorized like :func:`check_watch`. The result is what a client applying
    every later delta to it keeps equal to a fresh snapshot (see ``board``).
    """
    await check_watch(session, p, office_id)
    offices = await store.subtree(session, office_id)
    ids = [o.id for o in offices]
    day = jakarta_today(now)
    board = Board(office_id, day, {o.id: office_item(o).json_dict() for o in offices})
    for t, service in await store.board_tickets(session, ids, day_start(day)):
        board.apply("queue_ticket", {"ticket": ticket_item(t, service).json_dict()})
    for u in await store.officers(session, ids):
        item = officer_item(u, u.id in roster.online, roster.versions.get(u.id, 0))
        board.apply("queue_officer", {"officer": item.json_dict()})
    for c in await store.live_calls(session, ids):
        board.apply("queue_call", {"call": call_item(c).json_dict()})
    return board.snapshot(now)


def estimate_minutes(
    history: Sequence[tuple[str, datetime, datetime]],
    service_code: str,
    age: timedelta,
    ahead: int,
) -> tuple[int | None, str]:
    """Estimated minutes left and its basis (``service`` | ``office`` | ``none``).

    typical = mean wait (created → decided) of the service at the office, or of
    the office when the service has fewer than :data:`MIN_SAMPLES` decisions;
    pace = median gap between consecutive decisions on the same Jakarta day.
    Estimate = max(typical − age, ahead × pace), rounded up, never negative.
    """
    if not history:
        return None, "none"
    own = [d - c for code, c, d in history if code == service_code]
    basis = "service" if len(own) >= MIN_SAMPLES else "office"
    waits = own if basis == "service" else [d - c for _code, c, d in history]
    typical = sum(w.total_seconds() for w in waits) / len(waits)
    decided = sorted(d for _code, _c, d in history)
    gaps = [
        (b - a).total_seconds()
        for a, b in itertools.pairwise(decided)
        if a.astimezone(JAKARTA).date() == b.astimezone(JAKARTA).date()
    ]
    pace = statistics.median(gaps) if gaps else 0.0
    seconds = max(typical - age.total_seconds(), ahead * pace, 0.0)
    return math.ceil(seconds / 60), basis


async def position_of(session: AsyncSession, t: Ticket, now: datetime) -> dict[str, Any]:
    """Where ``t`` stands in its office's queue and how long it should still wait.

    The caller has checked that the asker may view ``t``.
    """
    service = await session.get(ServiceType, t.service_type_id)
    assert service is not None
    base: dict[str, Any] = {"ticket_id": t.id, "status": t.status.value}
    if t.status not in WAITING_STATUSES:
        return {
            **base,
            "waiting": False,
            "position": None,
            "ahead": None,
            "estimated_wait_minutes": None,
            "basis": "none",
        }
    ahead = await store.waiting_ahead(session, t)
    history = await store.decided_since(session, t.office_id, now - HISTORY)
    minutes, basis = estimate_minutes(history, service.code, now - t.created_at, ahead)
    if minutes is None:
        # No decisions yet to learn from: the service standard (SLA) is the honest promise.
        minutes, basis = math.ceil(max((t.due_at - now).total_seconds(), 0.0) / 60), "sla"
    return {
        **base,
        "waiting": True,
        "position": ahead + 1,
        "ahead": ahead,
        "estimated_wait_minutes": minutes,
        "basis": basis,
    }


async def waiting_by_office(session: AsyncSession) -> dict[int, int]:
    """Tickets waiting for an officer, per office (the ``asinan_requests_waiting`` gauge)."""
    return await store.waiting_by_office(session)
