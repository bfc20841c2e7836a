"""Search finds requests by number, queue, name and phone ending, and comments by their
words — only within what the searcher may see, also as a text is edited or withdrawn."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.server import RunningHub, connect
from tests.support.world import World

pytestmark = pytest.mark.both_dbs


async def search(live: RunningHub, token: str, q: str) -> dict[str, Any]:
    async with live.http(token) as http:
        r = await http.get("/api/search", params={"q": q})
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def numbers(found: dict[str, Any]) -> list[str]:
    return [t["number"] for t in found["tickets"]]


def commented(found: dict[str, Any]) -> list[int]:
    return [c["ticket_id"] for c in found["comments"]]


async def say(live: RunningHub, token: str, tid: int, cid: str, body: str) -> int:
    client = await connect(live.url, token)
    try:
        sent = await client.call("send", {"ticket_id": tid, "client_id": cid, "body": body})
        assert sent["ok"], sent
        seq: int = sent["event"]["seq"]
        return seq
    finally:
        await client.close()


async def test_comments_by_their_words_only_where_one_may_look(
    live: RunningHub, live_world: World
) -> None:
    w, tok = live_world, live_world.tokens
    mine = await w.new_ticket("citizen", "KLH", "kel_a")
    theirs = await w.new_ticket("citizen2", "KLH", "kel_b")
    seq = await say(live, tok["citizen"], mine, "c-000001", "Surat domisili untuk beasiswa anak")
    await say(live, tok["citizen2"], theirs, "c-000002", "Domisili saya di Tanah Sareal")

    assert commented(await search(live, tok["fo"], "domisili")) == [mine]
    found = await search(live, tok["fo"], "domis beasis")  # every word, each a prefix
    assert commented(found) == [mine]
    assert found["comments"][0]["body"] == "Surat domisili untuk beasiswa anak"
    assert found["comments"][0]["link"] == f"/tickets/{mine}"
    # the officer of another office finds nothing of this office
    assert commented(await search(live, tok["fo_b"], "beasiswa")) == []
    assert commented(await search(live, tok["fo_b"], "domisili")) == [theirs]
    # citizens: their own only; the kecamatan's supervisor: both offices; another kecamatan's: none
    assert commented(await search(live, tok["citizen"], "domisili")) == [mine]
    assert commented(await search(live, tok["citizen2"], "domisili")) == [theirs]
    assert sorted(commented(await search(live, tok["spv"], "domisili"))) == sorted([mine, theirs])
    assert commented(await search(live, tok["spv_other"], "domisili")) == []

    # an edit is searched by its new words; a withdrawn comment by none
    citizen = await connect(live.url, tok["citizen"])
    try:
        edit = await citizen.call(
            "edit", {"ticket_id": mine, "seq": seq, "body": "Surat pindah untuk sekolah"}
        )
        assert edit["ok"], edit
        assert commented(await search(live, tok["fo"], "beasiswa")) == []
        assert commented(await search(live, tok["fo"], "pindah")) == [mine]
        assert (await citizen.call("delete", {"ticket_id": mine, "seq": seq}))["ok"]
        assert commented(await search(live, tok["fo"], "pindah")) == []
    finally:
        await citizen.close()
    # words only reach the full-text syntax: quotes and operators are plain text
    assert (await search(live, tok["fo"], '"); DROP TABLE x; -- OR *'))["comments"] == []


async def test_requests_by_number_queue_name_and_phone_ending(
    live: RunningHub, live_world: World
) -> None:
    w, tok = live_world, live_world.tokens
    online = await w.new_ticket("citizen", "KLH", "kel_a")
    walk_in, _ = await w.walk_in("kel_a")  # "Ibu Tamu", 0812 1111 2222
    foreign = await w.new_ticket("citizen2", "KLH", "kel_b")
    async with live.http(tok["fo"]) as http:
        tickets = {t["id"]: t for t in (await http.get("/api/officer/queue")).json()["tickets"]}
    number, walk_number = tickets[online]["number"], tickets[walk_in]["number"]

    assert numbers(await search(live, tok["fo"], number)) == [number]
    assert numbers(await search(live, tok["fo"], "ibu tam")) == [walk_number]
    assert numbers(await search(live, tok["fo"], "2222")) == [walk_number]  # last digits
    assert numbers(await search(live, tok["fo"], "11 2222")) == [walk_number]
    assert numbers(await search(live, tok["fo"], "9992222")) == []
    assert numbers(await search(live, tok["fo"], "0001")) == [number]  # citizen's phone …0001
    queue = tickets[walk_in]["queue"]
    found = await search(live, tok["fo"], queue)
    assert numbers(found) == [walk_number] and found["tickets"][0]["link"] == f"/tickets/{walk_in}"
    assert "applicant_phone" not in found["tickets"][0]
    # nothing of another office, by any key
    for q in (number, "ibu tamu", "2222", "0001", queue):
        found_b = numbers(await search(live, tok["fo_b"], q))
        assert walk_number not in found_b and number not in found_b, q
    # a citizen finds only their own requests
    assert numbers(await search(live, tok["citizen2"], number)) == []
    assert numbers(await search(live, tok["citizen"], "uji")) == [number]
    other = await search(live, tok["spv_other"], "uji")
    assert other["tickets"] == [] and foreign not in [t["id"] for t in other["tickets"]]


async def test_internal_notes_are_found_by_the_offices_officers_only(
    live: RunningHub, live_world: World
) -> None:
    w, tok = live_world, live_world.tokens
    tid = await w.new_ticket("citizen", "KLH", "kel_a")
    async with live.http(tok["fo"]) as http:
        r = await http.post(
            f"/api/tickets/{tid}/notes",
            json={"client_id": "note-00001", "body": "Pemohon mirip kasus pemalsuan tahun lalu"},
        )
    assert r.status_code in (200, 201), r.text
    found = await search(live, tok["fo"], "pemalsuan")
    assert [(c["ticket_id"], c["kind"]) for c in found["comments"]] == [(tid, "internal_note")]
    assert commented(await search(live, tok["spv"], "pemalsuan")) == [tid]
    # not the applicant, not an admin, not another office's officer
    for who in ("citizen", "admin", "fo_b", "spv_other"):
        assert commented(await search(live, tok[who], "pemalsuan")) == [], who
