"""Dashboard clients for the /queues tests."""

from __future__ import annotations

import json
from typing import Any

from hub.queues.board import Board
from tests.support.server import Client, RunningHub, connect
from tests.support.world import World

Q = "/queues"
DELTAS = ("queue_ticket", "queue_officer", "queue_call")


async def watcher(live: RunningHub, world: World, who: str, office: str) -> tuple[Client, Any]:
    """A dashboard of ``who`` watching ``office``: the client and the ``watch`` ack."""
    client = await connect(live.url, world.tokens[who], namespaces=(Q,))
    ack = await client.call("watch", {"office_id": world.offices[office]}, namespace=Q)
    return client, ack


def deltas(client: Client) -> list[tuple[str, Any]]:
    return [(e, d) for (e, d) in client.received.get(Q, []) if e in DELTAS]


def board_of(snapshot: dict[str, Any], client: Client) -> Board:
    """What the dashboard shows: the snapshot with every delta received applied."""
    board = Board.from_snapshot(snapshot)
    for event, data in deltas(client):
        board.apply(event, data)
    return board


def assert_no_pii(client: Client, world: World) -> None:
    """No applicant name, phone or NIK in anything the dashboard received."""
    text = json.dumps(client.received.get(Q, []))
    for secret in ("Uji citizen", "6281200000001", "6281200000002", "3271010101800099",
                   "Ibu Tamu", "0812", "applicant", "phone", "nik", "comment"):  # fmt: skip
        assert secret not in text
