"""Fixtures: a fresh database per test (SQLite, and PostgreSQL where asked), a real hub."""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from hub.audit.projections import subscribe as audit
from hub.context import Hub
from hub.ikm.projections import subscribe as survey_offer
from hub.intake.gate import subscribe as documents
from hub.letters.projections import subscribe as letters
from hub.migrate import upgrade_sync
from hub.queues.projections import subscribe as queue_board
from hub.settings import Settings
from hub.spec import namespaces
from hub.uow import Control, Outgoing
from notifications.projections import subscribe as notifications
from tests.support.clock import FakeClock
from tests.support.contract import FrameRecorder
from tests.support.contract import install as install_recorder
from tests.support.postgres_server import PostgresServer
from tests.support.redis_server import RedisServer
from tests.support.server import RunningHub, make_settings, run_hub
from tests.support.services import ServiceMissing, require_or_skip
from tests.support.world import World, build_world

_counter = itertools.count()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The migrated schema, once; each test copies the file."""
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    upgrade_sync(f"sqlite+aiosqlite:///{path}")
    return path


class PgDatabases:
    """A PostgreSQL server (``TEST_DATABASE_URL`` or one we start) with a migrated template."""

    def __init__(self, server: PostgresServer | None, url: str) -> None:
        self.server = server
        self.base_url = url
        upgrade_sync(url)
        self.template = url.rsplit("/", 1)[1]

    def fresh(self) -> str:
        name = f"t_{os.getpid()}_{next(_counter)}"
        self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        return self.base_url.rsplit("/", 1)[0] + "/" + name

    def _admin(self, sql: str) -> None:
        import asyncio

        import asyncpg

        dsn = self.base_url.replace("postgresql+asyncpg://", "postgresql://").rsplit("/", 1)[0]

        async def run() -> None:
            conn = await asyncpg.connect(dsn + "/postgres")
            try:
                await conn.execute(sql)
            finally:
                await conn.close()

        asyncio.run(run())


@pytest.fixture(scope="session")
def postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PgDatabases]:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        yield PgDatabases(None, url)
        return
    server = PostgresServer(tmp_path_factory.mktemp("pg"))
    try:
        server.start()
    except ServiceMissing as exc:
        require_or_skip(exc)
    try:
        yield PgDatabases(server, server.url)
    finally:
        server.stop()


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    try:
        server.start()
    except ServiceMissing as exc:
        require_or_skip(exc)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "hub.db"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture(params=["sqlite", "postgres"])
def any_db_url(request: pytest.FixtureRequest, sqlite_template: Path, tmp_path: Path) -> str:
    """Runs the test on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "hub.db"
        shutil.copyfile(sqlite_template, path)
        return f"sqlite+aiosqlite:///{path}"
    pg: PgDatabases = request.getfixturevalue("postgres")
    return pg.fresh()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests marked ``both_dbs`` run their live hub on SQLite and on PostgreSQL."""
    if "db_kind" in metafunc.fixturenames:
        kinds = (
            ["sqlite", "postgres"]
            if metafunc.definition.get_closest_marker("both_dbs")
            else ["sqlite"]
        )
        metafunc.parametrize("db_kind", kinds)


@pytest.fixture
def db_url(request: pytest.FixtureRequest, db_kind: str, tmp_path: Path) -> str:
    if db_kind == "postgres":
        pg: PgDatabases = request.getfixturevalue("postgres")
        return pg.fresh()
    url: str = request.getfixturevalue("sqlite_url")
    return url


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return make_settings(db_url, tmp_path / "var")


@pytest.fixture(scope="session", autouse=True)
def frame_recorder() -> Iterator[FrameRecorder]:
    """Every frame the hub emits in the suite (events, acks) is checked against its model
    (``tests/support/contract.py``)."""
    recorder = FrameRecorder(namespaces())
    patch = install_recorder(recorder)
    try:
        yield recorder
    finally:
        patch.undo()


@pytest.fixture(autouse=True)
def frames_match_the_contract(
    frame_recorder: FrameRecorder, request: pytest.FixtureRequest
) -> Iterator[None]:
    """Fails the test whose frames do not match their models, or have none.

    ``@pytest.mark.uncontracted``: a test of the machinery that sends made-up events."""
    frame_recorder.take()
    frame_recorder.allow_unknown = request.node.get_closest_marker("uncontracted") is not None
    yield
    problems = frame_recorder.take()
    frame_recorder.allow_unknown = False
    if problems:
        pytest.fail("frames off the contract:\n" + "\n".join(problems), pytrace=False)


class Recorder:
    """A publisher that keeps what services published, for tests without a server
    (each event checked against its model, as on the wire)."""

    def __init__(self, frames: FrameRecorder | None = None) -> None:
        self.sent: list[Outgoing | Control] = []
        self.frames = frames

    async def publish(self, items: list[Outgoing | Control]) -> None:
        self.sent.extend(items)
        for item in items:
            if self.frames is not None and isinstance(item, Outgoing):
                self.frames.event(item.namespace, item.event, item.data)


def with_projections(hub: Hub) -> Hub:
    """The downstream projections a served hub has (queue board, notifications, letters,
    the audit trail), and the documents' guard on transitions."""
    queue_board(hub)
    notifications(hub)
    letters(hub)
    documents(hub)
    audit(hub)
    survey_offer(hub)
    return hub


@pytest.fixture
def clock() -> FakeClock:
    """The clock of the test's hub (``hub``, ``live``): time flows as usual, and the test
    moves it forward to pass a timeout (``await clock.advance(seconds)``)."""
    return FakeClock()


@pytest.fixture
async def hub(
    settings: Settings, clock: FakeClock, frame_recorder: FrameRecorder
) -> AsyncIterator[Hub]:
    """A Hub without a server (services tested directly); events go nowhere (checked)."""
    h = with_projections(Hub(settings, Recorder(frame_recorder), clock=clock))
    try:
        yield h
    finally:
        await h.close()


@pytest.fixture
async def world(hub: Hub) -> World:
    return await build_world(hub)


@pytest.fixture
async def live(settings: Settings, clock: FakeClock) -> AsyncIterator[RunningHub]:
    async with run_hub(settings, clock) as running:
        yield running


@pytest.fixture
async def live_world(live: RunningHub) -> World:
    return await build_world(live.hub)
