"""Reference data (offices, the 16 services) and the Kota Bogor demo."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub import catalog
from hub.accounts.models import FieldKind, OfficeHours, ServiceFormField, ServiceRequirement
from hub.accounts.nik import NikVault
from hub.auth import make_access_code, normalize_phone
from hub.models import Channel, Office, Role, ServiceType, User
from hub.passwords import hash_password
from hub.principal import Principal
from hub.tickets import service
from hub.uow import Unit


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


@dataclass(frozen=True)
class DemoLogin:
    role: str
    login: str
    password: str
    office: str


DEMO_PASSWORD = "bogor-demo-2026"  # demo data only; printed by `asinan-hub demo`

OFFICERS = [
    ("fo.baranangsiang", "Rina Front Office", Role.front_office, "BGR-BT-02"),
    ("kasi.baranangsiang", "Budi Kasi Pelayanan", Role.staff, "BGR-BT-02"),
    ("lurah.baranangsiang", "Hj. Siti Lurah", Role.approver, "BGR-BT-02"),
    ("spv.bogortimur", "Agus Pengawas Bogor Timur", Role.supervisor, "BGR-BT"),
    ("fo.bogortimur", "Dewi Front Office Kecamatan", Role.front_office, "BGR-BT"),
    ("camat.bogortimur", "Drs. Hendra Camat", Role.approver, "BGR-BT"),
    ("spv.kota", "Maya Pengawas Kota", Role.supervisor, "BGR"),
    ("admin", "Admin ASINAN", Role.admin, "BGR"),
]
CITIZENS = [
    ("081234567801", "Ahmad Warga", "3271010101800001"),
    ("081234567802", "Sri Wahyuni", "3271010101850002"),
    ("081234567803", "Joko Santoso", "3271010101900003"),
]


async def load_demo(unit: Unit, vault: NikVault | None = None) -> list[DemoLogin]:
    """The Kota Bogor demo: officers of every role, citizens, tickets in every status.

    The citizens live in Baranangsiang; their NIKs are stored only with a ``vault``.
    """
    session = unit.session
    offices = await load_reference(session)
    logins: list[DemoLogin] = []
    if await session.scalar(select(User.id).where(User.username == "admin")) is not None:
        for username, _n, role, office in OFFICERS:
            logins.append(DemoLogin(role.value, username, DEMO_PASSWORD, office))
        for phone, _n, _nik in CITIZENS:
            logins.append(DemoLogin("citizen", phone, DEMO_PASSWORD, "-"))
        return logins
    pw = hash_password(DEMO_PASSWORD)
    users: dict[str, User] = {}
    for username, name, role, office in OFFICERS:
        u = User(
            role=role, full_name=name, username=username, password_hash=pw,
            office_id=offices[office].id,
        )  # fmt: skip
        session.add(u)
        users[username] = u
        logins.append(DemoLogin(role.value, username, DEMO_PASSWORD, office))
    citizens = []
    for phone, name, nik in CITIZENS:
        c = User(
            role=Role.citizen, full_name=name, phone=normalize_phone(phone), password_hash=pw,
            residence_office_id=offices["BGR-BT-02"].id,
            nik_cipher=vault.encrypt(nik) if vault else None,
            nik_hash=vault.lookup_hash(nik) if vault else None,
        )  # fmt: skip
        session.add(c)
        citizens.append(c)
        logins.append(DemoLogin("citizen", phone, DEMO_PASSWORD, "-"))
    await session.flush()

    def who(u: User) -> Principal:
        scope = frozenset({o.id for o in offices.values() if o.id == u.office_id})
        return Principal("demo", u.id, u.role, u.full_name, u.office_id, scope)

    kel = offices["BGR-BT-02"].id
    fo, kasi, lurah = (
        who(users[k]) for k in ("fo.baranangsiang", "kasi.baranangsiang", "lurah.baranangsiang")
    )
    code = hash_password(make_access_code())
    start: tuple[Principal, str, str | None] = (fo, "start_verification", None)
    verify: tuple[Principal, str, str | None] = (fo, "verify", None)
    # (service, citizen index or None for walk-in, actions to apply)
    plan: list[tuple[str, int | None, list[tuple[Principal, str, str | None]]]] = [
        ("SKTM", 0, []),
        ("KLH", 1, [start]),
        ("SKTM", 2, [start, verify]),
        ("NA", 0, [start, verify]),
        ("DHJ", 1, [start, verify, (lurah, "approve", None)]),
        ("PGH", 2, [start, verify, (kasi, "staff_verify", None),
                    (lurah, "reject", "Slip gaji belum dilampirkan")]),
        ("LL", None, [start, verify, (lurah, "approve", None), (fo, "complete", None)]),
    ]  # fmt: skip
    for code_, citizen, actions in plan:
        if citizen is None:
            new = service.NewTicket(
                code_, kel, Channel.walk_in, "Pak Darto (walk-in)", "081299990000"
            )
            t = await service.create_ticket(unit, fo, new, code)
        else:
            c = citizens[citizen]
            p = Principal("demo", c.id, Role.citizen, c.full_name)
            t = await service.create_ticket(
                unit, p, service.NewTicket(code_, kel, Channel.online), code
            )
        for actor, action, reason in actions:
            t = await service.transition(unit, actor, t.id, action, t.version, reason)
    return logins
