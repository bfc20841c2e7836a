"""Use cases of intake, each owning its transaction (the shape of ``hub/queues/actions.py``).

Routes parse and call one of these. The access code is hashed off the event loop before
the write transaction opens; uploads are read by the route before any transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hub import logins
from hub.accounts.nik import NikVault
from hub.auth import make_access_code
from hub.context import Hub
from hub.intake import documents, drafts, opening
from hub.intake.codes import AccessCodeVault
from hub.intake.files import Upload, draft_file_url, file_view
from hub.intake.models import DocumentState, RequestFile
from hub.intake.receipts import ReceiptParts, receipt_parts
from hub.intake.requirements import forms_by_service
from hub.principal import Principal
from hub.tickets import store as tickets_store
from hub.tickets.views import view as ticket_view


def vaults(hub: Hub) -> opening.Vaults:
    """The keys of a request's stored secrets (access code, a walk-in's NIK), from settings."""
    config = hub.settings.accounts
    return opening.Vaults(
        AccessCodeVault(config.access_code_key),
        NikVault(config.nik_encryption_key, config.nik_hash_key),
    )


async def reference(hub: Hub) -> dict[str, Any]:
    """The public reference for forms: the 16 services, each with the documents it needs
    and its form fields, and the offices."""
    async with hub.reader() as session:
        services, offices = await tickets_store.reference(session)
        forms = await forms_by_service(session)
    empty: dict[str, list[dict[str, Any]]] = {"requirements": [], "fields": []}
    return {
        "services": [
            {
                "code": s.code,
                "name": s.name,
                "name_en": s.name_en,
                "risk": s.risk.value,
                "office_level": s.office_level.value,
                "sla_hours": s.sla_hours,
                **forms.get(s.id, empty),
            }
            for s in services
        ],
        "offices": [
            {"id": o.id, "code": o.code, "name": o.name, "level": o.level.value,
             "parent_id": o.parent_id}
            for o in offices
        ],
    }  # fmt: skip


@dataclass(frozen=True)
class Opened:
    ticket: dict[str, Any]
    access_code: str
    receipt_url: str


async def open_request(hub: Hub, p: Principal, new: opening.NewRequest) -> Opened:
    """``POST /api/tickets``: the one way a ticket is opened (:mod:`hub.intake.opening`)."""
    code = make_access_code()
    code_hash = await hub.passwords.hash(code)  # slow by design: off the loop, before the write
    async with hub.unit() as unit:
        t = await opening.open_request(unit, p, new, code, code_hash, vaults(hub))
        view = await ticket_view(unit.session, p, t)
    return Opened(view, code, f"/tickets/{t.id}/receipt")


async def request_view(hub: Hub, p: Principal, ticket_id: int) -> dict[str, Any]:
    async with hub.reader() as session:
        return await opening.request_view(session, p, ticket_id, vaults(hub))


async def receipt(
    hub: Hub, p: Principal | None, address: str, ticket_id: int, code: str
) -> ReceiptParts:
    """What the printable receipt shows: for the applicant and the office's officers as
    they are (``p``), or for anyone with the access code (checked and rate limited as the
    receipt login)."""
    if code:
        await logins.check_receipt_code(hub, address, ticket_id, code)
        p = None
    async with hub.reader() as session:
        return await receipt_parts(session, p, ticket_id, vaults(hub).codes)


async def check_document(
    hub: Hub, p: Principal, ticket_id: int, code: str, state: DocumentState, reason: str | None
) -> dict[str, Any]:
    async with hub.unit() as unit:
        d = await documents.check_document(unit, p, ticket_id, code, state, reason)
        [view] = await documents.views(unit.session, [d])
    return view


async def reupload(
    hub: Hub, p: Principal, ticket_id: int, code: str, file: Upload
) -> dict[str, Any]:
    async with hub.unit() as unit:
        d, t = await documents.reupload(
            unit, hub.limiter, hub.settings.attachments_dir, p, ticket_id, code, file
        )
        [view] = await documents.views(unit.session, [d])
        return {"document": view, "ticket": await ticket_view(unit.session, p, t)}


async def ticket_file(hub: Hub, p: Principal, ticket_id: int, file_id: str) -> RequestFile:
    async with hub.reader() as session:
        return await documents.ticket_file(session, p, ticket_id, file_id)


async def list_drafts(hub: Hub, p: Principal) -> list[dict[str, Any]]:
    async with hub.reader() as session:
        return await drafts.list_drafts(session, p)


async def create_draft(
    hub: Hub, p: Principal, service_code: str, office_id: int | None
) -> dict[str, Any]:
    async with hub.unit() as unit:
        d = await drafts.create_draft(unit, p, service_code, office_id)
        return await drafts.draft_view(unit.session, d)


async def get_draft(hub: Hub, p: Principal, draft_id: int) -> dict[str, Any]:
    async with hub.reader() as session:
        d = await drafts.own_draft(session, p, draft_id)
        return await drafts.draft_view(session, d)


async def update_draft(
    hub: Hub,
    p: Principal,
    draft_id: int,
    service_code: str | None,
    office_id: int | None,
    form: dict[str, str] | None,
) -> dict[str, Any]:
    async with hub.unit() as unit:
        d = await drafts.update_draft(
            unit, p, draft_id, service_code=service_code, office_id=office_id, form=form
        )
        return await drafts.draft_view(unit.session, d)


async def delete_draft(hub: Hub, p: Principal, draft_id: int) -> None:
    async with hub.unit() as unit:
        await drafts.delete_draft(unit, p, draft_id)


async def upload(hub: Hub, p: Principal, draft_id: int, code: str, file: Upload) -> dict[str, Any]:
    async with hub.unit() as unit:
        row = await drafts.upload(
            unit, hub.limiter, hub.settings.attachments_dir, p, draft_id, code, file
        )
    return file_view(row, draft_file_url(draft_id, code))


async def draft_file(hub: Hub, p: Principal, draft_id: int, code: str) -> RequestFile:
    async with hub.reader() as session:
        return await drafts.draft_file(session, p, draft_id, code)


async def remove_draft_file(hub: Hub, p: Principal, draft_id: int, code: str) -> None:
    async with hub.unit() as unit:
        await drafts.remove_file(unit, p, draft_id, code)
