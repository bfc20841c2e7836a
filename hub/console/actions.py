"""Use cases of the desk tools (and the forward picker): each owns its transaction.

``actions.x(hub, principal, ...)`` → one ``hub.unit()`` or ``hub.reader()`` → the
services → a view. Routes parse and answer; they never hold a session.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError

from hub.console import canned, notes
from hub.context import Hub
from hub.errors import Conflict
from hub.principal import Principal
from hub.tickets import desks
from hub.timeline import event_view


async def post_note(
    hub: Hub, p: Principal, ticket_id: int, client_id: str, body: str
) -> tuple[dict[str, Any], bool]:
    """The stored note's (whole) view and whether it was stored just now (False: a resend).

    When the same ``client_id`` races itself, the one that lost gets the winner's note.
    """
    try:
        async with hub.unit() as unit:
            ev, created = await notes.post_note(
                unit, hub.limiter, hub.comment_rule, p, ticket_id, client_id, body
            )
            return event_view(ev, full=True), created
    except IntegrityError:
        async with hub.reader() as session:
            existing = await notes.find_note(session, p, ticket_id, client_id)
        if existing is None:
            raise
        return event_view(existing, full=True), False


async def forward_targets(hub: Hub, p: Principal, ticket_id: int) -> dict[str, Any]:
    async with hub.reader() as session:
        return await desks.forward_targets(session, p, ticket_id)


async def canned_replies(hub: Hub, p: Principal, office_id: int | None) -> dict[str, Any]:
    async with hub.reader() as session:
        found = await canned.listing(session, p, office_id)
    return {
        "replies": [canned.reply_view(r) for r in found.replies],
        "offices": [{"id": i, "name": name, "manage": manage} for i, name, manage in found.offices],
    }


async def add_canned(
    hub: Hub, p: Principal, office_id: int, title: str, body: str
) -> dict[str, Any]:
    try:
        async with hub.unit() as unit:
            return canned.reply_view(await canned.create(unit, p, office_id, title, body))
    except IntegrityError as exc:  # the same title added twice at once
        raise Conflict("canned_title_taken") from exc


async def change_canned(
    hub: Hub, p: Principal, reply_id: int, version: int, title: str | None, body: str | None
) -> dict[str, Any]:
    try:
        async with hub.unit() as unit:
            row = await canned.update(unit, p, reply_id, version, title, body)
            return canned.reply_view(row)
    except IntegrityError as exc:
        raise Conflict("canned_title_taken") from exc


async def remove_canned(hub: Hub, p: Principal, reply_id: int, version: int) -> None:
    async with hub.unit() as unit:
        await canned.delete(unit, p, reply_id, version)
