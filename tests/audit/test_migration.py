"""Migration 0012 on a database that already has an audit log, tickets and comments: the
old entries become hash chains (the very hashes the hub writes), phones get their search
key, comments their full-text index — and back down and up again."""

from __future__ import annotations

import asyncio

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text

from hub import audit_chain as audit
from hub.audit.verify import verify
from hub.context import Hub
from hub.migrate import alembic_config
from hub.models import Ticket
from hub.search import service as search
from hub.settings import Settings
from tests.audit.helpers import chain_of
from tests.letters.helpers import approved
from tests.support.world import World

pytestmark = pytest.mark.both_dbs


async def test_0012_chains_the_existing_log_and_indexes_what_is_there(
    hub: Hub, world: World, settings: Settings
) -> None:
    kel_a = world.offices["kel_a"]
    await approved(world)
    walk_in, _ = await world.walk_in("kel_a")
    async with hub.unit() as unit:
        await audit.record(unit, None, "service.update", "service", 1, after={"risk": "low"})
    before = {e.id: e.hash for e in await chain_of(hub, kel_a)}
    assert len(before) == 4

    cfg = alembic_config(settings.database_url)
    below = ScriptDirectory.from_config(cfg).get_revision("0012_search_audit").down_revision
    assert isinstance(below, str)
    await asyncio.to_thread(command.downgrade, cfg, below)
    async with hub.unit() as unit:  # a comment written before the full-text index existed
        await unit.session.execute(
            text(
                "INSERT INTO ticket_events (ticket_id, seq, kind, actor_key, actor_name, "
                "actor_role, payload, created_at) VALUES (:t, 99, 'comment', 'w:1', 'Ibu', "
                "'citizen', :p, :at)"
            ),
            {"t": walk_in, "p": '{"body": "Surat keterangan usaha"}', "at": hub.clock.now()},
        )
    await asyncio.to_thread(command.upgrade, cfg, "head")

    after = {e.id: e.hash for e in await chain_of(hub, kel_a)}
    assert after == before  # the migration hashes exactly as the hub does
    async with hub.reader() as session:
        reports = await verify(session)
        assert [(r.chain, r.entries, r.broken) for r in reports] == [
            (audit.NO_OFFICE, 1, None),
            (kel_a, 4, None),
        ]
        t = await session.get(Ticket, walk_in)
        assert t is not None and t.phone_last4 == "2222"
        found = await search.search(session, world.principals["fo"], "keterangan usaha", 10)
        assert [c["ticket_id"] for c in found.comments] == [walk_in]
    # appending goes on from the migrated head
    async with hub.unit() as unit:
        entry = await audit.record(unit, None, "office.update", "office", kel_a, office_id=kel_a)
    assert entry.seq == 5 and entry.prev_hash == before[max(before)]
