"""Posting comments: cleaned, checked, stored once per ``client_id``, in batches.

Guarantees:
- a comment is acknowledged only after its transaction committed, with the stored
  event (``seq``, time, author all decided here, never by the client);
- a ``client_id`` is stored once per speaker and ticket: a resend returns the
  event already stored, creates nothing, publishes nothing;
- a batch (group commit, :class:`hub.batching.Batcher` in the ``send`` handler) is
  one transaction with a handful of statements whatever its size, and each comment
  in it still gets its own outcome.
"""

from __future__ import annotations

import asyncio
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from chat import store
from chat.attachments import attachment_view, claimable
from chat.models import Attachment
from hub import policy, ratelimit
from hub.errors import HubError, Invalid, RateLimited
from hub.models import Ticket, TicketEvent
from hub.principal import Principal
from hub.ratelimit import RateLimiter
from hub.timeline import NewEvent, append_events, lock_tickets
from hub.uow import Unit
from notifications.fanout import audience_of, notify_ticket_events

MAX_BODY = 4000

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def clean_body(raw: str) -> str:
    """NFC, control/bidi characters removed (newline and tab kept), trimmed, 1..4000."""
    text = _CONTROL.sub("", unicodedata.normalize("NFC", raw).replace("\r\n", "\n"))
    text = text.strip()
    if len(text) > MAX_BODY:
        raise Invalid("comment_too_long", field="body", max=MAX_BODY)
    return text


@dataclass(frozen=True)
class NewComment:
    """A comment as sent: not yet cleaned, checked or stored."""

    principal: Principal
    ticket_id: int
    client_id: str
    body: str
    attachment_ids: tuple[str, ...] = ()


#: (the stored event, stored just now?) — False for a resent ``client_id``.
Posted = tuple[TicketEvent, bool]


async def post_comments(
    unit: Unit,
    limiter: RateLimiter,
    comments: Sequence[NewComment],
    rule: ratelimit.Rule = ratelimit.COMMENT,
) -> list[Posted | HubError]:
    """Store many comments in the caller's transaction (group commit); one result each.

    Each comment is stored once per ``client_id`` (a resend returns the stored event,
    ``created`` False, and is never rate limited — also when both copies arrive in the
    same batch). A comment that cannot be stored gets its own error in its place —
    ``not_found`` (cannot see the ticket), ``forbidden`` (cannot speak on it),
    ``invalid`` (empty or too long after cleaning, foreign attachment),
    ``rate_limited`` — and the others go on. A handful of statements per call, however
    many comments it carries.

    The tickets' rows are locked (PostgreSQL: until commit, so another process's batch
    on the same tickets waits) only for the writes: the checks, resend lookup, rate
    limit and notification reads come first, on an unlocked read, and the checks are
    repeated on the locked rows.
    """
    session = unit.session
    tickets, stored = await store.tickets_and_comments(
        session, [(c.ticket_id, c.principal.actor_key, c.client_id) for c in comments]
    )
    slots: list[Posted | HubError | _Pending] = []
    pending: dict[tuple[int, str, str], _Pending] = {}
    for c in comments:
        key = (c.ticket_id, c.principal.actor_key, c.client_id)
        try:
            policy.check_comment(c.principal, tickets.get(c.ticket_id))
            if key in stored:
                if stored[key].kind != "comment":  # e.g. the same speaker's internal note
                    raise Invalid("client_id_used", field="client_id")
                slots.append((stored[key], False))
            elif key in pending:
                slots.append(_Pending(pending[key].new, [], repeat=True))
            else:
                pending[key] = await _accept(session, c)
                slots.append(pending[key])
        except HubError as exc:
            slots.append(exc)
    refused = await _rate_limit(limiter, rule, pending)
    audience = await audience_of(session, unit.ctx, tickets, [q.new for q in pending.values()])
    # The lock: from here to the commit, as few round trips as can be.
    if pending:
        locking = [q.new.ticket_id for q in pending.values()]
        tickets = await lock_tickets(session, locking, tickets)
        await _recheck(session, tickets, pending, refused)
    fresh = await append_events(unit, tickets, [q.new for q in pending.values()])
    made = {id(q.new): ev for q, ev in zip(pending.values(), fresh, strict=True)}
    for q in pending.values():
        for a in q.files:
            a.event_seq = made[id(q.new)].seq
    await notify_ticket_events(unit, fresh, audience)
    return [
        (refused.get(id(slot.new)) or (made[id(slot.new)], not slot.repeat))
        if isinstance(slot, _Pending)
        else slot
        for slot in slots
    ]


@dataclass(frozen=True)
class _Pending:
    new: NewEvent
    files: list[Attachment]
    repeat: bool = False


async def _recheck(
    session: AsyncSession,
    tickets: dict[int, Ticket],
    pending: dict[tuple[int, str, str], _Pending],
    refused: dict[int, HubError],
) -> None:
    """The checks again, on the locked rows: a ticket may have closed or moved, or an
    attachment been claimed by another comment, since the unlocked read. The refused
    leave ``pending``; their errors go in ``refused`` by ``id()`` of their event."""
    for key, q in list(pending.items()):
        actor = q.new.actor
        assert actor is not None
        try:
            policy.check_comment(actor, tickets.get(q.new.ticket_id))
            if q.files:
                await claimable(
                    session, actor, q.new.ticket_id, [a.id for a in q.files], fresh=True
                )
        except HubError as exc:
            refused[id(q.new)] = exc
            del pending[key]


async def _rate_limit(
    limiter: RateLimiter, rule: ratelimit.Rule, pending: dict[tuple[int, str, str], _Pending]
) -> dict[int, HubError]:
    """Spend a token per new comment; the refused ones leave ``pending``.

    Each speaker's comments in their order, the speakers side by side (with Redis:
    one round trip per speaker at a time, not one per comment of the batch). Returns
    the refusals by ``id()`` of their event, for the comments' slots.
    """
    by_actor: dict[str, list[tuple[int, str, str]]] = {}
    for key in pending:
        by_actor.setdefault(key[1], []).append(key)
    refused: dict[int, HubError] = {}

    async def spend(actor_key: str, keys: list[tuple[int, str, str]]) -> None:
        for key in keys:
            try:
                await limiter.hit(f"comment:{actor_key}", rule)
            except RateLimited as exc:
                refused[id(pending[key].new)] = exc

    await asyncio.gather(*(spend(actor, keys) for actor, keys in by_actor.items()))
    for key in [k for k, q in pending.items() if id(q.new) in refused]:
        del pending[key]
    return refused


async def _accept(session: AsyncSession, c: NewComment) -> _Pending:
    """Clean and check one new comment of a batch; the event to append."""
    p = c.principal
    text = clean_body(c.body)
    files = await claimable(session, p, c.ticket_id, list(c.attachment_ids))
    if not text and not files:
        raise Invalid("message_empty", field="body")
    payload: dict[str, Any] = {"body": text}
    if files:
        payload["attachments"] = [attachment_view(a) for a in files]
    new = NewEvent(c.ticket_id, "comment", p, payload, client_id=c.client_id)
    return _Pending(new, files)
