"""The officer's queue over HTTP: unread counts per officer, search, filters, order, access."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update

from chat import posting, service
from hub.models import Ticket
from hub.ratelimit import Rule
from hub.tickets import forwarding, views
from tests.support.server import RunningHub
from tests.support.world import World

pytestmark = pytest.mark.both_dbs

RULE = Rule(10_000, 1000.0)


async def queue(live: RunningHub, world: World, who: str, query: str = "") -> Any:
    async with live.http(world.tokens[who]) as http:
        r = await http.get(f"/api/officer/queue{query}")
    assert r.status_code == 200, r.text
    return r.json()


def ids(body: Any) -> list[int]:
    return [t["id"] for t in body["tickets"]]


async def say(world: World, who: str, ticket_id: int, *bodies: str) -> list[int]:
    """Post comments as ``who``; their seqs."""
    batch = [
        posting.NewComment(world.principals[who], ticket_id, f"c-{who}-{i}-{b[:8]}", b)
        for i, b in enumerate(bodies)
    ]
    async with world.hub.unit() as unit:
        results = await posting.post_comments(unit, world.hub.limiter, batch, RULE)
    seqs = []
    for r in results:
        assert isinstance(r, tuple), r
        seqs.append(r[0].seq)
    return seqs


async def read_up_to(world: World, who: str, ticket_id: int, seq: int) -> None:
    async with world.hub.unit() as unit:
        await service.mark_read(unit, world.principals[who], ticket_id, seq)


async def test_unread_counts_are_per_officer_and_follow_reads_and_withdrawals(
    live: RunningHub, live_world: World
) -> None:
    w = live_world
    t = await w.new_ticket()
    quiet = await w.new_ticket()
    await say(w, "citizen", t, "Selamat pagi", "Berkas sudah saya unggah")
    [mine] = await say(w, "fo", t, "Baik, kami cek")
    unread = {x["id"]: x["unread"] for x in (await queue(live, w, "fo"))["tickets"]}
    assert unread == {t: 2, quiet: 0}  # my own comment is not unread for me
    staff = {x["id"]: x["unread"] for x in (await queue(live, w, "staff"))["tickets"]}
    assert staff[t] == 3  # everyone else's is

    await read_up_to(w, "fo", t, mine)
    assert {x["id"]: x["unread"] for x in (await queue(live, w, "fo"))["tickets"]}[t] == 0
    [late] = await say(w, "citizen", t, "Satu lagi, Pak")
    assert (await queue(live, w, "fo"))["tickets"][0]["unread"] == 1
    # withdrawn before the officer read it: not unread any more
    async with w.hub.unit() as unit:
        await service.delete_comment(unit, w.principals["citizen"], t, late)
    assert (await queue(live, w, "fo"))["tickets"][0]["unread"] == 0
    assert (await queue(live, w, "staff"))["tickets"][0]["unread"] == 3


async def test_search_by_number_queue_and_applicant_name(
    live: RunningHub, live_world: World
) -> None:
    w = live_world
    online = await w.new_ticket()
    walk_in, _code = await w.walk_in(service_code="SKTM")  # applicant "Ibu Tamu"
    async with w.hub.reader() as session:
        a = await views.visible_ticket(session, w.principals["fo"], online)
        b = await views.visible_ticket(session, w.principals["fo"], walk_in)
    assert ids(await queue(live, w, "fo", f"?q={b.number}")) == [walk_in]
    assert ids(await queue(live, w, "fo", f"?q={a.queue_label.lower()}")) == [online]
    assert ids(await queue(live, w, "fo", f"?q={b.queue_no}")) == [walk_in]  # "2" → A-002
    assert ids(await queue(live, w, "fo", f"?q=00{b.queue_no}")) == [walk_in]
    day = a.number.split("-")[-2]  # the YYMMDD in every number of today
    assert ids(await queue(live, w, "fo", f"?q={day}")) == [online, walk_in]
    assert ids(await queue(live, w, "fo", "?q=ibu%20TAMU")) == [walk_in]
    assert ids(await queue(live, w, "fo", "?q=tamu")) == [walk_in]
    assert ids(await queue(live, w, "fo", "?q=%25")) == []  # a LIKE wildcard is a character
    assert ids(await queue(live, w, "fo", "?q=Uji")) == [online]  # the citizen "Uji citizen"


async def test_mine_desk_open_closed_and_the_orders(live: RunningHub, live_world: World) -> None:
    w = live_world
    first = await w.new_ticket(service_code="SKTM")  # high risk: kasi verifies
    second = await w.new_ticket(service_code="KLH")
    third = await w.new_ticket(service_code="KLH")
    closed = await w.new_ticket(service_code="KLH")
    for tid in (first, closed):
        await w.act("fo", tid, "start_verification")
        await w.act("fo", tid, "verify")
    await w.act("approver", closed, "reject", "Berkas tidak lengkap")
    async with w.hub.unit() as unit:
        t = await views.visible_ticket(unit.session, w.principals["fo"], third)
        await forwarding.dispose(
            unit, w.principals["fo"], third, t.version, "Tolong cek", to_user_id=w.users["fo"]
        )
        # the second is due first (a shorter standard, say)
        await unit.session.execute(
            update(Ticket).where(Ticket.id == second).values(due_at=t.due_at - timedelta(days=2))
        )

    # oldest waiting first by default; open only
    assert ids(await queue(live, w, "fo")) == [first, second, third]
    assert ids(await queue(live, w, "fo", "?sort=due")) == [second, first, third]
    assert ids(await queue(live, w, "fo", "?sort=newest")) == [third, second, first]
    assert ids(await queue(live, w, "fo", "?state=closed")) == [closed]
    assert ids(await queue(live, w, "fo", "?state=all")) == [first, second, third, closed]
    assert ids(await queue(live, w, "fo", "?scope=mine")) == [third]
    # the front office's desk: submitted/verification/approved; the kasi's: staff_verification
    assert ids(await queue(live, w, "fo", "?scope=desk")) == [second, third]
    assert ids(await queue(live, w, "staff", "?scope=desk")) == [first]
    assert ids(await queue(live, w, "spv", "?scope=desk")) == []
    body = await queue(live, w, "fo", "?limit=2")
    assert ids(body) == [first, second] and body["more"] is True
    item = (await queue(live, w, "staff", "?scope=desk"))["tickets"][0]
    assert item["desk"] == "staff" and item["applicant_name"] == "Uji citizen"
    assert item["due_at"] and item["queue"] and item["unread"] == 0
    assert item["applicant_phone"] != "6281200000001"  # masked, as in every officer view


async def test_who_may_ask_and_what_they_see(live: RunningHub, live_world: World) -> None:
    w = live_world
    here = await w.new_ticket(office="kel_a")
    there = await w.new_ticket(office="kel_b")
    assert ids(await queue(live, w, "fo_b")) == [there]
    assert set(ids(await queue(live, w, "kec_fo"))) == {here, there}  # the kecamatan's
    async with live.http(w.tokens["citizen"]) as http:
        r = await http.get("/api/officer/queue")
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    async with live.http(w.tokens["fo"]) as http:
        for bad in ("?sort=random", "?scope=yours", "?limit=0", "?q=" + "x" * 65, "?x=1"):
            r = await http.get(f"/api/officer/queue{bad}")
            assert r.status_code == 422 and r.json()["error"]["code"] == "invalid", bad
    async with live.http() as http:
        assert (await http.get("/api/officer/queue")).status_code == 401
