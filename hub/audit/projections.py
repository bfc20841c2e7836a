"""Ticket decisions enter the audit trail as a projection of the lifecycle's facts.

Every disposition (``disposed``), status change (``status_changed``: verification,
approval, rejection, completion…) and transfer (``transferred``) the ticket actions
append to a timeline is recorded as :class:`hub.tickets.facts.TimelineAppended`; this
appends the matching audit entry to the office's chain in the same transaction (before
commit), so the decision and its entry commit together. The summary carries the ticket
number, the timeline seq and the statuses or desks — not the note or the reason, free
text that stays on the timeline.
"""

from __future__ import annotations

from typing import Any

from hub.audit_chain import append
from hub.context import Hub
from hub.models import Ticket
from hub.tickets.facts import TimelineAppended
from hub.uow import Unit

AUDITED = ("status_changed", "disposed", "transferred")


def _summary(ticket: Ticket, kind: str, seq: int, payload: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"ticket": ticket.number, "seq": seq}
    if kind == "status_changed":
        out.update({"from": payload.get("from"), "to": payload.get("to")})
    elif kind == "disposed":
        to_user = payload.get("to_user") or {}
        out.update({"to_role": payload.get("to_role"), "to_user_id": to_user.get("id")})
    else:
        out.update(
            {"from_office": payload.get("from_office"), "to_office": payload.get("to_office")}
        )
    return out


async def _audit(unit: Unit, fact: TimelineAppended) -> None:
    ev = fact.event
    if ev.kind not in AUDITED:
        return
    ticket = await unit.session.get(Ticket, ev.ticket_id)
    assert ticket is not None
    action = (
        f"ticket.{ev.payload.get('action')}" if ev.kind == "status_changed" else f"ticket.{ev.kind}"
    )
    # a transfer is the old office's act: its chain records where the ticket went
    office = int(ev.payload["from_office"]) if ev.kind == "transferred" else ticket.office_id
    await append(
        unit, ev.actor_id, ev.actor_role, action, "ticket", ticket.id, office,
        _summary(ticket, ev.kind, ev.seq, ev.payload),
    )  # fmt: skip


def subscribe(hub: Hub) -> None:
    hub.on_fact(TimelineAppended, _audit)
