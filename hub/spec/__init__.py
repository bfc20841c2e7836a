"""The machine-readable contract: OpenAPI 3.1 for HTTP, AsyncAPI 3.0 for socket.io.

Both are built from the pydantic models the code parses and answers with: the
namespaces' :class:`hub.contract.NamespaceContract` (each package's ``events.py``) and
the endpoints' :class:`hub.spec.endpoints.Endpoint` tables. Part of the composition
root: it gathers every package.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from hub.contract import NamespaceContract

try:
    VERSION = version("asinan-hub")
except PackageNotFoundError:  # pragma: no cover — run from a checkout without install
    VERSION = "0"


def namespaces() -> list[NamespaceContract]:
    """Every namespace the hub serves, with the server events other packages publish on it."""
    from chat.events import CONTRACT as tickets
    from hub.queues.events import CONTRACT as queues
    from notifications.events import CONTRACT as notifications
    from signaling.events import CONTRACT as calls

    return [tickets, calls, notifications, queues]


def openapi_document() -> dict[str, Any]:
    from hub.spec import endpoints
    from hub.spec import openapi as builder

    return builder.build(endpoints.ENDPOINTS, VERSION)


def asyncapi_document() -> dict[str, Any]:
    from hub.spec import asyncapi as builder

    return builder.build(namespaces(), VERSION)


def routes() -> list[BaseRoute]:
    """``GET /api/openapi.json`` and ``GET /api/asyncapi.json``, built once, on first ask."""
    built: dict[str, dict[str, Any]] = {}

    def serve(name: str, make: Callable[[], dict[str, Any]]) -> Callable[..., Any]:
        async def endpoint(request: Request) -> JSONResponse:
            if name not in built:
                built[name] = make()
            return JSONResponse(built[name])

        return endpoint

    return [
        Route("/api/openapi.json", serve("openapi", openapi_document), methods=["GET"]),
        Route("/api/asyncapi.json", serve("asyncapi", asyncapi_document), methods=["GET"]),
    ]
