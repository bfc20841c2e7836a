"""Logins, sessions and the tokens that carry them.

A session row is the truth (revocable); the token handed to a browser (HttpOnly
cookie) or an API client (bearer) is the session id signed with ``SECRET_KEY``.
Wrong credentials of any kind get one generic error, so accounts cannot be probed.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hub.clock import utcnow
from hub.errors import Unauthenticated
from hub.models import AuthSession, Office, Role, Ticket, User
from hub.principal import Principal

COOKIE_NAME = "asinan_session"
BAD_LOGIN = "Login gagal: data masuk salah / Login failed: wrong credentials"

_hasher = PasswordHasher()
# Verified against when the account does not exist, so timing does not tell.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


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


async def office_scope(session: AsyncSession, office_id: int | None) -> frozenset[int]:
    """The office and everything under it (kota → kecamatan → kelurahan)."""
    if office_id is None:
        return frozenset()
    scope = {office_id}
    frontier = [office_id]
    while frontier:
        rows = await session.scalars(select(Office.id).where(Office.parent_id.in_(frontier)))
        frontier = [r for r in rows if r not in scope]
        scope.update(frontier)
    return frozenset(scope)


async def open_session(
    session: AsyncSession, days: int, user_id: int | None = None, ticket_id: int | None = None
) -> str:
    sid = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        AuthSession(
            id=sid,
            user_id=user_id,
            ticket_id=ticket_id,
            created_at=now,
            expires_at=now + timedelta(days=days),
        )
    )
    return sid


async def login_password(
    session: AsyncSession, *, login: str, password: str, session_days: int
) -> str:
    """Officers log in by username, citizens by phone number; returns a new session id.

    Raises :class:`Unauthenticated` with one generic message for every failure.
    """
    login = login.strip()
    user: User | None
    if any(ch.isalpha() for ch in login):
        user = await session.scalar(select(User).where(User.username == login.lower()))
    else:
        phone = normalize_phone(login)
        user = await session.scalar(
            select(User).where(User.phone == phone, User.role == Role.citizen)
        )
    if user is None:
        verify_password(_DUMMY_HASH, password)
        raise Unauthenticated(BAD_LOGIN)
    if not verify_password(user.password_hash, password) or not user.is_active:
        raise Unauthenticated(BAD_LOGIN)
    return await open_session(session, session_days, user_id=user.id)


async def login_receipt(
    session: AsyncSession, *, ticket_number: str, access_code: str, session_days: int
) -> str:
    """A walk-in applicant follows one ticket with its number and receipt access code."""
    ticket = await session.scalar(
        select(Ticket).where(Ticket.number == ticket_number.strip().upper())
    )
    code = access_code.strip().upper()
    if ticket is None:
        verify_password(_DUMMY_HASH, code)
        raise Unauthenticated(BAD_LOGIN)
    if not verify_password(ticket.access_code_hash, code):
        raise Unauthenticated(BAD_LOGIN)
    return await open_session(session, min(session_days, 7), ticket_id=ticket.id)


async def revoke_session(session: AsyncSession, session_id: str) -> None:
    await session.execute(
        update(AuthSession)
        .where(AuthSession.id == session_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


async def resolve_principal(session: AsyncSession, session_id: str) -> Principal:
    """The live identity behind a session id; raises Unauthenticated if revoked or expired."""
    row = await session.get(AuthSession, session_id)
    if row is None or row.revoked_at is not None or row.expires_at <= utcnow():
        raise Unauthenticated()
    if row.user_id is None:
        ticket = await session.get(Ticket, row.ticket_id)
        if ticket is None:
            raise Unauthenticated()
        return Principal(
            session_id=row.id,
            user_id=None,
            role=Role.citizen,
            name=ticket.applicant_name,
            ticket_id=ticket.id,
        )
    user = await session.get(User, row.user_id)
    if user is None or not user.is_active:
        raise Unauthenticated()
    scope = await office_scope(session, user.office_id)
    if user.role is Role.admin:
        scope = frozenset(await session.scalars(select(Office.id)))
    return Principal(
        session_id=row.id,
        user_id=user.id,
        role=user.role,
        name=user.full_name,
        office_id=user.office_id,
        office_scope=scope,
    )
