"""PostgreSQL answers a comment search from its GIN index: the query's expression is the
index's (hub.search.service and migration 0012 must agree)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, text

from hub.context import Hub
from hub.models import TicketEvent
from hub.search import service
from tests.conftest import PgDatabases, Recorder
from tests.support.server import make_settings


@pytest.fixture
def pg_url(postgres: PgDatabases) -> str:
    return postgres.fresh()


async def test_postgres_comment_search_uses_the_gin_index(pg_url: str, tmp_path: Path) -> None:
    hub = Hub(make_settings(pg_url, tmp_path / "var"), Recorder())
    try:
        async with hub.unit() as unit:
            await unit.session.execute(text("SET LOCAL enable_seqscan = off"))
            clause = service.comment_match("postgresql", service.words("Surat DOMIS"))
            query = select(TicketEvent.id).where(clause)
            sql = query.compile(unit.session.get_bind(), compile_kwargs={"literal_binds": True})
            plan = await unit.session.execute(text(f"EXPLAIN {sql}"))
            lines = "\n".join(str(row[0]) for row in plan)
        assert "ix_ticket_events_comment_tsv" in lines, lines
        assert "'surat:* & domis:*'" in str(sql)
    finally:
        await hub.close()
