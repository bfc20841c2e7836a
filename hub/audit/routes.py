"""HTTP of the audit trail: ``GET /api/audit/trail`` (supervisors: their offices' chains).

Parse → who is asking → one action → JSON. The audit projection of ticket decisions is
subscribed here, with the routes (a hub without a server subscribes it itself).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from hub.audit import actions
from hub.audit.projections import subscribe
from hub.context import Hub
from hub.http import hub_of, ok, principal
from hub.schemas import Id, Int, Payload, parse_query


class TrailQuery(Payload):
    office_id: Id | None = None
    before: Id | None = None
    limit: Annotated[Int, Field(ge=1, le=100)] = 25


async def trail(request: Request) -> Response:
    p = principal(request)
    q = parse_query(TrailQuery, request.query_params)
    return ok(await actions.office_trail(hub_of(request), p, q.office_id, q.before, q.limit))


def install(hub: Hub, sio: Any, publisher: Any) -> list[BaseRoute]:
    del sio, publisher
    subscribe(hub)
    return [Route("/api/audit/trail", trail, methods=["GET"])]
