"""The pages: login, officer console, citizen ticket page, supervisor dashboard, registration,
password reset, my account, administration, the citizen's requests and new-request form,
notification preferences, ``/static``.

Pages are static shells (no user data in the HTML); their bundle fetches everything
over the hub's own API and sockets. Every page carries the one self-only
Content-Security-Policy of :func:`hub.http.page`: no inline script, nothing from
another host. A signed-in person asking for a page of another role is sent to their
own page (:mod:`web.access`); a ticket page of a missing or foreign ticket, or of an
id that is not one, is an HTML not-found page.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
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
from hub.http import hub_of, page, principal
from hub.principal import Principal
from hub.realtime.publisher import SocketPublisher
from hub.tickets import actions as ticket_actions
from web import access, pages

STATIC_DIR = Path(__file__).parent / "static"


async def viewer(request: Request) -> Principal | None:
    """Who is asking, or None (not signed in: the page's bundle sends them to log in)."""
    try:
        return principal(request)
    except HubError:
        return None


def not_found_page(request: Request, home: str = "/") -> Response:
    """The not-found page: no composer, no camera check, a link to one's own page."""
    response = page(request, pages.page_html("notfound").replace("{{home}}", home))
    response.status_code = 404
    return response


def guarded(name: str, template: str | None = None) -> Callable[[Request], Awaitable[Response]]:
    """A page only some roles use; the others are sent to their own page."""

    async def endpoint(request: Request) -> Response:
        p = await viewer(request)
        target = access.refused_target(p, name) if p is not None else None
        if target is not None:
            return RedirectResponse(target, status_code=303)
        return page(request, pages.page_html(template or name))

    return endpoint


async def login_page(request: Request) -> Response:
    return page(request, pages.page_html("login"))


async def register_page(request: Request) -> Response:
    return page(request, pages.page_html("register"))


async def reset_page(request: Request) -> Response:
    return page(request, pages.page_html("reset"))


async def account_page(request: Request) -> Response:
    return page(request, pages.page_html("account"))


async def citizen_page(request: Request) -> Response:
    """``/t/{id}``: the applicant's ticket page; not found for a ticket not theirs."""
    ticket_id = access.path_id(request.path_params["ticket_id"])
    p = await viewer(request)
    if ticket_id is None:
        return not_found_page(request, access.home_of(p) if p else "/")
    if p is None:
        return page(request, pages.page_html("citizen"))
    target = access.refused_target(p, "ticket", ticket_id)
    if target is not None:
        return RedirectResponse(target, status_code=303)
    if not await ticket_actions.may_view(hub_of(request), p, ticket_id):
        return not_found_page(request, access.home_of(p))
    return page(request, pages.page_html("citizen"))


async def ticket_link(request: Request) -> Response:
    """``/tickets/{id}`` (the link in notifications): the console for officers, else the page."""
    ticket_id = access.path_id(request.path_params["ticket_id"])
    p = await viewer(request)
    if ticket_id is None:
        return not_found_page(request, access.home_of(p) if p else "/")
    if p is not None and p.is_officer:
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
        Route("/officer", guarded("officer"), methods=["GET"]),
        Route("/supervisor", guarded("supervisor"), methods=["GET"]),
        # reports: supervisors (their offices) and admins (all), §17
        Route("/reports", guarded("supervisor", "reports"), methods=["GET"]),
        Route("/register", register_page, methods=["GET"]),
        Route("/reset", reset_page, methods=["GET"]),
        Route("/account", account_page, methods=["GET"]),
        # admin: the shell only; every call it makes is refused unless one is an admin
        Route("/admin", guarded("admin"), methods=["GET"]),
        Route("/requests", guarded("requests"), methods=["GET"]),
        Route("/requests/new", guarded("requests", "request_new"), methods=["GET"]),
        # the request form itself: documents, fields, a draft kept on the server
        Route("/ajukan", guarded("requests", "ajukan"), methods=["GET"]),
        Route("/preferences", guarded("preferences"), methods=["GET"]),
        # page paths take any text: an id that is not one is a not-found page, not JSON
        Route("/t/{ticket_id}", citizen_page, methods=["GET"]),
        Route("/ticket/{ticket_id}", citizen_page, methods=["GET"]),
        Route("/tickets/{ticket_id}", ticket_link, methods=["GET"]),
        Mount("/static", app=static, name="static"),
    ]
