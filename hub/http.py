"""HTTP plumbing shared by every package's routes: who is asking, JSON in, JSON out."""

from __future__ import annotations

import logging
from typing import Any, TypedDict, TypeVar

from pydantic import BaseModel
from starlette.authentication import (
    AuthCredentials,
    AuthenticationBackend,
    BaseUser,
    UnauthenticatedUser,
)
from starlette.convertors import Convertor, register_url_convertor
from starlette.exceptions import HTTPException
from starlette.requests import HTTPConnection, Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response

from hub.auth import COOKIE_NAME
from hub.context import Hub
from hub.db import is_unavailable
from hub.errors import (
    HubError,
    Invalid,
    NotFound,
    RateLimited,
    TooLarge,
    Unauthenticated,
    Unavailable,
    UnsupportedMediaType,
    error_body,
)
from hub.logs import bind_log
from hub.principal import Principal
from hub.schemas import MAX_EVENT_BYTES, MAX_ID, decimal_id, loads, parse

M = TypeVar("M", bound=BaseModel)
logger = logging.getLogger("hub.http")


class HubState(TypedDict):
    """What the app's lifespan yields: each request's ``request.state`` (a shallow copy)."""

    hub: Hub


def hub_of(conn: HTTPConnection) -> Hub:
    """The hub of the app serving ``conn``, from the lifespan state (:class:`HubState`)."""
    hub = conn.state["hub"]
    assert isinstance(hub, Hub)
    return hub


def request_token(conn: HTTPConnection) -> str | None:
    """Bearer token (API, mobile) first, then the HttpOnly cookie (browsers)."""
    header = conn.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return conn.cookies.get(COOKIE_NAME)


def client_address(request: Request) -> str:
    """The client's IP (uvicorn takes it from X-Forwarded-For behind a trusted proxy)."""
    return request.client.host if request.client else "?"


class SignedIn(BaseUser):
    """``request.user`` of a request whose token opens a live session."""

    def __init__(self, principal: Principal) -> None:
        self.principal = principal

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def display_name(self) -> str:
        return self.principal.name

    @property
    def identity(self) -> str:
        return self.principal.actor_key


class Anonymous(UnauthenticatedUser):
    """``request.user`` without a session, and why: no token, or the error its check raised
    (``unauthenticated``, or a database that did not answer). Routes that need a login
    raise it (:func:`principal`); the others never look, as before."""

    def __init__(self, reason: Exception) -> None:
        self.reason = reason


#: Paths served to anyone, whose requests never need the session read (the page's bundles).
ASSETS = ("/static/",)


class SessionBackend(AuthenticationBackend):
    """Starlette's authentication backend: the token (:func:`request_token`) → the session's
    :class:`Principal`, through the hub's batched lookup (concurrent requests share a query).

    It never refuses a request itself (no ``AuthenticationError``): a public route answers
    whatever token comes with it, and a route that needs a login gets the same error as
    the token check gave. Installed after :class:`hub.origins.OriginGuard`, so a
    cross-site write is refused before any session is read.
    """

    def __init__(self, hub: Hub) -> None:
        self.hub = hub

    async def authenticate(self, conn: HTTPConnection) -> tuple[AuthCredentials, BaseUser]:
        token = request_token(conn)
        if not token or conn.url.path.startswith(ASSETS):
            # static files are public: a page's assets must not each read its session
            return AuthCredentials(), Anonymous(Unauthenticated())
        try:
            p = await self.hub.principal_from_token(token)
        except Exception as exc:
            return AuthCredentials(), Anonymous(exc)
        bind_log(user_id=p.user_id)  # the request's log lines name who asked
        return AuthCredentials(["authenticated"]), SignedIn(p)


def principal(conn: HTTPConnection) -> Principal:
    """Who is asking (``request.user``, set by :class:`SessionBackend`); for a route that
    needs a login, the error of a request without one (``unauthenticated``, 401)."""
    user = conn.user
    if isinstance(user, SignedIn):
        return user.principal
    if isinstance(user, Anonymous):
        raise user.reason
    raise Unauthenticated()


def is_json(content_type: str) -> bool:
    """``application/json``, with or without parameters (``; charset=utf-8``)."""
    return content_type.split(";", 1)[0].strip().lower() == "application/json"


async def read_json(request: Request, model: type[M], limit: int = MAX_EVENT_BYTES) -> M:
    """The body as ``model``: sent as ``application/json`` (415 ``invalid`` otherwise).

    No body at all (and no Content-Type) reads as ``{}``. Refusing every other type
    keeps a page of another site from posting JSON as ``text/plain`` — the one kind
    of cross-site write a browser sends without asking (the Origin check in
    :mod:`hub.origins` is the first wall; this is the second).
    """
    content_type = request.headers.get("content-type")
    if content_type is not None and not is_json(content_type):
        raise UnsupportedMediaType()
    body = await request.body()
    if body and content_type is None:
        raise UnsupportedMediaType()
    if len(body) > limit:
        raise TooLarge("body_too_large", limit=limit)
    try:
        data = loads(body or b"{}")
    except (ValueError, RecursionError):
        raise Invalid("malformed_json") from None
    return parse(model, data)


class IdConvertor(Convertor[int]):
    """``{ticket_id:id}`` in a route path: an id (1 … 2**63-1) in plain decimal digits.

    It matches any path segment, so a malformed or out-of-range id is answered
    ``invalid`` (JSON, 422) by the hub's error handler rather than Starlette's
    plain-text 404, and never reaches the database.
    """

    regex = "[^/]+"

    def convert(self, value: str) -> int:
        try:
            number = decimal_id(value)
        except ValueError as exc:
            raise Invalid(
                "path_id_invalid",
                fields=[{"field": "path", "problem": str(exc)}],
            ) from None
        if not 1 <= number <= MAX_ID:
            raise Invalid(
                "path_id_invalid",
                fields=[{"field": "path", "problem": f"must be between 1 and {MAX_ID}"}],
            )
        return number

    def to_string(self, value: int) -> str:
        if not 1 <= int(value) <= MAX_ID:
            raise ValueError(f"id out of range: {value}")
        return str(int(value))


def register_convertors() -> None:
    """Make ``{name:id}`` available to route paths (before any route is built)."""
    register_url_convertor("id", IdConvertor())


def ok(data: dict[str, Any] | None = None, status: int = 200) -> JSONResponse:
    return JSONResponse({"ok": True, **(data or {})}, status_code=status)


def content_security_policy(request: Request) -> str:
    """Self only: no inline script or style, nothing from another host.

    ``connect-src`` names the socket's ws(s) origin for older engines.
    """
    host = request.headers.get("host", "")
    ws = "wss" if request.url.scheme == "https" else "ws"
    connect = f"'self' {ws}://{host}" if host else "'self'"
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data: blob:",
            "media-src 'self' blob:",
            f"connect-src {connect}",
            "font-src 'self'",
            "worker-src 'self'",
            "manifest-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def page(request: Request, html: str, cache: str = "no-cache") -> HTMLResponse:
    """An HTML page with the headers every page of the hub carries (one CSP for all)."""
    return HTMLResponse(
        html,
        headers={
            "Content-Security-Policy": content_security_policy(request),
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "same-origin",
            "Permissions-Policy": "camera=(self), microphone=(self), geolocation=()",
            "Cache-Control": cache,
        },
    )


def error_response(exc: HubError) -> JSONResponse:
    headers = {}
    if isinstance(exc, RateLimited):
        headers["Retry-After"] = str(exc.retry_after)
    return JSONResponse(error_body(exc), status_code=exc.status, headers=headers)


async def hub_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HubError)
    return error_response(exc)


async def outage_handler(request: Request, exc: Exception) -> JSONResponse:
    """While the database is down a request is ``503 unavailable``, logged as one line
    without a traceback and counted for the periodic summary; anything else is a bug and
    goes on to the server's 500 (with its traceback)."""
    if not is_unavailable(exc):
        raise exc
    hub = hub_of(request)
    logger.warning(
        "%s %s failed: database unavailable (%s)",
        request.method,
        request.url.path,
        type(exc).__name__,
    )
    hub.tally.add("requests failed: database unavailable", logging.WARNING)
    return error_response(Unavailable())


async def no_route_handler(request: Request, exc: Exception) -> Response:
    """An address the hub does not serve: under ``/api/`` the typed ``not_found`` (JSON,
    like every API answer); elsewhere Starlette's plain 404."""
    if request.url.path.startswith("/api/"):
        return error_response(NotFound("unknown_api_address"))
    assert isinstance(exc, HTTPException)
    return PlainTextResponse(exc.detail, status_code=exc.status_code)
