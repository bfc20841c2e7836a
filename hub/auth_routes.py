"""HTTP doors of auth: login (password or receipt), logout, who am I."""

from __future__ import annotations

from pydantic import Field
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from hub import ratelimit
from hub.auth import COOKIE_NAME, login_password, login_receipt, revoke_session
from hub.http import hub_of, ok, principal_of, read_json, request_token
from hub.principal import Principal
from hub.schemas import Payload


class LoginIn(Payload):
    login: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class ReceiptIn(Payload):
    ticket_number: str = Field(min_length=3, max_length=32)
    access_code: str = Field(min_length=4, max_length=16)


def principal_view(p: Principal) -> dict[str, object]:
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


async def _limit(request: Request, key: str) -> None:
    hub = hub_of(request)
    client = request.client.host if request.client else "?"
    await hub.limiter.hit(f"login:ip:{client}", ratelimit.LOGIN)
    await hub.limiter.hit(f"login:id:{key.strip().lower()}", ratelimit.LOGIN)


async def login(request: Request) -> Response:
    body = await read_json(request, LoginIn)
    await _limit(request, body.login)
    hub = hub_of(request)
    async with hub.unit() as unit:
        sid = await login_password(
            unit.session,
            login=body.login,
            password=body.password,
            session_days=hub.settings.session_days,
        )
    token = hub.signer.sign(sid)
    principal = await hub.principal_from_token(token)
    return _with_cookie(request, {"user": principal_view(principal)}, token)


async def login_with_receipt(request: Request) -> Response:
    body = await read_json(request, ReceiptIn)
    await _limit(request, body.ticket_number)
    hub = hub_of(request)
    async with hub.unit() as unit:
        sid = await login_receipt(
            unit.session,
            ticket_number=body.ticket_number,
            access_code=body.access_code,
            session_days=hub.settings.session_days,
        )
    token = hub.signer.sign(sid)
    principal = await hub.principal_from_token(token)
    return _with_cookie(request, {"user": principal_view(principal)}, token)


async def logout(request: Request) -> Response:
    """Revokes the session and closes every live socket of it, on every process."""
    hub = hub_of(request)
    token = request_token(request)
    principal = await principal_of(request)
    assert token is not None
    async with hub.unit() as unit:
        await revoke_session(unit.session, principal.session_id)
        unit.control("disconnect_session", session_id=principal.session_id)
    response = ok()
    response.delete_cookie(COOKIE_NAME, path="/")
    return response


async def me(request: Request) -> Response:
    return ok({"user": principal_view(await principal_of(request))})


routes = [
    Route("/api/auth/login", login, methods=["POST"]),
    Route("/api/auth/receipt", login_with_receipt, methods=["POST"]),
    Route("/api/auth/logout", logout, methods=["POST"]),
    Route("/api/me", me, methods=["GET"]),
]
