"""HTTP of letters: the letter and its PDF, revocation, pickup, electronic receipt, the
counter's lookup, the offices' letter settings, and the public check ``/verify/{code}``.

Parse → who is asking → (a slow check off the loop, before any write) → one service
call → JSON, PDF or a printable page.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, StrictBool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from hub.context import Hub
from hub.errors import HubError, NotFound, RateLimited
from hub.http import client_address, hub_of, ok, page, principal, read_json
from hub.letters import actions, pages
from hub.letters.projections import subscribe
from hub.schemas import Id, Payload, parse_query

Text = Annotated[str, Field(min_length=1, max_length=500)]


class RevokeIn(Payload):
    reason: Text


class PickupIn(Payload):
    version: Id
    access_code: Annotated[str, Field(min_length=1, max_length=32)] | None = None
    scanned: Annotated[str, Field(min_length=1, max_length=500)] | None = None
    id_checked: StrictBool = False
    collector_name: Annotated[str, Field(min_length=1, max_length=120)] | None = None


class LookupIn(Payload):
    q: Annotated[str, Field(min_length=1, max_length=500)]


class SettingsIn(Payload):
    number_template: Annotated[str, Field(min_length=1, max_length=120)] | None = None
    electronic_delivery: StrictBool | None = None


def _id(request: Request, name: str = "ticket_id") -> int:
    raw = request.path_params[name]
    assert isinstance(raw, int)
    return raw


def public_origin(hub: Hub, request: Request) -> str:
    """The origin a letter's QR code names: this request's, if it is one of the hub's
    allowed origins, else the first of them (never a Host header someone made up)."""
    origin = f"{request.url.scheme}://{request.url.netloc}"
    allowed = hub.settings.allowed_origins
    return origin if origin in allowed else allowed[0]


class LetterRoutes:
    async def letter(self, request: Request) -> Response:
        return ok(await actions.letter(hub_of(request), principal(request), _id(request)))

    async def pdf(self, request: Request) -> Response:
        hub = hub_of(request)
        base = f"{public_origin(hub, request)}/verify"
        doc = await actions.pdf(hub, principal(request), _id(request), base)
        return Response(
            doc.body,
            media_type="application/pdf",
            headers={
                "Content-Disposition": f'attachment; filename="{doc.filename}"',
                "Cache-Control": "no-store",
                "X-Content-Type-Options": "nosniff",
            },
        )

    async def revoke(self, request: Request) -> Response:
        body = await read_json(request, RevokeIn)
        view = await actions.revoke(hub_of(request), principal(request), _id(request), body.reason)
        return ok({"letter": view})

    async def receive(self, request: Request) -> Response:
        await read_json(request, Payload)
        return ok(await actions.receive(hub_of(request), principal(request), _id(request)))

    async def hand_over(self, request: Request) -> Response:
        body = await read_json(request, PickupIn)
        done = await actions.hand_over(
            hub_of(request), principal(request), _id(request), body.version,
            access_code=body.access_code, scanned=body.scanned, id_checked=body.id_checked,
            collector=body.collector_name,
        )  # fmt: skip
        return ok(done)

    async def lookup(self, request: Request) -> Response:
        q = parse_query(LookupIn, request.query_params)
        return ok(await actions.lookup(hub_of(request), principal(request), q.q))

    async def settings_get(self, request: Request) -> Response:
        p = principal(request)
        view = await actions.settings(hub_of(request), p, _id(request, "office_id"))
        return ok({"settings": view})

    async def settings_put(self, request: Request) -> Response:
        p = principal(request)
        body = await read_json(request, SettingsIn)
        view = await actions.update_settings(
            hub_of(request), p, _id(request, "office_id"),
            body.number_template, body.electronic_delivery,
        )  # fmt: skip
        return ok({"settings": view})

    async def verify_json(self, request: Request) -> Response:
        code = str(request.path_params["code"])
        found = await actions.verify(hub_of(request), client_address(request), code)
        return ok({"letter": found.json_dict()})

    async def verify_page(self, request: Request) -> Response:
        code = str(request.path_params["code"])
        try:
            found = await actions.verify(hub_of(request), client_address(request), code)
        except RateLimited as exc:
            response = page(
                request, pages.verify_page(None, pages.error_words(exc.code)), cache="no-store"
            )
            response.status_code = 429
            response.headers["Retry-After"] = str(exc.retry_after)
            return response
        except NotFound as exc:
            response = page(
                request, pages.verify_page(None, pages.error_words(exc.code)), cache="no-store"
            )
            response.status_code = 404
            return response
        return page(request, pages.verify_page(found), cache="no-store")

    async def pickup_receipt(self, request: Request) -> Response:
        try:
            number, handed = await actions.pickup_receipt(
                hub_of(request), principal(request), _id(request)
            )
        except HubError as exc:
            response = page(
                request, pages.error_page("ASINAN", pages.error_words(exc.code)), cache="no-store"
            )
            response.status_code = exc.status
            return response
        return page(request, pages.pickup_receipt_page(number, handed), cache="no-store")

    def routes(self) -> list[BaseRoute]:
        tickets = "/api/tickets/{ticket_id:id}"
        return [
            Route(f"{tickets}/letter", self.letter, methods=["GET"]),
            Route(f"{tickets}/letter.pdf", self.pdf, methods=["GET"]),
            Route(f"{tickets}/letter/revoke", self.revoke, methods=["POST"]),
            Route(f"{tickets}/letter/receive", self.receive, methods=["POST"]),
            Route(f"{tickets}/pickup", self.hand_over, methods=["POST"]),
            Route("/api/pickup/lookup", self.lookup, methods=["GET"]),
            Route("/api/admin/offices/{office_id:id}/letters", self.settings_get, methods=["GET"]),
            Route("/api/admin/offices/{office_id:id}/letters", self.settings_put, methods=["PUT"]),
            Route("/api/verify/{code}", self.verify_json, methods=["GET"]),
            Route("/verify/{code}", self.verify_page, methods=["GET"]),
            Route("/tickets/{ticket_id:id}/pickup-receipt", self.pickup_receipt, methods=["GET"]),
        ]


def install(hub: Hub, sio: Any, publisher: Any) -> list[BaseRoute]:
    del sio, publisher
    subscribe(hub)
    return LetterRoutes().routes()
