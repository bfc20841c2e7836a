"""Canned replies: an office's ready answers, kept by its supervisors.

Every officer of an office (and those above it) reads its replies, for the composer's
picker; only a supervisor whose scope holds the office adds, changes or removes them.
A reply of an office outside one's scope is ``not_found``, as if it did not exist.

Guarantees: titles are unique per office (``invalid`` naming ``title``); a change names
the ``version`` it saw (``conflict`` otherwise); at most :data:`MAX_PER_OFFICE` per office.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from chat.posting import clean_body
from hub import policy
from hub.clock import iso
from hub.console import store
from hub.console.models import CannedReply
from hub.errors import Conflict, Forbidden, Invalid, NotFound
from hub.principal import Principal
from hub.uow import Unit

MAX_PER_OFFICE = 200
MAX_TITLE = 80
MAX_BODY = 2000


def reply_view(r: CannedReply) -> dict[str, Any]:
    return {
        "id": r.id,
        "office_id": r.office_id,
        "title": r.title,
        "body": r.body,
        "version": r.version,
        "updated_at": iso(r.updated_at),
    }


def _reads(p: Principal, office_id: int) -> bool:
    return p.is_officer and policy.in_office_scope(p, office_id)


@dataclass(frozen=True)
class Listing:
    replies: list[CannedReply]
    #: the offices listed, and whether ``p`` may manage each
    offices: list[tuple[int, str, bool]]


async def listing(session: AsyncSession, p: Principal, office_id: int | None) -> Listing:
    """The replies of ``office_id`` (or of every office of ``p``'s scope), for officers."""
    if not p.is_officer:
        raise Forbidden("officers_only")
    if office_id is not None and not _reads(p, office_id):
        raise Forbidden("not_your_office")
    ids = {office_id} if office_id is not None else set(p.office_scope)
    offices = await store.offices(session, ids)
    return Listing(
        await store.replies_of(session, ids),
        [(o.id, o.name, policy.can_manage_canned(p, o.id)) for o in offices],
    )


def _clean(title: str, body: str) -> tuple[str, str]:
    title = " ".join(title.split())
    if not title or len(title) > MAX_TITLE:
        raise Invalid("canned_title_length", field="title", max=MAX_TITLE)
    text = clean_body(body)
    if not text or len(text) > MAX_BODY:
        raise Invalid("canned_text_length", field="body", max=MAX_BODY)
    return title, text


async def _title_free(
    session: AsyncSession, office_id: int, title: str, other_than: int | None = None
) -> None:
    if await store.title_taken(session, office_id, title, other_than):
        raise Invalid("canned_title_in_use", field="title")


async def create(unit: Unit, p: Principal, office_id: int, title: str, body: str) -> CannedReply:
    """Add a reply to ``office_id`` (its supervisors only)."""
    policy.check_manage_canned(p, office_id)
    title, text = _clean(title, body)
    session = unit.session
    await _title_free(session, office_id, title)
    if await store.count_of(session, office_id) >= MAX_PER_OFFICE:
        raise Invalid("too_many_canned", field="office_id", max=MAX_PER_OFFICE)
    now = unit.ctx.clock.now()
    row = CannedReply(
        office_id=office_id, title=title, body=text, version=1,
        updated_by_id=p.user_id, created_at=now, updated_at=now,
    )  # fmt: skip
    session.add(row)
    await session.flush()
    return row


async def _managed(session: AsyncSession, p: Principal, reply_id: int, version: int) -> CannedReply:
    row = await store.reply(session, reply_id)
    if row is None or not _reads(p, row.office_id):
        raise NotFound("canned_not_found")
    policy.check_manage_canned(p, row.office_id)
    if row.version != version:
        raise Conflict(current_version=row.version)
    return row


async def update(
    unit: Unit,
    p: Principal,
    reply_id: int,
    version: int,
    title: str | None,
    body: str | None,
) -> CannedReply:
    """Change a reply's title and/or text (its office's supervisors, at ``version``)."""
    session = unit.session
    row = await _managed(session, p, reply_id, version)
    new_title, text = _clean(
        row.title if title is None else title, row.body if body is None else body
    )
    if new_title != row.title:
        await _title_free(session, row.office_id, new_title, other_than=row.id)
    row.title, row.body = new_title, text
    row.version += 1
    row.updated_by_id = p.user_id
    row.updated_at = unit.ctx.clock.now()
    await session.flush()
    return row


async def delete(unit: Unit, p: Principal, reply_id: int, version: int) -> None:
    """Remove a reply (its office's supervisors, at ``version``)."""
    row = await _managed(unit.session, p, reply_id, version)
    await unit.session.delete(row)
    await unit.session.flush()
