"""HTTP of the delivery summary: ``GET /api/notifications/delivery/summary``."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from hub.http import hub_of, ok, principal
from hub.schemas import Id, Payload, parse_query
from notifications import actions


class SummaryIn(Payload):
    office_id: Id | None = None


async def summary(request: Request) -> Response:
    """Per officer: today's notifications and how many reached them (supervisors)."""
    q = parse_query(SummaryIn, request.query_params)
    officers = await actions.delivery_summary(hub_of(request), principal(request), q.office_id)
    return ok({"officers": officers})


def routes() -> list[BaseRoute]:
    return [Route("/api/notifications/delivery/summary", summary, methods=["GET"])]
