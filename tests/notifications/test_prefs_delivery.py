"""Preferences, the supervisors' delivery record, quiet hours, and presence across processes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from redis.asyncio import Redis

from hub.errors import Invalid
from notifications.prefs import in_quiet_hours
from notifications.subscriptions import check_endpoint
from notifications.watching import LiveRegistry, watch_key
from tests.notifications.helpers import say
from tests.support.redis_server import RedisServer
from tests.support.server import RunningHub, connect
from tests.support.world import World


async def test_preferences_defaults_and_rules(live: RunningHub, live_world: World) -> None:
    ticket = await live_world.new_ticket()
    foreign = await live_world.new_ticket("citizen2")
    async with live.http(live_world.tokens["citizen"]) as http:
        r = await http.get("/api/notifications/preferences")
        assert r.json()["preferences"] == {
            "muted_tickets": [],
            "push_opt_out": [],
            "quiet_hours": None,
        }
        put = "/api/notifications/preferences"
        r = await http.put(put, json={"muted_tickets": [foreign]})
        assert r.status_code == 404  # cannot mute what one cannot see
        r = await http.put(put, json={"quiet_hours": {"start": "22:00", "end": "06:00"}})
        assert r.status_code == 403  # quiet hours are for officers
        r = await http.put(put, json={"push_opt_out": ["gossip"]})
        assert r.status_code == 422
        r = await http.put(put, json={"muted_tickets": [ticket, ticket]})
        assert r.json()["preferences"]["muted_tickets"] == [ticket]
    async with live.http(live_world.tokens["staff"]) as http:
        r = await http.put(put, json={"quiet_hours": {"start": "22:00", "end": "25:00"}})
        assert r.status_code == 422
        r = await http.put(put, json={"quiet_hours": {"start": "22:00", "end": "06:00"}})
        assert r.json()["preferences"]["quiet_hours"] == {"start": "22:00", "end": "06:00"}


def test_quiet_hours_in_jakarta_time_wrap_past_midnight() -> None:
    # 15:30 UTC = 22:30 WIB; 23:30 UTC = 06:30 WIB; 05:00 UTC = 12:00 WIB
    assert in_quiet_hours("22:00", "06:00", datetime(2026, 1, 5, 15, 30, tzinfo=UTC))
    assert not in_quiet_hours("22:00", "06:00", datetime(2026, 1, 5, 23, 30, tzinfo=UTC))
    assert in_quiet_hours("11:00", "13:00", datetime(2026, 1, 5, 5, 0, tzinfo=UTC))
    assert not in_quiet_hours("11:00", "11:00", datetime(2026, 1, 5, 4, 0, tzinfo=UTC))
    assert not in_quiet_hours(None, None, datetime(2026, 1, 5, 4, 0, tzinfo=UTC))


def test_push_endpoints_must_be_https_in_production() -> None:
    check_endpoint("https://fcm.googleapis.com/fcm/send/abc", allow_http=False)
    for bad in ("http://127.0.0.1/push", "https://user:pw@push.example/x", "javascript:1"):
        with pytest.raises(Invalid) as refused:
            check_endpoint(bad, allow_http=False)
        assert refused.value.reason == "push_endpoint_invalid"
    check_endpoint("http://127.0.0.1:9/push", allow_http=True)


async def test_supervisor_sees_whether_an_officer_was_told(
    live: RunningHub, live_world: World
) -> None:
    officer = await connect(live.url, live_world.tokens["fo"], namespaces=("/notifications",))
    try:
        ticket = await live_world.new_ticket()
        await say(live_world, "citizen", ticket, "Pak, mohon dicek")
        await officer.wait_for("notification", namespace="/notifications")
        ack = await officer.call("mark_read", {"all": True}, namespace="/notifications")
        assert ack["ok"]
    finally:
        await officer.close()
    fo = live_world.users["fo"]
    async with live.http(live_world.tokens["spv"]) as http:
        r = await http.get("/api/notifications/delivery", params={"user_id": fo})
        assert r.status_code == 200
        (rec,) = r.json()["notifications"]
        assert rec["ticket_id"] == ticket and rec["kind"] == "comment"
        assert rec["delivered_live_at"] and rec["read_at"] and rec["pushed_at"] is None
        assert "preview" not in rec  # times, not the conversation
        r = await http.get(
            "/api/notifications/delivery", params={"user_id": live_world.users["citizen"]}
        )
        assert r.status_code == 404  # citizens are nobody's staff
    for who in ("spv_other", "fo", "citizen"):
        async with live.http(live_world.tokens[who]) as http:
            r = await http.get("/api/notifications/delivery", params={"user_id": fo})
            assert r.status_code == 403, who


@pytest.mark.redis
async def test_presence_is_shared_through_redis_and_fades(redis_server: RedisServer) -> None:
    redis = Redis.from_url(redis_server.url)
    try:
        await redis.flushdb()
        a, b = LiveRegistry(redis, "proc-a"), LiveRegistry(redis, "proc-b")
        key = watch_key(7, 42)
        await a.add("sid-1", key)
        await a.add("sid-2", key)
        assert await b.holds(key)  # another process sees the watcher
        await a.remove("sid-1", key)
        assert await b.holds(key)  # still one socket on a
        await a.drop("sid-2")
        assert not await b.holds(key)
        # a process that dies without clearing: its presence ends at the expiry
        await a.add("sid-3", key)
        await redis.zadd("asinan:live:" + key, {"proc-a": 1.0})  # as if the TTL passed
        assert not await b.holds(key)
        await a.refresh()  # a live process renews its presence
        assert await b.holds(key)
        await a.clear()
        assert not await b.holds(key)
    finally:
        await redis.aclose()
