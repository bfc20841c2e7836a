"""A ringing call reaches the callee wherever they are: any page, a page opened later,
or — through Web Push — a browser with no page of the hub open.

- :func:`ring_elsewhere` queues, after commit, the control message
  :data:`RINGING_OP` to every process; notifications subscribes to it
  (:mod:`notifications.ringpush`) and pushes the call to the callee's closed browsers.
  Signaling imports nothing of notifications.
- :func:`ringing_for` reads the calls ringing for a person right now: a socket that
  connects to ``/calls`` while one rings (the page a push opened, a second device, a
  reconnect) is sent ``ringing`` for it at once.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from hub.clock import iso
from hub.context import Hub
from hub.models import Office, Ticket
from hub.principal import Principal
from hub.uow import Unit
from signaling import events
from signaling.models import Call, CallStatus

#: Control op: a call started ringing (args: ``callee_user_id``, ``ringing``).
RINGING_OP = "call_ringing"


def ringing_view(c: Call, ticket_number: str, office: Office) -> events.RingingOut:
    """The ``ringing`` event of ``c`` (its ticket's number and office)."""
    return events.RingingOut(
        call_id=c.id,
        ticket=events.TicketRef(id=c.ticket_id, number=ticket_number),
        caller=events.CallerRef(
            id=c.caller_id,
            name=c.caller_name,
            role=c.caller_role,
            office_id=office.id,
            office_name=office.name,
        ),
        media=c.media.value,
        ring_deadline=iso(c.ring_deadline),
    )


def ring_elsewhere(unit: Unit, c: Call, ringing: events.RingingOut) -> None:
    """After commit, tell every process a call rings (for Web Push to closed browsers).

    Only a registered callee can be pushed (a walk-in receipt holder has no
    subscriptions).
    """
    if c.callee_user_id is not None:
        unit.control(
            RINGING_OP,
            callee_user_id=c.callee_user_id,
            ringing=ringing.model_dump(mode="json"),
        )


async def ringing_for(hub: Hub, p: Principal) -> list[dict[str, Any]]:
    """The ``ringing`` events of the calls ringing for ``p`` now (at most one: a callee
    has one live call). Officers are never called: nothing for them, no query."""
    if p.is_officer:
        return []
    async with hub.reader() as session:
        rows = (
            await session.execute(
                select(Call, Ticket.number, Office)
                .join(Ticket, Ticket.id == Call.ticket_id)
                .join(Office, Office.id == Call.office_id)
                .where(
                    Call.live_callee_key == p.actor_key,
                    Call.status == CallStatus.ringing,
                    Call.ring_deadline > hub.clock.now(),
                )
            )
        ).all()
    return [ringing_view(c, number, office).model_dump(mode="json") for c, number, office in rows]
