"""The devices a person gets pushes on: listed for them alone, each one removable."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.notifications.push_receiver import Receiver, run_receiver
from tests.support.server import RunningHub
from tests.support.world import World, receipt_token


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    async with run_receiver() as r:
        yield r


async def test_my_devices_are_listed_for_me_only_and_can_be_removed(
    live: RunningHub, live_world: World, receiver: Receiver
) -> None:
    phone = receiver.device("phone").subscription()
    laptop = receiver.device("laptop").subscription()
    other = receiver.device("other").subscription()
    async with live.http(live_world.tokens["citizen"]) as http:
        for sub in (phone, laptop):
            assert (await http.post("/api/push/subscribe", json=sub)).status_code == 201
    async with live.http(live_world.tokens["citizen2"]) as http:
        assert (await http.post("/api/push/subscribe", json=other)).status_code == 201

    async with live.http(live_world.tokens["citizen"]) as http:
        r = await http.get("/api/push/subscriptions")
        assert r.status_code == 200, r.text
        listed = r.json()["subscriptions"]
        assert [d["endpoint"] for d in listed] == [phone["endpoint"], laptop["endpoint"]]
        assert set(listed[0]) == {"id", "endpoint", "created_at", "last_success_at"}
        assert listed[0]["created_at"].endswith("Z") and listed[0]["last_success_at"] is None
        r = await http.post("/api/push/unsubscribe", json={"endpoint": laptop["endpoint"]})
        assert r.json() == {"ok": True, "removed": True}
        listed = (await http.get("/api/push/subscriptions")).json()["subscriptions"]
        assert [d["endpoint"] for d in listed] == [phone["endpoint"]]


async def test_devices_need_a_registered_login(live: RunningHub, live_world: World) -> None:
    async with live.http() as http:
        r = await http.get("/api/push/subscriptions")
        assert r.status_code == 401 and r.json()["error"]["code"] == "unauthenticated"
    walk_in, _ = await live_world.walk_in()
    async with live.http(await receipt_token(live.hub, walk_in)) as http:
        r = await http.get("/api/push/subscriptions")
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
