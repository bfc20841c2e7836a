"""The ``/calls`` namespace: parse → who is asking → one service call → ack.

A step that writes runs in one transaction, its reads included: on SQLite the
writer runs on the event loop without yielding, so reading first on a separate
session would only add a session (see :mod:`hub.db`). The SDP/ICE relay
(:mod:`signaling.relay`) reads only. Errors become acks in
:class:`~hub.realtime.HubNamespace`; every domain event is queued by the service
and published after commit.
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.routing import BaseRoute

from hub.context import Hub
from hub.principal import Principal
from hub.realtime import HubNamespace, SocketPublisher
from hub.schemas import parse
from signaling import ending, events, liveness, placing, relay, routes, sdp, views
from signaling.echo import EchoPeers
from signaling.events import CALLS_NS
from signaling.negotiation import MemoryNegotiations, Negotiations, RedisNegotiations
from signaling.sweeper import CallSweeper

logger = logging.getLogger("signaling.handlers")


class CallsNamespace(HubNamespace):
    def __init__(
        self, namespace: str, hub: Hub, echo: EchoPeers, negotiations: Negotiations
    ) -> None:
        super().__init__(namespace, hub)
        self.echo = echo
        self.negotiations = negotiations

    async def on_invite(self, sid: str, p: Principal, data: Any) -> dict[str, Any]:
        body = parse(events.InviteIn, data)
        h = self.hub
        async with h.unit() as unit:
            placed = await placing.invite(unit, p, sid, body.ticket_id, body.media)
        return placed.ack()

    async def on_accept(self, sid: str, p: Principal, data: Any) -> dict[str, Any]:
        body = parse(events.CallIn, data)
        h = self.hub
        async with h.unit() as unit:
            placed = await placing.accept(unit, p, sid, body.call_id)
        return placed.ack()

    async def on_decline(self, sid: str, p: Principal, data: Any) -> dict[str, Any]:
        body = parse(events.CallIn, data)
        async with self.hub.unit() as unit:
            c = await ending.decline(unit, p, body.call_id)
        return {"call_id": c.id, "outcome": "declined"}

    async def on_cancel(self, sid: str, p: Principal, data: Any) -> dict[str, Any]:
        body = parse(events.CallIn, data)
        async with self.hub.unit() as unit:
            c = await ending.cancel(unit, p, sid, body.call_id)
        return {"call_id": c.id, "outcome": "cancelled"}

    async def on_hangup(self, sid: str, p: Principal, data: Any) -> dict[str, Any]:
        body = parse(events.CallIn, data)
        async with self.hub.unit() as unit:
            c = await ending.hangup(unit, p, sid, body.call_id)
        outcome = c.outcome.value if c.outcome else None
        return {"call_id": c.id, "outcome": outcome, "duration": views.duration_of(c)}

    async def on_offer(self, sid: str, p: Principal, data: Any) -> dict[str, Any]:
        body = parse(events.OfferIn, data)
        offer = sdp.parse_description(body.description.wire(), "offer")  # outside the transaction
        async with self.hub.unit(write=False) as unit:
            await relay.relay_offer(unit, self.negotiations, p, sid, body.call_id, offer)
        return {}

    async def on_answer(self, sid: str, p: Principal, data: Any) -> dict[str, Any]:
        body = parse(events.AnswerIn, data)
        answer = sdp.parse_description(body.description.wire(), "answer")
        async with self.hub.unit(write=False) as unit:
            await relay.relay_answer(unit, self.negotiations, p, sid, body.call_id, answer)
        return {}

    async def on_ice(self, sid: str, p: Principal, data: Any) -> dict[str, Any]:
        body = parse(events.IceIn, data)
        candidate = sdp.parse_candidate(body.candidate.wire() if body.candidate else None)
        async with self.hub.unit(write=False) as unit:
            await relay.relay_ice(unit, p, sid, body.call_id, candidate)
        return {}

    async def on_rejoin(self, sid: str, p: Principal, data: Any) -> dict[str, Any]:
        body = parse(events.CallIn, data)
        async with self.hub.unit() as unit:
            return await liveness.rejoin(unit, p, sid, body.call_id, self.hub.settings.call_grace)

    async def on_ice_servers(self, sid: str, p: Principal, data: Any) -> dict[str, Any]:
        body = parse(events.CallIn, data)
        h = self.hub
        async with h.reader() as session:
            servers = await views.ice_servers(session, h.limiter, h.settings, p, body.call_id)
        return {"ice_servers": servers}

    async def on_echo_offer(self, sid: str, p: Principal, data: Any) -> dict[str, Any]:
        body = parse(events.EchoOfferIn, data)
        return {"description": await self.echo.answer(sid, body.description.wire())}

    async def disconnected(self, sid: str, principal: Principal) -> None:
        try:
            await self.echo.close(sid)
            async with self.hub.reader() as session:
                seen = await liveness.calls_of_sid(session, self.hub.ctx, sid)
            if seen:  # most sockets are in no call: then no write transaction at all
                async with self.hub.unit() as unit:
                    await liveness.party_lost(unit, sid, seen)
        except Exception:
            logger.exception("handling the disconnect of a /calls socket failed")


def install(hub: Hub, sio: Any, publisher: SocketPublisher) -> list[BaseRoute]:
    echo = EchoPeers(hub.settings.stun_uris)
    sweeper = CallSweeper(hub)
    negotiations: Negotiations = (
        RedisNegotiations(hub.redis) if hub.redis is not None else MemoryNegotiations()
    )
    sio.register_namespace(CallsNamespace(CALLS_NS, hub, echo, negotiations))
    hub.on_lifespan(sweeper.start, sweeper.stop)
    hub.on_lifespan(stop=echo.close_all)
    return routes.routes()
