"""Citizen accounts: a code to the phone, registration, password reset and change.

Every step that hashes or verifies (argon2, slow on purpose) does so before it opens a
write transaction. Registration and reset first check the code the citizen typed
(:meth:`Accounts.check_code`: one of its five tries is spent and committed first), then
do their writes and use the code up in one transaction: if that fails (the phone was
taken meanwhile…) nothing is stored and the code stays unused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from hub.accounts import otp
from hub.accounts.models import OtpPurpose
from hub.accounts.nik import NikVault, check_nik, mask_nik
from hub.accounts.senders import DeliveryFailed, OtpSender
from hub.accounts.sessions import revoke_user_sessions
from hub.auth import mask_phone, normalize_phone
from hub.clock import jakarta_today
from hub.context import Hub
from hub.errors import Conflict, Forbidden, Invalid, Unavailable
from hub.models import Office, OfficeLevel, Role, User
from hub.principal import Principal

_MOBILE = re.compile(r"^628\d{7,11}$")


def check_phone(raw: str) -> str:
    """An Indonesian mobile number as ``628…`` (digits only); :class:`Invalid` otherwise."""
    phone = normalize_phone(raw)
    if not _MOBILE.match(phone):
        raise Invalid("phone_invalid", field="phone")
    return phone


@dataclass(frozen=True)
class CodeSent:
    expires_in: int
    resend_after: int
    attempts: int

    def json_dict(self) -> dict[str, int]:
        return {
            "expires_in": self.expires_in,
            "resend_after": self.resend_after,
            "attempts": self.attempts,
        }


@dataclass(frozen=True)
class Registration:
    phone: str
    code: str
    password: str
    full_name: str
    residence_office_id: int
    nik: str | None = None


async def _user_by_phone(session: AsyncSession, phone: str) -> User | None:
    return await session.scalar(select(User).where(User.phone == phone))


class Accounts:
    """The account use cases, over the hub's transactions, a code sender and the NIK vault."""

    def __init__(self, hub: Hub, sender: OtpSender, vault: NikVault) -> None:
        self.hub = hub
        self.sender = sender
        self.vault = vault

    async def close(self) -> None:
        await self.sender.close()

    async def send_code(self, raw_phone: str, purpose: OtpPurpose) -> CodeSent:
        """Make and deliver a new code for (phone, purpose).

        For a reset, a phone without an active account gets the same answer (and the
        same 60 s gate) but no message, so nobody learns which numbers have accounts.
        A registration code goes to any number: whether it is taken is told only to
        whoever proves they hold it. ``rate_limited`` within 60 s of the last code,
        ``unavailable`` when the sender gave up (the code is dropped: ask again at once).
        """
        now = self.hub.clock.now()
        phone = check_phone(raw_phone)
        deliver = True
        if purpose is OtpPurpose.reset:
            async with self.hub.reader() as session:
                user = await _user_by_phone(session, phone)
            deliver = user is not None and user.is_active
        code = otp.new_code()
        code_hash = await self.hub.passwords.hash(code)
        async with self.hub.unit() as unit:
            await otp.store_code(unit, phone, purpose, code_hash, now)
        if deliver:
            try:
                await self.sender.send(phone, code)
            except DeliveryFailed:
                async with self.hub.unit() as unit:
                    await otp.forget_code(unit, phone, purpose, code_hash)
                raise Unavailable("otp_send_failed") from None
        return CodeSent(
            int(otp.TTL.total_seconds()), int(otp.RESEND_AFTER.total_seconds()), otp.MAX_TRIES
        )

    async def check_code(self, phone: str, purpose: OtpPurpose, code: str) -> str:
        """Spend one try on the live code and verify ``code``; returns the code's hash.

        ``invalid`` (field ``code``, with ``attempts_left``) when wrong, expired or spent.
        """
        return await self._check_code(phone, purpose, code, self.hub.clock.now())

    async def _check_code(self, phone: str, purpose: OtpPurpose, code: str, now: datetime) -> str:
        async with self.hub.unit() as unit:
            code_hash, left = await otp.claim_try(unit, phone, purpose, now)
        if not await self.hub.passwords.verify(code_hash, code):
            raise Invalid("otp_wrong", field="code", attempts_left=left)
        return code_hash

    async def register(self, new: Registration) -> int:
        """A citizen account for the phone the code was sent to; returns its user id.

        ``conflict`` when the phone is registered already — then nothing is stored and
        the code stays unused. The NIK, if given, must be plausible (``invalid``); it is
        stored encrypted with its lookup hash.
        """
        now = self.hub.clock.now()
        phone = check_phone(new.phone)
        nik = check_nik(new.nik, jakarta_today(now)) if new.nik else None
        async with self.hub.reader() as session:
            office = await session.get(Office, new.residence_office_id)
        if office is None or office.level is not OfficeLevel.kelurahan:
            raise Invalid(
                "residence_required",
                field="residence_office_id",
            )
        password_hash = await self.hub.passwords.hash(new.password)
        code_hash = await self._check_code(phone, OtpPurpose.register, new.code, now)
        user = User(
            role=Role.citizen,
            full_name=new.full_name,
            phone=phone,
            password_hash=password_hash,
            residence_office_id=office.id,
            nik_cipher=self.vault.encrypt(nik) if nik else None,
            nik_hash=self.vault.lookup_hash(nik) if nik else None,
            created_at=now,
        )
        try:
            async with self.hub.unit() as unit:
                if await _user_by_phone(unit.session, phone) is not None:
                    raise Conflict("phone_taken", field="phone")
                await otp.consume(unit, phone, OtpPurpose.register, code_hash, now)
                unit.session.add(user)
                await unit.session.flush()
        except IntegrityError:
            raise Conflict("phone_taken", field="phone") from None
        return user.id

    async def reset_password(self, raw_phone: str, code: str, password: str) -> None:
        """A new password by code; every session of the account ends (its sockets close)."""
        now = self.hub.clock.now()
        phone = check_phone(raw_phone)
        password_hash = await self.hub.passwords.hash(password)
        code_hash = await self._check_code(phone, OtpPurpose.reset, code, now)
        async with self.hub.unit() as unit:
            user = await _user_by_phone(unit.session, phone)
            if user is None or not user.is_active:
                raise Invalid("otp_wrong", field="code", attempts_left=0)
            await otp.consume(unit, phone, OtpPurpose.reset, code_hash, now)
            user.password_hash = password_hash
            await revoke_user_sessions(unit, user.id)

    async def change_password(self, p: Principal, current: str, new: str) -> int:
        """Replace the password of the logged-in user, who proves the current one.

        Every *other* session ends (their sockets close on every process); this one
        stays. Returns how many ended. ``invalid`` for a wrong current password,
        ``conflict`` if the password changed meanwhile.
        """
        if p.user_id is None:
            raise Forbidden("receipt_login_no_password")
        if current == new:
            raise Invalid("new_password_same", field="new_password")
        async with self.hub.reader() as session:
            stored = await session.scalar(select(User.password_hash).where(User.id == p.user_id))
        if stored is None or not await self.hub.passwords.verify(stored, current):
            raise Invalid("current_password_wrong", field="current_password")
        new_hash = await self.hub.passwords.hash(new)
        async with self.hub.unit() as unit:
            result = await unit.session.execute(
                update(User)
                .where(User.id == p.user_id, User.password_hash == stored)
                .values(password_hash=new_hash)
            )
            if getattr(result, "rowcount", 0) != 1:
                raise Conflict("password_just_changed")
            return await revoke_user_sessions(unit, p.user_id, keep=p.session_id)

    async def profile(self, p: Principal) -> dict[str, Any]:
        """The logged-in person's account, personal data masked."""
        if p.user_id is None:
            raise Forbidden("receipt_login_no_account")
        async with self.hub.reader() as session:
            user = await session.get(User, p.user_id)
            assert user is not None
            office = (
                await session.get(Office, user.residence_office_id)
                if user.residence_office_id
                else None
            )
        return {
            "id": user.id,
            "role": user.role.value,
            "full_name": user.full_name,
            "username": user.username,
            "phone": mask_phone(user.phone),
            "nik": mask_nik(self.vault.decrypt(user.nik_cipher)) if user.nik_cipher else None,
            "residence": {"id": office.id, "name": office.name} if office else None,
        }

    async def citizens_by_nik(self, raw_nik: str, today: date) -> list[dict[str, Any]]:
        """Citizens whose NIK is ``raw_nik``, found by its keyed hash; shown masked."""
        nik = check_nik(raw_nik, today)
        async with self.hub.reader() as session:
            users = list(
                await session.scalars(
                    select(User).where(User.nik_hash == self.vault.lookup_hash(nik))
                )
            )
        return [
            {
                "id": u.id,
                "full_name": u.full_name,
                "phone": mask_phone(u.phone),
                "nik": mask_nik(nik),
                "residence_office_id": u.residence_office_id,
                "is_active": u.is_active,
            }
            for u in users
        ]
