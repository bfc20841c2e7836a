"""HTTP of the officer's queue: ``GET /api/officer/queue``."""

from __future__ import annotations

from pydantic import Field
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from chat import actions
from hub.http import hub_of, ok, principal
from hub.models import Channel, TicketStatus
from hub.schemas import Int, Payload, parse_query
from hub.tickets.worklist import Order, Scope, State, WorkFilter


class QueueIn(Payload):
    q: str = Field(default="", max_length=64)
    scope: Scope = Scope.all
    state: State = State.open
    sort: Order = Order.waiting
    status: TicketStatus | None = None
    channel: Channel | None = None
    service: str | None = Field(default=None, min_length=1, max_length=32)
    limit: Int = Field(default=100, ge=1, le=200)


async def officer_queue_page(request: Request) -> Response:
    """``GET /api/officer/queue?q=&scope=&state=&sort=&status=&channel=&service=&limit=``."""
    q = parse_query(QueueIn, request.query_params)
    f = WorkFilter(q.q, q.scope, q.state, q.sort, q.status, q.channel, q.service)
    items, more = await actions.officer_queue(hub_of(request), principal(request), f, q.limit)
    return ok({"tickets": items, "more": more})


def routes() -> list[BaseRoute]:
    return [Route("/api/officer/queue", officer_queue_page, methods=["GET"])]
