"""Logins, sessions and the tokens that carry them.

A session row is the truth (revocable); the token handed to a browser (HttpOnly
cookie) or an API client (bearer) is the session id signed with ``SECRET_KEY``.
Wrong credentials of any kind get one generic error, so accounts cannot be probed.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import (
    BindParameter,
    Executable,
    Row,
    Select,
    Table,
    bindparam,
    insert,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from hub.batching import Batcher
from hub.clock import Clock
from hub.errors import Unauthenticated
from hub.models import AuthSession, Base, Office, Role, Ticket, User
from hub.principal import Principal

COOKIE_NAME = "asinan_session"


def make_access_code() -> str:
    """A receipt access code: 8 characters, no look-alikes (0/O, 1/I/L)."""
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(8))


def normalize_phone(raw: str) -> str:
    """``0812-3456 7890`` / ``+62812…`` → ``62812…`` (digits only, Indonesian prefix)."""
    digits = "".join(ch for ch in raw if ch.isdigit())
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return digits


def mask_phone(phone: str | None) -> str | None:
    if not phone:
        return phone
    return phone[:4] + "*" * max(len(phone) - 7, 0) + phone[-3:]


def mask_nik(nik: str | None) -> str | None:
    if not nik:
        return nik
    return nik[:4] + "*" * (len(nik) - 6) + nik[-2:]


class TokenSigner:
    def __init__(self, secret_key: str) -> None:
        self._s = URLSafeSerializer(secret_key, salt="asinan-session")

    def sign(self, session_id: str) -> str:
        return self._s.dumps(session_id)

    def unsign(self, token: str) -> str:
        try:
            value = self._s.loads(token)
        except BadSignature:
            raise Unauthenticated() from None
        if not isinstance(value, str):
            raise Unauthenticated()
        return value


async def open_session(
    session: AsyncSession,
    days: int,
    now: datetime,
    user_id: int | None = None,
    ticket_id: int | None = None,
) -> str:
    """A new session row opened at ``now`` (one INSERT, no ORM object: logins are
    frequent); its id."""
    sid = secrets.token_urlsafe(32)
    await session.execute(
        insert(AuthSession).values(
            id=sid,
            user_id=user_id,
            ticket_id=ticket_id,
            created_at=now,
            expires_at=now + timedelta(days=days),
        )
    )
    return sid


@dataclass(frozen=True)
class Secret:
    """What a login is checked against (a hash), and who it signs in when it matches."""

    stored_hash: str
    user_id: int | None
    role: Role
    name: str
    office_id: int | None = None
    ticket_id: int | None = None
    active: bool = True


def login_key(login: str) -> str:
    """One spelling per account: a username lower-cased, a phone number normalised."""
    login = login.strip()
    if any(ch.isalpha() for ch in login):
        return login.lower()
    return normalize_phone(login)


def ticket_number_key(number: str) -> str:
    return number.strip().upper()


# Built once (a login is frequent): the hash and who it is, by one indexed lookup each.
_KEY: BindParameter[Any] = bindparam("key")
_USER = select(
    User.id, User.password_hash, User.is_active, User.role, User.full_name, User.office_id
)
_BY_USERNAME = _USER.where(User.username == _KEY)
_BY_PHONE = _USER.where(User.phone == _KEY, User.role == Role.citizen)
_TICKET = select(Ticket.id, Ticket.access_code_hash, Ticket.applicant_name)
_BY_NUMBER = _TICKET.where(Ticket.number == _KEY)
_BY_ID = _TICKET.where(Ticket.id == _KEY)


async def password_secret(session: AsyncSession, login: str) -> Secret | None:
    """Officers log in by username, citizens by phone number (see :func:`login_key`)."""
    key = login_key(login)
    query = _BY_USERNAME if any(ch.isalpha() for ch in key) else _BY_PHONE
    row = (await session.execute(query, {"key": key})).first()
    if row is None:
        return None
    return Secret(
        row.password_hash, row.id, row.role, row.full_name, row.office_id, None, row.is_active
    )


async def _receipt_secret(session: AsyncSession, query: Executable, key: object) -> Secret | None:
    row = (await session.execute(query, {"key": key})).first()
    if row is None:
        return None
    return Secret(row.access_code_hash, None, Role.citizen, row.applicant_name, ticket_id=row.id)


async def receipt_secret_by_number(session: AsyncSession, ticket_number: str) -> Secret | None:
    """The access-code hash of the ticket numbered ``ticket_number`` (receipt login)."""
    return await _receipt_secret(session, _BY_NUMBER, ticket_number_key(ticket_number))


async def receipt_secret(session: AsyncSession, ticket_id: int) -> Secret | None:
    """The access-code hash of ticket ``ticket_id`` (receipt page)."""
    return await _receipt_secret(session, _BY_ID, ticket_id)


async def revoke_session(session: AsyncSession, session_id: str, now: datetime) -> None:
    await session.execute(
        update(AuthSession)
        .where(AuthSession.id == session_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def _table(model: type[Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def _principal_query() -> Select[Any]:
    """Sessions, their user or ticket, and each user's office scope: one row per office.

    The scope is a recursive CTE from the user's office down (kota → kecamatan →
    kelurahan), keyed by session and joined to the session row, so resolving any
    number of sessions costs one round trip.
    """
    sessions, users, tickets = (_table(m) for m in (AuthSession, User, Ticket))
    s, u, t, o = sessions.c, users.c, tickets.c, _table(Office).c
    ids: BindParameter[Any] = bindparam("session_ids", expanding=True)
    seed = (
        select(s.id.label("sid"), u.office_id.label("id"))
        .join(sessions, s.user_id == u.id)
        .where(s.id.in_(ids), u.office_id.is_not(None))
        .cte("scope", recursive=True)
    )
    scope = seed.union(select(seed.c.sid, o.id).where(o.parent_id == seed.c.id))
    return (
        select(
            s.id, s.user_id, s.revoked_at, s.expires_at, u.role, u.full_name, u.office_id,
            u.is_active, t.id.label("ticket_id"), t.applicant_name, scope.c.id.label("scope_id"),
        )
        .select_from(
            sessions.outerjoin(users, u.id == s.user_id)
            .outerjoin(tickets, t.id == s.ticket_id)
            .outerjoin(scope, scope.c.sid == s.id)
        )
        .where(s.id.in_(ids))
    )  # fmt: skip


_PRINCIPALS = _principal_query()


async def resolve_principal(session: AsyncSession, session_id: str, now: datetime) -> Principal:
    """The live identity behind a session id at ``now``; raises Unauthenticated if revoked
    or expired."""
    found = await resolve_principals(session, [session_id], now)
    if session_id not in found:
        raise Unauthenticated()
    return found[session_id]


async def resolve_principals(
    session: AsyncSession, session_ids: list[str], now: datetime
) -> dict[str, Principal]:
    """The live identities behind session ids at ``now`` (the app's clock); a revoked,
    expired or unknown one is left out.

    One round trip for any number of sessions (see :func:`_principal_query`); only an
    admin's scope (every office) takes a second.
    """
    rows: dict[str, list[Row[Any]]] = {}
    for row in await session.execute(_PRINCIPALS, {"session_ids": session_ids}):
        rows.setdefault(row.id, []).append(row)
    every_office: frozenset[int] | None = None
    found: dict[str, Principal] = {}
    for sid, group in rows.items():
        row = group[0]
        if row.revoked_at is not None or row.expires_at <= now:
            continue
        if row.user_id is None:
            if row.ticket_id is not None:
                found[sid] = Principal(
                    session_id=row.id,
                    user_id=None,
                    role=Role.citizen,
                    name=row.applicant_name,
                    ticket_id=row.ticket_id,
                )
            continue
        if row.role is None or not row.is_active:
            continue
        if row.role is Role.admin:
            if every_office is None:
                every_office = frozenset(await session.scalars(select(Office.id)))
            scope = every_office
        else:
            scope = frozenset(r.scope_id for r in group if r.scope_id is not None)
        found[sid] = Principal(
            session_id=row.id,
            user_id=row.user_id,
            role=row.role,
            name=row.full_name,
            office_id=row.office_id,
            office_scope=scope,
        )
    return found


class PrincipalLoader:
    """Resolves the sessions of concurrent connects together: one query per batch.

    A connect storm (every client reconnecting after a deploy) would otherwise open a
    read transaction per socket. Ids asked for while a query runs wait for the next
    one (:class:`hub.batching.Batcher`), which starts after they were asked — so a
    session revoked before a connect asked is never served from an older read.
    Nothing is cached between batches.
    """

    def __init__(
        self,
        reader: Callable[[], AbstractAsyncContextManager[AsyncSession]],
        clock: Clock,
        most: int = 256,
        observe: Callable[[int], None] | None = None,
    ) -> None:
        self._reader = reader
        self._clock = clock
        self._batcher: Batcher[str, Principal] = Batcher(
            self._resolve, max_batch=most, observe=observe
        )

    async def load(self, session_id: str) -> Principal:
        return await self._batcher.submit(session_id)

    async def _resolve(self, session_ids: list[str]) -> list[Principal | BaseException]:
        async with self._reader() as session:
            found = await resolve_principals(
                session, list(dict.fromkeys(session_ids)), self._clock.now()
            )
        return [found[sid] if sid in found else Unauthenticated() for sid in session_ids]
