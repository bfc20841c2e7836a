"""Issuing and revoking letters, and what each reader may see of one.

:func:`issue_letter` runs inside the approval's transaction (``hub.tickets.service.
transition`` calls it on ``approve``): the number is taken from the office's counter for
the year there, so a failed approval gives it back. The ``letter_issued`` and
``letter_revoked`` events go on the ticket's timeline in the same transaction.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub import audit_chain as audit
from hub import policy
from hub.clock import JAKARTA, iso
from hub.errors import Forbidden, Invalid, InvalidTransition, NotFound
from hub.letters import numbering
from hub.letters.document import FormValue, issue_content, long_date
from hub.letters.kinds import kind_of
from hub.letters.models import Letter, LetterSettings
from hub.models import OFFICER_ROLES, Office, Role, ServiceType, Ticket, TicketStatus, User
from hub.principal import Principal
from hub.tickets.facts import RequestAsked
from hub.timeline import append_event
from hub.uow import Unit

#: URL-safe characters of a verification code: 24 random bytes, 192 bits
CODE_BYTES = 24


def new_verify_code() -> str:
    return secrets.token_urlsafe(CODE_BYTES)


async def office_settings(session: AsyncSession, office_id: int) -> tuple[str, bool]:
    """(number template, electronic delivery) of an office; the defaults without a row."""
    row = await session.get(LetterSettings, office_id)
    if row is None:
        return numbering.DEFAULT_TEMPLATE, False
    return row.number_template, row.electronic_delivery


async def office_chain(session: AsyncSession, office_id: int) -> list[Office]:
    """The office and those above it, the kota first."""
    chain: list[Office] = []
    next_id: int | None = office_id
    while next_id is not None and len(chain) < 8:
        office = await session.get(Office, next_id)
        if office is None:
            break
        chain.append(office)
        next_id = office.parent_id
    return list(reversed(chain))


def _printed(kind: object, value: str) -> str:
    """A form value as the letter prints it: a date in words (``17 Agustus 1990``)."""
    if kind == "date":
        try:
            return long_date(date.fromisoformat(value))
        except ValueError:
            return value
    return value


async def request_of(unit: Unit, t: Ticket) -> tuple[list[FormValue], str | None]:
    """What the request said, as the letter prints it: its form as (code, label, value) in
    the form's order (the ``KEPERLUAN`` field is the purpose; dates in words) and a walk-in
    applicant's NIK cipher.

    Intake answers (:class:`~hub.tickets.facts.RequestAsked`; letters never import it). A
    ticket without a form — or a hub without intake — prints its service's name as the
    purpose.
    """
    answer = await unit.ask(RequestAsked(t))
    form = [
        (str(f["code"]), str(f["label"]), _printed(f.get("kind"), str(f["value"])))
        for f in answer.get("form", [])
    ]
    cipher = answer.get("nik_cipher")
    return form, cipher if isinstance(cipher, str) else None


async def issue_letter(unit: Unit, approver: Principal, t: Ticket) -> Letter:
    """Issue the letter of ticket ``t`` (being approved by ``approver``, in this transaction).

    The number comes from the office's counter of the Jakarta year (gap-free, unique)
    in the office's format; the words are fixed now (:func:`issue_content`) from the
    request's form (:func:`request_of`); the NIK is kept only as a cipher (the account's,
    or the one the counter sealed for a walk-in), decrypted only to print the PDF.
    Appends ``letter_issued`` to the timeline.
    """
    session = unit.session
    service = await session.get(ServiceType, t.service_type_id)
    assert service is not None
    chain = await office_chain(session, t.office_id)
    office = chain[-1]
    kind = kind_of(service.code)
    template, _electronic = await office_settings(session, office.id)
    applicant = await session.get(User, t.applicant_id) if t.applicant_id else None
    signer = await session.get(User, approver.user_id) if approver.user_id else None
    now = unit.ctx.clock.now()
    local = now.astimezone(JAKARTA)
    form, walk_in_nik = await request_of(unit, t)
    content = issue_content(
        chain=chain,
        service=service,
        kind=kind,
        applicant_address=applicant.address if applicant else None,
        form=form,
        signer=signer,
        signer_name=approver.name,
    )
    seq = await numbering.next_letter_seq(session, office.id, local.year)
    parts = numbering.NumberParts(
        seq=seq,
        classification=kind.classification,
        service=service.code,
        office=office.code,
        kemendagri=office.kemendagri_code or office.code,
        month=local.month,
        year=local.year,
    )
    letter = Letter(
        ticket_id=t.id,
        office_id=office.id,
        service_type_id=service.id,
        year=local.year,
        seq=seq,
        number=numbering.format_number(template, parts),
        verify_code=new_verify_code(),
        issued_at=now,
        valid_until=local.date() + timedelta(days=kind.valid_days),
        applicant_name=t.applicant_name,
        applicant_nik_cipher=applicant.nik_cipher if applicant else walk_in_nik,
        content=content,
        signer_id=signer.id if signer else None,
    )
    session.add(letter)
    await session.flush()
    await append_event(
        unit,
        t.id,
        "letter_issued",
        approver,
        {"number": letter.number, "valid_until": letter.valid_until.isoformat()},
    )
    await audit.record(
        unit, approver, "letter.issue", "letter", letter.id, office_id=office.id,
        summary={"ticket": t.number, "letter": letter.number, "service": service.code},
    )  # fmt: skip
    return letter


async def letter_of(session: AsyncSession, ticket_id: int) -> Letter | None:
    return await session.scalar(select(Letter).where(Letter.ticket_id == ticket_id))


async def ticket_and_letter(
    session: AsyncSession, p: Principal, ticket_id: int
) -> tuple[Ticket, Letter]:
    """The ticket (if ``p`` may see it) and its letter; ``not_found`` when there is none."""
    t = await session.get(Ticket, ticket_id, populate_existing=True)
    policy.check_view_ticket(p, t)
    assert t is not None
    letter = await letter_of(session, ticket_id)
    if letter is None:
        raise NotFound("letter_not_issued")
    return t, letter


def is_applicant(p: Principal, t: Ticket) -> bool:
    if p.is_walk_in:
        return p.ticket_id == t.id
    return p.role is Role.citizen and p.user_id is not None and p.user_id == t.applicant_id


def is_office_officer(p: Principal, t: Ticket) -> bool:
    """An officer of the ticket's office or of one above it (not an admin)."""
    return p.role in OFFICER_ROLES and t.office_id in p.office_scope


def check_download(p: Principal, t: Ticket, letter: Letter) -> None:
    """The PDF: the office's officers always; the applicant once it is theirs (handed over
    at the counter, or received electronically); nobody else."""
    if is_office_officer(p, t):
        return
    if not is_applicant(p, t):
        raise Forbidden("applicant_and_officers_only")
    if letter.handed_over_at is None:
        raise InvalidTransition(
            "letter_not_handed_over",
            status=t.status.value,
        )


def letter_view(t: Ticket, letter: Letter, p: Principal) -> dict[str, Any]:
    """What the applicant and the office's officers see of a letter."""
    c = letter.content
    mine = is_applicant(p, t) or is_office_officer(p, t)
    return {
        "ticket_id": t.id,
        "number": letter.number,
        "service": {"code": c.get("service_code"), "name": c.get("service_name")},
        "issued_at": iso(letter.issued_at),
        "valid_until": letter.valid_until.isoformat(),
        "status": "revoked" if letter.revoked_at else "valid",
        "revoked_at": iso(letter.revoked_at) if letter.revoked_at else None,
        "revoke_reason": letter.revoke_reason if mine else None,
        "signer": {"name": c.get("signer_name"), "nip": c.get("signer_nip")},
        "delivery": letter.delivery,
        "handed_over_at": iso(letter.handed_over_at) if letter.handed_over_at else None,
        "handed_over_by": letter.handed_over_by_name,
        "collector_name": letter.collector_name,
        "pickup_method": letter.pickup_method,
        "pdf_url": f"/api/tickets/{t.id}/letter.pdf",
        "verify_path": f"/verify/{letter.verify_code}",
        "pickup_receipt_url": f"/tickets/{t.id}/pickup-receipt" if letter.delivery else None,
    }


async def revoke_letter(unit: Unit, p: Principal, ticket_id: int, reason: str) -> Letter:
    """Revoke a ticket's letter (its office's approver): the public check says revoked.

    ``invalid`` without a reason; ``invalid_transition`` if it is already revoked. The
    reason goes on the timeline (the applicant sees it), never on the public page.
    """
    reason = reason.strip()
    if not reason:
        raise Invalid("revoke_reason_required", field="reason")
    t, letter = await ticket_and_letter(unit.session, p, ticket_id)
    if p.role is not Role.approver or not is_office_officer(p, t):
        raise Forbidden("office_approver_only")
    if letter.revoked_at is not None:
        raise InvalidTransition("letter_revoked", status="revoked")
    letter.revoked_at = unit.ctx.clock.now()
    letter.revoked_by_id = p.user_id
    letter.revoke_reason = reason
    await unit.session.flush()
    await append_event(unit, t.id, "letter_revoked", p, {"number": letter.number, "reason": reason})
    await audit.record(
        unit, p, "letter.revoke", "letter", letter.id, office_id=letter.office_id,
        summary={"ticket": t.number, "letter": letter.number},
    )  # fmt: skip
    return letter


def issued_on(letter: Letter) -> date:
    return letter.issued_at.astimezone(JAKARTA).date()


def is_ready(t: Ticket, letter: Letter) -> bool:
    """Ready to hand over: approved, not yet handed over, not revoked."""
    return t.status is TicketStatus.approved and letter.revoked_at is None
