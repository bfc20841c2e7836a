"""Escalation of service standards: "at risk" and "breached", each told once per request.

A request is *at risk* once ``SLA_AT_RISK_PERCENT`` of its standard's working time is used
(``tickets.at_risk_at``, set by :mod:`hub.calendar` at filing) and *breached* at its
``due_at``. Each time, the holder of the request (its assignee, else the officers of
its desk) and the supervisors of its office and of the offices above it (those whose
wall shows it: the kelurahan's kecamatan, the kota) get a notification (``sla_warning``,
``sla_breached``): inbox, live, and Web Push through :mod:`notifications.fanout`.

Once, across processes and restarts: a round claims tickets with a conditional
``UPDATE … WHERE <marker> IS NULL RETURNING id`` on ``at_risk_notified_at`` /
``breached_notified_at`` and notifies in the same transaction; a ticket another process
claimed first is not returned (PostgreSQL re-checks the condition after the row lock,
SQLite has one writer), a rolled-back round leaves the markers empty for the next.
A ticket found already past its deadline is told "breached" only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update

from hub.models import Role, Ticket
from hub.tickets.lifecycle import OPEN_STATUSES
from hub.uow import Unit
from notifications import text
from notifications.fanout import Draft, OfficerLookup, deliver

#: Tickets claimed per round and kind at most (the next round takes the rest).
BATCH = 200


@dataclass(frozen=True)
class Escalated:
    at_risk: list[int]
    breached: list[int]


async def _claim(unit: Unit, now: datetime, breached: bool) -> list[int]:
    marker = Ticket.breached_notified_at if breached else Ticket.at_risk_notified_at
    due = Ticket.due_at <= now if breached else Ticket.at_risk_at <= now
    ids = (
        select(Ticket.id)
        .where(Ticket.status.in_(list(OPEN_STATUSES)), due, marker.is_(None))
        .order_by(Ticket.due_at)
        .limit(BATCH)
    )
    if not breached:
        ids = ids.where(Ticket.due_at > now)
    values = (
        {
            "breached_notified_at": now,
            "at_risk_notified_at": func.coalesce(Ticket.at_risk_notified_at, now),
        }
        if breached
        else {"at_risk_notified_at": now}
    )
    claimed = await unit.session.scalars(
        update(Ticket)
        .where(Ticket.id.in_(ids.scalar_subquery()), marker.is_(None))
        .values(**values)
        .returning(Ticket.id)
        .execution_options(synchronize_session=False)
    )
    return sorted(claimed)


async def escalate(unit: Unit, now: datetime) -> Escalated:
    """Notify each newly breached, then each newly at-risk open request, once."""
    breached = await _claim(unit, now, breached=True)
    at_risk = await _claim(unit, now, breached=False)
    officers = OfficerLookup(unit.session)
    jobs: list[tuple[Draft, list[int]]] = []
    for kind, ids in (("sla_breached", breached), ("sla_warning", at_risk)):
        if not ids:
            continue
        for t in await unit.session.scalars(select(Ticket).where(Ticket.id.in_(ids))):
            preview = (text.breached_preview if kind == "sla_breached" else text.sla_preview)(
                t.due_at
            )
            who = list(await officers.concerned(t))
            for office_id in await unit.ctx.offices.above(unit.session, t.office_id):
                who += await officers.with_role(office_id, Role.supervisor)
            jobs.append((Draft(kind, t, preview), who))
    await deliver(unit, jobs, now)
    return Escalated(at_risk=at_risk, breached=breached)
