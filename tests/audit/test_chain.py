"""Decisions, letters and admin acts form one hash chain per office, appended in order
even when many land at once."""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import json

import pytest

from hub import audit_chain as audit
from hub.audit_models import GENESIS
from hub.context import Hub
from hub.letters import service as letters
from hub.models import Role
from hub.settings import Settings
from hub.tickets import forwarding, views
from tests.audit.helpers import chain_of, verify_cli
from tests.letters.helpers import approved, awaiting_approval
from tests.support.world import World

pytestmark = pytest.mark.both_dbs


async def test_dispositions_decisions_and_letters_are_chained_per_office(
    hub: Hub, world: World, settings: Settings
) -> None:
    kel_a = world.offices["kel_a"]
    tid = await awaiting_approval(world)
    async with hub.unit() as unit:
        t = await views.visible_ticket(unit.session, world.principals["approver"], tid)
        await forwarding.dispose(
            unit, world.principals["approver"], tid, t.version, "mohon dicek", None, Role.approver
        )
    await world.act("approver", tid, "approve")
    async with hub.unit() as unit:
        await letters.revoke_letter(unit, world.principals["approver"], tid, "salah nama")
    rejected = await awaiting_approval(world)
    await world.act("approver", rejected, "reject", "Berkas palsu, NIK 3271014101900003")
    await approved(world, office="kel_b")

    entries = await chain_of(hub, kel_a)
    assert [e.action for e in entries] == [
        "ticket.start_verification", "ticket.verify", "ticket.disposed", "ticket.approve",
        "letter.issue", "letter.revoke",
        "ticket.start_verification", "ticket.verify", "ticket.reject",
    ]  # fmt: skip
    assert [e.seq for e in entries] == list(range(1, 10))
    assert entries[0].prev_hash == GENESIS
    for before, entry in itertools.pairwise(entries):
        assert entry.prev_hash == before.hash
    # each hash is SHA-256 over the canonical JSON of the entry and the previous hash
    e = entries[3]
    fields = audit.hashed_fields(e)
    assert fields["prev_hash"] == entries[2].hash
    raw = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert hashlib.sha256(raw.encode()).hexdigest() == e.hash
    assert e.summary["from"] == "awaiting_approval" and e.summary["to"] == "approved"
    assert entries[3].actor_id == world.users["approver"]
    # no free text, so no personal data a reason or a note might carry
    text = json.dumps([x.summary for x in entries])
    assert "3271014101900003" not in text and "salah nama" not in text and "mohon" not in text
    # the other office has a chain of its own
    other = await chain_of(hub, world.offices["kel_b"])
    assert [x.seq for x in other] == [1, 2, 3, 4] and other[0].prev_hash == GENESIS
    status, printed = await verify_cli(settings)
    assert status == 0, printed
    assert "BGR-BT-01: ok (9 entries)" in printed and "BGR-BT-02: ok (4 entries)" in printed


async def test_concurrent_appends_to_one_office_queue_on_its_head(
    hub: Hub, world: World, settings: Settings
) -> None:
    """Twenty transactions append to one chain at once: each gets its own seq, each links
    to the one before, none is lost (PostgreSQL: the head row's lock; SQLite: one writer)."""
    kel_a = world.offices["kel_a"]

    async def one(i: int) -> None:
        async with hub.unit() as unit:
            await audit.record(
                unit, world.principals["admin"], "office.update", "office", kel_a,
                office_id=kel_a, after={"n": i},
            )  # fmt: skip
            await asyncio.sleep(0)  # let the others reach the head row meanwhile

    await asyncio.gather(*(one(i) for i in range(20)))
    entries = await chain_of(hub, kel_a)
    assert [e.seq for e in entries] == list(range(1, 21))
    assert sorted(e.summary["after"]["n"] for e in entries) == list(range(20))
    for before, entry in itertools.pairwise(entries):
        assert entry.prev_hash == before.hash
    status, printed = await verify_cli(settings, "BGR-BT-01")
    assert status == 0 and "BGR-BT-01: ok (20 entries)" in printed


async def test_admin_acts_without_an_office_have_their_own_chain(
    hub: Hub, world: World, settings: Settings
) -> None:
    async with hub.unit() as unit:
        await audit.record(unit, None, "service.create", "service", 1, after={"code": "X"})
        await audit.record(unit, None, "service.update", "service", 1, after={"risk": "low"})
    entries = await chain_of(hub, audit.NO_OFFICE)
    assert [e.seq for e in entries] == [1, 2] and entries[1].prev_hash == entries[0].hash
    status, printed = await verify_cli(settings)
    assert status == 0 and "-: ok (2 entries)" in printed
