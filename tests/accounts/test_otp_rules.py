"""The one-time code rules on the hub's fake clock: 5 minutes, 60 s before another, 5 tries."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hub.accounts.models import OtpPurpose
from hub.accounts.nik import NikVault
from hub.accounts.reference import load_reference
from hub.accounts.service import Accounts, Registration
from hub.context import Hub
from hub.errors import Invalid, RateLimited
from tests.support.clock import FakeClock

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
def clock() -> FakeClock:
    """Time stands still at ``T0`` until a test moves it: the rules are checked to the second."""
    return FakeClock(T0, frozen=True)


@pytest.fixture
async def accounts(hub: Hub) -> Accounts:
    async with hub.unit() as unit:
        await load_reference(unit.session)
    return Accounts(hub, Outbox(), NikVault(b"k" * 32, b"h" * 32))


def outbox(accounts: Accounts) -> Outbox:
    assert isinstance(accounts.sender, Outbox)
    return accounts.sender


async def test_a_code_lives_five_minutes(accounts: Accounts, clock: FakeClock) -> None:
    await accounts.send_code(PHONE, OtpPurpose.register)
    code = outbox(accounts).codes[-1]
    await clock.advance(299)
    assert await accounts.check_code(PHONE, OtpPurpose.register, code)
    await clock.advance(1)
    with pytest.raises(Invalid) as refused:
        await accounts.check_code(PHONE, OtpPurpose.register, code)
    assert refused.value.reason == "otp_expired"


async def test_another_code_after_sixty_seconds_replaces_the_first(
    accounts: Accounts, clock: FakeClock
) -> None:
    await accounts.send_code(PHONE, OtpPurpose.register)
    await clock.advance(45)
    with pytest.raises(RateLimited) as wait:
        await accounts.send_code(PHONE, OtpPurpose.register)
    assert wait.value.retry_after == pytest.approx(15)
    await clock.advance(15)
    await accounts.send_code(PHONE, OtpPurpose.register)
    first, second = outbox(accounts).codes
    await clock.advance(1)
    if first != second:
        with pytest.raises(Invalid) as refused:
            await accounts.check_code(PHONE, OtpPurpose.register, first)
        assert refused.value.reason == "otp_wrong"
    assert await accounts.check_code(PHONE, OtpPurpose.register, second)


async def test_purposes_do_not_share_a_gate(accounts: Accounts, clock: FakeClock) -> None:
    await accounts.send_code(PHONE, OtpPurpose.register)
    # no account behind the phone: the reset answers the same, and sends nothing
    sent = await accounts.send_code(PHONE, OtpPurpose.reset)
    assert sent.attempts == 5 and len(outbox(accounts).codes) == 1
    await clock.advance(10)
    with pytest.raises(RateLimited):  # …with the same 60 s gate as a real one
        await accounts.send_code(PHONE, OtpPurpose.reset)


async def test_registration_uses_the_code_up(
    accounts: Accounts, hub: Hub, clock: FakeClock
) -> None:
    from hub.models import Office

    async with hub.reader() as session:
        from sqlalchemy import select

        office = await session.scalar(select(Office.id).where(Office.code == "BGR-TS-02"))
    assert office is not None
    await accounts.send_code(PHONE, OtpPurpose.register)
    code = outbox(accounts).codes[-1]
    new = Registration(PHONE, code, "kata-sandi-1", "Siti", office)
    await clock.advance(5)
    await accounts.register(new)
    await clock.advance(1)
    with pytest.raises(Invalid) as refused:
        await accounts.check_code(PHONE, OtpPurpose.register, code)
    assert refused.value.reason == "otp_none"
