"""Brute force without locking out an office: only failures count, per login and per address.

Every client here comes from 127.0.0.1 — one address, like an office behind one NAT.
The numbers are the documented ones (docs/protocol.md, "Login and access-code limits").
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from hub import ratelimit
from hub.errors import RateLimited, Unauthenticated, error_body
from hub.http import error_response
from hub.models import Role, User
from hub.redisconn import connect_redis
from tests.support.clock import FakeClock
from tests.support.redis_server import RedisServer
from tests.support.server import RunningHub
from tests.support.world import PASSWORD, World, password_hash


@pytest.fixture
def clock() -> FakeClock:
    """Frozen: the buckets refill only when a test moves the clock, so a slow machine (a
    burst of 50 argon2 checks can take longer than one refill) sees the documented numbers."""
    return FakeClock(frozen=True)


async def add_officers(world: World, count: int) -> list[str]:
    """``count`` front-office officers of kelurahan A; returns their usernames."""
    names = [f"fo.nat.{i}" for i in range(count)]
    async with world.hub.unit() as unit:
        unit.session.add_all(
            User(
                role=Role.front_office,
                full_name=f"Petugas NAT {i}",
                username=name,
                password_hash=password_hash(),
                office_id=world.offices["kel_a"],
            )
            for i, name in enumerate(names)
        )
    return names


async def login_as(http: httpx.AsyncClient, name: str, password: str = PASSWORD) -> httpx.Response:
    return await http.post("/api/auth/login", json={"login": name, "password": password})


async def test_thirty_officers_behind_one_nat_never_lock_themselves_out(
    live: RunningHub, live_world: World
) -> None:
    names = await add_officers(live_world, 30)
    async with live.http() as http:
        one_by_one = [(await login_as(http, name)).status_code for name in names]
        together = await asyncio.gather(*(login_as(http, name) for name in names))
        again = [(await login_as(http, name)).status_code for name in names]
    assert one_by_one == [200] * 30
    assert [r.status_code for r in together] == [200] * 30
    assert again == [200] * 30


async def test_a_login_locked_by_failures_does_not_lock_its_office(
    live: RunningHub, live_world: World
) -> None:
    burst = 5  # failures per login
    async with live.http() as http:
        failures = [(await login_as(http, "fo.a", "salah")).status_code for _ in range(burst)]
        locked = await login_as(http, "fo.a")  # even the right password, while locked
        colleague = await login_as(http, "kasi.a")  # same address, another login
    assert failures == [401] * burst
    assert locked.status_code == 429
    error = locked.json()["error"]
    assert error["code"] == "rate_limited"
    assert isinstance(error["retry_after"], int) and 1 <= error["retry_after"] <= 60
    assert locked.headers["retry-after"] == str(error["retry_after"])
    assert colleague.status_code == 200


async def test_an_address_is_locked_after_many_failures_on_many_logins(
    live: RunningHub, live_world: World
) -> None:
    burst = 50  # failures per address
    async with live.http() as http:
        spray = [(await login_as(http, f"tebakan.{i}", "salah")).status_code for i in range(burst)]
        after = await login_as(http, "fo.a")
    assert spray == [401] * burst
    assert after.status_code == 429
    assert after.json()["error"]["retry_after"] >= 1


async def test_wrong_receipt_codes_are_limited_per_ticket_on_both_doors(
    live: RunningHub, live_world: World
) -> None:
    tid, code = await live_world.walk_in()
    other, other_code = await live_world.walk_in()
    async with live.http(live_world.tokens["fo"]) as http:
        number = (await http.get(f"/api/tickets/{tid}")).json()["ticket"]["number"]
    burst = 5  # wrong codes per ticket
    async with live.http() as http:
        page = [
            (await http.get(f"/tickets/{tid}/receipt?code=WRONG{i:03d}")).status_code
            for i in range(burst - 1)
        ]
        via_login = await http.post(
            "/api/auth/receipt", json={"ticket_number": number, "access_code": "SALAH222"}
        )
        # five wrong codes over the two doors: both doors are shut, right code or not
        right_page = await http.get(f"/tickets/{tid}/receipt?code={code}")
        right_login = await http.post(
            "/api/auth/receipt", json={"ticket_number": number, "access_code": code}
        )
        # another ticket is not affected
        theirs = await http.get(f"/tickets/{other}/receipt?code={other_code}")
    assert page == [404] * (burst - 1)
    assert via_login.status_code == 401
    assert right_page.status_code == 429 and right_page.json()["error"]["code"] == "rate_limited"
    assert int(right_page.headers["retry-after"]) >= 1
    assert right_login.status_code == 429
    assert theirs.status_code == 200


async def test_wrong_codes_on_many_tickets_shut_the_address(
    live: RunningHub, live_world: World
) -> None:
    tid, code = await live_world.walk_in()
    burst = 50  # failures per address, logins and access codes together
    async with live.http() as http:
        guesses = [
            (await http.get(f"/tickets/{tid + 1 + i}/receipt?code=TEBAK222")).status_code
            for i in range(burst)
        ]
        right = await http.get(f"/tickets/{tid}/receipt?code={code}")
        login = await login_as(http, "fo.a")
    assert guesses == [404] * burst
    assert right.status_code == 429 and login.status_code == 429


async def test_successful_receipt_views_do_not_count(live: RunningHub, live_world: World) -> None:
    tid, code = await live_world.walk_in()
    async with live.http() as http:
        views = [
            (await http.get(f"/tickets/{tid}/receipt?code={code}")).status_code for _ in range(12)
        ]
    assert views == [200] * 12


async def test_the_receipt_page_sends_the_same_csp_as_every_page(
    live: RunningHub, live_world: World
) -> None:
    tid, code = await live_world.walk_in()
    async with live.http() as http:
        receipt = await http.get(f"/tickets/{tid}/receipt?code={code}")
        login_page = await http.get("/")
    assert receipt.status_code == 200
    csp = login_page.headers["content-security-policy"]
    assert "script-src 'self'" in csp
    assert receipt.headers["content-security-policy"] == csp
    assert receipt.headers["x-content-type-options"] == "nosniff"
    assert receipt.headers["cache-control"] == "no-store"
    assert "<style" not in receipt.text and "onclick" not in receipt.text


def test_retry_after_is_whole_seconds_and_never_zero() -> None:
    for wait, expected in ((0.0, 1), (0.0004, 1), (0.9991, 1), (1.0, 1), (1.2, 2), (59.01, 60)):
        exc = RateLimited(wait)
        assert error_body(exc)["error"]["retry_after"] == expected
        assert error_response(exc).headers["retry-after"] == str(expected)


def test_documented_numbers() -> None:
    assert (ratelimit.LOGIN_FAILURES.burst, 1 / ratelimit.LOGIN_FAILURES.per_second) == (5, 60)
    assert (ratelimit.RECEIPT_FAILURES.burst, 1 / ratelimit.RECEIPT_FAILURES.per_second) == (5, 60)
    assert (ratelimit.ADDRESS_FAILURES.burst, 1 / ratelimit.ADDRESS_FAILURES.per_second) == (50, 6)


async def only_failures_count(limiter: ratelimit.RateLimiter) -> None:
    rule = ratelimit.Rule(burst=2, per_second=0.001)

    def attempt(account: str) -> Any:
        return ratelimit.failures_only(limiter, held=[(account, rule)], charged=[("ip", rule)])

    for _ in range(10):
        async with attempt("k"):
            pass  # a success: nothing counted
    # many at once from one address: the address is only checked, never held
    entered = asyncio.Event()

    async def slow(account: str) -> None:
        async with attempt(account):
            await entered.wait()

    crowd = [asyncio.create_task(slow(f"colleague{i}")) for i in range(5)]
    await asyncio.sleep(0)
    entered.set()
    await asyncio.gather(*crowd)
    for account in ("k", "other"):
        with pytest.raises(Unauthenticated):
            async with attempt(account):
                raise Unauthenticated()
    # two failures from "ip": it is shut, and "k" is not charged for the refusal
    with pytest.raises(RateLimited) as refused:
        async with attempt("k"):
            raise AssertionError("ran while the address is shut")
    assert refused.value.retry_after >= 1
    await limiter.hit("k", rule)  # k: one failure, so one token is left
    with pytest.raises(RateLimited):
        await limiter.hit("k", rule)
    # parallel guesses at one account: no more at once than its burst
    held = [("acct", rule)]
    async with (
        ratelimit.failures_only(limiter, held=held),
        ratelimit.failures_only(limiter, held=held),
    ):
        with pytest.raises(RateLimited):
            async with ratelimit.failures_only(limiter, held=held):
                pass


async def test_memory_limiter_counts_only_failures() -> None:
    await only_failures_count(ratelimit.MemoryRateLimiter())


@pytest.mark.redis
async def test_redis_limiter_counts_only_failures(redis_server: RedisServer) -> None:
    redis = connect_redis(redis_server.url)
    try:
        await redis.flushdb()
        await only_failures_count(ratelimit.RedisRateLimiter(redis))
    finally:
        await redis.aclose()
