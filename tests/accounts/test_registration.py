"""A citizen registers with a code sent to their phone (through the loopback SMS gateway)."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from hub.accounts.models import OtpCode
from hub.accounts.nik import NikVault
from hub.models import User
from tests.accounts.gateway import Gateway
from tests.accounts.helpers import PASSWORD, ask_code, login, office_id, register
from tests.support.server import RunningHub
from tests.support.world import World

PHONE, NORMAL = "0812-3456-7001", "6281234567001"
NIK = "3271024508950003"


async def users(live: RunningHub) -> int:
    async with live.hub.reader() as session:
        return int(await session.scalar(select(func.count(User.id))) or 0)


@pytest.mark.both_dbs
async def test_register_then_log_in_with_phone_and_password(
    live: RunningHub, gateway: Gateway
) -> None:
    async with live.http() as http:
        asked = await ask_code(http, PHONE)
        assert asked.json() == {"ok": True, "expires_in": 300, "resend_after": 60, "attempts": 5}
        code = await gateway.code_for(NORMAL)
        assert len(code) == 6 and code.isdigit()
        r = await http.post(
            "/api/accounts/register",
            json={
                "phone": PHONE, "code": code, "password": PASSWORD, "full_name": "  Siti Aminah ",
                "residence_office_id": await office_id(live.hub), "nik": NIK,
            },
        )  # fmt: skip
        assert r.status_code == 201, r.text
        logged = await login(http, "081234567001")
        assert logged.status_code == 200 and logged.json()["user"]["role"] == "citizen"
        token = logged.json()["token"]
        profile = (
            await http.get("/api/accounts/profile", headers={"Authorization": f"Bearer {token}"})
        ).json()
    account = profile["account"]
    assert account["full_name"] == "Siti Aminah"
    assert account["nik"] == "3271**********03" and account["phone"] != NORMAL
    assert account["residence"]["name"] == "Kelurahan Baranangsiang"
    # at rest: only the cipher and the keyed hash
    async with live.hub.reader() as session:
        user = await session.scalar(select(User).where(User.phone == NORMAL))
        assert user is not None and user.nik_cipher and NIK not in user.nik_cipher
        config = live.settings.accounts
        vault = NikVault(config.nik_encryption_key, config.nik_hash_key)
        assert user.nik_hash == vault.lookup_hash(NIK)
        assert vault.decrypt(user.nik_cipher) == NIK


async def test_a_wrong_code_counts_and_five_tries_end_the_code(
    live: RunningHub, gateway: Gateway
) -> None:
    async with live.http() as http:
        await ask_code(http, PHONE)
        code = await gateway.code_for(NORMAL)
        wrong = "000000" if code != "000000" else "111111"
        body = {
            "phone": PHONE, "code": wrong, "password": PASSWORD, "full_name": "Siti",
            "residence_office_id": await office_id(live.hub),
        }  # fmt: skip
        lefts = []
        for _ in range(5):
            r = await http.post("/api/accounts/register", json=body)
            assert r.status_code == 422
            lefts.append(r.json()["error"]["attempts_left"])
        assert lefts == [4, 3, 2, 1, 0]
        # the right code is no use any more
        r = await http.post("/api/accounts/register", json={**body, "code": code})
        assert r.status_code == 422 and r.json()["error"]["field"] == "code"
        assert r.json()["error"]["reason"] == "otp_no_tries"
    assert await users(live) == 0


@pytest.mark.both_dbs
async def test_parallel_guesses_cannot_try_more_than_five_codes(
    live: RunningHub, gateway: Gateway
) -> None:
    async with live.http() as http:
        await ask_code(http, PHONE)
        code = await gateway.code_for(NORMAL)
        office = await office_id(live.hub)
        guesses = [f"{n:06d}" for n in range(20) if f"{n:06d}" != code][:12]
        answers = await asyncio.gather(
            *(
                http.post(
                    "/api/accounts/register",
                    json={
                        "phone": PHONE,
                        "code": g,
                        "password": PASSWORD,
                        "full_name": "Siti",
                        "residence_office_id": office,
                    },
                )
                for g in guesses
            )
        )
    wrong = [a for a in answers if a.json()["error"]["reason"] == "otp_wrong"]
    assert len(wrong) == 5
    async with live.hub.reader() as session:
        row = await session.scalar(select(OtpCode).where(OtpCode.phone == NORMAL))
        assert row is not None and row.attempts == 5


async def test_a_new_code_only_after_60_seconds(live: RunningHub, gateway: Gateway) -> None:
    async with live.http() as http:
        assert (await ask_code(http, PHONE)).status_code == 200
        again = await ask_code(http, PHONE)
    assert again.status_code == 429
    error = again.json()["error"]
    assert error["code"] == "rate_limited" and 55 < error["retry_after"] <= 60
    assert int(again.headers["retry-after"]) == 60
    assert gateway.deliveries.qsize() == 1


async def test_codes_are_limited_per_phone_and_per_address(
    live: RunningHub, gateway: Gateway
) -> None:
    async with live.http() as http:
        per_address = [(await ask_code(http, f"08123456710{i:02d}")).status_code for i in range(11)]
    assert per_address[:10] == [200] * 10 and per_address[10] == 429
    # per phone: three codes, then wait (each from another address)
    limiter = live.hub.limiter
    from hub.accounts.routes import CODE_PER_PHONE, _phone_key
    from hub.errors import RateLimited

    for _ in range(3):
        await limiter.hit(f"otp:phone:{_phone_key('6281200000077')}", CODE_PER_PHONE)
    try:
        await limiter.hit(f"otp:phone:{_phone_key('6281200000077')}", CODE_PER_PHONE)
    except RateLimited as exc:
        assert exc.retry_after > 60
    else:
        raise AssertionError("a fourth code for one phone went through")
    assert gateway.deliveries.qsize() == 10


@pytest.mark.both_dbs
async def test_a_registered_phone_gets_conflict_and_nothing_changes(
    live: RunningHub, live_world: World, gateway: Gateway
) -> None:
    taken, normal = "0812-0000-0001", "6281200000001"  # the world's citizen
    before = await users(live)
    async with live.http() as http:
        r = await register(http, gateway, live.hub, taken, normal)
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "conflict" and r.json()["error"]["field"] == "phone"
    assert await users(live) == before
    async with live.hub.reader() as session:
        row = await session.scalar(select(OtpCode).where(OtpCode.phone == normal))
        assert row is not None and row.consumed_at is None  # not used up by the refusal


async def test_bad_registrations_are_invalid_and_store_nothing(
    live: RunningHub, live_world: World, gateway: Gateway
) -> None:
    kecamatan = await office_id(live.hub, "BGR-BT")
    async with live.http() as http:
        bad_nik = await register(http, gateway, live.hub, PHONE, NORMAL, nik="3271013002900001")
        assert bad_nik.status_code == 422 and bad_nik.json()["error"]["field"] == "nik"
        not_kelurahan = await http.post(
            "/api/accounts/register",
            json={"phone": PHONE, "code": "123456", "password": PASSWORD, "full_name": "Siti",
                  "residence_office_id": kecamatan},
        )  # fmt: skip
        assert not_kelurahan.json()["error"]["field"] == "residence_office_id"
        for body in (
            {"phone": PHONE, "code": "12345", "password": PASSWORD, "full_name": "S i",
             "residence_office_id": kecamatan},
            {"phone": PHONE, "code": "123456", "password": "short", "full_name": "Siti",
             "residence_office_id": kecamatan},
            {"phone": PHONE, "code": "123456", "password": PASSWORD, "full_name": "Siti",
             "residence_office_id": "5"},
            {"phone": PHONE, "code": "123456", "password": PASSWORD, "full_name": "Siti",
             "residence_office_id": 99999999999},
            {"phone": "0812", "code": "123456", "password": PASSWORD, "full_name": "Siti",
             "residence_office_id": kecamatan},
        ):  # fmt: skip
            r = await http.post("/api/accounts/register", json=body)
            assert r.status_code == 422 and r.json()["error"]["code"] == "invalid", r.text
        landline = await ask_code(http, "0251 8321 075")  # a Bogor landline
        assert landline.status_code == 422 and landline.json()["error"]["field"] == "phone"
        # a reset code does not register
        reset = await ask_code(http, "081200000001", "reset")
        assert reset.status_code == 200
        code = await gateway.code_for("6281200000001")
        r = await http.post(
            "/api/accounts/register",
            json={"phone": "081200000001", "code": code, "password": PASSWORD,
                  "full_name": "Siti", "residence_office_id": await office_id(live.hub)},
        )  # fmt: skip
        assert r.status_code == 422 and r.json()["error"]["field"] == "code"
    assert await users(live) == len(live_world.users)


async def test_a_code_the_gateway_cannot_take_is_unavailable_and_can_be_asked_again(
    live: RunningHub, gateway: Gateway
) -> None:
    gateway.answers = [503, 503, 503]
    async with live.http() as http:
        failed = await ask_code(http, PHONE)
        assert failed.status_code == 503 and failed.json()["error"]["code"] == "unavailable"
        again = await ask_code(http, PHONE)  # no 60 s wait after a failed delivery
        assert again.status_code == 200
    assert (await gateway.next()).phone == NORMAL
