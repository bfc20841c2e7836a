"""A ticket's checklist: the front office checks each document (OK, or missing with a
reason), the applicant uploads again what was missing, and the timeline keeps who did what.

Timeline events (visible to the applicant, with the officer's display name as actor):
``document_checked`` ``{code, name, name_en, state: "ok"|"missing", reason, file}`` and
``document_uploaded`` ``{code, name, name_en, file}``. The last upload of what was
missing sends the request back to verification by itself (``resubmit``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hub import policy
from hub.accounts.models import ServiceRequirement
from hub.clock import iso
from hub.errors import Forbidden, Invalid, InvalidTransition, NotFound
from hub.intake import store
from hub.intake.files import Upload, file_view, store_upload, ticket_file_url
from hub.intake.models import DocumentState, RequestFile, TicketDocument
from hub.intake.requirements import accepts_of
from hub.models import Channel, Role, Ticket, TicketStatus
from hub.principal import Principal
from hub.ratelimit import RateLimiter
from hub.tickets import service as tickets
from hub.tickets import views as ticket_views
from hub.timeline import append_event
from hub.uow import Unit

MAX_REASON = 500


def document_view(d: TicketDocument, f: RequestFile | None) -> dict[str, Any]:
    return {
        "code": d.code,
        "name": d.name,
        "name_en": d.name_en,
        "required": d.required,
        "accepts": accepts_of(d.accepts),
        "state": d.state.value,
        "reason": d.reason,
        "checked_by": {"id": d.checked_by_id, "name": d.checked_by_name}
        if d.checked_by_name
        else None,
        "checked_at": iso(d.checked_at) if d.checked_at else None,
        "file": file_view(f, ticket_file_url(d.ticket_id, f.id)) if f else None,
    }


async def views(session: AsyncSession, docs: Sequence[TicketDocument]) -> list[dict[str, Any]]:
    files = await store.files(session, [d.file_id for d in docs if d.file_id])
    return [document_view(d, files.get(d.file_id or "")) for d in docs]


def snapshot(
    unit: Unit,
    t: Ticket,
    requirements: Sequence[ServiceRequirement],
    files: Mapping[str, RequestFile],
) -> list[TicketDocument]:
    """The ticket's checklist, copied from its service's documents as they are now."""
    now = unit.ctx.clock.now()
    docs = [
        TicketDocument(
            ticket_id=t.id,
            code=r.code,
            name=r.name,
            name_en=r.name_en,
            required=r.required,
            accepts=r.accepts,
            position=i,
            file_id=files[r.code].id if r.code in files else None,
            state=DocumentState.pending,
            updated_at=now,
        )
        for i, r in enumerate(requirements)
    ]
    unit.session.add_all(docs)
    return docs


async def _event(
    unit: Unit, p: Principal, d: TicketDocument, kind: str, **payload: Any
) -> dict[str, Any]:
    f = await store.file(unit.session, d.file_id) if d.file_id else None
    body = {
        "code": d.code,
        "name": d.name,
        "name_en": d.name_en,
        **payload,
        "file": file_view(f, ticket_file_url(d.ticket_id, f.id)) if f else None,
    }
    await append_event(unit, d.ticket_id, kind, p, body)
    return body


async def mark(
    unit: Unit, p: Principal, t: Ticket, d: TicketDocument, state: DocumentState, reason: str | None
) -> None:
    """Record one check (who, when, what) and put it in the timeline."""
    d.state, d.reason = state, reason if state is DocumentState.missing else None
    d.checked_by_id, d.checked_by_name = p.user_id, p.name
    d.checked_at = d.updated_at = unit.ctx.clock.now()
    await unit.session.flush()
    await _event(unit, p, d, "document_checked", state=state.value, reason=d.reason)


def _document(docs: Sequence[TicketDocument], code: str) -> TicketDocument:
    for d in docs:
        if d.code == code:
            return d
    raise NotFound("document_not_on_ticket", document=code)


async def check_document(
    unit: Unit, p: Principal, ticket_id: int, code: str, state: DocumentState, reason: str | None
) -> TicketDocument:
    """The front office marks one document OK, or missing with a reason (``verification``).

    ``forbidden`` for anyone but the front office of the ticket's office (scope);
    ``invalid_transition`` outside verification; ``invalid``: a missing one without a
    reason, an online document marked OK that has no file.
    """
    session = unit.session
    t = await ticket_views.visible_ticket(session, p, ticket_id)
    if p.role is not Role.front_office or not policy.in_office_scope(p, t.office_id):
        raise Forbidden("office_front_office_only")
    if t.status is not TicketStatus.verification:
        raise InvalidTransition(
            "document_checked_in_verification",
            status=t.status.value,
        )
    d = _document(await store.documents(session, t.id), code)
    reason = (reason or "").strip() or None
    if state is DocumentState.missing and not reason:
        raise Invalid("document_reason_required", field="reason")
    if reason and len(reason) > MAX_REASON:
        raise Invalid("reason_too_long", field="reason", max=MAX_REASON)
    if state is DocumentState.ok and d.file_id is None and t.channel is Channel.online:
        raise Invalid("document_no_file", field="state", document=code)
    if state is DocumentState.pending:
        raise Invalid("document_state_invalid", field="state")
    await mark(unit, p, t, d, state, reason)
    return d


async def reupload(
    unit: Unit,
    limiter: RateLimiter,
    folder: Path,
    p: Principal,
    ticket_id: int,
    code: str,
    upload: Upload,
) -> tuple[TicketDocument, Ticket]:
    """The applicant uploads again a document marked missing (``documents_incomplete``).

    The last of them sends the request back to verification (``resubmit``, in the same
    transaction). ``forbidden`` for anyone but the applicant (or their receipt);
    ``invalid_transition`` in another status; ``invalid`` for a document not marked
    missing or a kind it does not accept.
    """
    session = unit.session
    t = await ticket_views.visible_ticket(session, p, ticket_id)
    if p.role is not Role.citizen:
        raise Forbidden("applicant_uploads_only")
    if t.status is not TicketStatus.documents_incomplete:
        raise InvalidTransition("no_documents_requested", status=t.status.value)
    docs = await store.documents(session, t.id)
    d = _document(docs, code)
    if d.state is not DocumentState.missing:
        raise Invalid("document_not_requested", field="code", document=code)
    row = await store_upload(
        unit, limiter, folder, p, upload, code=code, accepts=d.accepts, ticket_id=t.id
    )
    d.file_id, d.state, d.updated_at = row.id, DocumentState.pending, unit.ctx.clock.now()
    await session.flush()
    await _event(unit, p, d, "document_uploaded")
    if all(x.state is not DocumentState.missing for x in docs):
        t = await ticket_views.visible_ticket(session, p, ticket_id)
        t = await tickets.transition(unit, p, t.id, "resubmit", t.version)
    return d, t


async def ticket_file(
    session: AsyncSession, p: Principal, ticket_id: int, file_id: str
) -> RequestFile:
    """A document's file (also an older, replaced one), for those who may view the ticket."""
    await ticket_views.visible_ticket(session, p, ticket_id)
    f = await store.file(session, file_id)
    if f is None or f.ticket_id != ticket_id:
        raise NotFound("file_not_found")
    return f
