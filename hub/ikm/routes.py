"""HTTP of the survey (``/api/tickets/{id}/survey``) and the call rating (§17)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from hub.context import Hub
from hub.http import hub_of, ok, principal, read_json
from hub.ikm import actions
from hub.ikm.projections import subscribe
from hub.schemas import Int, Payload

Score = Annotated[Int, Field(ge=1, le=4)]


class SurveyIn(Payload):
    answers: dict[Annotated[str, Field(max_length=32)], Score] = Field(max_length=9)


class RatingIn(Payload):
    rating: Score


def _ticket_id(request: Request) -> int:
    raw = request.path_params["ticket_id"]
    assert isinstance(raw, int)
    return raw


async def get_survey(request: Request) -> Response:
    view = await actions.state(hub_of(request), principal(request), _ticket_id(request))
    return ok({"survey": view})


async def post_survey(request: Request) -> Response:
    body = await read_json(request, SurveyIn)
    hub, p = hub_of(request), principal(request)
    return ok({"survey": await actions.answer(hub, p, _ticket_id(request), body.answers)})


async def rate_call(request: Request) -> Response:
    body = await read_json(request, RatingIn)
    await actions.rate_call(
        hub_of(request), principal(request), str(request.path_params["call_id"]), body.rating
    )
    return ok({"rating": body.rating})


def install(hub: Hub, sio: Any, publisher: Any) -> list[BaseRoute]:
    del sio, publisher
    subscribe(hub)
    return [
        Route("/api/tickets/{ticket_id:id}/survey", get_survey, methods=["GET"]),
        Route("/api/tickets/{ticket_id:id}/survey", post_survey, methods=["POST"]),
        Route("/api/calls/{call_id}/rating", rate_call, methods=["POST"]),
    ]
