"""Signaling fixtures: per-module settings overrides, and people on the ``/calls`` namespace."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from hub.settings import Settings
from tests.signaling.helpers import People
from tests.support.server import RunningHub, make_settings
from tests.support.world import World


@pytest.fixture
def settings_overrides() -> dict[str, str]:
    """Environment for the hub under test; a module overrides it (e.g. a TURN server)."""
    return {}


@pytest.fixture
def settings(sqlite_url: str, tmp_path: Path, settings_overrides: dict[str, str]) -> Settings:
    return make_settings(sqlite_url, tmp_path / "var", **settings_overrides)


@pytest.fixture
async def people(live: RunningHub, live_world: World) -> AsyncIterator[People]:
    crowd = People(live, live_world)
    try:
        yield crowd
    finally:
        await crowd.close()
