"""The Kota Bogor demo (reference data from :mod:`hub.accounts.reference`)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from hub.accounts.nik import NikVault
from hub.accounts.reference import load_reference
from hub.auth import make_access_code, normalize_phone
from hub.models import Channel, Role, User
from hub.passwords import hash_password
from hub.principal import Principal
from hub.tickets import service
from hub.uow import Unit


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
#: NIPs of the demo's signers (printed under their signature on issued letters).
NIPS = {"lurah.baranangsiang": "197203152000032004", "camat.bogortimur": "196811021995031003"}
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
            office_id=offices[office].id, nip=NIPS.get(username),
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
