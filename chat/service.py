"""A conversation on a ticket's timeline: joining and resuming, history, edits,
read receipts, typing. Posting is :mod:`chat.posting`, uploads :mod:`chat.attachments`.

Guarantees:
- a replay is all or nothing: a client more than ``MAX_REPLAY`` events behind gets
  ``resync_required`` and pages the history instead;
- one's own comment may be edited or withdrawn for 15 minutes; the original text is
  kept for audit, never shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from chat import store
from chat.events import ReadOut, TypingOut, Typist
from chat.models import ReadPosition
from chat.posting import clean_body
from hub import policy, ratelimit
from hub.errors import Forbidden, Invalid, NotFound, RateLimited, ResyncRequired
from hub.models import Ticket, TicketEvent
from hub.principal import Principal
from hub.ratelimit import RateLimiter
from hub.tickets.views import find_ticket, visible_ticket
from hub.timeline import (
    MAX_REPLAY,
    TICKETS_NS,
    append_event,
    event_view,
    events_before,
    events_between,
    ticket_room,
)
from hub.uow import Unit
from hub.visibility import covered_through

EDIT_WINDOW = timedelta(minutes=15)

TYPING_EXPIRES = 6.0


@dataclass(frozen=True)
class Joined:
    ticket_id: int
    last_seq: int
    events: list[dict[str, Any]]
    reads: list[dict[str, Any]]
    #: with ``after_seq``: every event the joiner may see up to here is in ``events``
    through_seq: int | None = None


@dataclass(frozen=True)
class Page:
    """Events of a range, as the asker may see them, and how far the range is covered:
    seqs up to ``through_seq`` that are not in ``events`` are not for the asker."""

    events: list[dict[str, Any]]
    through_seq: int


def read_view(r: ReadPosition) -> dict[str, Any]:
    return {
        "ticket_id": r.ticket_id,
        "reader": {"id": r.reader_id, "role": r.reader_role, "name": r.reader_name},
        "seq": r.seq,
    }


async def check_join(
    session: AsyncSession, p: Principal, ticket_id: int, after_seq: int | None
) -> Ticket:
    """May ``p`` watch this ticket, and can ``after_seq`` be replayed in full?"""
    t = await visible_ticket(session, p, ticket_id)
    if after_seq is not None:
        if after_seq > t.last_seq:
            raise Invalid("after_seq_ahead", last_seq=t.last_seq)
        if t.last_seq - after_seq > MAX_REPLAY:
            raise ResyncRequired(last_seq=t.last_seq, max_replay=MAX_REPLAY)
    return t


async def replay(
    session: AsyncSession, p: Principal, ticket_id: int, after_seq: int | None
) -> Joined:
    """What a joining client needs: the events after ``after_seq`` (all ``p`` may see, in
    order) and reads.

    Only after :func:`check_join` allowed the join, in a later transaction (so that
    what was committed since the check is seen).
    """
    t = await find_ticket(session, ticket_id)
    full = t is not None and policy.can_see_internal(p, t)
    last_seq = await store.last_seq(session, ticket_id)
    events: list[TicketEvent] = []
    through: int | None = None
    if after_seq is not None:
        limit = MAX_REPLAY + 1
        events = await events_between(session, ticket_id, after_seq, limit, public=not full)
        top = events[-1].seq if events else None
        through = covered_through(top, last_seq, len(events) >= limit)
    reads = await store.read_positions(session, ticket_id)
    return Joined(
        ticket_id=ticket_id,
        last_seq=max([last_seq, *[e.seq for e in events]]),
        events=[event_view(e, full=full) for e in events],
        reads=[read_view(r) for r in reads],
        through_seq=through,
    )


async def find_comment(
    session: AsyncSession, p: Principal, ticket_id: int, client_id: str
) -> TicketEvent | None:
    """The comment ``p`` already stored under ``client_id`` on this ticket, if any."""
    ev = await store.comment_by_client_id(session, ticket_id, p.actor_key, client_id)
    return ev if ev is not None and ev.kind == "comment" else None


async def _own_recent_comment(unit: Unit, p: Principal, ticket_id: int, seq: int) -> TicketEvent:
    t = await visible_ticket(unit.session, p, ticket_id)
    policy.check_comment(p, t)
    ev = await store.event_at(unit.session, ticket_id, seq)
    if ev is None or ev.kind != "comment":
        raise NotFound("comment_not_found")
    if ev.actor_key != p.actor_key:
        raise Forbidden("own_comment_only")
    if ev.payload.get("deleted"):
        raise NotFound("comment_deleted")
    if unit.ctx.clock.now() - ev.created_at > EDIT_WINDOW:
        raise Forbidden("edit_window_passed")
    return ev


async def edit_comment(
    unit: Unit, p: Principal, ticket_id: int, seq: int, body: str
) -> TicketEvent:
    """Replace the text of one's own comment within 15 minutes.

    The timeline gets a ``comment_edited`` event; the original text is kept in the
    comment's audit trail (never shown to clients).
    """
    ev = await _own_recent_comment(unit, p, ticket_id, seq)
    text = clean_body(body)
    if not text:
        raise Invalid("message_empty", field="body")
    audit = [
        *ev.payload.get("_audit", []),
        {"body": ev.payload.get("body"), "at": unit.ctx.clock.now().isoformat()},
    ]
    ev.payload = {**ev.payload, "body": text, "edited": True, "_audit": audit}
    return await append_event(
        unit, ticket_id, "comment_edited", p, {"target_seq": seq, "body": text}
    )


async def delete_comment(unit: Unit, p: Principal, ticket_id: int, seq: int) -> TicketEvent:
    """Withdraw one's own comment within 15 minutes; kept for audit, hidden from views."""
    ev = await _own_recent_comment(unit, p, ticket_id, seq)
    audit = [
        *ev.payload.get("_audit", []),
        {"body": ev.payload.get("body"), "at": unit.ctx.clock.now().isoformat()},
    ]
    ev.payload = {"body": "", "deleted": True, "_audit": audit}
    return await append_event(unit, ticket_id, "comment_deleted", p, {"target_seq": seq})


async def history(
    session: AsyncSession, p: Principal, ticket_id: int, before_seq: int | None, limit: int
) -> Page:
    """One page of the timeline as ``p`` may see it, older than ``before_seq`` (the newest
    page if None); it covers every seq from its first event up to ``through_seq``."""
    t = await visible_ticket(session, p, ticket_id)
    full = policy.can_see_internal(p, t)
    rows = await events_before(session, ticket_id, before_seq, limit, public=not full)
    top = rows[-1].seq if rows else None
    return Page(
        [event_view(e, full=full) for e in rows],
        covered_through(top, t.last_seq, False, before_seq),
    )


async def missing(
    session: AsyncSession, p: Principal, ticket_id: int, after_seq: int, before_seq: int | None
) -> Page:
    """Gap fill: every event ``p`` may see strictly between the two seqs (at most
    ``MAX_REPLAY``); ``through_seq`` says where the filled range ends, so a seq ``p`` may
    not see (an internal note) is not asked for again."""
    t = await visible_ticket(session, p, ticket_id)
    full = policy.can_see_internal(p, t)
    if before_seq is not None and before_seq - after_seq - 1 > MAX_REPLAY:
        raise ResyncRequired(max_replay=MAX_REPLAY)
    rows = await events_between(
        session, ticket_id, after_seq, MAX_REPLAY + 1, before_seq, public=not full
    )
    if len(rows) > MAX_REPLAY:
        raise ResyncRequired(max_replay=MAX_REPLAY)
    top = rows[-1].seq if rows else None
    through = max(after_seq, covered_through(top, t.last_seq, False, before_seq))
    return Page([event_view(e, full=full) for e in rows], through)


async def mark_read(unit: Unit, p: Principal, ticket_id: int, seq: int) -> ReadPosition:
    """Move ``p``'s read position forward (never back) and tell the ticket's room."""
    t = await visible_ticket(unit.session, p, ticket_id)
    seq = min(seq, t.last_seq)
    row = await store.read_position(unit.session, ticket_id, p.actor_key)
    if row is None:
        row = ReadPosition(
            ticket_id=ticket_id, reader_key=p.actor_key, reader_id=p.user_id,
            reader_role=p.role.value, reader_name=p.name, seq=seq, updated_at=unit.ctx.clock.now(),
        )  # fmt: skip
        unit.session.add(row)
    elif seq > row.seq:
        row.seq = seq
        row.updated_at = unit.ctx.clock.now()
    else:
        return row
    unit.emit("read", ReadOut.model_validate(read_view(row)), [ticket_room(ticket_id)], TICKETS_NS)
    return row


async def typing(
    unit: Unit, limiter: RateLimiter, p: Principal, ticket_id: int, active: bool
) -> bool:
    """Tell the room ``p`` is typing; throttled per speaker, never stored.

    Reads only: run it in ``hub.unit(write=False)``.

    Returns False when throttled (nothing sent). Watchers drop the indicator
    after ``expires_in`` seconds unless it is refreshed.
    """
    await visible_ticket(unit.session, p, ticket_id)
    if active:
        try:
            await limiter.hit(f"typing:{p.actor_key}:{ticket_id}", ratelimit.TYPING)
        except RateLimited:
            return False
    unit.emit(
        "typing",
        TypingOut(
            ticket_id=ticket_id,
            who=Typist(id=p.user_id, name=p.name, role=p.role.value, key=p.actor_key),
            typing=active,
            expires_in=TYPING_EXPIRES,
        ),
        [ticket_room(ticket_id)],
        TICKETS_NS,
    )
    return True


async def latest_event(session: AsyncSession, ticket_id: int) -> dict[str, Any] | None:
    """The newest public event of a ticket's timeline, as the public sees it (for the
    ticket's room, whose watchers were authorized)."""
    rows = await events_before(session, ticket_id, None, 1, public=True)
    return event_view(rows[0]) if rows else None


async def may_watch(session: AsyncSession, ticket_id: int, watchers: list[Principal]) -> list[bool]:
    """For each watcher: may they still see the ticket (after a transfer, a deactivation)?"""
    t = await find_ticket(session, ticket_id)
    return [t is not None and policy.can_view_ticket(p, t) for p in watchers]
