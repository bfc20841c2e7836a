"""The TURN-credential rate limit meters refreshes only: it never blocks placing or
answering a call (the credentials in ``invite``/``accept`` acks spend no token)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.signaling.helpers import People, call, call_log, error_code, invite, wait
from tests.support.server import Client, RunningHub
from tests.support.world import World

TURN_URI = "turn:turn.example.test:3478?transport=udp"


@pytest.fixture
def settings_overrides() -> dict[str, str]:
    return {"TURN_URIS": TURN_URI, "TURN_SECRET": "turn-limit-secret", "TURN_TTL": "300"}


def turn_user(ack: dict[str, Any]) -> str:
    """The user a TURN credential in ``ack`` was minted for (``<expiry>:<user>``)."""
    [turn] = [s for s in ack["ice_servers"] if s["urls"] == [TURN_URI]]
    assert turn["credential"]
    return str(turn["username"]).partition(":")[2]


async def refresh_until_limited(client: Client, call_id: str) -> list[str]:
    codes = []
    for _ in range(6):
        ack = await call(client, "ice_servers", {"call_id": call_id})
        codes.append("ok" if ack["ok"] else ack["error"]["code"])
    return codes


async def test_an_officer_places_thirty_calls_in_a_row(people: People, live_world: World) -> None:
    ticket_id = await live_world.new_ticket()
    officer, citizen = await people.join("fo"), await people.join("citizen")
    for n in range(30):
        ack = await call(officer, "invite", {"ticket_id": ticket_id, "media": "audio"})
        assert ack["ok"] and ack["status"] == "ringing", (n, ack)
        assert turn_user(ack) == f"u-{live_world.users['fo']}"
        call_id = ack["call_id"]
        if n % 3:
            assert (await call(officer, "cancel", {"call_id": call_id}))["ok"]
            continue
        await wait(citizen, "ringing", call_id)
        accepted = await call(citizen, "accept", {"call_id": call_id})
        assert accepted["ok"], (n, accepted)
        assert turn_user(accepted) == f"u-{live_world.users['citizen']}"
        assert (await call(citizen, "hangup", {"call_id": call_id}))["ok"]
    outcomes = [e["outcome"] for e in await call_log(live_world, ticket_id)]
    assert outcomes == ["completed" if n % 3 == 0 else "cancelled" for n in range(30)]


async def test_a_callee_who_refreshed_until_limited_still_answers(
    people: People, live: RunningHub, live_world: World
) -> None:
    ticket_id = await live_world.new_ticket()
    officer, citizen = await people.join("fo"), await people.join("citizen")
    call_id = await invite(officer, ticket_id)
    await wait(citizen, "ringing", call_id)
    assert await refresh_until_limited(citizen, call_id) == ["ok"] * 5 + ["rate_limited"]
    async with live.http(live_world.tokens["citizen"]) as http:
        response = await http.get("/api/ice-servers", params={"call_id": call_id})
    assert response.status_code == 429

    accepted = await call(citizen, "accept", {"call_id": call_id})
    assert accepted["ok"] and accepted["status"] == "active", accepted
    assert turn_user(accepted) == f"u-{live_world.users['citizen']}"
    await wait(officer, "accepted", call_id)
    # … and the refresh is still limited: answering did not reset the bucket either.
    limited = await call(citizen, "ice_servers", {"call_id": call_id})
    assert error_code(limited) == "rate_limited"


async def test_invites_busy_or_ringing_spend_no_token(people: People, live_world: World) -> None:
    taken = await live_world.new_ticket()
    also_hers = await live_world.new_ticket()
    other = await live_world.new_ticket(citizen="citizen2")
    fo, staff = await people.join("fo"), await people.join("staff")
    await invite(fo, taken)  # the citizen is in a call now
    for _ in range(6):
        ack = await call(staff, "invite", {"ticket_id": also_hers, "media": "audio"})
        assert ack["ok"] and ack["outcome"] == "busy" and ack["ice_servers"] == []
    call_id = await invite(staff, other)
    # The staff member's bucket is whole: five refreshes, then limited.
    assert await refresh_until_limited(staff, call_id) == ["ok"] * 5 + ["rate_limited"]
