"""Opening a request — the one way a ticket is made (``POST /api/tickets``).

- **Online, from a draft** (``draft_id``): the draft must be complete — its office chosen,
  every required field filled, a file for every required document; the ticket takes the
  draft's letter type, office, form and files, and the draft is used up.
- **Online, bare** (``service_code`` + ``office_id``, as before intake): an empty form and
  a checklist with no files; the front office asks for the documents.
- **Walk-in** at the counter (front office): the applicant's name, phone, optional NIK
  (checked, stored only encrypted), the form (complete when given; without it the form
  stays empty, as before intake), and the documents the officer saw — marked OK by that
  officer, in the timeline.

Every ticket gets its checklist (a copy of its service's documents), its form and its
access code sealed (:class:`hub.intake.codes.AccessCodeVault`). One transaction: any
error leaves nothing behind (no ticket, no queue number, the draft untouched).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hub import policy
from hub.accounts.nik import NikVault, check_nik, mask_nik
from hub.clock import jakarta_today
from hub.errors import Forbidden, Invalid
from hub.intake import documents, drafts, store
from hub.intake.codes import AccessCodeVault
from hub.intake.models import DocumentState, TicketIntake
from hub.intake.requirements import clean_form, form_view
from hub.models import Channel, Ticket
from hub.principal import Principal
from hub.tickets import service as tickets
from hub.tickets import views
from hub.uow import Unit


@dataclass(frozen=True)
class Vaults:
    codes: AccessCodeVault
    niks: NikVault


@dataclass(frozen=True)
class NewRequest:
    channel: Channel
    service_code: str | None = None
    office_id: int | None = None
    draft_id: int | None = None
    applicant_name: str | None = None
    applicant_phone: str | None = None
    applicant_nik: str | None = None
    form: dict[str, Any] | None = None
    documents_seen: tuple[str, ...] = field(default_factory=tuple)


def _refuse(name: str, reason: str) -> Invalid:
    return Invalid(reason, field=name)


def _check_shape(new: NewRequest) -> None:
    """Which fields go with which way of opening (a field that would be ignored is refused)."""
    walk_in_only = ("applicant_nik", "form", "documents_seen")
    if new.channel is Channel.online:
        for name in walk_in_only:
            if getattr(new, name) not in (None, ()):
                raise _refuse(name, "walk_in_only")
        if new.draft_id is not None:
            for name in ("service_code", "office_id"):
                if getattr(new, name) is not None:
                    raise _refuse(name, "taken_from_draft")
            return
    if new.draft_id is not None:
        raise _refuse("draft_id", "drafts_online_only")
    for name in ("service_code", "office_id"):
        if getattr(new, name) is None:
            raise Invalid("field_required", field=name)


async def open_request(
    unit: Unit, p: Principal, new: NewRequest, code: str, code_hash: str, vaults: Vaults
) -> Ticket:
    """Open a ticket with its form, checklist and sealed access code (see the module)."""
    _check_shape(new)
    session = unit.session
    if new.draft_id is not None:
        return await _from_draft(unit, p, new.draft_id, code, code_hash, vaults)
    assert new.service_code is not None and new.office_id is not None
    service = await store.service_by_code(session, new.service_code)
    form: dict[str, str] = {}
    nik: str | None = None
    if new.channel is Channel.walk_in and not policy.can_create_walk_in(p, new.office_id):
        raise Forbidden("office_front_office_only")
    if new.channel is Channel.walk_in and service is not None:
        if new.form is not None:  # without a form: as before intake, the form stays empty
            form = clean_form(await store.fields(session, service.id), new.form, complete=True)
        if new.applicant_nik:
            nik = check_nik(new.applicant_nik, jakarta_today(unit.ctx.clock.now()))
        codes = {r.code for r in await store.requirements(session, service.id)}
        unknown = [c for c in new.documents_seen if c not in codes]
        if unknown:
            raise Invalid(
                "unknown_documents",
                documents=unknown,
                field="documents_seen",
            )
    t = await tickets.create_ticket(
        unit,
        p,
        tickets.NewTicket(
            new.service_code, new.office_id, new.channel, new.applicant_name, new.applicant_phone
        ),
        code_hash,
    )
    docs = documents.snapshot(unit, t, await store.requirements(session, t.service_type_id), {})
    _seal(unit, t, form, code, vaults, nik)
    await session.flush()
    for d in docs:
        if d.code in new.documents_seen:
            await documents.mark(unit, p, t, d, DocumentState.ok, None)
    return t


async def _from_draft(
    unit: Unit, p: Principal, draft_id: int, code: str, code_hash: str, vaults: Vaults
) -> Ticket:
    session = unit.session
    d = await drafts.own_draft(session, p, draft_id)
    service = await store.service(session, d.service_type_id)
    assert service is not None
    if d.office_id is None:
        raise Invalid("office_required", field="office_id")
    form = clean_form(await store.fields(session, service.id), d.form, complete=True)
    reqs = await store.requirements(session, service.id)
    files = await store.draft_files(session, d.id)
    absent = [r.code for r in reqs if r.required and r.code not in files]
    if absent:
        raise Invalid(
            "documents_required",
            documents=absent,
            field=f"documents.{absent[0]}",
            fields=[{"field": f"documents.{c}", "problem": "required"} for c in absent],
        )
    t = await tickets.create_ticket(
        unit, p, tickets.NewTicket(service.code, d.office_id, Channel.online), code_hash
    )
    kept = {r.code: files[r.code] for r in reqs if r.code in files}
    for f in kept.values():
        f.ticket_id = t.id
    d.ticket_id = t.id
    documents.snapshot(unit, t, reqs, kept)
    _seal(unit, t, form, code, vaults, None)
    await session.flush()
    return t


def _seal(
    unit: Unit, t: Ticket, form: dict[str, str], code: str, vaults: Vaults, nik: str | None
) -> None:
    unit.session.add(
        TicketIntake(
            ticket_id=t.id,
            form=form,
            access_code_cipher=vaults.codes.seal(t.id, code),
            applicant_nik_cipher=vaults.niks.encrypt(nik) if nik else None,
            applicant_nik_hash=vaults.niks.lookup_hash(nik) if nik else None,
        )
    )


async def request_view(
    session: AsyncSession, p: Principal, ticket_id: int, vaults: Vaults
) -> dict[str, Any]:
    """What was asked for: the form, the checklist, the applicant's NIK (masked, officers
    only) and the access code (its applicant and the office's officers)."""
    t = await views.visible_ticket(session, p, ticket_id)
    row = await store.intake(session, t.id)
    fields = await store.fields(session, t.service_type_id)
    docs = await store.documents(session, t.id)
    nik = None
    if p.is_officer and row is not None and row.applicant_nik_cipher:
        nik = mask_nik(vaults.niks.decrypt(row.applicant_nik_cipher))
    return {
        "ticket_id": t.id,
        "form": form_view(fields, row.form if row else {}),
        "documents": await documents.views(session, docs),
        "applicant_nik": nik,
        "access_code": vaults.codes.open(t.id, row.access_code_cipher) if row else None,
    }
