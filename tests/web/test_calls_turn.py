"""The same call forced through the TURN relay (``?relay=1``) of a real coturn."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hub.settings import Settings
from tests.support.coturn_server import CoturnServer
from tests.support.server import make_settings
from tests.support.services import ServiceMissing, require_or_skip
from tests.web.calls import video_call
from tests.web.conftest import Pages

pytestmark = [pytest.mark.browser, pytest.mark.turn]
SECRET = "turn-web-test-secret-0123456789"


@pytest.fixture(scope="module")
def coturn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CoturnServer]:
    server = CoturnServer(tmp_path_factory.mktemp("coturn"), secret=SECRET)
    try:
        server.start()
    except ServiceMissing as exc:
        require_or_skip(exc)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def settings(sqlite_url: str, tmp_path: Path, coturn: CoturnServer) -> Settings:
    return make_settings(
        sqlite_url, tmp_path / "var", TURN_URIS=coturn.uri, TURN_SECRET=SECRET, TURN_TTL="300"
    )


async def test_video_call_relayed_through_turn(pages: Pages) -> None:
    _officer, _citizen, pairs = await video_call(pages, "?relay=1")
    assert pairs == [["relay", "relay"], ["relay", "relay"]]
