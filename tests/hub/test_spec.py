"""The generated specifications cover everything the hub serves, and docs/protocol.md lists
exactly what they hold (§18's indexes): nothing missing on either side."""

from __future__ import annotations

import re
from pathlib import Path

from starlette.routing import Route

from hub.spec.endpoints import ENDPOINTS
from hub.spec.openapi import openapi_path
from tests.support.server import RunningHub

DOC = Path(__file__).resolve().parents[2] / "docs" / "protocol.md"
ENDPOINT_ROW = re.compile(r"^\| `(GET|POST|PUT|PATCH|DELETE)` \| `(/[^`]*)` \|", re.M)
EVENT_ROW = re.compile(r"^\| `(/\w+)` \| `(\w+)` \| (client → hub|hub → client) \|", re.M)


def _index(title: str) -> str:
    text = DOC.read_text()
    start = text.index(f"### {title}")
    end = text.find("\n#", start + 4)
    return text[start : end if end != -1 else len(text)]


def _differences(what: str, here: set[str], there: set[str], fix: str) -> list[str]:
    return [f"{what}: {item} — {fix}" for item in sorted(here - there)]


async def test_openapi_covers_every_route_and_the_doc_lists_every_endpoint(
    live: RunningHub,
) -> None:
    async with live.http() as http:
        answer = await http.get("/api/openapi.json")
    assert answer.status_code == 200
    spec = answer.json()
    assert spec["openapi"] == "3.1.0"
    served = {
        f"{method} {route.path}"
        for route in live.app.routes
        if isinstance(route, Route)
        for method in (route.methods or set()) - {"HEAD"}
    }
    table = {f"{ep.method} {ep.path}" for ep in ENDPOINTS}
    in_spec = {f"{m.upper()} {p}" for p, ops in spec["paths"].items() for m in ops}
    documented = {f"{m} {p}" for m, p in ENDPOINT_ROW.findall(_index("Endpoint index"))}
    problems = [
        *_differences("route", served, table, "add its row to hub/spec/endpoints.py ENDPOINTS"),
        *_differences("ENDPOINTS row", table, served, "no such route: remove or fix the row"),
        *_differences(
            "endpoint", in_spec, documented, "add it to docs/protocol.md §18 Endpoint index"
        ),
        *_differences("docs/protocol.md endpoint", documented, in_spec, "not in /api/openapi.json"),
    ]
    assert not problems, "\n".join(problems)
    assert {openapi_path(ep.path) for ep in ENDPOINTS} == set(spec["paths"])


async def test_asyncapi_covers_every_namespace_and_event_and_the_doc_lists_them(
    live: RunningHub,
) -> None:
    async with live.http() as http:
        answer = await http.get("/api/asyncapi.json")
    assert answer.status_code == 200
    spec = answer.json()
    assert spec["asyncapi"] == "3.0.0"
    channels = {c["address"]: c for c in spec["channels"].values()}
    assert set(channels) == set(live.sio.namespace_handlers)
    handled = {
        f"{ns} {name[3:]}"
        for ns, handler in live.sio.namespace_handlers.items()
        for name in dir(handler)
        if name.startswith("on_") and name not in ("on_connect", "on_disconnect")
    }
    in_spec: set[str] = set()
    for ns, channel in channels.items():
        for key, message in channel["messages"].items():
            if key.startswith("c.") and not key.endswith(".ack"):
                in_spec.add(f"{ns} {message['name']} client → hub")
            elif key.startswith("s."):
                in_spec.add(f"{ns} {message['name']} hub → client")
    client_in_spec = {e.rsplit(" ", 3)[0] for e in in_spec if e.endswith("client → hub")}
    documented = {" ".join(row) for row in EVENT_ROW.findall(_index("Event index"))}
    problems = [
        *_differences(
            "handler", handled, client_in_spec, "add a ClientEvent to the package's CONTRACT"
        ),
        *_differences("contract event", client_in_spec, handled, "no on_<event> handler"),
        *_differences("event", in_spec, documented, "add it to docs/protocol.md §18 Event index"),
        *_differences("docs/protocol.md event", documented, in_spec, "not in /api/asyncapi.json"),
    ]
    assert not problems, "\n".join(problems)
    # every ack is a reply of its operation
    for op in spec["operations"].values():
        if op["action"] == "receive":
            assert op["reply"]["messages"]
