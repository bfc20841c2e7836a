"""Administration use cases (role admin): officers, offices, services, audit, NIK search.

Each opens its own transaction (or read): ``admin_actions.x(hub, admin, ...)`` → one
``hub.unit()`` or ``hub.reader()`` → the package's services (which write the audit
entry in the same transaction) → a view. Passwords are hashed (slow by design, off the
loop) before a write transaction opens. The routes authorize (``check_administer``)
and parse; they never hold a session.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from hub import audit_chain as audit
from hub.accounts import officers, offices, service_types
from hub.accounts.offices import DayHours
from hub.accounts.service import Accounts
from hub.clock import jakarta_today
from hub.context import Hub
from hub.models import Role
from hub.principal import Principal


def temporary_password() -> str:
    """12 characters from an alphabet without look-alikes, to read out or hand over."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(3))


@dataclass(frozen=True)
class WithPassword:
    officer: dict[str, Any]
    #: the password made up for them, when the admin gave none (shown once)
    temporary_password: str | None


async def list_officers(
    hub: Hub, office_id: int | None, role: Role | None, active: bool | None, q: str | None
) -> list[dict[str, Any]]:
    async with hub.reader() as session:
        return await officers.list_officers(
            session, office_id=office_id, role=role, active=active, q=q
        )


async def create_officer(
    hub: Hub,
    p: Principal,
    username: str,
    full_name: str,
    role: Role,
    office_id: int,
    password: str | None,
    nip: str | None = None,
) -> WithPassword:
    checked = officers.check_username(username)
    chosen = password or temporary_password()
    new = officers.NewOfficer(
        username=checked,
        full_name=full_name,
        role=role,
        office_id=office_id,
        password_hash=await hub.passwords.hash(chosen),
        nip=nip,
    )
    async with hub.unit() as unit:
        view = await officers.create_officer(unit, p, new)
    return WithPassword(view, None if password else chosen)


async def update_officer(
    hub: Hub,
    p: Principal,
    user_id: int,
    role: Role | None,
    office_id: int | None,
    full_name: str | None,
    nip: str | None = None,
) -> dict[str, Any]:
    async with hub.unit() as unit:
        return await officers.update_officer(
            unit, p, user_id, role=role, office_id=office_id, full_name=full_name, nip=nip
        )


async def set_active(hub: Hub, p: Principal, user_id: int, active: bool) -> dict[str, Any]:
    async with hub.unit() as unit:
        return await officers.set_active(unit, p, user_id, active)


async def reset_password(
    hub: Hub, p: Principal, user_id: int, password: str | None
) -> WithPassword:
    chosen = password or temporary_password()
    password_hash = await hub.passwords.hash(chosen)
    async with hub.unit() as unit:
        view = await officers.set_password(unit, p, user_id, password_hash)
    return WithPassword(view, None if password else chosen)


async def list_offices(hub: Hub) -> list[dict[str, Any]]:
    async with hub.reader() as session:
        return await offices.list_offices(session)


async def update_office(
    hub: Hub,
    p: Principal,
    office_id: int,
    name: str | None,
    address: str | None,
    hours: dict[str, DayHours] | None,
) -> dict[str, Any]:
    async with hub.unit() as unit:
        return await offices.update_office(
            unit, p, office_id, name=name, address=address, hours=hours
        )


async def list_services(hub: Hub) -> list[dict[str, Any]]:
    async with hub.reader() as session:
        return await service_types.list_services(session)


async def update_service(
    hub: Hub, p: Principal, service_id: int, changes: dict[str, Any]
) -> dict[str, Any]:
    async with hub.unit() as unit:
        return await service_types.update_service(unit, p, service_id, **changes)


async def replace_requirements(
    hub: Hub, p: Principal, service_id: int, items: list[service_types.Requirement]
) -> dict[str, Any]:
    async with hub.unit() as unit:
        return await service_types.replace_requirements(unit, p, service_id, items)


async def audit_entries(hub: Hub, before_id: int | None, limit: int) -> list[dict[str, Any]]:
    async with hub.reader() as session:
        return await audit.latest(session, before_id, limit)


async def search_citizens(
    hub: Hub, accounts: Accounts, p: Principal, nik: str
) -> list[dict[str, Any]]:
    """Citizens by NIK (shown masked); the search itself is audited (how many were found)."""
    found = await accounts.citizens_by_nik(nik, jakarta_today(hub.clock.now()))
    async with hub.unit() as unit:
        await audit.record(unit, p, "citizen.search", "user", None, after={"found": len(found)})
    return found


async def replace_fields(
    hub: Hub, p: Principal, service_id: int, fields: list[service_types.FormField]
) -> dict[str, Any]:
    async with hub.unit() as unit:
        return await service_types.replace_fields(unit, p, service_id, fields)
