"""``asinan-hub audit verify`` finds what was changed beneath the hub: an entry edited in
place, an entry deleted, the newest entries deleted."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from hub.context import Hub
from hub.settings import Settings
from tests.audit.helpers import chain_of, verify_cli
from tests.letters.helpers import approved
from tests.support.world import World

pytestmark = pytest.mark.both_dbs


async def sql(hub: Hub, statement: str, **params: object) -> None:
    """Straight to the database, as someone with its password would."""
    async with hub.unit() as unit:
        await unit.session.execute(text(statement), params)


async def test_verify_names_the_edited_entry_and_the_entry_after_a_deleted_one(
    hub: Hub, world: World, settings: Settings
) -> None:
    await approved(world)  # kel_a: start_verification, verify, approve, letter.issue
    await approved(world, office="kel_b")
    a = await chain_of(hub, world.offices["kel_a"])
    b = await chain_of(hub, world.offices["kel_b"])
    assert (await verify_cli(settings))[0] == 0

    # an approval turned into a rejection, in place
    approve = next(e for e in a if e.action == "ticket.approve")
    await sql(hub, "UPDATE audit_log SET action = 'ticket.reject' WHERE id = :id", id=approve.id)
    status, printed = await verify_cli(settings)
    assert status == 1
    assert f"BGR-BT-01: BROKEN at entry id {approve.id} (seq {approve.seq}): altered" in printed
    assert "BGR-BT-02: ok (4 entries)" in printed

    # the other office's verification step removed
    verify = next(e for e in b if e.action == "ticket.verify")
    after = next(e for e in b if e.seq == verify.seq + 1)
    await sql(hub, "DELETE FROM audit_log WHERE id = :id", id=verify.id)
    status, printed = await verify_cli(settings, "BGR-BT-02")
    assert status == 1
    assert (
        f"BGR-BT-02: BROKEN at entry id {after.id} (seq {after.seq}): "
        f"missing ({verify.seq})" in printed
    )
    status, printed = await verify_cli(settings)
    assert status == 1 and "2 chain(s) broken" in printed


async def test_verify_sees_the_newest_entries_deleted_and_a_replaced_hash(
    hub: Hub, world: World, settings: Settings
) -> None:
    await approved(world)
    a = await chain_of(hub, world.offices["kel_a"])
    last = a[-1]
    await sql(hub, "DELETE FROM audit_log WHERE id = :id", id=last.id)
    status, printed = await verify_cli(settings, "BGR-BT-01")
    assert status == 1 and f"BROKEN at head (seq {last.seq}): truncated" in printed

    # a stored hash replaced: it no longer matches what the entry says
    await approved(world, office="kel_b")
    b = await chain_of(hub, world.offices["kel_b"])
    first = b[0]
    await sql(hub, "UPDATE audit_log SET hash = :h WHERE id = :id", h="f" * 64, id=first.id)
    status, printed = await verify_cli(settings, "BGR-BT-02")
    assert status == 1 and f"entry id {first.id} (seq 1): altered" in printed


async def test_verify_refuses_an_unknown_office(world: World, settings: Settings) -> None:
    status, printed = await verify_cli(settings, "NOPE")
    assert status == 2 and "unknown office: NOPE" in printed
