"""Domain facts recorded on a unit reach their projections inside the transaction."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from hub.context import Hub
from hub.contract import Wire
from hub.models import Office, OfficeLevel
from hub.uow import Outgoing, Unit
from tests.support.world import World

#: made-up events of made-up facts: not in any namespace's contract
pytestmark = pytest.mark.uncontracted


class Code(Wire):
    code: str | None = None


@dataclass(frozen=True)
class Opened:
    code: str


@dataclass(frozen=True)
class Announced:
    code: str


async def test_a_projection_runs_before_commit_and_may_record_more(hub: Hub, world: World) -> None:
    seen: list[str] = []

    async def open_office(unit: Unit, fact: Opened) -> None:
        seen.append(f"opened {fact.code}")
        unit.session.add(Office(code=fact.code, name=fact.code, level=OfficeLevel.kelurahan))
        unit.record(Announced(fact.code))

    async def announce(unit: Unit, fact: Announced) -> None:
        seen.append(f"announced {fact.code}")
        unit.emit("office_opened", Code(code=fact.code), ["office:all"], "/queues")

    hub.on_fact(Opened, open_office)
    hub.on_fact(Announced, announce)
    async with hub.unit() as unit:
        unit.record(Opened("X-1"))
        unit.record("a fact nobody projects")
    assert seen == ["opened X-1", "announced X-1"]
    async with hub.reader() as session:
        assert await session.scalar(select(func.count()).where(Office.code == "X-1")) == 1


async def test_a_failing_projection_rolls_the_unit_back(hub: Hub, world: World) -> None:
    async def refuse(unit: Unit, fact: Opened) -> None:
        raise RuntimeError("projection failed")

    hub.on_fact(Opened, refuse)
    with pytest.raises(RuntimeError):
        async with hub.unit() as unit:
            unit.session.add(Office(code="X-2", name="X-2", level=OfficeLevel.kelurahan))
            unit.record(Opened("X-2"))
    async with hub.reader() as session:
        assert await session.scalar(select(func.count()).where(Office.code == "X-2")) == 0


async def test_what_a_projection_queues_goes_out_where_its_fact_was_recorded(
    hub: Hub, world: World
) -> None:
    """As if the service had called the projection there: the order clients see holds."""

    async def open_office(unit: Unit, fact: Opened) -> None:
        unit.emit("opened", Code(code=fact.code), ["office:all"], "/queues")
        unit.record(Announced(fact.code))
        unit.emit("opened_done", Code(code=fact.code), ["office:all"], "/queues")

    async def announce(unit: Unit, fact: Announced) -> None:
        unit.emit("announced", Code(code=fact.code), ["office:all"], "/queues")

    async def announce_again(unit: Unit, fact: Announced) -> None:
        unit.emit("announced_again", Code(code=fact.code), ["office:all"], "/queues")

    hub.on_fact(Opened, open_office)
    hub.on_fact(Announced, announce)
    hub.on_fact(Announced, announce_again)
    sent = hub.publisher.sent  # type: ignore[attr-defined]
    sent.clear()
    async with hub.unit() as unit:
        unit.emit("first", Code(), ["office:all"], "/queues")
        unit.record(Opened("A"))
        unit.record(Announced("B"))
        unit.emit("between", Code(), ["office:all"], "/queues")
        unit.record(Opened("C"))
        unit.emit("last", Code(), ["office:all"], "/queues")
    assert [(o.event, o.data.get("code")) for o in sent if isinstance(o, Outgoing)] == [
        ("first", None),
        ("opened", "A"),
        ("announced", "A"),
        ("announced_again", "A"),
        ("opened_done", "A"),
        ("announced", "B"),
        ("announced_again", "B"),
        ("between", None),
        ("opened", "C"),
        ("announced", "C"),
        ("announced_again", "C"),
        ("opened_done", "C"),
        ("last", None),
    ]
