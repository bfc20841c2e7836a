"""The one-time code rules on a fake clock: 5 minutes, 60 s before another, 5 tries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hub.accounts.models import OtpPurpose
from hub.accounts.nik import NikVault
from hub.accounts.reference import load_reference
from hub.accounts.service import Accounts, Registration
from hub.context import Hub
from hub.errors import Invalid, RateLimited

T0 = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
PHONE = "6281234567001"


class Outbox:
    def __init__(self) -> None:
        self.codes: list[str] = []

    async def send(self, phone: str, code: str) -> None:
        self.codes.append(code)

    async def close(self) -> None:
        return None


@pytest.fixture
async def accounts(hub: Hub) -> Accounts:
    async with hub.unit() as unit:
        await load_reference(unit.session)
    return Accounts(hub, Outbox(), NikVault(b"k" * 32, b"h" * 32))


def outbox(accounts: Accounts) -> Outbox:
    assert isinstance(accounts.sender, Outbox)
    return accounts.sender


async def test_a_code_lives_five_minutes(accounts: Accounts) -> None:
    await accounts.send_code(PHONE, OtpPurpose.register, T0)
    code = outbox(accounts).codes[-1]
    with pytest.raises(Invalid, match="kedaluwarsa"):
        await accounts.check_code(PHONE, OtpPurpose.register, code, T0 + timedelta(seconds=300))
    assert await accounts.check_code(PHONE, OtpPurpose.register, code, T0 + timedelta(seconds=299))


async def test_another_code_after_sixty_seconds_replaces_the_first(accounts: Accounts) -> None:
    await accounts.send_code(PHONE, OtpPurpose.register, T0)
    with pytest.raises(RateLimited) as wait:
        await accounts.send_code(PHONE, OtpPurpose.register, T0 + timedelta(seconds=45))
    assert wait.value.retry_after == pytest.approx(15)
    await accounts.send_code(PHONE, OtpPurpose.register, T0 + timedelta(seconds=60))
    first, second = outbox(accounts).codes
    later = T0 + timedelta(seconds=61)
    if first != second:
        with pytest.raises(Invalid, match="Kode salah"):
            await accounts.check_code(PHONE, OtpPurpose.register, first, later)
    assert await accounts.check_code(PHONE, OtpPurpose.register, second, later)


async def test_purposes_do_not_share_a_gate(accounts: Accounts, hub: Hub) -> None:
    await accounts.send_code(PHONE, OtpPurpose.register, T0)
    # no account behind the phone: the reset answers the same, and sends nothing
    sent = await accounts.send_code(PHONE, OtpPurpose.reset, T0)
    assert sent.attempts == 5 and len(outbox(accounts).codes) == 1
    with pytest.raises(RateLimited):  # …with the same 60 s gate as a real one
        await accounts.send_code(PHONE, OtpPurpose.reset, T0 + timedelta(seconds=10))


async def test_registration_uses_the_code_up(accounts: Accounts, hub: Hub) -> None:
    from hub.models import Office

    async with hub.reader() as session:
        from sqlalchemy import select

        office = await session.scalar(select(Office.id).where(Office.code == "BGR-TS-02"))
    assert office is not None
    await accounts.send_code(PHONE, OtpPurpose.register, T0)
    code = outbox(accounts).codes[-1]
    new = Registration(PHONE, code, "kata-sandi-1", "Siti", office)
    await accounts.register(new, T0 + timedelta(seconds=5))
    with pytest.raises(Invalid, match="tidak berlaku"):
        await accounts.check_code(PHONE, OtpPurpose.register, code, T0 + timedelta(seconds=6))
