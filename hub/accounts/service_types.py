"""The 16 letter types, as admins keep them: names, risk, office level, service standard,
the documents each requires (``service_requirements``, one row per document, with the file
kinds it accepts) and its form fields (``service_form_fields``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub import audit_chain as audit
from hub.accounts.models import FieldKind, ServiceFormField, ServiceRequirement
from hub.errors import Invalid, NotFound
from hub.models import OfficeLevel, Risk, ServiceType, StandardUnit
from hub.principal import Principal
from hub.uow import Unit


@dataclass(frozen=True)
class Requirement:
    code: str
    name: str
    name_en: str
    required: bool
    #: file kinds an upload may be: ``image``, ``pdf``
    accepts: tuple[str, ...] = ("image", "pdf")


@dataclass(frozen=True)
class FormField:
    code: str
    label: str
    label_en: str
    kind: FieldKind
    required: bool
    options: tuple[str, ...] = ()


def requirement_view(r: ServiceRequirement) -> dict[str, Any]:
    return {
        "id": r.id,
        "code": r.code,
        "name": r.name,
        "name_en": r.name_en,
        "position": r.position,
        "required": r.required,
        "accepts": [k for k in r.accepts.split(",") if k],
    }


def field_view(f: ServiceFormField) -> dict[str, Any]:
    return {
        "id": f.id,
        "code": f.code,
        "label": f.label,
        "label_en": f.label_en,
        "kind": f.kind.value,
        "required": f.required,
        "options": list(f.options or []),
        "position": f.position,
    }


def service_view(
    s: ServiceType,
    requirements: list[ServiceRequirement],
    fields: list[ServiceFormField] | None = None,
) -> dict[str, Any]:
    return {
        "id": s.id,
        "code": s.code,
        "name": s.name,
        "name_en": s.name_en,
        "risk": s.risk.value,
        "office_level": s.office_level.value,
        "sla_hours": s.sla_hours,
        "standard": {"value": s.standard_value, "unit": s.standard_unit.value},
        "requirements": [
            requirement_view(r) for r in sorted(requirements, key=lambda r: (r.position, r.id))
        ],
        "fields": [field_view(f) for f in sorted(fields or [], key=lambda f: (f.position, f.id))],
    }


def _facts(s: ServiceType) -> dict[str, Any]:
    return {
        "name": s.name,
        "name_en": s.name_en,
        "risk": s.risk.value,
        "office_level": s.office_level.value,
        "sla_hours": s.sla_hours,
        "standard_value": s.standard_value,
        "standard_unit": s.standard_unit.value,
    }


async def _requirements(session: AsyncSession, service_id: int) -> list[ServiceRequirement]:
    return list(
        await session.scalars(
            select(ServiceRequirement).where(ServiceRequirement.service_type_id == service_id)
        )
    )


async def _fields(session: AsyncSession, service_id: int) -> list[ServiceFormField]:
    return list(
        await session.scalars(
            select(ServiceFormField).where(ServiceFormField.service_type_id == service_id)
        )
    )


async def list_services(session: AsyncSession) -> list[dict[str, Any]]:
    services = list(await session.scalars(select(ServiceType).order_by(ServiceType.id)))
    reqs: dict[int, list[ServiceRequirement]] = {}
    for r in await session.scalars(select(ServiceRequirement)):
        reqs.setdefault(r.service_type_id, []).append(r)
    fields: dict[int, list[ServiceFormField]] = {}
    for f in await session.scalars(select(ServiceFormField)):
        fields.setdefault(f.service_type_id, []).append(f)
    return [service_view(s, reqs.get(s.id, []), fields.get(s.id, [])) for s in services]


async def _service(unit: Unit, service_id: int) -> ServiceType:
    s = await unit.session.get(ServiceType, service_id)
    if s is None:
        raise NotFound("service_not_found")
    return s


async def update_service(
    unit: Unit,
    actor: Principal,
    service_id: int,
    *,
    name: str | None = None,
    name_en: str | None = None,
    risk: Risk | None = None,
    office_level: OfficeLevel | None = None,
    sla_hours: int | None = None,
    standard_value: int | None = None,
    standard_unit: StandardUnit | None = None,
) -> dict[str, Any]:
    """Change a service's fields; new tickets follow them (open ones keep their routing)."""
    s = await _service(unit, service_id)
    before = _facts(s)
    if name is not None:
        s.name = name
    if name_en is not None:
        s.name_en = name_en
    if risk is not None:
        s.risk = risk
    if office_level is not None:
        s.office_level = office_level
    if sla_hours is not None:
        s.sla_hours = sla_hours
    if standard_value is not None:
        s.standard_value = standard_value
    if standard_unit is not None:
        s.standard_unit = standard_unit
    old, new = audit.changed(before, _facts(s))
    if new:
        await audit.record(unit, actor, "service.update", "service", s.id, before=old, after=new)
    return service_view(
        s, await _requirements(unit.session, s.id), await _fields(unit.session, s.id)
    )


async def replace_requirements(
    unit: Unit, actor: Principal, service_id: int, items: list[Requirement]
) -> dict[str, Any]:
    """Make ``items`` (in order) the service's documents.

    Matched by ``code``: a document that stays keeps its id (a later issue attaches
    uploads to it); one left out is removed; a new code is added.
    """
    s = await _service(unit, service_id)
    current = {r.code: r for r in await _requirements(unit.session, s.id)}
    before = [r.code for r in sorted(current.values(), key=lambda r: (r.position, r.id))]
    keep: list[ServiceRequirement] = []
    for position, item in enumerate(items):
        row = current.pop(item.code, None)
        if row is None:
            row = ServiceRequirement(service_type_id=s.id, code=item.code)
            unit.session.add(row)
        row.name, row.name_en, row.required, row.position = (
            item.name, item.name_en, item.required, position,
        )  # fmt: skip
        row.accepts = ",".join(item.accepts)
        keep.append(row)
    for gone in current.values():
        await unit.session.delete(gone)
    await unit.session.flush()
    await audit.record(
        unit, actor, "service.requirements", "service", s.id,
        before={"codes": before},
        after={"codes": [r.code for r in keep], "required": [r.code for r in keep if r.required]},
    )  # fmt: skip
    return service_view(s, keep, await _fields(unit.session, s.id))


async def replace_fields(
    unit: Unit, actor: Principal, service_id: int, items: list[FormField]
) -> dict[str, Any]:
    """Make ``items`` (in order) the service's form fields; matched by ``code`` (a kept
    field keeps its id). Values already filled in on tickets stay with the tickets."""
    s = await _service(unit, service_id)
    for item in items:
        if (item.kind is FieldKind.select) != bool(item.options):
            raise Invalid(
                "field_options_invalid",
                field=f"fields.{item.code}.options",
            )
    current = {f.code: f for f in await _fields(unit.session, s.id)}
    before = [f.code for f in sorted(current.values(), key=lambda f: (f.position, f.id))]
    keep: list[ServiceFormField] = []
    for position, item in enumerate(items):
        row = current.pop(item.code, None)
        if row is None:
            row = ServiceFormField(service_type_id=s.id, code=item.code)
            unit.session.add(row)
        row.label, row.label_en, row.kind, row.required = (
            item.label, item.label_en, item.kind, item.required,
        )  # fmt: skip
        row.options, row.position = list(item.options), position
        keep.append(row)
    for gone in current.values():
        await unit.session.delete(gone)
    await unit.session.flush()
    await audit.record(
        unit, actor, "service.fields", "service", s.id,
        before={"codes": before},
        after={"codes": [f.code for f in keep], "required": [f.code for f in keep if f.required]},
    )  # fmt: skip
    return service_view(s, await _requirements(unit.session, s.id), keep)
