"""Cross-site writes: one check, in front of every HTTP route.

The session cookie is ``SameSite=Lax``, so a page on another port of the same host
(the same *site*) — or a form's top-level POST — still gets it sent. A request that
changes something (POST, PUT, PATCH, DELETE) therefore has to show where it comes
from, or it is refused with ``forbidden`` before any route runs:

1. ``Origin`` present: it must be one of ``ALLOWED_ORIGINS`` (``null`` never is);
2. else ``Sec-Fetch-Site``: ``same-origin`` passes, ``same-site``/``cross-site`` do not;
3. else ``Referer``: its origin must be allowed;
4. else nothing is known: refused when the session cookie would authenticate it.

A request carrying ``Authorization: Bearer …`` is not authenticated by the cookie (the
bearer token wins, :func:`hub.http.request_token`) and no browser adds that header
across sites, so it passes. The login doors (:data:`OPEN_WRITES`) are not
authenticated by the cookie either: they are refused only on evidence of another
origin — a login forged from another site (login CSRF) — so API clients without
browser headers can still log in.
"""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Receive, Scope, Send

from hub.auth import COOKIE_NAME
from hub.errors import Forbidden
from hub.http import error_response

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

Provenance = Literal["allowed", "foreign", "unknown"]


def origin_of(url: str) -> str | None:
    """``scheme://host[:port]`` of ``url``, lower case; None if it has none."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()


def provenance(headers: Headers, allowed: frozenset[str]) -> Provenance:
    """Where a request says it comes from: an allowed origin, another one, or unknown."""
    origin = headers.get("origin")
    if origin is not None:
        return "allowed" if origin.strip().lower() in allowed else "foreign"
    site = headers.get("sec-fetch-site")
    if site == "same-origin":
        return "allowed"
    if site in ("same-site", "cross-site"):
        return "foreign"
    referer = headers.get("referer")
    if referer:
        return "allowed" if origin_of(referer) in allowed else "foreign"
    return "unknown"


class OriginGuard:
    """ASGI middleware refusing cross-site state changes (see the module docstring)."""

    def __init__(
        self, app: ASGIApp, allowed_origins: tuple[str, ...], open_writes: frozenset[str]
    ) -> None:
        self.app = app
        self.allowed = frozenset(o.lower() for o in allowed_origins)
        self.open_writes = open_writes

    def refuses(self, method: str, path: str, headers: Headers) -> bool:
        if method not in UNSAFE_METHODS:
            return False
        if headers.get("authorization", "").lower().startswith("bearer "):
            return False
        seen = provenance(headers, self.allowed)
        if seen != "unknown":
            return seen == "foreign"
        if path in self.open_writes:
            return False
        return COOKIE_NAME in cookie_parser(headers.get("cookie", ""))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.refuses(
            scope["method"], scope["path"], Headers(scope=scope)
        ):
            await error_response(Forbidden("cross_site"))(scope, receive, send)
            return
        await self.app(scope, receive, send)
