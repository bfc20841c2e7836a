"""``GET /metrics``: this process's Prometheus metrics, for allowed addresses or a token.

Each process answers for itself (scrape every one: ``docs/deploy.md``). Open to the
addresses of ``METRICS_ALLOW`` (loopback by default) and, from anywhere, to
``Authorization: Bearer <METRICS_TOKEN>``. Anyone else gets a typed JSON error:
``401 unauthenticated`` when a token is configured (or a wrong one was sent),
``403 forbidden`` when addresses are the only way in.
"""

from __future__ import annotations

import hmac
import ipaddress

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hub.errors import Forbidden, Unauthenticated
from hub.http import client_address, hub_of
from hub.metrics import CONTENT_TYPE
from hub.settings import Settings


def check_metrics_access(settings: Settings, address: str, authorization: str) -> None:
    """Raise unless ``address`` is allowed or ``authorization`` carries the metrics token."""
    token = settings.metrics_token
    scheme, _, sent = authorization.partition(" ")
    if token is not None and scheme.lower() == "bearer" and sent.strip():
        if hmac.compare_digest(sent.strip().encode(), token.encode()):
            return
        raise Unauthenticated("metrics_token_required")
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        ip = None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip is not None and any(ip in net for net in settings.metrics_allow):
        return
    if token is not None:
        raise Unauthenticated("metrics_token_required")
    raise Forbidden("metrics_address_not_allowed")


async def metrics(request: Request) -> Response:
    hub = hub_of(request)
    check_metrics_access(
        hub.settings, client_address(request), request.headers.get("authorization", "")
    )
    body = await hub.metrics.exposition()
    return Response(body, media_type=CONTENT_TYPE, headers={"Cache-Control": "no-store"})


routes = [Route("/metrics", metrics)]
