"""A small Kota Bogor for tests: offices, officers of every role, citizens, tokens."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from hub.accounts.reference import load_reference
from hub.auth import make_access_code, open_session, resolve_principal
from hub.context import Hub
from hub.models import Channel, Role, User
from hub.passwords import hash_password
from hub.principal import Principal
from hub.tickets import service, views

PASSWORD = "rahasia-uji-123"


@functools.cache
def password_hash() -> str:
    return hash_password(PASSWORD)


@dataclass
class World:
    hub: Hub
    offices: dict[str, int] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    principals: dict[str, Principal] = field(default_factory=dict)

    async def new_ticket(
        self, citizen: str = "citizen", service_code: str = "SKTM", office: str = "kel_a"
    ) -> int:
        async with self.hub.unit() as unit:
            t = await service.create_ticket(
                unit,
                self.principals[citizen],
                service.NewTicket(service_code, self.offices[office], Channel.online),
                password_hash(),
            )
            return t.id

    async def walk_in(self, office: str = "kel_a", service_code: str = "KLH") -> tuple[int, str]:
        """A walk-in ticket entered by the front office; returns (ticket id, access code)."""
        code = make_access_code()
        async with self.hub.unit() as unit:
            t = await service.create_ticket(
                unit,
                self.principals["fo"],
                service.NewTicket(
                    service_code,
                    self.offices[office],
                    Channel.walk_in,
                    "Ibu Tamu",
                    "0812 1111 2222",
                ),
                hash_password(code),
            )
            return t.id, code

    async def act(self, who: str, ticket_id: int, action: str, reason: str | None = None) -> None:
        async with self.hub.unit() as unit:
            t = await views.visible_ticket(unit.session, self.principals[who], ticket_id)
            await service.transition(
                unit, self.principals[who], ticket_id, action, t.version, reason
            )


#: name → (role, office key or None, username or phone)
PEOPLE: dict[str, tuple[Role, str | None, str]] = {
    "fo": (Role.front_office, "kel_a", "fo.a"),
    "staff": (Role.staff, "kel_a", "kasi.a"),
    "approver": (Role.approver, "kel_a", "lurah.a"),
    "fo_b": (Role.front_office, "kel_b", "fo.b"),
    "approver_b": (Role.approver, "kel_b", "lurah.b"),
    "kec_fo": (Role.front_office, "kec", "fo.kec"),
    "spv": (Role.supervisor, "kec", "spv.kec"),
    "spv_other": (Role.supervisor, "kec_other", "spv.other"),
    "admin": (Role.admin, "kota", "admin.t"),
    "citizen": (Role.citizen, None, "6281200000001"),
    "citizen2": (Role.citizen, None, "6281200000002"),
}


async def build_world(hub: Hub) -> World:
    world = World(hub)
    async with hub.unit() as unit:
        offices = await load_reference(unit.session)
        world.offices = {
            "kota": offices["BGR"].id,
            "kec": offices["BGR-BT"].id,
            "kel_a": offices["BGR-BT-01"].id,
            "kel_b": offices["BGR-BT-02"].id,
            "kec_other": offices["BGR-BU"].id,
            "kel_other": offices["BGR-BU-01"].id,
        }
        for name, (role, office, login) in PEOPLE.items():
            user = User(
                role=role,
                full_name=f"Uji {name}",
                username=None if role is Role.citizen else login,
                phone=login if role is Role.citizen else None,
                password_hash=password_hash(),
                office_id=world.offices[office] if office else None,
            )
            unit.session.add(user)
            await unit.session.flush()
            world.users[name] = user.id
            sid = await open_session(unit.session, 1, unit.ctx.clock.now(), user_id=user.id)
            world.tokens[name] = hub.signer.sign(sid)
    async with hub.reader() as session:
        for name, token in world.tokens.items():
            world.principals[name] = await resolve_principal(
                session, hub.signer.unsign(token), hub.clock.now()
            )
    return world


async def receipt_token(hub: Hub, ticket_id: int) -> str:
    """A walk-in receipt session for ``ticket_id`` (as the receipt login would open)."""
    async with hub.unit() as unit:
        sid = await open_session(unit.session, 1, unit.ctx.clock.now(), ticket_id=ticket_id)
    return hub.signer.sign(sid)
