"""The layers, kept true (docs/architecture.md): who may import whom, and who emits."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("hub", "chat", "signaling", "notifications", "web")
#: The only modules that talk to python-socketio directly: the realtime package and the app.
SOCKET_DOOR = {
    *(p.relative_to(ROOT).as_posix() for p in (ROOT / "hub" / "realtime").glob("*.py")),
    "hub/app.py",
}


def modules() -> list[Path]:
    out: list[Path] = []
    for pkg in PACKAGES:
        out += [p for p in (ROOT / pkg).rglob("*.py") if "migrations" not in p.parts]
    return out


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def is_transport(path: Path) -> bool:
    """socket.io namespaces and HTTP routes (``hub/auth_routes.py``, ``admin_routes.py`` too)."""
    return path.name in ("handlers.py", "routes.py") or path.name.endswith("_routes.py")


def is_domain(path: Path) -> bool:
    """Services, queries and the use cases that own a transaction (``actions``)."""
    return path.name in ("service.py", "store.py", "actions.py") or path.name.endswith(
        "_actions.py"
    )


@pytest.mark.parametrize("path", modules(), ids=rel)
def test_layering(path: Path) -> None:
    name = rel(path)
    used = imports(path)
    talks_socketio = any(m == "socketio" or m.startswith(("socketio.", "engineio")) for m in used)
    if name not in SOCKET_DOOR:
        assert not talks_socketio, f"{name} imports socketio; only {SOCKET_DOOR} may"
    if is_domain(path):
        bad = {m for m in used if m.startswith(("hub.realtime", "starlette"))}
        assert not bad, f"{name} is domain logic but imports transport: {bad}"
    if is_transport(path):
        stores = {m for m in used if re.search(r"(^|\.)store($|\.)", m)}
        assert not stores, f"{name} is transport but imports a store: {stores}"
        orm = {m for m in used if m == "sqlalchemy" or m.startswith("sqlalchemy.")}
        assert not orm, f"{name} is transport but touches the database: {orm}"


@pytest.mark.parametrize("path", [p for p in modules() if is_transport(p)], ids=rel)
def test_transport_opens_no_transaction(path: Path) -> None:
    """Each package's actions own their transactions; a handler or route calls one."""
    opened = [
        f"{rel(path)}:{lineno}"
        for lineno, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"\.(unit|reader)\(", line)
    ]
    assert opened == [], "transport opens a transaction (call an action): " + ", ".join(opened)


def test_only_the_publisher_and_namespaces_emit() -> None:
    offenders = []
    for path in modules():
        name = rel(path)
        if name in SOCKET_DOOR or path.name == "handlers.py":
            continue
        for lineno, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"\b(sio|server|self)\.emit\(", line):
                offenders.append(f"{name}:{lineno}")
    assert offenders == [], "emit outside the publisher: " + ", ".join(offenders)


def test_routes_read_the_lifespan_state_and_request_user() -> None:
    """The hub comes from the typed lifespan state (``hub.http.hub_of``) and who is asking
    from ``request.user`` (``hub.http.principal``): no route reaches into ``app.state``
    or looks a session up itself."""
    offenders = []
    for path in modules():
        for lineno, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"\bapp\.state\b|principal_from_token\(", line):
                offenders.append(f"{rel(path)}:{lineno}")
    allowed = {"hub/context.py", "hub/http.py", "hub/realtime/namespace.py"}
    assert [o for o in offenders if o.split(":")[0] not in allowed] == []
