"""Handing the letter over: at the counter, or electronically where the office allows it.

At the counter (:func:`hand_over`) the office's front office completes the ticket (the
status table's ``complete``) once the applicant proved it is theirs — the receipt's
access code, checked by the caller off the event loop before this transaction, or the
receipt's QR code with the applicant's ID card seen. Electronically
(:func:`receive_electronically`) the applicant's own download completes it. Either way
the letter records who took it, when, and how, and the timeline gets
``letter_handed_over``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub import policy
from hub.accounts.models import OfficeHours
from hub.accounts.offices import hours_view
from hub.auth import ticket_number_key
from hub.errors import Forbidden, Invalid, InvalidTransition, NotFound
from hub.letters.models import Letter
from hub.letters.service import (
    is_applicant,
    is_office_officer,
    is_ready,
    letter_view,
    office_settings,
    ticket_and_letter,
)
from hub.models import Office, Role, Ticket, TicketStatus
from hub.principal import Principal
from hub.tickets.service import transition
from hub.timeline import append_event
from hub.uow import Unit

#: Where a receipt's QR code (the ticket page) carries the ticket id.
_TICKET_PATH = re.compile(r"^/(?:t|ticket|tickets)/([0-9]{1,19})(?:/receipt)?/?$")
METHODS = ("access_code", "qr")


@dataclass(frozen=True)
class PickupCheck:
    """What the counter checks against: the ticket's access-code hash."""

    ticket_id: int
    code_hash: str


async def pickup_info(session: AsyncSession, p: Principal, ticket_id: int) -> dict[str, Any]:
    """The letter and where to get it: the office, its address and hours, whether the
    applicant may download it instead (electronic delivery)."""
    t, letter = await ticket_and_letter(session, p, ticket_id)
    if not (is_applicant(p, t) or is_office_officer(p, t)):
        raise Forbidden("applicant_and_officers_only")
    office = await session.get(Office, t.office_id)
    assert office is not None
    rows = list(
        await session.scalars(select(OfficeHours).where(OfficeHours.office_id == office.id))
    )
    _template, electronic = await office_settings(session, office.id)
    return {
        "letter": letter_view(t, letter, p),
        "pickup": {
            "office": {"id": office.id, "name": office.name, "address": office.address},
            "hours": hours_view(rows),
            "electronic_delivery": electronic,
            "ready": is_ready(t, letter),
        },
    }


def check_handed_over_allowed(t: Ticket, letter: Letter) -> None:
    if letter.revoked_at is not None:
        raise InvalidTransition("letter_revoked", status="revoked")
    if t.status is not TicketStatus.approved or letter.handed_over_at is not None:
        raise InvalidTransition(
            "letter_not_waiting_pickup",
            status=t.status.value,
        )


async def check_counter(session: AsyncSession, p: Principal, ticket_id: int) -> PickupCheck:
    """Before any code is checked: the ticket's office's front office, a letter ready."""
    t, letter = await ticket_and_letter(session, p, ticket_id)
    if p.role is not Role.front_office or not policy.in_office_scope(p, t.office_id):
        raise Forbidden("office_front_office_only")
    check_handed_over_allowed(t, letter)
    return PickupCheck(t.id, t.access_code_hash)


async def resolve_scan(session: AsyncSession, p: Principal, text: str) -> Ticket:
    """The ticket a scanned receipt QR (its ticket page URL) or a typed ticket number names,
    if ``p`` may see it; ``not_found`` otherwise."""
    text = text.strip()
    ticket: Ticket | None = None
    path = urlsplit(text).path if "/" in text else ""
    match = _TICKET_PATH.match(path) if path else None
    if match:
        ticket = await session.get(Ticket, int(match.group(1)))
    elif text and len(text) <= 40:
        key = ticket_number_key(text)
        ticket = await session.scalar(select(Ticket).where(Ticket.number == key))
    if ticket is None or not policy.can_view_ticket(p, ticket):
        raise NotFound("ticket_not_found")
    return ticket


async def check_scan(session: AsyncSession, p: Principal, ticket_id: int, scanned: str) -> None:
    """The scanned QR names this very ticket (``invalid`` on field ``scanned`` if not)."""
    try:
        found = await resolve_scan(session, p, scanned)
    except NotFound:
        found = None
    if found is None or found.id != ticket_id:
        raise Invalid("qr_not_this_ticket", field="scanned")


async def _handed_over(
    unit: Unit, p: Principal, t: Ticket, letter: Letter, method: str, collector: str | None
) -> None:
    letter.delivery = "download" if method == "download" else "counter"
    letter.handed_over_at = unit.ctx.clock.now()
    letter.handed_over_by_id = p.user_id if method != "download" else None
    letter.handed_over_by_name = p.name if method != "download" else None
    letter.collector_name = collector or t.applicant_name
    letter.pickup_method = method
    await unit.session.flush()
    await append_event(
        unit,
        t.id,
        "letter_handed_over",
        p,
        {"number": letter.number, "method": method, "collector": letter.collector_name},
    )


async def hand_over(
    unit: Unit, p: Principal, ticket_id: int, version: int, method: str, collector: str | None
) -> tuple[Ticket, Letter]:
    """Complete the ticket at the counter (``complete``, its version checked) and record the
    hand-over. The caller has checked the access code or the scan (``method``)."""
    t, letter = await ticket_and_letter(unit.session, p, ticket_id)
    check_handed_over_allowed(t, letter)
    t = await transition(unit, p, ticket_id, "complete", version)
    await _handed_over(unit, p, t, letter, method, collector)
    return t, letter


async def receive_electronically(unit: Unit, p: Principal, ticket_id: int) -> Letter:
    """The applicant takes the letter as a download (offices with electronic delivery):
    the ticket completes through the status table (``complete``, the applicant's), as a
    pickup would, and the hand-over is recorded (``delivery: download``: the electronic
    pickup receipt). Asking again once received changes nothing.
    """
    session = unit.session
    t, letter = await ticket_and_letter(session, p, ticket_id)
    if not is_applicant(p, t):
        raise Forbidden("applicant_only")
    if letter.delivery == "download" and letter.revoked_at is None:
        return letter
    _template, electronic = await office_settings(session, t.office_id)
    if not electronic:
        raise Forbidden("letters_handed_at_counter")
    check_handed_over_allowed(t, letter)
    done_t = await transition(unit, p, ticket_id, "complete", t.version)
    await _handed_over(unit, p, done_t, letter, "download", None)
    return letter
