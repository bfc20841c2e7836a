"""HTTP of queues: a ticket's position in its office's queue and the estimated wait."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from hub.http import hub_of, ok, principal
from hub.queues import actions


async def queue_position(request: Request) -> JSONResponse:
    p = principal(request)
    ticket_id = int(request.path_params["ticket_id"])
    return ok(await actions.queue_position(hub_of(request), p, ticket_id))


def routes() -> list[BaseRoute]:
    return [
        Route("/api/tickets/{ticket_id:id}/queue-position", queue_position, methods=["GET"]),
    ]
