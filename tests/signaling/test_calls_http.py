"""HTTP: the supervisors' call history and ICE servers for a party of a call."""

from __future__ import annotations

import pytest

from tests.signaling.helpers import People, call, invite, ring_and_accept, wait
from tests.support.server import RunningHub
from tests.support.world import World


@pytest.fixture
def settings_overrides() -> dict[str, str]:
    return {"STUN_URIS": "stun:stun.example.test:3478"}


async def test_history_for_supervisors_of_the_office(
    people: People, live: RunningHub, live_world: World
) -> None:
    ticket_id = await live_world.new_ticket()
    officer, citizen = await people.join("fo"), await people.join("citizen")
    first = await ring_and_accept(officer, citizen, ticket_id)
    await call(officer, "hangup", {"call_id": first})
    second = await invite(officer, ticket_id, media="video")
    await call(citizen, "decline", {"call_id": second})

    kel_a = live_world.offices["kel_a"]
    async with live.http(live_world.tokens["spv"]) as http:
        by_office = (await http.get("/api/calls/history", params={"office_id": kel_a})).json()
        by_ticket = (await http.get("/api/calls/history", params={"ticket_id": ticket_id})).json()
        scope = (await http.get("/api/calls/history")).json()
        bad = await http.get("/api/calls/history", params={"limit": 0})
    assert by_office["ok"] and [c["call_id"] for c in by_office["calls"]] == [second, first]
    assert [(c["outcome"], c["media"]) for c in by_ticket["calls"]] == [
        ("declined", "video"),
        ("completed", "audio"),
    ]
    assert by_ticket["calls"][1]["caller"]["id"] == live_world.users["fo"]
    assert len(scope["calls"]) == 2
    assert bad.status_code == 422

    for who in ("spv_other", "fo", "citizen"):
        async with live.http(live_world.tokens[who]) as http:
            for params in ({"office_id": kel_a}, {"ticket_id": ticket_id}):
                response = await http.get("/api/calls/history", params=params)
                assert response.status_code == 403, (who, params)
    async with live.http() as http:
        assert (await http.get("/api/calls/history")).status_code == 401


async def test_ice_servers_endpoint_for_parties_only(
    people: People, live: RunningHub, live_world: World
) -> None:
    ticket_id = await live_world.new_ticket()
    officer, citizen = await people.join("fo"), await people.join("citizen")
    call_id = await invite(officer, ticket_id)
    await wait(citizen, "ringing", call_id)
    expected = [{"urls": ["stun:stun.example.test:3478"]}]
    for who in ("fo", "citizen"):
        async with live.http(live_world.tokens[who]) as http:
            response = await http.get("/api/ice-servers", params={"call_id": call_id})
        assert response.json() == {"ok": True, "ice_servers": expected}
        assert response.headers["cache-control"] == "no-store"
    async with live.http(live_world.tokens["citizen2"]) as http:
        response = await http.get("/api/ice-servers", params={"call_id": call_id})
        assert response.status_code == 404
        assert (await http.get("/api/ice-servers")).status_code == 422
    await call(officer, "cancel", {"call_id": call_id})
    async with live.http(live_world.tokens["fo"]) as http:
        response = await http.get("/api/ice-servers", params={"call_id": call_id})
    assert response.status_code == 409
