"""HTTP API of notifications: inbox, read, preferences, push subscriptions, the worker."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Route

from hub.errors import NotFound
from hub.http import hub_of, ok, principal, read_json
from hub.schemas import Id, Int, Payload, parse_query
from notifications import actions, devices, events
from notifications.runtime import Runtime


class PageIn(Payload):
    cursor: str | None = Field(default=None, max_length=64)
    limit: Int = Field(default=30, ge=1, le=100)


class DeliveryIn(Payload):
    user_id: Id
    limit: Int = Field(default=100, ge=1, le=500)


def service_worker_path() -> Path:
    import web

    return Path(web.__file__).parent / "static" / "dist" / "sw.js"


class NotificationRoutes:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        # A deployment served over https (secure cookies) accepts only https push endpoints.
        self.allow_http = not runtime.hub.settings.cookie_secure

    async def inbox(self, request: Request) -> Response:
        """``GET /api/notifications?cursor=&limit=``: a page of the inbox and the counts."""
        p = principal(request)
        q = parse_query(PageIn, request.query_params)
        items, cursor, counts = await actions.inbox(hub_of(request), p, q.cursor, q.limit)
        return ok({"notifications": items, "next_cursor": cursor, "counts": counts})

    async def read(self, request: Request) -> Response:
        """``POST /api/notifications/read`` with ``{id}`` | ``{ticket_id}`` | ``{all: true}``."""
        p = principal(request)
        body = await read_json(request, events.MarkReadIn)
        ids, counts = await actions.mark_read(hub_of(request), p, body.id, body.ticket_id, body.all)
        return ok({"read": ids, "counts": counts})

    async def delivery(self, request: Request) -> Response:
        """``GET /api/notifications/delivery?user_id=``: an officer's record, for supervisors."""
        p = principal(request)
        q = parse_query(DeliveryIn, request.query_params)
        rows = await actions.delivery_record(hub_of(request), p, q.user_id, q.limit)
        return ok({"user_id": q.user_id, "notifications": rows})

    async def get_prefs(self, request: Request) -> Response:
        p = principal(request)
        return ok({"preferences": await actions.get_prefs(hub_of(request), p)})

    async def put_prefs(self, request: Request) -> Response:
        p = principal(request)
        body = await read_json(request, events.PrefsIn)
        quiet = (body.quiet_hours.start, body.quiet_hours.end) if body.quiet_hours else None
        prefs = await actions.set_prefs(
            hub_of(request), p, body.muted_tickets, list(body.push_opt_out), quiet
        )
        return ok({"preferences": prefs})

    async def vapid_key(self, request: Request) -> Response:
        """``GET /api/push/vapid-public-key``: the ``applicationServerKey`` (public)."""
        import asyncio

        key = await asyncio.to_thread(self.runtime.keys.public_key)
        return ok({"public_key": key})

    async def subscribe(self, request: Request) -> Response:
        p = principal(request)
        body = await read_json(request, events.SubscribeIn)
        sub_id = await actions.subscribe(
            hub_of(request), p, body.endpoint, body.keys.p256dh, body.keys.auth, self.allow_http
        )
        return ok({"subscription_id": sub_id}, 201)

    async def unsubscribe(self, request: Request) -> Response:
        p = principal(request)
        body = await read_json(request, events.UnsubscribeIn)
        removed = await actions.unsubscribe(hub_of(request), p, body.endpoint)
        return ok({"removed": removed})

    async def devices(self, request: Request) -> Response:
        """``GET /api/push/subscriptions``: the devices that get my pushes."""
        p = principal(request)
        return ok({"subscriptions": await devices.devices_of(hub_of(request), p)})

    async def service_worker(self, request: Request) -> Response:
        """``/sw.js``: the built worker, allowed to control the whole site."""
        path = service_worker_path()
        if not path.is_file():
            raise NotFound("service_worker_missing")
        return FileResponse(
            path,
            media_type="text/javascript",
            headers={"Service-Worker-Allowed": "/", "Cache-Control": "no-cache"},
        )


def routes(runtime: Runtime) -> list[BaseRoute]:
    r = NotificationRoutes(runtime)
    return [
        Route("/api/notifications", r.inbox, methods=["GET"]),
        Route("/api/notifications/read", r.read, methods=["POST"]),
        Route("/api/notifications/delivery", r.delivery, methods=["GET"]),
        Route("/api/notifications/preferences", r.get_prefs, methods=["GET"]),
        Route("/api/notifications/preferences", r.put_prefs, methods=["PUT"]),
        Route("/api/push/vapid-public-key", r.vapid_key, methods=["GET"]),
        Route("/api/push/subscribe", r.subscribe, methods=["POST"]),
        Route("/api/push/unsubscribe", r.unsubscribe, methods=["POST"]),
        Route("/api/push/subscriptions", r.devices, methods=["GET"]),
        Route("/sw.js", r.service_worker, methods=["GET"]),
    ]
