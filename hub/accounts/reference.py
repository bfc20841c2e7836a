"""Reference data in the database: Kota Bogor's offices and the 16 services.

Loaded by ``asinan-hub migrate`` (:mod:`hub.accounts.cli`) and by the demo; admins
change it afterwards (:mod:`hub.accounts.offices`, :mod:`hub.accounts.service_types`).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub import catalog
from hub.accounts.models import FieldKind, OfficeHours, ServiceFormField, ServiceRequirement
from hub.models import Office, ServiceType


async def load_reference(session: AsyncSession) -> dict[str, Office]:
    """Kota Bogor's offices (kota → 6 kecamatan → 68 kelurahan) and the 16 service types.

    Idempotent, and it only adds: an office or service already there (matched by its
    Kemendagri or hub code) keeps what admins made of it; one missing is created, an
    office with its default hours and a service with its starting list of documents and
    its form fields.
    """
    offices = {o.code: o for o in await session.scalars(select(Office))}
    by_kemendagri = {o.kemendagri_code: o for o in offices.values() if o.kemendagri_code}
    created: list[Office] = []
    for place in catalog.offices():
        office = by_kemendagri.get(place.kemendagri_code) or offices.get(place.code)
        if office is None:
            parent = offices[place.parent] if place.parent else None
            if parent is not None and parent.id is None:
                await session.flush()
            office = Office(
                code=place.code, name=place.name, level=place.level,
                kemendagri_code=place.kemendagri_code, parent_id=parent.id if parent else None,
                queue_prefix=place.queue_prefix,
            )  # fmt: skip
            session.add(office)
            created.append(office)
        elif office.kemendagri_code is None:
            office.kemendagri_code = place.kemendagri_code
        offices[place.code] = office
    await session.flush()
    for office in created:
        session.add_all(default_hours(office.id))
    known = set(await session.scalars(select(ServiceType.code)))
    new_services: list[tuple[ServiceType, catalog.ServiceSpec]] = []
    for spec in catalog.SERVICES:
        if spec.code not in known:
            st = ServiceType(
                code=spec.code, name=spec.name, name_en=spec.name_en, risk=spec.risk,
                office_level=spec.level, sla_hours=spec.sla_hours,
                standard_value=spec.standard_value, standard_unit=spec.standard_unit,
            )  # fmt: skip
            session.add(st)
            new_services.append((st, spec))
    await session.flush()
    for st, spec in new_services:
        session.add_all(
            ServiceRequirement(
                service_type_id=st.id,
                code=r.code,
                name=r.name,
                name_en=r.name_en,
                position=i,
                required=r.required,
                accepts=",".join(r.accepts),
            )
            for i, r in enumerate(spec.requirements)
        )
        fields = catalog.FORM_FIELDS.get(spec.code, ())
        for i, f in enumerate(fields):
            row = ServiceFormField(
                service_type_id=st.id, code=f.code, label=f.label, label_en=f.label_en,
                kind=FieldKind(f.kind), required=f.required, options=list(f.options), position=i,
            )  # fmt: skip
            session.add(row)
    await session.flush()
    return offices


def default_hours(office_id: int) -> list[OfficeHours]:
    """The seven rows of :data:`hub.catalog.DEFAULT_HOURS` for an office."""
    return [
        OfficeHours(
            office_id=office_id,
            weekday=day,
            opens_min=hours[0] if hours else None,
            closes_min=hours[1] if hours else None,
        )
        for day, hours in enumerate(catalog.DEFAULT_HOURS)
    ]
