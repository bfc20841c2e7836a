"""Officer accounts, kept by admins: create, change role or office, (de)activate, reset.

Whatever changes an officer's rights (role, office) or ends their access (deactivation,
a password reset) also revokes every session of theirs: on every process their sockets
close at once, and they sign in again with what they may do now. Every change is an
audit entry in the same transaction. Admins cannot lock themselves out, and there is
always one active admin left.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub import audit_chain as audit
from hub.accounts.sessions import revoke_user_sessions
from hub.clock import iso
from hub.errors import Conflict, Invalid, NotFound
from hub.models import Office, Role, User
from hub.principal import Principal
from hub.uow import Unit

#: The roles an admin gives: every officer role, and admin.
STAFF_ROLES: tuple[Role, ...] = (
    Role.front_office, Role.staff, Role.approver, Role.supervisor, Role.admin,
)  # fmt: skip
#: Lower-case, 3–64 of a-z 0-9 . _ -, with a letter: the login form tells a username
#: from a phone number by its letters.
USERNAME = re.compile(r"^(?=.*[a-z])[a-z0-9._-]{3,64}$")
NIP_DIGITS = 18


@dataclass(frozen=True)
class NewOfficer:
    username: str
    full_name: str
    role: Role
    office_id: int
    password_hash: str
    nip: str | None = None


def check_nip(raw: str) -> str | None:
    """An officer's NIP (18 digits, spaces ignored), or None for an empty one."""
    nip = raw.replace(" ", "")
    if not nip:
        return None
    if len(nip) != NIP_DIGITS or not nip.isascii() or not nip.isdigit():
        raise Invalid("nip_invalid", field="nip")
    return nip


def check_username(raw: str) -> str:
    username = raw.strip().lower()
    if not USERNAME.match(username):
        raise Invalid(
            "username_invalid",
            field="username",
        )
    return username


def officer_view(u: User) -> dict[str, Any]:
    return {
        "id": u.id,
        "username": u.username,
        "full_name": u.full_name,
        "role": u.role.value,
        "office_id": u.office_id,
        "nip": u.nip,
        "is_active": u.is_active,
        "created_at": iso(u.created_at),
    }


def _facts(u: User) -> dict[str, Any]:
    """What the audit trail keeps of an officer: no name, no username."""
    return {"role": u.role.value, "office_id": u.office_id, "is_active": u.is_active}


async def list_officers(
    session: AsyncSession,
    *,
    office_id: int | None = None,
    role: Role | None = None,
    active: bool | None = None,
    q: str | None = None,
    limit: int = 500,
) -> list[dict[str, Any]]:
    """Officers and admins (never citizens), by username."""
    query = select(User).where(User.role != Role.citizen).order_by(User.username).limit(limit)
    if office_id is not None:
        query = query.where(User.office_id == office_id)
    if role is not None:
        query = query.where(User.role == role)
    if active is not None:
        query = query.where(User.is_active.is_(active))
    if q:
        like = f"%{q.lower()}%"
        query = query.where(or_(User.username.like(like), func.lower(User.full_name).like(like)))
    return [officer_view(u) for u in await session.scalars(query)]


async def _office(session: AsyncSession, office_id: int) -> Office:
    office = await session.get(Office, office_id)
    if office is None:
        raise Invalid("office_unknown", field="office_id")
    return office


async def _officer(unit: Unit, user_id: int) -> User:
    user = await unit.session.scalar(
        select(User)
        .where(User.id == user_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if user is None or user.role is Role.citizen:
        raise NotFound("officer_not_found")
    return user


async def _keep_an_admin(unit: Unit, user: User) -> None:
    """Refuse to remove the last active admin (``conflict``)."""
    if user.role is not Role.admin or not user.is_active:
        return
    others = await unit.session.scalar(
        select(func.count(User.id)).where(
            User.role == Role.admin, User.is_active.is_(True), User.id != user.id
        )
    )
    if not others:
        raise Conflict("last_admin")


async def create_officer(unit: Unit, actor: Principal | None, new: NewOfficer) -> dict[str, Any]:
    """A new officer account; ``conflict`` (field ``username``) if the username is taken."""
    username = check_username(new.username)
    if new.role not in STAFF_ROLES:
        raise Invalid("role_unknown", field="role")
    await _office(unit.session, new.office_id)
    if await unit.session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict("username_taken", field="username")
    user = User(
        role=new.role,
        full_name=new.full_name,
        username=username,
        password_hash=new.password_hash,
        office_id=new.office_id,
        created_at=unit.ctx.clock.now(),
        nip=check_nip(new.nip) if new.nip else None,
    )
    unit.session.add(user)
    await unit.session.flush()
    await audit.record(
        unit, actor, "officer.create", "user", user.id, office_id=user.office_id, after=_facts(user)
    )
    return officer_view(user)


async def update_officer(
    unit: Unit,
    actor: Principal | None,
    user_id: int,
    *,
    role: Role | None = None,
    office_id: int | None = None,
    full_name: str | None = None,
    nip: str | None = None,
) -> dict[str, Any]:
    """Change an officer's role, office, name or NIP (``""`` clears it); a new role or
    office ends their sessions."""
    user = await _officer(unit, user_id)
    before = _facts(user)
    if role is not None and role is not user.role:
        if role not in STAFF_ROLES:
            raise Invalid("role_unknown", field="role")
        if actor is not None and actor.user_id == user.id:
            raise Invalid("cannot_change_own_role")
        await _keep_an_admin(unit, user)
        user.role = role
    if office_id is not None and office_id != user.office_id:
        await _office(unit.session, office_id)
        user.office_id = office_id
    renamed = full_name is not None and full_name != user.full_name
    if full_name is not None:
        user.full_name = full_name
    new_nip = check_nip(nip) if nip is not None else user.nip
    renumbered = new_nip != user.nip
    user.nip = new_nip
    old, new = audit.changed(before, _facts(user))
    if new:
        own = actor is not None and actor.user_id == user.id
        await revoke_user_sessions(unit, user.id, keep=actor.session_id if own and actor else None)
    if new or renamed or renumbered:
        if renamed:
            new["full_name_changed"] = True
        if renumbered:
            new["nip_changed"] = True
        await audit.record(
            unit, actor, "officer.update", "user", user.id, office_id=user.office_id,
            before=old, after=new,
        )  # fmt: skip
    return officer_view(user)


async def set_active(
    unit: Unit, actor: Principal | None, user_id: int, active: bool
) -> dict[str, Any]:
    """Deactivate (every session revoked, sockets closed everywhere) or reactivate."""
    user = await _officer(unit, user_id)
    if user.is_active == active:
        return officer_view(user)
    if not active:
        if actor is not None and actor.user_id == user.id:
            raise Invalid("cannot_deactivate_self")
        await _keep_an_admin(unit, user)
        await revoke_user_sessions(unit, user.id)
    user.is_active = active
    await audit.record(
        unit, actor, "officer.reactivate" if active else "officer.deactivate", "user", user.id,
        office_id=user.office_id, before={"is_active": not active}, after={"is_active": active},
    )  # fmt: skip
    return officer_view(user)


async def set_password(
    unit: Unit, actor: Principal | None, user_id: int, password_hash: str
) -> dict[str, Any]:
    """A new password for an officer (an admin resets it): every session of theirs ends."""
    user = await _officer(unit, user_id)
    user.password_hash = password_hash
    await revoke_user_sessions(unit, user.id)
    await audit.record(
        unit, actor, "officer.password_reset", "user", user.id, office_id=user.office_id,
        after={"password": "reset"},
    )  # fmt: skip
    return officer_view(user)
