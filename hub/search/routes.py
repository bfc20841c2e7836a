"""HTTP of search: ``GET /api/search?q=…`` (any signed-in person, within what they see)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from hub.context import Hub
from hub.http import hub_of, ok, principal
from hub.schemas import Int, Payload, parse_query
from hub.search import actions


class SearchQuery(Payload):
    q: Annotated[str, Field(min_length=1, max_length=100)]
    limit: Annotated[Int, Field(ge=1, le=50)] = 20


async def search(request: Request) -> Response:
    p = principal(request)
    query = parse_query(SearchQuery, request.query_params)
    return ok(await actions.search(hub_of(request), p, query.q, query.limit))


def install(hub: Hub, sio: Any, publisher: Any) -> list[BaseRoute]:
    del hub, sio, publisher
    return [Route("/api/search", search, methods=["GET"])]
