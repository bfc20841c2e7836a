"""Services take the time and what they share from the app's context (docs/architecture.md,
"One context, one clock"): not from the machine, ``session.info`` or a module global."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from hub.context import Hub
from hub.settings import Settings
from tests.conftest import Recorder
from tests.test_architecture import is_domain, modules, rel

#: Domain modules that read the machine's clock on purpose: what another party checks
#: against its own clock.
REAL_TIME = {
    "notifications/watching.py": "presence expiries are Redis sorted-set scores",
    "signaling/iceservers.py": "TURN credentials are checked by coturn",
    "signaling/negotiation.py": "the per-process twin of an offer's Redis expiry",
}


#: Calls that read the machine's clock.
MACHINE_TIME = {
    ("time", "time"), ("time", "monotonic"), ("datetime", "now"), ("datetime", "utcnow"),
    ("clock", "utcnow"), (None, "utcnow"), (None, "monotonic"),
}  # fmt: skip


def machine_time_calls(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        if isinstance(f, ast.Name) and (None, f.id) in MACHINE_TIME:
            found.add(f.id)
        elif (
            isinstance(f, ast.Attribute)
            and isinstance(f.value, ast.Name)
            and (f.value.id, f.attr) in MACHINE_TIME
        ):
            found.add(f"{f.value.id}.{f.attr}")
    return found


#: Core modules that are services too (the one timeline writer, sessions and logins).
CORE_SERVICES = {"hub/timeline.py", "hub/auth.py", "hub/logins.py", "hub/sessions.py"}


@pytest.mark.parametrize(
    "path", [p for p in modules() if is_domain(p) or rel(p) in CORE_SERVICES], ids=rel
)
def test_a_service_takes_the_time_from_the_clock(path: Path) -> None:
    if rel(path) in REAL_TIME:
        return
    machine = machine_time_calls(path)
    assert not machine, f"{rel(path)} reads the machine's clock ({machine}); use unit.ctx.clock"


@pytest.mark.parametrize("path", modules(), ids=rel)
def test_nothing_travels_in_session_info(path: Path) -> None:
    code = r"\bsession\.info\s*[\[.]|\.kw\.get\(\s*.info|configure\(\s*info="
    found = re.search(code, path.read_text())
    assert found is None, f"{rel(path)}: {found and found.group()}"


async def test_each_app_has_its_own_context(settings: Settings) -> None:
    one, two = Hub(settings, Recorder()), Hub(settings, Recorder())
    try:
        assert one.ctx.offices is not two.ctx.offices
        assert one.ctx.clock is one.clock and one.ctx.limiter is one.limiter
        assert one.ctx.live is None  # no notifications runtime: nobody is live
        async with one.unit() as unit:
            assert unit.ctx is one.ctx
    finally:
        await one.close()
        await two.close()
