"""One-time codes: 6 digits, 5 minutes, 5 tries, re-sent after 60 s — the rules, on rows.

The caller hashes a new code and checks a typed one (the Hub's ``PasswordPool``) outside
any write transaction; these functions do the short writes. A check first *claims* one
try (:func:`claim_try`, committed on its own), so parallel guesses cannot test more
than five codes; a right code is then *consumed* (:func:`consume`) in the transaction
that does what it was asked for, so a failure there leaves it unconsumed.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from hub.accounts.models import OtpCode, OtpPurpose
from hub.errors import Invalid, RateLimited
from hub.uow import Unit

DIGITS = 6
TTL = timedelta(minutes=5)
RESEND_AFTER = timedelta(seconds=60)
MAX_TRIES = 5


def new_code() -> str:
    return f"{secrets.randbelow(10**DIGITS):0{DIGITS}d}"


async def _locked(unit: Unit, phone: str, purpose: OtpPurpose) -> OtpCode | None:
    return await unit.session.scalar(
        select(OtpCode)
        .where(OtpCode.phone == phone, OtpCode.purpose == purpose)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


async def store_code(
    unit: Unit, phone: str, purpose: OtpPurpose, code_hash: str, now: datetime
) -> None:
    """Make ``code_hash`` the live code of (phone, purpose), replacing any earlier one.

    Raises :class:`RateLimited` (with the seconds left) if the last was sent less than
    60 s ago.
    """
    row = await _locked(unit, phone, purpose)
    if row is not None and now < row.sent_at + RESEND_AFTER:
        wait = (row.sent_at + RESEND_AFTER - now).total_seconds()
        raise RateLimited(wait, "otp_resend_wait")
    if row is None:
        row = OtpCode(phone=phone, purpose=purpose)
        unit.session.add(row)
    row.code_hash = code_hash
    row.attempts = 0
    row.sent_at = now
    row.expires_at = now + TTL
    row.consumed_at = None
    await unit.session.flush()


async def forget_code(unit: Unit, phone: str, purpose: OtpPurpose, code_hash: str) -> None:
    """Drop a code that could not be delivered, so that asking again is not held back."""
    await unit.session.execute(
        delete(OtpCode).where(
            OtpCode.phone == phone, OtpCode.purpose == purpose, OtpCode.code_hash == code_hash
        )
    )


async def claim_try(unit: Unit, phone: str, purpose: OtpPurpose, now: datetime) -> tuple[str, int]:
    """Spend one try on the live code; returns (its hash, tries left after this one).

    Raises :class:`Invalid` (field ``code``) when there is no live code, it has expired,
    or its five tries are spent.
    """
    row = await _locked(unit, phone, purpose)
    if row is None or row.consumed_at is not None:
        raise Invalid("otp_none", field="code", attempts_left=0)
    if now >= row.expires_at:
        raise Invalid("otp_expired", field="code", attempts_left=0)
    if row.attempts >= MAX_TRIES:
        raise Invalid("otp_no_tries", field="code", attempts_left=0)
    row.attempts += 1
    return row.code_hash, MAX_TRIES - row.attempts


async def consume(
    unit: Unit, phone: str, purpose: OtpPurpose, code_hash: str, now: datetime
) -> None:
    """Use the code up; :class:`Invalid` if it was replaced or used meanwhile."""
    row = await _locked(unit, phone, purpose)
    if row is None or row.code_hash != code_hash or row.consumed_at is not None:
        raise Invalid("otp_none", field="code", attempts_left=0)
    row.consumed_at = now
