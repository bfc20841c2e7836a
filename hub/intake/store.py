"""Intake queries. Only the intake services import this module."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.accounts.models import ServiceFormField, ServiceRequirement
from hub.intake.models import RequestDraft, RequestFile, TicketDocument, TicketIntake
from hub.models import Office, ServiceType


async def service_by_code(session: AsyncSession, code: str) -> ServiceType | None:
    return await session.scalar(select(ServiceType).where(ServiceType.code == code))


async def service(session: AsyncSession, service_id: int) -> ServiceType | None:
    return await session.get(ServiceType, service_id)


async def office(session: AsyncSession, office_id: int) -> Office | None:
    return await session.get(Office, office_id)


async def requirements(session: AsyncSession, service_id: int) -> list[ServiceRequirement]:
    rows = await session.scalars(
        select(ServiceRequirement)
        .where(ServiceRequirement.service_type_id == service_id)
        .order_by(ServiceRequirement.position, ServiceRequirement.id)
    )
    return list(rows)


async def fields(session: AsyncSession, service_id: int) -> list[ServiceFormField]:
    rows = await session.scalars(
        select(ServiceFormField)
        .where(ServiceFormField.service_type_id == service_id)
        .order_by(ServiceFormField.position, ServiceFormField.id)
    )
    return list(rows)


async def all_requirements(session: AsyncSession) -> list[ServiceRequirement]:
    rows = await session.scalars(
        select(ServiceRequirement).order_by(ServiceRequirement.position, ServiceRequirement.id)
    )
    return list(rows)


async def all_fields(session: AsyncSession) -> list[ServiceFormField]:
    rows = await session.scalars(
        select(ServiceFormField).order_by(ServiceFormField.position, ServiceFormField.id)
    )
    return list(rows)


async def draft(session: AsyncSession, draft_id: int) -> RequestDraft | None:
    return await session.get(RequestDraft, draft_id, populate_existing=True)


async def open_drafts(session: AsyncSession, owner_id: int) -> list[RequestDraft]:
    rows = await session.scalars(
        select(RequestDraft)
        .where(RequestDraft.owner_id == owner_id, RequestDraft.ticket_id.is_(None))
        .order_by(RequestDraft.updated_at.desc(), RequestDraft.id.desc())
    )
    return list(rows)


async def count_open_drafts(session: AsyncSession, owner_id: int) -> int:
    n = await session.scalar(
        select(func.count())
        .select_from(RequestDraft)
        .where(RequestDraft.owner_id == owner_id, RequestDraft.ticket_id.is_(None))
    )
    return int(n or 0)


async def draft_files(session: AsyncSession, draft_id: int) -> dict[str, RequestFile]:
    """The latest upload of each document of a draft, by requirement code."""
    rows = await session.scalars(
        select(RequestFile)
        .where(RequestFile.draft_id == draft_id)
        .order_by(RequestFile.created_at, RequestFile.id)
    )
    latest: dict[str, RequestFile] = {}
    for f in rows:
        latest[f.requirement_code] = f
    return latest


async def file(session: AsyncSession, file_id: str) -> RequestFile | None:
    return await session.get(RequestFile, file_id)


async def files(session: AsyncSession, ids: list[str]) -> dict[str, RequestFile]:
    if not ids:
        return {}
    rows = await session.scalars(select(RequestFile).where(RequestFile.id.in_(ids)))
    return {f.id: f for f in rows}


async def documents(session: AsyncSession, ticket_id: int) -> list[TicketDocument]:
    rows = await session.scalars(
        select(TicketDocument)
        .where(TicketDocument.ticket_id == ticket_id)
        .order_by(TicketDocument.position, TicketDocument.code)
        .execution_options(populate_existing=True)
    )
    return list(rows)


async def intake(session: AsyncSession, ticket_id: int) -> TicketIntake | None:
    return await session.get(TicketIntake, ticket_id)
