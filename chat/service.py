"""Comments on a ticket's timeline.

Guarantees:
- a comment is acknowledged only after its transaction committed, with the stored
  event (``seq``, time, author all decided here, never by the client);
- a ``client_id`` is stored once per speaker and ticket: a resend returns the
  event already stored, creates nothing, publishes nothing;
- a replay is all or nothing: a client more than ``MAX_REPLAY`` events behind gets
  ``resync_required`` and pages the history instead.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import secrets
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from chat import store
from chat.models import Attachment, ReadPosition
from hub import policy, ratelimit
from hub.clock import utcnow
from hub.errors import (
    Forbidden,
    HubError,
    Invalid,
    NotFound,
    RateLimited,
    ResyncRequired,
    TooLarge,
)
from hub.models import Ticket, TicketEvent
from hub.principal import Principal
from hub.ratelimit import RateLimiter
from hub.tickets.views import find_ticket, visible_ticket
from hub.timeline import (
    MAX_REPLAY,
    TICKETS_NS,
    NewEvent,
    append_event,
    append_events,
    event_view,
    events_before,
    events_between,
    lock_tickets,
    read_tickets,
    ticket_room,
)
from hub.uow import Unit
from notifications.fanout import audience_of, notify_ticket_events

MAX_BODY = 4000
EDIT_WINDOW = timedelta(minutes=15)
TYPING_EXPIRES = 6.0
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def clean_body(raw: str) -> str:
    """NFC, control/bidi characters removed (newline and tab kept), trimmed, 1..4000."""
    text = _CONTROL.sub("", unicodedata.normalize("NFC", raw).replace("\r\n", "\n"))
    text = text.strip()
    if len(text) > MAX_BODY:
        raise Invalid(
            f"Pesan maksimal {MAX_BODY} karakter / At most {MAX_BODY} characters", field="body"
        )
    return text


@dataclass(frozen=True)
class Joined:
    ticket_id: int
    last_seq: int
    events: list[dict[str, Any]]
    reads: list[dict[str, Any]]


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
            raise Invalid(
                "after_seq melebihi seq terakhir / after_seq is ahead", last_seq=t.last_seq
            )
        if t.last_seq - after_seq > MAX_REPLAY:
            raise ResyncRequired(last_seq=t.last_seq, max_replay=MAX_REPLAY)
    return t


async def replay(session: AsyncSession, ticket_id: int, after_seq: int | None) -> Joined:
    """What a joining client needs: the events after ``after_seq`` (all, in order) and reads.

    Only after :func:`check_join` allowed the join, in a later transaction (so that
    what was committed since the check is seen).
    """
    last_seq = await store.last_seq(session, ticket_id)
    events: list[TicketEvent] = []
    if after_seq is not None:
        events = await events_between(session, ticket_id, after_seq, MAX_REPLAY + 1)
    reads = await store.read_positions(session, ticket_id)
    return Joined(
        ticket_id=ticket_id,
        last_seq=max([last_seq, *[e.seq for e in events]]),
        events=[event_view(e) for e in events],
        reads=[read_view(r) for r in reads],
    )


async def find_comment(
    session: AsyncSession, p: Principal, ticket_id: int, client_id: str
) -> TicketEvent | None:
    """The comment ``p`` already stored under ``client_id`` on this ticket, if any."""
    return await store.comment_by_client_id(session, ticket_id, p.actor_key, client_id)


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
    tickets = await read_tickets(session, [c.ticket_id for c in comments])
    stored = await store.comments_by_client_ids(
        session, [(c.ticket_id, c.principal.actor_key, c.client_id) for c in comments]
    )
    slots: list[Posted | HubError | _Pending] = []
    pending: dict[tuple[int, str, str], _Pending] = {}
    for c in comments:
        key = (c.ticket_id, c.principal.actor_key, c.client_id)
        try:
            policy.check_comment(c.principal, tickets.get(c.ticket_id))
            if key in stored:
                slots.append((stored[key], False))
            elif key in pending:
                slots.append(_Pending(pending[key].new, [], repeat=True))
            else:
                pending[key] = await _accept(session, c)
                slots.append(pending[key])
        except HubError as exc:
            slots.append(exc)
    refused = await _rate_limit(limiter, rule, pending)
    audience = await audience_of(session, tickets, [q.new for q in pending.values()])
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
                await _claimable(
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
    files = await _claimable(session, p, c.ticket_id, list(c.attachment_ids))
    if not text and not files:
        raise Invalid("Pesan kosong / Empty message", field="body")
    payload: dict[str, Any] = {"body": text}
    if files:
        payload["attachments"] = [attachment_view(a) for a in files]
    new = NewEvent(c.ticket_id, "comment", p, payload, client_id=c.client_id)
    return _Pending(new, files)


async def _claimable(
    session: AsyncSession, p: Principal, ticket_id: int, ids: list[str], fresh: bool = False
) -> list[Attachment]:
    if not ids:
        return []
    rows = {a.id: a for a in await store.attachments(session, ids, fresh)}
    files = []
    for attachment_id in dict.fromkeys(ids):
        a = rows.get(attachment_id)
        if a is None or a.ticket_id != ticket_id or a.uploader_key != p.actor_key or a.event_seq:
            raise Invalid("Lampiran tidak valid / Unknown attachment", field="attachments")
        files.append(a)
    return files


def attachment_view(a: Attachment) -> dict[str, Any]:
    return {
        "id": a.id,
        "name": a.filename,
        "type": a.content_type,
        "size": a.size,
        "url": f"/api/tickets/{a.ticket_id}/attachments/{a.id}",
    }


async def _own_recent_comment(unit: Unit, p: Principal, ticket_id: int, seq: int) -> TicketEvent:
    t = await visible_ticket(unit.session, p, ticket_id)
    policy.check_comment(p, t)
    ev = await store.event_at(unit.session, ticket_id, seq)
    if ev is None or ev.kind != "comment":
        raise NotFound("Komentar tidak ditemukan / Comment not found")
    if ev.actor_key != p.actor_key:
        raise Forbidden("Hanya komentar Anda sendiri / Only your own comment")
    if ev.payload.get("deleted"):
        raise NotFound("Komentar sudah dihapus / Comment was deleted")
    if utcnow() - ev.created_at > EDIT_WINDOW:
        raise Forbidden("Batas waktu ubah 15 menit lewat / The 15-minute edit window has passed")
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
        raise Invalid("Pesan kosong / Empty message", field="body")
    audit = [
        *ev.payload.get("_audit", []),
        {"body": ev.payload.get("body"), "at": utcnow().isoformat()},
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
        {"body": ev.payload.get("body"), "at": utcnow().isoformat()},
    ]
    ev.payload = {"body": "", "deleted": True, "_audit": audit}
    return await append_event(unit, ticket_id, "comment_deleted", p, {"target_seq": seq})


async def history(
    session: AsyncSession, p: Principal, ticket_id: int, before_seq: int | None, limit: int
) -> list[dict[str, Any]]:
    """One page of the timeline, older than ``before_seq`` (the newest page if None)."""
    await visible_ticket(session, p, ticket_id)
    return [event_view(e) for e in await events_before(session, ticket_id, before_seq, limit)]


async def missing(
    session: AsyncSession, p: Principal, ticket_id: int, after_seq: int, before_seq: int | None
) -> list[dict[str, Any]]:
    """Gap fill: every event strictly between the two seqs (at most ``MAX_REPLAY``)."""
    await visible_ticket(session, p, ticket_id)
    if before_seq is not None and before_seq - after_seq - 1 > MAX_REPLAY:
        raise ResyncRequired(max_replay=MAX_REPLAY)
    rows = await events_between(session, ticket_id, after_seq, MAX_REPLAY + 1, before_seq)
    if len(rows) > MAX_REPLAY:
        raise ResyncRequired(max_replay=MAX_REPLAY)
    return [event_view(e) for e in rows]


async def mark_read(unit: Unit, p: Principal, ticket_id: int, seq: int) -> ReadPosition:
    """Move ``p``'s read position forward (never back) and tell the ticket's room."""
    t = await visible_ticket(unit.session, p, ticket_id)
    seq = min(seq, t.last_seq)
    row = await store.read_position(unit.session, ticket_id, p.actor_key)
    if row is None:
        row = ReadPosition(
            ticket_id=ticket_id, reader_key=p.actor_key, reader_id=p.user_id,
            reader_role=p.role.value, reader_name=p.name, seq=seq, updated_at=utcnow(),
        )  # fmt: skip
        unit.session.add(row)
    elif seq > row.seq:
        row.seq = seq
        row.updated_at = utcnow()
    else:
        return row
    unit.emit("read", read_view(row), [ticket_room(ticket_id)], TICKETS_NS)
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
        {
            "ticket_id": ticket_id,
            "who": {"id": p.user_id, "name": p.name, "role": p.role.value, "key": p.actor_key},
            "typing": active,
            "expires_in": TYPING_EXPIRES,
        },
        [ticket_room(ticket_id)],
        TICKETS_NS,
    )
    return True


async def latest_event(session: AsyncSession, ticket_id: int) -> dict[str, Any] | None:
    """The newest event of a ticket's timeline (for watchers already authorized)."""
    rows = await events_before(session, ticket_id, None, 1)
    return event_view(rows[0]) if rows else None


async def may_watch(session: AsyncSession, ticket_id: int, watchers: list[Principal]) -> list[bool]:
    """For each watcher: may they still see the ticket (after a transfer, a deactivation)?"""
    t = await find_ticket(session, ticket_id)
    return [t is not None and policy.can_view_ticket(p, t) for p in watchers]


IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp"}
MAX_ATTACHMENT = 10 * 1024 * 1024


def sniff_type(head: bytes) -> str | None:
    """The content type from the file's own bytes (never from its name or header)."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def safe_filename(name: str, content_type: str) -> str:
    base = re.sub(r"[^A-Za-z0-9._ -]", "_", name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]).strip(" .")
    ext = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}.get(
        content_type, ".pdf"
    )
    base = (base or "lampiran")[:80]
    return base if base.lower().endswith(ext) else base + ext


async def add_attachment(
    unit: Unit,
    limiter: RateLimiter,
    p: Principal,
    ticket_id: int,
    name: str,
    data: bytes,
    folder: Path,
) -> Attachment:
    """Keep an uploaded photo (JPEG/PNG/WebP) or PDF for a later comment on this ticket.

    The type is checked by content; at most 10 MB. The bytes are written under
    ``folder`` (outside the database) before the row commits.
    """
    t = await visible_ticket(unit.session, p, ticket_id)
    policy.check_comment(p, t)
    if len(data) > MAX_ATTACHMENT:
        raise TooLarge("Lampiran maksimal 10 MB / Attachments up to 10 MB")
    content_type = sniff_type(data[:16])
    if content_type is None:
        raise Invalid("Hanya foto (JPEG/PNG/WebP) atau PDF / Only photos or PDF", field="file")
    await limiter.hit(f"upload:{p.actor_key}", ratelimit.UPLOAD)
    attachment_id = secrets.token_hex(16)
    await asyncio.to_thread(_write_file, folder, attachment_id, data)
    row = Attachment(
        id=attachment_id, ticket_id=ticket_id, uploader_key=p.actor_key,
        filename=safe_filename(name, content_type), content_type=content_type, size=len(data),
        sha256=hashlib.sha256(data).hexdigest(), created_at=utcnow(),
    )  # fmt: skip
    unit.session.add(row)
    return row


def _write_file(folder: Path, name: str, data: bytes) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


async def attachment_for(
    session: AsyncSession, p: Principal, ticket_id: int, attachment_id: str
) -> Attachment:
    """An attachment, only for those who may view its ticket (``not_found`` otherwise)."""
    await visible_ticket(session, p, ticket_id)
    a = await store.attachment(session, attachment_id)
    if a is None or a.ticket_id != ticket_id:
        raise NotFound("Lampiran tidak ditemukan / Attachment not found")
    return a
