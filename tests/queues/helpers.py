"""Dashboard clients for the /queues tests."""

from __future__ import annotations

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


PII_KEYS = {"applicant_name", "applicant_phone", "phone", "nik", "address", "body", "preview"}
PII_VALUES = (
    "Uji citizen", "Ibu Tamu", "6281200000001", "6281200000002", "6281211112222",
    "0812 1111 2222", "3271010101800099",
)  # fmt: skip


def _walk(value: Any, keys: set[str], strings: list[str]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            keys.add(str(k))
            _walk(v, keys, strings)
    elif isinstance(value, list | tuple):
        for v in value:
            _walk(v, keys, strings)
    elif isinstance(value, str):
        strings.append(value)


def assert_no_pii(client: Client, world: World) -> None:
    """No applicant name, phone, NIK or comment text in anything the dashboard received.

    Checked field by field (not by substring of the whole JSON: a timestamp's
    microseconds may well read "0812").
    """
    keys: set[str] = set()
    strings: list[str] = []
    _walk(client.received.get(Q, []), keys, strings)
    assert not keys & PII_KEYS, keys & PII_KEYS
    leaked = [s for s in strings if any(secret in s for secret in PII_VALUES)]
    assert leaked == []
