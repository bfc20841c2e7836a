"""Notifications as a projection of what tickets and calls record.

Subscribed on every hub that runs the services (:func:`subscribe`); run in the
transaction of the change, just before it commits, so a rolled-back change notifies
no one. Comments notify directly (:func:`notifications.fanout.notify_ticket_events`
with the audience read before the batch's row locks).
"""

from __future__ import annotations

from hub.context import Hub
from hub.tickets.facts import TimelineAppended
from hub.uow import Unit
from notifications.fanout import notify_missed_call, notify_ticket_event
from signaling.facts import CallMissed


async def timeline_appended(unit: Unit, fact: TimelineAppended) -> None:
    """A status change tells the applicant; a disposition, its target (see
    :func:`~notifications.fanout.notify_ticket_events`)."""
    await notify_ticket_event(unit, fact.event)


async def call_missed(unit: Unit, fact: CallMissed) -> None:
    """The callee of an unanswered call gets an inbox item (and a push)."""
    c = fact.call
    await notify_missed_call(unit, c.ticket_id, c.callee_user_id, c.caller_name)


def subscribe(hub: Hub) -> None:
    hub.on_fact(TimelineAppended, timeline_appended)
    hub.on_fact(CallMissed, call_missed)
