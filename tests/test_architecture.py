"""The layers, kept true (docs/architecture.md): who may import whom, and who emits."""

from __future__ import annotations

import ast
import itertools
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


# --- the package graph -----------------------------------------------------------------------
#: Feature packages inside ``hub/``; every other ``hub/*.py`` is the core, except the
#: composition root, which assembles the features and so may import anything.
#: Every subpackage of hub/ is a feature package (tickets, queues, accounts, letters, …),
#: but the socket door (hub.realtime), which is the core's transport.
HUB_FEATURES = tuple(
    f"hub.{d.name}"
    for d in sorted((ROOT / "hub").iterdir())
    if (d / "__init__.py").exists() and d.name not in ("migrations", "realtime", "spec")
)
FEATURES = (*HUB_FEATURES, "chat", "signaling", "notifications")
CORE = "hub (core)"
COMPOSITION_ROOT = "hub (composition root)"
ROOT_MODULES = ("hub.app", "hub.cli", "hub.seed", "hub.migrations", "hub.spec")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def all_modules() -> dict[str, Path]:
    """Every module of our packages, migrations included (they are the composition root's)."""
    return {module_name(p): p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")}


def package_of(module: str) -> str:
    """The node of the package graph that ``module`` belongs to."""
    if any(module == m or module.startswith(m + ".") for m in ROOT_MODULES):
        return COMPOSITION_ROOT
    for feature in HUB_FEATURES:
        if module == feature or module.startswith(feature + "."):
            return feature
    top = module.split(".")[0]
    return CORE if top == "hub" else top


def imported_modules(path: Path, name: str, known: set[str]) -> set[str]:
    """Our modules that ``path`` imports anywhere: at the top, inside functions, under
    ``if TYPE_CHECKING``. ``from a import b`` is ``a.b`` when that is a module."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.add(full if full in known else base)
    return {m for m in found if m.split(".")[0] in PACKAGES}


def package_graph() -> dict[str, dict[str, str]]:
    """package → imported package → one example (``module → imported module``)."""
    mods = all_modules()
    graph: dict[str, dict[str, str]] = {}
    for name, path in sorted(mods.items()):
        source = package_of(name)
        graph.setdefault(source, {})
        for target in sorted(imported_modules(path, name, set(mods))):
            other = package_of(target)
            if other != source:
                graph[source].setdefault(other, f"{name} → {target}")
    return graph


def find_cycle(graph: dict[str, dict[str, str]]) -> list[str] | None:
    """A cycle of packages (first node repeated at the end), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, {})):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)) is not None:
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)) is not None:
            return cycle
    return None


def test_no_import_cycle_between_packages() -> None:
    """Function-local and ``TYPE_CHECKING`` imports count: a cycle hidden in a function is
    still two packages that cannot change apart (docs/architecture.md, "Packages")."""
    graph = package_graph()
    cycle = find_cycle(graph)
    if cycle is not None:
        steps = [f"{a} → {b}   ({graph[a][b]})" for a, b in itertools.pairwise(cycle)]
        pytest.fail("import cycle between packages:\n  " + "\n  ".join(steps))


def test_the_core_imports_no_feature_package() -> None:
    edges = package_graph()[CORE]
    features = {pkg: example for pkg, example in edges.items() if pkg != COMPOSITION_ROOT}
    assert features == {}, f"hub's core imports feature packages: {features}"
    assert COMPOSITION_ROOT not in edges, f"the core imports the root: {edges}"


def test_the_cycle_finder_reports_the_path() -> None:
    graph = {"a": {"b": "a.x → b.y"}, "b": {"c": "b.y → c.z"}, "c": {"b": "c.z → b.y"}}
    assert find_cycle(graph) == ["b", "c", "b"]
    assert find_cycle({"a": {"b": ""}, "b": {}}) is None


def is_transport(path: Path) -> bool:
    """socket.io namespaces and HTTP routes (``hub/auth_routes.py``, ``admin_routes.py`` too)."""
    return path.name in ("handlers.py", "routes.py") or path.name.endswith("_routes.py")


def is_domain(path: Path) -> bool:
    """Services, their use cases (``actions``, ``posting``, ``placing``, ``fanout``…) and
    stores: every module of a feature package but its transport and its command line."""
    feature = package_of(module_name(path)) in FEATURES
    return path.name in ("service.py", "store.py") or (
        feature and not is_transport(path) and path.name != "cli.py"
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
