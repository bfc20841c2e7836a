"""HTTP plumbing shared by every package's routes: who is asking, JSON in, JSON out."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel
from starlette.convertors import Convertor, register_url_convertor
from starlette.requests import Request
from starlette.responses import JSONResponse

from hub.auth import COOKIE_NAME
from hub.context import Hub
from hub.errors import HubError, Invalid, TooLarge, error_body
from hub.principal import Principal
from hub.schemas import MAX_EVENT_BYTES, MAX_ID, decimal_id, loads, parse

M = TypeVar("M", bound=BaseModel)


def hub_of(request: Request) -> Hub:
    hub = request.app.state.hub
    assert isinstance(hub, Hub)
    return hub


def request_token(request: Request) -> str | None:
    """Bearer token (API, mobile) first, then the HttpOnly cookie (browsers)."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return request.cookies.get(COOKIE_NAME)


async def principal_of(request: Request) -> Principal:
    return await hub_of(request).principal_from_token(request_token(request))


async def read_json(request: Request, model: type[M], limit: int = MAX_EVENT_BYTES) -> M:
    body = await request.body()
    if len(body) > limit:
        raise TooLarge(f"Data melebihi {limit} byte / Body over {limit} bytes")
    try:
        data = loads(body or b"{}")
    except (ValueError, RecursionError):
        raise Invalid("JSON tidak valid / Malformed JSON") from None
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
                "ID di alamat tidak valid / Invalid id in the path",
                fields=[{"field": "path", "problem": str(exc)}],
            ) from None
        if not 1 <= number <= MAX_ID:
            raise Invalid(
                "ID di alamat tidak valid / Invalid id in the path",
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


def error_response(exc: HubError) -> JSONResponse:
    headers = {}
    retry = exc.details.get("retry_after")
    if retry is not None:
        headers["Retry-After"] = str(max(1, int(float(retry) + 0.999)))
    return JSONResponse(error_body(exc), status_code=exc.status, headers=headers)


async def hub_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HubError)
    return error_response(exc)
