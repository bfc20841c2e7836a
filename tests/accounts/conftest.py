"""Accounts fixtures: an SMS gateway on loopback and a live hub that delivers codes through it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from hub.accounts.reference import load_reference
from tests.accounts.gateway import Gateway, run_gateway
from tests.support.server import RunningHub, make_settings, run_hub
from tests.support.world import World, build_world


@pytest.fixture
async def gateway() -> AsyncIterator[Gateway]:
    async with run_gateway("sms") as running:
        yield running


@pytest.fixture
async def live(db_url: str, tmp_path: Path, gateway: Gateway) -> AsyncIterator[RunningHub]:
    """The live hub of these tests sends its codes to ``gateway``."""
    settings = make_settings(db_url, tmp_path / "var", **gateway.env())
    async with run_hub(settings) as running:
        async with running.hub.unit() as unit:
            await load_reference(unit.session)
        yield running


@pytest.fixture
async def live_world(live: RunningHub) -> World:
    return await build_world(live.hub)
