"""The doors that take a secret: password login, receipt login, the receipt page; and logout.

Each follows the same order, so that no transaction waits on a hash and no failure
goes uncounted:

1. hold a token of the login name's (or the ticket's) failure bucket and check the
   client address's (:func:`hub.ratelimit.failures_only`); a success gives the token
   back, a failure keeps it and charges the address;
2. read the stored hash in a *reader* session, closed at once (the receipt doors read
   first: their bucket is the ticket's, by id);
3. verify in the password pool (:class:`hub.passwords.PasswordPool`), off the event
   loop — against a dummy hash when nothing was found, so timing does not tell;
4. only then open a short write transaction for the new session row (and, once, a
   rehash to today's parameters).

Wrong credentials of any kind get one generic error (reason ``bad_login``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import update

from hub import ratelimit
from hub.auth import (
    Secret,
    login_key,
    open_session,
    password_secret,
    receipt_secret,
    receipt_secret_by_number,
    revoke_session,
    ticket_number_key,
)
from hub.context import Hub
from hub.errors import NotFound, Unauthenticated
from hub.models import Role, User
from hub.passwords import needs_rehash

RECEIPT_DAYS = 7


@dataclass(frozen=True)
class SignedIn:
    """A session just opened, and whom it signs in (read with the hash: no second query)."""

    session_id: str
    user_id: int | None
    role: Role
    name: str
    office_id: int | None
    ticket_id: int | None

    @classmethod
    def of(cls, session_id: str, secret: Secret) -> SignedIn:
        return cls(
            session_id, secret.user_id, secret.role, secret.name, secret.office_id, secret.ticket_id
        )


def _address(address: str) -> list[ratelimit.Bucket]:
    return [(f"auth:ip:{address}", ratelimit.ADDRESS_FAILURES)]


def _ticket(ticket: int | str) -> list[ratelimit.Bucket]:
    """A ticket's bucket: by id once known, else by the number that found nothing."""
    return [(f"receipt:t:{ticket}", ratelimit.RECEIPT_FAILURES)]


async def login_password(hub: Hub, address: str, login: str, password: str) -> SignedIn:
    """Officers by username, citizens by phone; opens a session.

    Raises ``unauthenticated`` (generic) or ``rate_limited`` once this login name or
    this address failed too often (:data:`ratelimit.LOGIN_FAILURES`,
    :data:`ratelimit.ADDRESS_FAILURES`).
    """
    account = [(f"login:id:{login_key(login)}", ratelimit.LOGIN_FAILURES)]
    async with ratelimit.failures_only(hub.limiter, held=account, charged=_address(address)):
        async with hub.reader() as session:
            secret = await password_secret(session, login)
        good = await hub.passwords.verify(secret.stored_hash if secret else None, password)
        if secret is None or not good or not secret.active:
            raise Unauthenticated("bad_login")
    rehash = await hub.passwords.hash(password) if needs_rehash(secret.stored_hash) else None
    async with hub.unit() as unit:
        if rehash is not None:
            await unit.session.execute(
                update(User).where(User.id == secret.user_id).values(password_hash=rehash)
            )
        sid = await open_session(
            unit.session, hub.settings.session_days, unit.ctx.clock.now(), user_id=secret.user_id
        )
    return SignedIn.of(sid, secret)


async def login_receipt(hub: Hub, address: str, ticket_number: str, access_code: str) -> SignedIn:
    """A walk-in applicant follows one ticket with its number and access code (≤ 7 days).

    Wrong codes are counted per ticket (with the receipt page) and per address.
    """
    async with hub.reader() as session:
        secret = await receipt_secret_by_number(session, ticket_number)
    found = secret.ticket_id if secret is not None else None
    ticket = _ticket(found if found is not None else ticket_number_key(ticket_number))
    async with ratelimit.failures_only(hub.limiter, held=ticket, charged=_address(address)):
        code = access_code.strip().upper()
        good = await hub.passwords.verify(secret.stored_hash if secret else None, code)
        if secret is None or not good:
            raise Unauthenticated("bad_login")
    days = min(hub.settings.session_days, RECEIPT_DAYS)
    async with hub.unit() as unit:
        sid = await open_session(
            unit.session, days, unit.ctx.clock.now(), ticket_id=secret.ticket_id
        )
    return SignedIn.of(sid, secret)


async def check_receipt_code(hub: Hub, address: str, ticket_id: int, access_code: str) -> None:
    """``not_found`` unless ``access_code`` opens ticket ``ticket_id``'s printable receipt.

    Counted like the receipt login (same buckets): a wrong code is a failure.
    """
    if not access_code:
        raise NotFound("receipt_not_found")
    async with hub.reader() as session:
        secret = await receipt_secret(session, ticket_id)
    ticket = _ticket(ticket_id)
    async with ratelimit.failures_only(hub.limiter, held=ticket, charged=_address(address)):
        good = await hub.passwords.verify(secret.stored_hash if secret else None, access_code)
        if secret is None or not good:
            raise NotFound("receipt_not_found")


async def logout(hub: Hub, session_id: str) -> None:
    """Revoke the session; after commit every live socket of it closes, on every process."""
    async with hub.unit() as unit:
        await revoke_session(unit.session, session_id, unit.ctx.clock.now())
        unit.control("disconnect_session", session_id=session_id)
