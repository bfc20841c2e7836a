"""Web Push end to end: a real push service on loopback decrypts what the hub sends."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from hub.clock import JAKARTA, utcnow
from notifications.models import PushSubscription
from notifications.watching import online_key
from tests.notifications.helpers import rows_of, runtime_of, say
from tests.notifications.push_receiver import Receiver, run_receiver
from tests.support.server import RunningHub, connect
from tests.support.world import World, receipt_token


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    async with run_receiver() as r:
        yield r


async def subscribe(
    live: RunningHub, world: World, who: str, receiver: Receiver, name: str
) -> None:
    async with live.http(world.tokens[who]) as http:
        r = await http.post("/api/push/subscribe", json=receiver.device(name).subscription())
        assert r.status_code == 201, r.text


async def subscriptions(live: RunningHub) -> list[str]:
    async with live.hub.reader() as session:
        return list(await session.scalars(select(PushSubscription.endpoint)))


async def test_push_arrives_encrypted_and_carries_no_personal_data(
    live: RunningHub, live_world: World, receiver: Receiver
) -> None:
    await subscribe(live, live_world, "fo", receiver, "fo-laptop")
    ticket = await live_world.new_ticket()
    await say(live_world, "citizen", ticket, "NIK 3271010101800099, HP 081234567890, tolong")

    push = await receiver.next()
    assert push.device == "fo-laptop"
    assert push.headers["Content-Encoding"] == "aes128gcm"
    assert b"3271010101800099" not in push.body  # encrypted on the wire
    payload = receiver.decrypt(push)
    (row,) = await rows_of(live.hub, live_world.users["fo"])
    assert payload == {
        "title": f"Pesan baru di {row.ticket_number}",
        "body": payload["body"],
        "url": f"/tickets/{ticket}",
        "tag": f"ticket-{ticket}-comment",
        "ticket_number": row.ticket_number,
    }
    assert payload["body"].startswith("Uji citizen: NIK ")
    for secret in ("3271010101800099", "081234567890", "6281200000001"):
        assert secret not in payload["body"]

    # signed with the key the browser was given
    async with live.http() as http:
        key = (await http.get("/api/push/vapid-public-key")).json()["public_key"]
    auth = push.headers["Authorization"]
    assert auth.startswith("vapid t=") and f"k={key}" in auth
    jwt = auth.split("t=", 1)[1].split(",", 1)[0]
    claims = json.loads(base64.urlsafe_b64decode(jwt.split(".")[1] + "=="))
    assert claims["sub"] == live.settings.vapid_subject  # the operator's contact (VAPID_SUBJECT)
    assert base64.urlsafe_b64decode(key + "==")[0] == 4
    assert (live.settings.data_dir / "vapid" / "private_key.pem").is_file()

    await runtime_of(live.sio).idle()
    (row,) = await rows_of(live.hub, live_world.users["fo"])
    assert row.pushed_at is not None and row.delivered_live_at is None


async def test_a_gone_subscription_is_removed(
    live: RunningHub, live_world: World, receiver: Receiver
) -> None:
    await subscribe(live, live_world, "citizen", receiver, "old-phone")
    await subscribe(live, live_world, "citizen", receiver, "new-phone")
    receiver.answers["old-phone"] = 410
    ticket = await live_world.new_ticket()
    await say(live_world, "fo", ticket, "Surat Anda siap")
    got = {(await receiver.next()).device, (await receiver.next()).device}
    assert got == {"old-phone", "new-phone"}
    await runtime_of(live.sio).idle()
    assert await subscriptions(live) == [receiver.devices["new-phone"].endpoint]
    (row,) = await rows_of(live.hub, live_world.users["citizen"])
    assert row.pushed_at is not None  # one device took it


async def test_no_push_while_the_inbox_is_open(
    live: RunningHub, live_world: World, receiver: Receiver
) -> None:
    await subscribe(live, live_world, "citizen", receiver, "phone")
    inbox = await connect(live.url, live_world.tokens["citizen"], namespaces=("/notifications",))
    try:
        ticket = await live_world.new_ticket()
        await say(live_world, "fo", ticket, "Halo")
        await inbox.wait_for("notification", namespace="/notifications")
        await runtime_of(live.sio).idle()
        assert receiver.inbox.empty()
    finally:
        await inbox.close()
    # with the page closed, the next message is pushed (and grouped: 2 messages)
    online = online_key(live_world.users["citizen"])
    async with asyncio.timeout(10):
        await runtime_of(live.sio).live.online.until_released(online)
    await say(live_world, "fo", ticket, "Masih di sana?")
    payload = receiver.decrypt(await receiver.next())
    assert payload["title"].startswith("2 pesan baru di ")


async def test_quiet_hours_keep_the_inbox_but_skip_the_push(
    live: RunningHub, live_world: World, receiver: Receiver
) -> None:
    await subscribe(live, live_world, "fo", receiver, "fo-phone")
    now = utcnow().astimezone(JAKARTA)
    quiet = {
        "start": (now - timedelta(hours=1)).strftime("%H:%M"),
        "end": (now + timedelta(hours=1)).strftime("%H:%M"),
    }
    async with live.http(live_world.tokens["fo"]) as http:
        r = await http.put("/api/notifications/preferences", json={"quiet_hours": quiet})
        assert r.status_code == 200 and r.json()["preferences"]["quiet_hours"] == quiet
    ticket = await live_world.new_ticket()
    await say(live_world, "citizen", ticket, "Malam, Pak")
    await runtime_of(live.sio).idle()
    (row,) = await rows_of(live.hub, live_world.users["fo"])
    assert row.kind == "comment" and row.pushed_at is None
    assert receiver.inbox.empty()


async def test_muted_ticket_and_kind_opt_out(
    live: RunningHub, live_world: World, receiver: Receiver
) -> None:
    await subscribe(live, live_world, "citizen", receiver, "phone")
    muted, other = await live_world.new_ticket(), await live_world.new_ticket()
    async with live.http(live_world.tokens["citizen"]) as http:
        r = await http.put(
            "/api/notifications/preferences",
            json={"muted_tickets": [muted], "push_opt_out": ["status_changed"]},
        )
        assert r.status_code == 200, r.text
    await say(live_world, "fo", muted, "Tidak terdengar")
    await live_world.act("fo", other, "start_verification")
    await runtime_of(live.sio).idle()
    assert receiver.inbox.empty()
    (row,) = await rows_of(live.hub, live_world.users["citizen"])
    assert (row.ticket_id, row.kind, row.pushed_at) == (other, "status_changed", None)
    await say(live_world, "fo", other, "Komentar tetap di-push")
    payload = receiver.decrypt(await receiver.next())
    assert payload["tag"] == f"ticket-{other}-comment"


async def test_subscribe_checks_keys_and_owner(
    live: RunningHub, live_world: World, receiver: Receiver
) -> None:
    device = receiver.device("x").subscription()
    async with live.http(live_world.tokens["citizen"]) as http:
        bad = {**device, "keys": {"p256dh": "A" * 87, "auth": device["keys"]["auth"]}}
        assert (await http.post("/api/push/subscribe", json=bad)).status_code == 422
        ftp = {**device, "endpoint": "ftp://127.0.0.1/push"}
        assert (await http.post("/api/push/subscribe", json=ftp)).status_code == 422
        assert (await http.post("/api/push/subscribe", json=device)).status_code == 201
    async with live.http(live_world.tokens["citizen2"]) as http:
        r = await http.post("/api/push/unsubscribe", json={"endpoint": device["endpoint"]})
        assert r.json() == {"ok": True, "removed": False}
    async with live.http(live_world.tokens["citizen"]) as http:
        r = await http.post("/api/push/unsubscribe", json={"endpoint": device["endpoint"]})
        assert r.json() == {"ok": True, "removed": True}
    assert await subscriptions(live) == []
    walk_in, _ = await live_world.walk_in()
    async with live.http(await receipt_token(live.hub, walk_in)) as http:
        assert (await http.post("/api/push/subscribe", json=device)).status_code == 403


async def test_service_worker_is_served_for_the_whole_site(
    live: RunningHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The built bundle (web/static/dist) is not in git; serve the source worker instead.
    import web
    from notifications import routes

    built = tmp_path / "sw.js"
    built.write_text((Path(web.__file__).parent / "src" / "sw.js").read_text())
    monkeypatch.setattr(routes, "service_worker_path", lambda: built)
    async with live.http() as http:
        r = await http.get("/sw.js")
        assert r.status_code == 200
        assert r.headers["service-worker-allowed"] == "/"
        assert "javascript" in r.headers["content-type"]
        assert "showNotification" in r.text
        built.unlink()
        r = await http.get("/sw.js")
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
