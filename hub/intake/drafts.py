"""A citizen's request before it is submitted: kept on the server, so that it survives a
reload, a flaky connection or another device; its uploads attach to it.

Only the citizen who made a draft sees it (another's, a submitted one or a missing one is
``not_found`` alike). At most :data:`MAX_OPEN_DRAFTS` open drafts per citizen. Submitting
(:func:`hub.intake.opening.open_request`) turns a complete draft into a ticket.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hub.accounts.models import ServiceRequirement
from hub.clock import iso
from hub.errors import Conflict, Forbidden, Invalid, NotFound
from hub.intake import store
from hub.intake.files import Upload, draft_file_url, file_view, store_upload
from hub.intake.models import RequestDraft, RequestFile
from hub.intake.requirements import clean_form, requirement_public
from hub.models import Office, Role, ServiceType
from hub.principal import Principal
from hub.ratelimit import RateLimiter
from hub.uow import Unit

MAX_OPEN_DRAFTS = 5


def check_citizen(p: Principal) -> int:
    """Drafts are for citizens with an account (not walk-in receipts, not officers)."""
    if p.role is not Role.citizen or p.user_id is None:
        raise Forbidden("drafts_citizens_only")
    return p.user_id


async def _service(session: AsyncSession, code: str) -> ServiceType:
    service = await store.service_by_code(session, code)
    if service is None:
        raise Invalid("service_unknown", field="service_code")
    return service


async def check_office(session: AsyncSession, service: ServiceType, office_id: int) -> Office:
    """The office if it issues ``service`` (its level); else ``invalid`` (``office_id``)."""
    office = await store.office(session, office_id)
    if office is None:
        raise Invalid("office_unknown", field="office_id")
    if office.level != service.office_level:
        raise Invalid(
            "service_office_level",
            field="office_id",
            level=service.office_level.value,
        )
    return office


async def own_draft(session: AsyncSession, p: Principal, draft_id: int) -> RequestDraft:
    owner = check_citizen(p)
    d = await store.draft(session, draft_id)
    if d is None or d.owner_id != owner or d.ticket_id is not None:
        raise NotFound("draft_not_found")
    return d


async def create_draft(
    unit: Unit, p: Principal, service_code: str, office_id: int | None
) -> RequestDraft:
    owner = check_citizen(p)
    session = unit.session
    service = await _service(session, service_code)
    if office_id is not None:
        await check_office(session, service, office_id)
    if await store.count_open_drafts(session, owner) >= MAX_OPEN_DRAFTS:
        raise Conflict("too_many_drafts", max=MAX_OPEN_DRAFTS)
    now = unit.ctx.clock.now()
    d = RequestDraft(
        owner_id=owner, service_type_id=service.id, office_id=office_id, form={},
        created_at=now, updated_at=now,
    )  # fmt: skip
    session.add(d)
    await session.flush()
    return d


async def update_draft(
    unit: Unit,
    p: Principal,
    draft_id: int,
    *,
    service_code: str | None = None,
    office_id: int | None = None,
    form: Mapping[str, object] | None = None,
) -> RequestDraft:
    """Change the letter type, the office or some form values (given keys only; ``""``
    clears one). Uploads stay attached by document code."""
    session = unit.session
    d = await own_draft(session, p, draft_id)
    service = await store.service(session, d.service_type_id)
    assert service is not None
    if service_code is not None and service_code != service.code:
        service = await _service(session, service_code)
        d.service_type_id = service.id
        fields = {f.code for f in await store.fields(session, service.id)}
        d.form = {k: v for k, v in d.form.items() if k in fields}
        if d.office_id is not None:
            office = await store.office(session, d.office_id)
            if office is None or office.level != service.office_level:
                d.office_id = None
    if office_id is not None:
        await check_office(session, service, office_id)
        d.office_id = office_id
    if form is not None:
        merged = {**d.form, **form}
        d.form = clean_form(await store.fields(session, service.id), merged, complete=False)
    d.updated_at = unit.ctx.clock.now()
    await session.flush()
    return d


async def delete_draft(unit: Unit, p: Principal, draft_id: int) -> None:
    d = await own_draft(unit.session, p, draft_id)
    for f in (await store.draft_files(unit.session, d.id)).values():
        f.draft_id = None  # the bytes stay with the uploads' history; the draft goes
    await unit.session.flush()
    await unit.session.delete(d)


async def _requirement(session: AsyncSession, d: RequestDraft, code: str) -> ServiceRequirement:
    for r in await store.requirements(session, d.service_type_id):
        if r.code == code:
            return r
    raise NotFound("document_not_in_service", document=code)


async def upload(
    unit: Unit,
    limiter: RateLimiter,
    folder: Path,
    p: Principal,
    draft_id: int,
    code: str,
    file: Upload,
) -> RequestFile:
    """Attach (or replace) the file of one document of the draft."""
    d = await own_draft(unit.session, p, draft_id)
    r = await _requirement(unit.session, d, code)
    previous = (await store.draft_files(unit.session, d.id)).get(code)
    row = await store_upload(
        unit, limiter, folder, p, file, code=code, accepts=r.accepts, draft_id=d.id
    )
    if previous is not None:
        previous.draft_id = None  # replaced: one file per document
    d.updated_at = unit.ctx.clock.now()
    return row


async def remove_file(unit: Unit, p: Principal, draft_id: int, code: str) -> None:
    d = await own_draft(unit.session, p, draft_id)
    files = await store.draft_files(unit.session, d.id)
    if code not in files:
        raise NotFound("draft_file_not_found", document=code)
    files[code].draft_id = None  # detached: the draft's latest upload of it is gone
    d.updated_at = unit.ctx.clock.now()
    await unit.session.flush()


async def draft_file(session: AsyncSession, p: Principal, draft_id: int, code: str) -> RequestFile:
    d = await own_draft(session, p, draft_id)
    f = (await store.draft_files(session, d.id)).get(code)
    if f is None:
        raise NotFound("draft_file_not_found", document=code)
    return f


async def draft_view(session: AsyncSession, d: RequestDraft) -> dict[str, Any]:
    """The draft with its checklist: each document with its file (or none), and what is
    still missing before it can be submitted."""
    service = await store.service(session, d.service_type_id)
    assert service is not None
    reqs = await store.requirements(session, service.id)
    fields = await store.fields(session, service.id)
    files = await store.draft_files(session, d.id)
    documents = [
        {
            **requirement_public(r),
            "file": file_view(files[r.code], draft_file_url(d.id, r.code))
            if r.code in files
            else None,
        }
        for r in reqs
    ]
    missing_docs = [r.code for r in reqs if r.required and r.code not in files]
    missing_fields = [f.code for f in fields if f.required and not d.form.get(f.code)]
    return {
        "id": d.id,
        "service": {"code": service.code, "name": service.name, "name_en": service.name_en},
        "office_id": d.office_id,
        "form": dict(d.form),
        "documents": documents,
        "missing": {"documents": missing_docs, "fields": missing_fields},
        "ready": d.office_id is not None and not missing_docs and not missing_fields,
        "created_at": iso(d.created_at),
        "updated_at": iso(d.updated_at),
    }


async def list_drafts(session: AsyncSession, p: Principal) -> list[dict[str, Any]]:
    owner = check_citizen(p)
    return [await draft_view(session, d) for d in await store.open_drafts(session, owner)]
