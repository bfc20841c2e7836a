"""HTTP doors of auth: login (password or receipt), logout, who am I."""

from __future__ import annotations

from pydantic import Field
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from hub import logins
from hub.auth import COOKIE_NAME
from hub.http import client_address, hub_of, ok, principal, read_json
from hub.principal import Principal
from hub.schemas import Payload


class LoginIn(Payload):
    login: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class ReceiptIn(Payload):
    ticket_number: str = Field(min_length=3, max_length=32)
    access_code: str = Field(min_length=4, max_length=16)


def principal_view(p: Principal | logins.SignedIn) -> dict[str, object]:
    return {
        "user_id": p.user_id,
        "role": p.role.value,
        "name": p.name,
        "office_id": p.office_id,
        "ticket_id": p.ticket_id,
    }


def _with_cookie(request: Request, body: dict[str, object], token: str) -> JSONResponse:
    hub = hub_of(request)
    response = ok({**body, "token": token})
    response.set_cookie(
        COOKIE_NAME,
        token,
        max_age=hub.settings.session_days * 86400,
        httponly=True,
        samesite="lax",
        secure=hub.settings.cookie_secure,
        path="/",
    )
    return response


def _signed_in(request: Request, who: logins.SignedIn) -> Response:
    token = hub_of(request).signer.sign(who.session_id)
    return _with_cookie(request, {"user": principal_view(who)}, token)


async def login(request: Request) -> Response:
    body = await read_json(request, LoginIn)
    who = await logins.login_password(
        hub_of(request), client_address(request), body.login, body.password
    )
    return _signed_in(request, who)


async def login_with_receipt(request: Request) -> Response:
    body = await read_json(request, ReceiptIn)
    who = await logins.login_receipt(
        hub_of(request), client_address(request), body.ticket_number, body.access_code
    )
    return _signed_in(request, who)


async def logout(request: Request) -> Response:
    """Revokes the session and closes every live socket of it, on every process."""
    await logins.logout(hub_of(request), principal(request).session_id)
    response = ok()
    response.delete_cookie(COOKIE_NAME, path="/")
    return response


async def me(request: Request) -> Response:
    return ok({"user": principal_view(principal(request))})


#: Writes not authenticated by the session cookie (they open a session): the Origin
#: check (:mod:`hub.origins`) refuses them only when they come from another origin.
OPEN_WRITES = frozenset({"/api/auth/login", "/api/auth/receipt"})

routes = [
    Route("/api/auth/login", login, methods=["POST"]),
    Route("/api/auth/receipt", login_with_receipt, methods=["POST"]),
    Route("/api/auth/logout", logout, methods=["POST"]),
    Route("/api/me", me, methods=["GET"]),
]
