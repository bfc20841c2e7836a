"""The usual invite and accept write without reading first; every refusal is unchanged.

An invite that rings reads its ticket and inserts (the INSERT refuses a second live
call by itself); an accept that wins is one ``UPDATE … RETURNING`` that also checks
who answers. Only a refused write reads, to say why. On SQLite and PostgreSQL.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from hub.context import Hub
from hub.errors import Conflict, Forbidden, HubError
from hub.models import Ticket
from hub.settings import Settings
from signaling import placing, store
from signaling.models import Call, CallOutcome, CallStatus
from tests.support.server import make_settings
from tests.support.statements import recorded
from tests.support.world import World


@pytest.fixture
def settings(any_db_url: str, tmp_path: Path) -> Settings:
    return make_settings(any_db_url, tmp_path / "var")


def _short(sql: str) -> str:
    sql = sql.strip()
    return sql.split(None, 3)[0].upper() + " " + sql.split(None, 3)[-1][:40]


def statements(hub: Hub) -> AbstractContextManager[list[str]]:
    return recorded(hub.db.engine, _short)


async def _invite(hub: Hub, world: World, who: str, ticket_id: int) -> placing.Placed:
    async with hub.unit() as unit:
        return await placing.invite(unit, world.principals[who], f"sid-{who}", ticket_id, "audio")


async def _accept(hub: Hub, world: World, who: str, call_id: str) -> placing.Placed:
    async with hub.unit() as unit:
        return await placing.accept(unit, world.principals[who], f"sid-{who}", call_id)


async def _refusal(coro: object) -> HubError:
    with pytest.raises(HubError) as err:
        await coro  # type: ignore[misc]
    return err.value


async def test_an_invite_that_rings_reads_only_its_ticket(hub: Hub, world: World) -> None:
    warm, ticket_id = await world.new_ticket(), await world.new_ticket(citizen="citizen2")
    await _invite(hub, world, "staff", warm)  # the office chain is now cached
    with statements(hub) as seen:
        placed = await _invite(hub, world, "fo", ticket_id)
    assert placed.call.status is CallStatus.ringing
    assert [s.split()[0] for s in seen] == ["SELECT", "INSERT"], seen


async def test_invites_a_live_call_refuses_say_why_as_before(hub: Hub, world: World) -> None:
    first, second = await world.new_ticket(), await world.new_ticket()
    await _invite(hub, world, "fo", first)
    again = await _refusal(_invite(hub, world, "staff", first))
    assert isinstance(again, Conflict) and again.reason == "ticket_has_call"
    busy_caller = await _refusal(_invite(hub, world, "fo", second))
    assert isinstance(busy_caller, Conflict) and busy_caller.reason == "caller_in_call"
    # the citizen is in the first call: the second ticket's call is logged busy
    placed = await _invite(hub, world, "staff", second)
    assert placed.call.status is CallStatus.ended and placed.call.outcome is CallOutcome.busy


async def test_an_accept_that_wins_is_one_update(hub: Hub, world: World) -> None:
    ticket_id = await world.new_ticket()
    placed = await _invite(hub, world, "fo", ticket_id)
    with statements(hub) as seen:
        won = await _accept(hub, world, "citizen", placed.call.id)
    assert won.call.status is CallStatus.active and won.call.answered_by_sid == "sid-citizen"
    assert [s.split()[0] for s in seen] == ["UPDATE"], seen


async def test_an_accept_that_wins_clears_the_call_back_marker(hub: Hub, world: World) -> None:
    ticket_id = await world.new_ticket()
    async with hub.unit() as unit:
        await store.set_callback_pending(unit.session, ticket_id, True)
    placed = await _invite(hub, world, "fo", ticket_id)
    await _accept(hub, world, "citizen", placed.call.id)
    async with hub.reader() as session:
        t = await session.get(Ticket, ticket_id)
        assert t is not None and t.callback_pending is False


async def test_accepts_that_lose_say_why_as_before(hub: Hub, world: World) -> None:
    ticket_id = await world.new_ticket()
    call_id = (await _invite(hub, world, "fo", ticket_id)).call.id
    caller = await _refusal(_accept(hub, world, "fo", call_id))
    assert isinstance(caller, Forbidden) and caller.reason == "callee_answers_only"
    stranger = await _refusal(_accept(hub, world, "citizen2", call_id))
    assert stranger.reason == "call_not_found"
    async with hub.unit() as unit:  # the ring deadline passes before the sweeper ends it
        past = hub.clock.now() - timedelta(seconds=1)
        await unit.session.execute(
            update(Call).where(Call.id == call_id).values(ring_deadline=past)
        )
    late = await _refusal(_accept(hub, world, "citizen", call_id))
    assert isinstance(late, Conflict) and late.reason == "call_not_ringing"
    async with hub.unit() as unit:
        await unit.session.execute(
            update(Call).where(Call.id == call_id).values(ring_deadline=past + timedelta(hours=1))
        )
    await _accept(hub, world, "citizen", call_id)
    twice = await _refusal(_accept(hub, world, "citizen", call_id))
    assert isinstance(twice, Conflict) and twice.reason == "call_state_wrong"
