"""The ``/calls`` namespace: parse → who is asking → one ``signaling.actions`` call → ack.

Each action owns its transaction (:mod:`signaling.actions`). Errors become acks in
:class:`~hub.realtime.namespace.HubNamespace`; every domain event is queued by the service
and published after commit.
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.routing import BaseRoute

from hub.context import Hub
from hub.principal import Principal
from hub.realtime.namespace import HubNamespace
from hub.realtime.publisher import SocketPublisher
from hub.schemas import parse
from signaling import actions, events, ringing, routes, sdp
from signaling.echo import EchoPeers
from signaling.events import CALLS_NS
from signaling.models import CallOutcome
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
        return await actions.invite(self.hub, p, sid, body.ticket_id, body.media)

    async def on_accept(self, sid: str, p: Principal, data: Any) -> dict[str, Any]:
        body = parse(events.CallIn, data)
        return await actions.accept(self.hub, p, sid, body.call_id)

    async def on_decline(self, sid: str, p: Principal, data: Any) -> dict[str, Any]:
        body = parse(events.CallIn, data)
        return await actions.decline(self.hub, p, body.call_id)

    async def on_cancel(self, sid: str, p: Principal, data: Any) -> dict[str, Any]:
        body = parse(events.CallIn, data)
        return await actions.cancel(self.hub, p, sid, body.call_id)

    async def on_hangup(self, sid: str, p: Principal, data: Any) -> dict[str, Any]:
        body = parse(events.CallIn, data)
        return await actions.hangup(self.hub, p, sid, body.call_id)

    async def on_offer(self, sid: str, p: Principal, data: Any) -> dict[str, Any]:
        body = parse(events.OfferIn, data)
        offer = sdp.parse_description(body.description.wire(), "offer")  # outside the transaction
        await actions.relay_offer(self.hub, self.negotiations, p, sid, body.call_id, offer)
        return {}

    async def on_answer(self, sid: str, p: Principal, data: Any) -> dict[str, Any]:
        body = parse(events.AnswerIn, data)
        answer = sdp.parse_description(body.description.wire(), "answer")
        await actions.relay_answer(self.hub, self.negotiations, p, sid, body.call_id, answer)
        return {}

    async def on_ice(self, sid: str, p: Principal, data: Any) -> dict[str, Any]:
        body = parse(events.IceIn, data)
        candidate = sdp.parse_candidate(body.candidate.wire() if body.candidate else None)
        await actions.relay_ice(self.hub, p, sid, body.call_id, candidate)
        return {}

    async def on_rejoin(self, sid: str, p: Principal, data: Any) -> dict[str, Any]:
        body = parse(events.CallIn, data)
        return await actions.rejoin(self.hub, p, sid, body.call_id)

    async def on_ice_servers(self, sid: str, p: Principal, data: Any) -> dict[str, Any]:
        body = parse(events.CallIn, data)
        return {"ice_servers": await actions.ice_servers(self.hub, p, body.call_id)}

    async def on_echo_offer(self, sid: str, p: Principal, data: Any) -> dict[str, Any]:
        body = parse(events.EchoOfferIn, data)
        return {"description": await self.echo.answer(sid, body.description.wire())}

    async def connected(self, sid: str, principal: Principal) -> None:
        # a page opened while a call rings for this person (from a push, on another
        # device, after a reconnect) rings too; sent once the connect is acknowledged
        if not principal.is_officer:
            self.server.spawn(self._ring_again(sid, principal))

    async def _ring_again(self, sid: str, principal: Principal) -> None:
        try:
            for ring in await ringing.ringing_for(self.hub, principal):
                await self.emit("ringing", ring, to=sid)
        except Exception:
            logger.exception("replaying a ringing call to a new /calls socket failed")

    async def disconnected(self, sid: str, principal: Principal) -> None:
        try:
            await self.echo.close(sid)
            await actions.socket_gone(self.hub, sid)
        except Exception:
            logger.exception("handling the disconnect of a /calls socket failed")


def install(hub: Hub, sio: Any, publisher: SocketPublisher) -> list[BaseRoute]:
    echo = EchoPeers(hub.settings.stun_uris)
    sweeper = CallSweeper(hub)
    negotiations: Negotiations = (
        RedisNegotiations(hub.redis) if hub.redis is not None else MemoryNegotiations()
    )
    sio.register_namespace(CallsNamespace(CALLS_NS, hub, echo, negotiations))
    for outcome in CallOutcome:  # every outcome a series from the start, at 0
        hub.metrics.calls.labels(outcome.value)
    hub.on_lifespan(sweeper.start, sweeper.stop)
    hub.on_lifespan(stop=echo.close_all)
    return routes.routes()
