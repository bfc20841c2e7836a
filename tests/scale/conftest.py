"""Scale-out fixtures: a Redis of the test's own, a fresh PostgreSQL database, two nodes.

Each test gets its own ``redis-server`` (it may be killed and restarted; nothing
lingers for the next test) and a fresh migrated PostgreSQL database; the people
and tickets are written by a :class:`Hub` in the test process on that database.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from hub.settings import Settings
from tests.conftest import PgDatabases
from tests.scale.cluster import Cluster, run_cluster
from tests.support.redis_server import RedisServer
from tests.support.server import make_settings
from tests.support.services import ServiceMissing, require_or_skip
from tests.support.world import World


@pytest.fixture
def redis(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path / "redis")
    try:
        server.start()
    except ServiceMissing as exc:
        require_or_skip(exc)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def settings(postgres: PgDatabases, tmp_path: Path) -> Settings:
    """The test process's own view of the shared database (it writes the world)."""
    return make_settings(postgres.fresh(), tmp_path / "var")


@pytest.fixture
def cluster_env() -> dict[str, str]:
    """Extra environment for every node; a module overrides it (short timeouts…)."""
    return {}


@pytest.fixture
async def cluster(
    settings: Settings,
    redis: RedisServer,
    world: World,
    tmp_path: Path,
    cluster_env: dict[str, str],
) -> AsyncIterator[Cluster]:
    async with run_cluster(
        2,
        database_url=settings.database_url,
        redis_url=redis.url,
        secret_key=settings.secret_key,
        data_dir=tmp_path / "shared",
        **cluster_env,
    ) as running:
        yield running
