"""Who is told what: recipients, grouping per ticket, reading, paging (services, no server)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from hub.context import Hub
from hub.errors import Invalid, NotFound
from hub.models import Role
from hub.tickets import forwarding, views
from hub.uow import Control, Outgoing
from notifications import fanout, inbox
from notifications.runtime import Runtime
from notifications.watching import online_key, watch_key
from tests.notifications.helpers import emitted, rows_of, say, sent
from tests.support.world import World


@pytest.fixture
async def runtime(hub: Hub) -> AsyncIterator[Runtime]:
    rt = Runtime(hub)
    yield rt
    await rt.stop()


async def test_citizen_comment_reaches_the_desk_officers_not_the_author(
    world: World, runtime: Runtime
) -> None:
    ticket = await world.new_ticket()
    await say(world, "citizen", ticket, "Selamat pagi, berkas sudah saya unggah")
    (row,) = await rows_of(world.hub, world.users["fo"])
    assert (row.kind, row.ticket_id, row.count) == ("comment", ticket, 1)
    assert row.title.startswith("Pesan baru di BGR-BT-01-")
    assert row.preview == "Uji citizen: Selamat pagi, berkas sudah saya unggah"
    assert await rows_of(world.hub, world.users["citizen"]) == []
    # officers of another desk or office hear nothing
    for other in ("staff", "approver", "fo_b", "citizen2", "spv"):
        assert await rows_of(world.hub, world.users[other]) == []


async def test_officer_reply_reaches_the_applicant(world: World, runtime: Runtime) -> None:
    ticket = await world.new_ticket()
    await say(world, "fo", ticket, "Mohon lengkapi KTP")
    (row,) = await rows_of(world.hub, world.users["citizen"])
    assert row.kind == "comment"
    # nobody of theirs is connected: the inbox row waits, nothing is sent live
    assert emitted(world.hub, "notification", f"user:{world.users['citizen']}") == []
    assert await rows_of(world.hub, world.users["fo"]) == []


async def test_three_comments_make_one_row_counting_three(world: World, runtime: Runtime) -> None:
    ticket = await world.new_ticket()
    # the citizen has the app open elsewhere (not on this ticket): counts are sent live
    await runtime.live.online.add("sid-phone", online_key(world.users["citizen"]))
    for body in ("satu", "dua", "tiga"):
        await say(world, "fo", ticket, body)
    (row,) = await rows_of(world.hub, world.users["citizen"])
    assert row.count == 3
    assert row.title.startswith("3 pesan baru di ")
    assert row.preview.endswith("tiga")
    counts = emitted(world.hub, "counts", f"user:{world.users['citizen']}")
    assert counts[-1] == {"total": 3, "tickets": [{"ticket_id": ticket, "unread": 3}]}
    # once read, the next message opens a new group
    async with world.hub.unit() as unit:
        ids, after = await inbox.mark_read(unit, world.principals["citizen"], ticket_id=ticket)
    assert ids == [row.id] and after == {"total": 0, "tickets": []}
    await say(world, "fo", ticket, "empat")
    rows = await rows_of(world.hub, world.users["citizen"])
    assert [r.count for r in rows] == [3, 1]


async def test_preview_is_short_and_masks_nik_and_phone(world: World, runtime: Runtime) -> None:
    ticket = await world.new_ticket()
    await say(world, "citizen", ticket, "NIK saya 3271010101800099 hp 0812-3456-7890 " + "x" * 200)
    (row,) = await rows_of(world.hub, world.users["fo"])
    assert len(row.preview) <= 80
    assert "3271010101800099" not in row.preview and "7890" not in row.preview
    assert "•••" in row.preview


async def test_status_change_tells_the_applicant(world: World, runtime: Runtime) -> None:
    ticket = await world.new_ticket()
    await world.act("fo", ticket, "start_verification")
    rows = await rows_of(world.hub, world.users["citizen"])
    assert [r.kind for r in rows] == ["status_changed"]
    assert rows[0].preview.startswith("Permohonan Anda ")
    assert await rows_of(world.hub, world.users["fo"]) == []


async def test_disposition_tells_the_target_officer_or_desk(world: World, runtime: Runtime) -> None:
    ticket = await world.new_ticket()
    await world.act("fo", ticket, "start_verification")
    await world.act("fo", ticket, "verify")  # high risk: on the staff's desk
    async with world.hub.unit() as unit:
        t = await views.visible_ticket(unit.session, world.principals["fo"], ticket)
        await forwarding.dispose(
            unit, world.principals["fo"], ticket, t.version, "Tolong cek", world.users["staff"]
        )
    (row,) = await rows_of(world.hub, world.users["staff"])
    assert (row.kind, row.preview) == ("disposed", "Uji fo: Tolong cek")
    async with world.hub.unit() as unit:
        t = await views.visible_ticket(unit.session, world.principals["staff"], ticket)
        await forwarding.dispose(
            unit, world.principals["staff"], ticket, t.version, "Ke lurah", to_role=Role.approver
        )
    (row,) = await rows_of(world.hub, world.users["approver"])
    assert row.kind == "disposed"
    # the assignee now answers for the ticket's comments
    await say(world, "citizen", ticket, "Bagaimana?")
    assert [r.kind for r in await rows_of(world.hub, world.users["approver"])] == [
        "disposed",
        "comment",
    ]


async def test_missed_call_tells_the_callee(world: World, runtime: Runtime) -> None:
    ticket = await world.new_ticket()
    async with world.hub.unit() as unit:
        await fanout.notify_missed_call(unit, ticket, world.users["citizen"], "Uji fo")
    (row,) = await rows_of(world.hub, world.users["citizen"])
    assert row.kind == "missed_call"
    assert row.preview == "Uji fo mencoba menelepon Anda"


async def test_watcher_of_the_ticket_is_not_notified(world: World, runtime: Runtime) -> None:
    ticket = await world.new_ticket()
    await runtime.live.watching.add("sid-1", watch_key(world.users["fo"], ticket))
    await say(world, "citizen", ticket, "Halo")
    assert await rows_of(world.hub, world.users["fo"]) == []
    await runtime.live.watching.drop("sid-1")
    await say(world, "citizen", ticket, "Halo lagi")
    assert len(await rows_of(world.hub, world.users["fo"])) == 1


async def test_online_user_gets_it_live_not_pushed(world: World, runtime: Runtime) -> None:
    ticket = await world.new_ticket()
    await runtime.live.online.add("sid-1", online_key(world.users["citizen"]))
    await say(world, "fo", ticket, "Halo")
    (row,) = await rows_of(world.hub, world.users["citizen"])
    assert row.delivered_live_at is not None and not row.push_pending
    room = f"user:{world.users['citizen']}"
    (view,) = emitted(world.hub, "notification", room)
    assert view["id"] == row.id and view["url"] == f"/tickets/{ticket}"
    assert not any(isinstance(o, Control) for o in sent(world.hub))


async def test_rolled_back_comment_notifies_no_one(world: World, runtime: Runtime) -> None:
    ticket = await world.new_ticket()
    sent(world.hub).clear()
    with pytest.raises(Invalid):
        await say(world, "citizen", ticket, "   ")
    assert await rows_of(world.hub, world.users["fo"]) == []
    assert sent(world.hub) == []


async def test_mark_read_one_ticket_all_and_foreign(world: World, runtime: Runtime) -> None:
    t1, t2 = await world.new_ticket(), await world.new_ticket()
    await say(world, "fo", t1, "a")
    await say(world, "fo", t2, "b")
    await world.act("fo", t2, "start_verification")
    citizen = world.principals["citizen"]
    rows = await rows_of(world.hub, world.users["citizen"])
    assert len(rows) == 3
    async with world.hub.unit() as unit:
        ids, after = await inbox.mark_read(unit, citizen, notification_id=rows[0].id)
    assert ids == [rows[0].id] and after["total"] == 2
    async with world.hub.unit() as unit:  # again: a no-op, not an error
        ids, _ = await inbox.mark_read(unit, citizen, notification_id=rows[0].id)
    assert ids == []
    with pytest.raises(NotFound):
        async with world.hub.unit() as unit:
            await inbox.mark_read(unit, world.principals["citizen2"], notification_id=rows[1].id)
    sent(world.hub).clear()
    async with world.hub.unit() as unit:
        ids, after = await inbox.mark_read(unit, citizen, everything=True)
    assert ids == [rows[1].id, rows[2].id] and after["total"] == 0
    room = f"user:{world.users['citizen']}"
    assert emitted(world.hub, "read", room) == [{"ids": ids}]
    assert all(
        o.namespace == "/notifications" and o.rooms == (room,)
        for o in sent(world.hub)
        if isinstance(o, Outgoing)
    )


async def test_inbox_pages_newest_first(world: World, runtime: Runtime) -> None:
    tickets_ = [await world.new_ticket() for _ in range(5)]
    for t in tickets_:
        await say(world, "fo", t, f"pesan {t}")
    citizen = world.principals["citizen"]
    seen: list[int] = []
    cursor: str | None = None
    async with world.hub.reader() as session:
        while True:
            items, cursor = await inbox.inbox(session, citizen, cursor, 2)
            seen.extend(i["ticket_id"] for i in items)
            if cursor is None:
                break
        with pytest.raises(Invalid):
            await inbox.inbox(session, citizen, "!!not-a-cursor", 2)
    assert seen == list(reversed(tickets_))
