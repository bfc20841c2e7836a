"""Call use cases for the ``/calls`` namespace and the HTTP routes.

Each opens its own transaction (or read): ``actions.x(hub, principal, ...)`` → one
``hub.unit()`` or ``hub.reader()`` → the call services (placing, ending, liveness, relay) →
the ack's fields. A step that writes runs in one transaction, its reads included: on
SQLite the writer runs on the event loop without yielding, so reading first on a
separate session would only add a session (see :mod:`hub.db`). The SDP/ICE relay reads
only (``hub.unit(write=False)``): it never queues behind the one writer.
"""

from __future__ import annotations

from typing import Any

from hub.context import Hub
from hub.principal import Principal
from signaling import ending, liveness, placing, relay, sdp, views
from signaling.negotiation import Negotiations


async def invite(hub: Hub, p: Principal, sid: str, ticket_id: int, media: str) -> dict[str, Any]:
    async with hub.unit() as unit:
        placed = await placing.invite(unit, p, sid, ticket_id, media)
    return placed.ack()


async def accept(hub: Hub, p: Principal, sid: str, call_id: str) -> dict[str, Any]:
    async with hub.unit() as unit:
        placed = await placing.accept(unit, p, sid, call_id)
    return placed.ack()


async def decline(hub: Hub, p: Principal, call_id: str) -> dict[str, Any]:
    async with hub.unit() as unit:
        c = await ending.decline(unit, p, call_id)
    return {"call_id": c.id, "outcome": "declined"}


async def cancel(hub: Hub, p: Principal, sid: str, call_id: str) -> dict[str, Any]:
    async with hub.unit() as unit:
        c = await ending.cancel(unit, p, sid, call_id)
    return {"call_id": c.id, "outcome": "cancelled"}


async def hangup(hub: Hub, p: Principal, sid: str, call_id: str) -> dict[str, Any]:
    async with hub.unit() as unit:
        c = await ending.hangup(unit, p, sid, call_id)
    outcome = c.outcome.value if c.outcome else None
    return {"call_id": c.id, "outcome": outcome, "duration": views.duration_of(c)}


async def relay_offer(
    hub: Hub,
    negotiations: Negotiations,
    p: Principal,
    sid: str,
    call_id: str,
    offer: sdp.SessionDescription,
) -> None:
    async with hub.unit(write=False) as unit:
        await relay.relay_offer(unit, negotiations, p, sid, call_id, offer)


async def relay_answer(
    hub: Hub,
    negotiations: Negotiations,
    p: Principal,
    sid: str,
    call_id: str,
    answer: sdp.SessionDescription,
) -> None:
    async with hub.unit(write=False) as unit:
        await relay.relay_answer(unit, negotiations, p, sid, call_id, answer)


async def relay_ice(
    hub: Hub, p: Principal, sid: str, call_id: str, candidate: sdp.IceCandidate | None
) -> None:
    async with hub.unit(write=False) as unit:
        await relay.relay_ice(unit, p, sid, call_id, candidate)


async def rejoin(hub: Hub, p: Principal, sid: str, call_id: str) -> dict[str, Any]:
    async with hub.unit() as unit:
        return await liveness.rejoin(unit, p, sid, call_id, hub.settings.call_grace)


async def ice_servers(hub: Hub, p: Principal, call_id: str) -> list[dict[str, object]]:
    """Fresh ICE servers for a party of a ringing or active call (spends a TURN token)."""
    async with hub.reader() as session:
        return await views.ice_servers(session, hub.limiter, hub.settings, p, call_id)


async def socket_gone(hub: Hub, sid: str) -> None:
    """A ``/calls`` socket closed: its calls lose that party (see ``party_lost``)."""
    async with hub.reader() as session:
        seen = await liveness.calls_of_sid(session, hub.ctx, sid)
    if seen:  # most sockets are in no call: then no write transaction at all
        async with hub.unit() as unit:
            await liveness.party_lost(unit, sid, seen)


async def history(
    hub: Hub, p: Principal, office_id: int | None, ticket_id: int | None, limit: int
) -> list[dict[str, Any]]:
    async with hub.reader() as session:
        return await views.history(session, p, office_id, ticket_id, limit)
