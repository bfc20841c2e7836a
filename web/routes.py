"""The pages: login, officer console, citizen ticket page, supervisor dashboard, registration,
password reset, my account, administration, ``/static``.

Pages are static shells (no user data in the HTML); their bundle fetches everything
over the hub's own API and sockets. Every page carries the one self-only
Content-Security-Policy of :func:`hub.http.page`: no inline script, nothing from
another host.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from hub.context import Hub
from hub.errors import HubError
from hub.http import page, principal
from hub.realtime.publisher import SocketPublisher
from web import pages

STATIC_DIR = Path(__file__).parent / "static"


async def login_page(request: Request) -> Response:
    return page(request, pages.page_html("login"))


async def officer_page(request: Request) -> Response:
    return page(request, pages.page_html("officer"))


async def supervisor_page(request: Request) -> Response:
    return page(request, pages.page_html("supervisor"))


async def citizen_page(request: Request) -> Response:
    return page(request, pages.page_html("citizen"))


async def register_page(request: Request) -> Response:
    return page(request, pages.page_html("register"))


async def reset_page(request: Request) -> Response:
    return page(request, pages.page_html("reset"))


async def account_page(request: Request) -> Response:
    return page(request, pages.page_html("account"))


async def request_form_page(request: Request) -> Response:
    """The citizen's request form (``/ajukan``, 360 px first): type, office, documents, fields."""
    return page(request, pages.page_html("ajukan"))


async def admin_page(request: Request) -> Response:
    """The shell only; every call it makes is refused unless one is an admin."""
    return page(request, pages.page_html("admin"))


async def ticket_link(request: Request) -> Response:
    """``/tickets/{id}`` (the link in notifications): the console for officers, else the page."""
    ticket_id = request.path_params["ticket_id"]
    try:
        p = principal(request)
    except HubError:
        return RedirectResponse(f"/t/{ticket_id}", status_code=303)
    if p.is_officer:
        return RedirectResponse(f"/officer#t={ticket_id}", status_code=303)
    return RedirectResponse(f"/t/{ticket_id}", status_code=303)


#: A built file named by its content (``dist/officer-5XKQ2ZJN.js``, web/build.mjs).
_HASHED = re.compile(r"dist/[a-z_]+-[A-Z0-9]{8}\.(?:js|css)")


class _Static(StaticFiles):
    """Hashed bundles cached for a year, never revalidated; everything else revalidated."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        immutable = _HASHED.fullmatch(path.replace("\\", "/")) and response.status_code < 400
        response.headers["Cache-Control"] = (
            "public, max-age=31536000, immutable" if immutable else "no-cache"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response


def install(hub: Hub, sio: Any, publisher: SocketPublisher) -> list[BaseRoute]:
    del hub, sio, publisher
    static = GZipMiddleware(_Static(directory=STATIC_DIR, check_dir=False), minimum_size=800)
    return [
        Route("/", login_page, methods=["GET"]),
        Route("/officer", officer_page, methods=["GET"]),
        Route("/supervisor", supervisor_page, methods=["GET"]),
        Route("/register", register_page, methods=["GET"]),
        Route("/reset", reset_page, methods=["GET"]),
        Route("/account", account_page, methods=["GET"]),
        Route("/admin", admin_page, methods=["GET"]),
        Route("/ajukan", request_form_page, methods=["GET"]),
        Route("/t/{ticket_id:id}", citizen_page, methods=["GET"]),
        Route("/ticket/{ticket_id:id}", citizen_page, methods=["GET"]),
        Route("/tickets/{ticket_id:id}", ticket_link, methods=["GET"]),
        Mount("/static", app=static, name="static"),
    ]
