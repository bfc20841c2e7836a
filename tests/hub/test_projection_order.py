"""The queue board and notifications follow from recorded facts, and clients still get a
change's events in the order the services used to send them directly."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from hub.context import Hub
from hub.tickets import forwarding
from hub.uow import Control, Outgoing
from notifications.runtime import Runtime
from notifications.watching import online_key
from tests.support.world import World


@pytest.fixture
async def runtime(hub: Hub) -> AsyncIterator[Runtime]:
    rt = Runtime(hub)
    yield rt
    await rt.stop()


def sent(hub: Hub) -> list[Outgoing | Control]:
    items: list[Outgoing | Control] = hub.publisher.sent  # type: ignore[attr-defined]
    return items


def seen(hub: Hub) -> list[tuple[str, tuple[str, ...]]]:
    return [(o.event, o.rooms) if isinstance(o, Outgoing) else (o.op, ()) for o in sent(hub)]


async def test_a_status_change_reaches_timeline_inbox_office_and_board_in_order(
    world: World, runtime: Runtime
) -> None:
    ticket = await world.new_ticket()
    await runtime.live.online.add("sid-phone", online_key(world.users["citizen"]))
    sent(world.hub).clear()
    await world.act("fo", ticket, "start_verification")
    kel, kec, kota = (world.offices[k] for k in ("kel_a", "kec", "kota"))
    user = f"user:{world.users['citizen']}"
    assert seen(world.hub) == [
        ("ticket_event", (f"ticket:{ticket}",)),
        ("notification", (user,)),
        ("counts", (user,)),
        ("ticket_updated", (f"office:{kel}",)),
        ("queue_ticket", (f"queue:{kel}", f"queue:{kec}", f"queue:{kota}")),
    ]


async def test_a_transfer_tells_both_offices_and_both_boards_in_order(world: World) -> None:
    ticket = await world.new_ticket()
    sent(world.hub).clear()
    async with world.hub.unit() as unit:
        t = await forwarding.transfer(
            unit, world.principals["spv"], ticket, 1, world.offices["kel_b"], "salah kantor"
        )
    assert t.office_id == world.offices["kel_b"]
    kel_a, kel_b, kec, kota = (world.offices[k] for k in ("kel_a", "kel_b", "kec", "kota"))
    assert seen(world.hub) == [
        ("ticket_event", (f"ticket:{ticket}",)),  # without the note: the applicant's view
        ("ticket_event", (f"office:{kel_b}",)),  # whole, for the new office's officers
        ("ticket_updated", (f"office:{kel_b}",)),
        ("queue_ticket", (f"queue:{kel_b}", f"queue:{kec}", f"queue:{kota}")),
        ("ticket_removed", (f"office:{kel_a}",)),
        ("queue_ticket", (f"queue:{kel_a}", f"queue:{kec}", f"queue:{kota}")),
        ("recheck_ticket", ()),
    ]
