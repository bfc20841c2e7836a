"""HTTP side of signaling: the supervisors' call history and ICE servers for a call."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from hub.http import hub_of, ok, principal
from hub.schemas import parse_query
from signaling import actions, events


async def call_history(request: Request) -> Response:
    """``GET /api/calls/history?office_id=&ticket_id=&limit=``: newest first, supervisors."""
    p = principal(request)
    q = parse_query(events.HistoryQuery, request.query_params)
    calls = await actions.history(hub_of(request), p, q.office_id, q.ticket_id, q.limit)
    return ok({"calls": calls})


async def ice_servers(request: Request) -> Response:
    """``GET /api/ice-servers?call_id=``: for a party of a ringing or active call."""
    p = principal(request)
    q = parse_query(events.CallIn, request.query_params)
    servers = await actions.ice_servers(hub_of(request), p, q.call_id)
    response = ok({"ice_servers": servers})
    response.headers["Cache-Control"] = "no-store"  # short-lived credentials
    return response


def routes() -> list[BaseRoute]:
    return [
        Route("/api/calls/history", call_history, methods=["GET"]),
        Route("/api/ice-servers", ice_servers, methods=["GET"]),
    ]
