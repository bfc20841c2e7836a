"""Shared steps of the call stories: who connects, how a call is rung and answered."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select

from hub.models import Ticket, TicketEvent
from signaling import events
from tests.support.server import Client, RunningHub, connect
from tests.support.world import World

CALLS = "/calls"

#: The schema of every event the /calls namespace publishes (checked on receipt).
SCHEMAS: dict[str, type[BaseModel]] = {
    "ringing": events.RingingOut,
    "ring_stopped": events.RingStoppedOut,
    "accepted": events.CallOnlyOut,
    "declined": events.CallOnlyOut,
    "offer": events.DescriptionOut,
    "answer": events.DescriptionOut,
    "ice": events.IceOut,
    "ended": events.EndedOut,
    "missed_call": events.MissedCallOut,
    "peer_lost": events.PeerOut,
    "peer_rejoined": events.PeerOut,
}


def check_schema(client: Client) -> None:
    """Every /calls event ``client`` received has its declared shape."""
    for event, data in client.received.get(CALLS, []):
        SCHEMAS[event].model_validate(data)


@dataclass
class People:
    """Connect people by their world name; everything opened is closed at teardown."""

    live: RunningHub
    world: World
    clients: list[Client] = field(default_factory=list)

    async def join(self, who: str, token: str | None = None) -> Client:
        client = await connect(self.live.url, token or self.world.tokens[who], namespaces=(CALLS,))
        self.clients.append(client)
        return client

    async def close(self) -> None:
        for client in self.clients:
            check_schema(client)
        await asyncio.gather(*(c.close() for c in self.clients), return_exceptions=True)


async def pass_time(live: RunningHub, seconds: float) -> None:
    """Move the hub's clock ``seconds`` on, once the call sweeper sleeps: it then wakes
    and ends what is overdue (a ring past its deadline, a party lost past the grace)."""
    await live.clock.sleeping("call-sweeper")
    await live.clock.advance(seconds)


async def call(client: Client, event: str, data: Any = None) -> Any:
    return await client.call(event, data, namespace=CALLS)


async def wait(client: Client, event: str, call_id: str | None = None, timeout: float = 10) -> Any:
    def matches(data: Any) -> bool:
        return call_id is None or (isinstance(data, dict) and data.get("call_id") == call_id)

    return await client.wait_for(event, matches, namespace=CALLS, timeout=timeout)


def got(client: Client, event: str) -> list[Any]:
    return client.events(event, namespace=CALLS)


def error_code(ack: Any) -> str:
    assert ack["ok"] is False, ack
    return str(ack["error"]["code"])


async def invite(officer: Client, ticket_id: int, media: str = "audio") -> str:
    ack = await call(officer, "invite", {"ticket_id": ticket_id, "media": media})
    assert ack["ok"] is True, ack
    assert ack["status"] == "ringing", ack
    return str(ack["call_id"])


async def ring_and_accept(officer: Client, citizen: Client, ticket_id: int) -> str:
    call_id = await invite(officer, ticket_id)
    await wait(citizen, "ringing", call_id)
    ack = await call(citizen, "accept", {"call_id": call_id})
    assert ack["ok"] is True, ack
    await wait(officer, "accepted", call_id)
    return call_id


async def call_log(world: World, ticket_id: int) -> list[dict[str, Any]]:
    """Payloads of the ticket's ``call`` timeline events, in order."""
    async with world.hub.reader() as session:
        rows = await session.scalars(
            select(TicketEvent)
            .where(TicketEvent.ticket_id == ticket_id, TicketEvent.kind == "call")
            .order_by(TicketEvent.seq)
        )
        return [{**e.payload, "_actor": e.actor_id} for e in rows]


async def callback_pending(world: World, ticket_id: int) -> bool:
    async with world.hub.reader() as session:
        t = await session.get(Ticket, ticket_id)
        assert t is not None
        return t.callback_pending
