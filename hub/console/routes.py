"""HTTP of the desk tools: internal notes, canned replies, the forward picker's targets.

Parse → who is asking → one action → JSON (``docs/protocol.md`` §12).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from chat.events import CLIENT_ID, MAX_BODY
from hub.console import actions
from hub.context import Hub
from hub.http import hub_of, ok, principal, read_json
from hub.schemas import Id, Payload, parse_query

Title = Annotated[str, Field(min_length=1, max_length=200)]
Body = Annotated[str, Field(min_length=1, max_length=MAX_BODY * 2)]


class NoteIn(Payload):
    client_id: str = Field(pattern=CLIENT_ID)
    # the 1..4000 rule applies after cleaning, as for comments
    body: Body


class RepliesIn(Payload):
    office_id: Id | None = None


class ReplyIn(Payload):
    office_id: Id
    title: Title
    body: Body


class ReplyChangeIn(Payload):
    version: Id
    title: Title | None = None
    body: Body | None = None


class ReplyRemoveIn(Payload):
    version: Id


def _id(request: Request, name: str) -> int:
    raw = request.path_params[name]
    assert isinstance(raw, int)
    return raw


async def post_note(request: Request) -> Response:
    body = await read_json(request, NoteIn)
    p = principal(request)
    event, created = await actions.post_note(
        hub_of(request), p, _id(request, "ticket_id"), body.client_id, body.body
    )
    return ok({"event": event, "duplicate": not created}, 201 if created else 200)


async def forward_targets(request: Request) -> Response:
    p = principal(request)
    return ok(await actions.forward_targets(hub_of(request), p, _id(request, "ticket_id")))


async def list_replies(request: Request) -> Response:
    q = parse_query(RepliesIn, request.query_params)
    p = principal(request)
    return ok(await actions.canned_replies(hub_of(request), p, q.office_id))


async def add_reply(request: Request) -> Response:
    body = await read_json(request, ReplyIn)
    p = principal(request)
    reply = await actions.add_canned(hub_of(request), p, body.office_id, body.title, body.body)
    return ok({"reply": reply}, 201)


async def change_reply(request: Request) -> Response:
    body = await read_json(request, ReplyChangeIn)
    p = principal(request)
    reply = await actions.change_canned(
        hub_of(request), p, _id(request, "reply_id"), body.version, body.title, body.body
    )
    return ok({"reply": reply})


async def remove_reply(request: Request) -> Response:
    body = await read_json(request, ReplyRemoveIn)
    p = principal(request)
    await actions.remove_canned(hub_of(request), p, _id(request, "reply_id"), body.version)
    return ok()


def install(hub: Hub, sio: Any, publisher: Any) -> list[BaseRoute]:
    del hub, sio, publisher
    return [
        Route("/api/tickets/{ticket_id:id}/notes", post_note, methods=["POST"]),
        Route("/api/tickets/{ticket_id:id}/forward-targets", forward_targets, methods=["GET"]),
        Route("/api/canned-replies", list_replies, methods=["GET"]),
        Route("/api/canned-replies", add_reply, methods=["POST"]),
        Route("/api/canned-replies/{reply_id:id}", change_reply, methods=["PATCH"]),
        Route("/api/canned-replies/{reply_id:id}", remove_reply, methods=["DELETE"]),
    ]
