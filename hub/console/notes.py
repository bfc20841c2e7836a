"""Internal notes: words on a ticket's timeline for the office's officers only.

A note is a timeline event of kind ``internal_note`` (``{"body": …}``), appended like any
other (next seq, same transaction), so officers read it in order with the conversation.
Its audience is :mod:`hub.visibility`'s: live only to the office's room, never the
ticket's room where the applicant is; left out of every read by anyone else; it notifies
no one and appears on no receipt, letter or export.

Guarantees:
- only an officer whose office scope holds the ticket's office writes one (others who
  may see the ticket: ``forbidden``; who may not: ``not_found``);
- idempotent per ``client_id`` like comments: a resend returns the stored note;
- rate limited like comments (per officer), a resend never.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from chat.posting import clean_body
from hub import policy
from hub.console import store
from hub.errors import Invalid
from hub.models import TicketEvent
from hub.principal import Principal
from hub.ratelimit import RateLimiter, Rule
from hub.tickets.views import visible_ticket
from hub.timeline import append_event
from hub.uow import Unit

KIND = "internal_note"


async def find_note(
    session: AsyncSession, p: Principal, ticket_id: int, client_id: str
) -> TicketEvent | None:
    """The note ``p`` stored under ``client_id`` on this ticket, if any (after a race)."""
    ev = await store.event_by_client_id(session, ticket_id, p.actor_key, client_id)
    return ev if ev is not None and ev.kind == KIND else None


async def post_note(
    unit: Unit,
    limiter: RateLimiter,
    rule: Rule,
    p: Principal,
    ticket_id: int,
    client_id: str,
    body: str,
) -> tuple[TicketEvent, bool]:
    """Store a note (or find the one already stored under ``client_id``); True if new."""
    session = unit.session
    t = await visible_ticket(session, p, ticket_id)
    policy.check_internal(p, t)
    stored = await store.event_by_client_id(session, t.id, p.actor_key, client_id)
    if stored is not None:
        if stored.kind != KIND:
            raise Invalid("client_id_used", field="client_id")
        return stored, False
    text = clean_body(body)
    if not text:
        raise Invalid("note_empty", field="body")
    await limiter.hit(f"comment:{p.actor_key}", rule)  # one budget with the officer's comments
    return await append_event(unit, t.id, KIND, p, {"body": text}, client_id=client_id), True
