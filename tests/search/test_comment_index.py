"""PostgreSQL answers a comment search from its GIN index on ``comment_words``: the query's
condition is one the index serves (hub.search.service and migration 0014 must agree), the
lexemes of the offices of a searcher's scope included."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, text

from hub.context import Hub
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
            # no scan left but the index's: a condition the index cannot serve would fail
            await unit.session.execute(text("SET LOCAL enable_seqscan = off"))
            await unit.session.execute(text("SET LOCAL enable_indexscan = off"))
            clause = service._pg_words(service.words("Surat DOMIS"))
            query = select(service._WORDS.c.event_id).where(clause)
            sql = query.compile(unit.session.get_bind(), compile_kwargs={"literal_binds": True})
            plan = await unit.session.execute(text(f"EXPLAIN {sql}"))
            lines = "\n".join(str(row[0]) for row in plan)
        assert "Bitmap Index Scan on ix_comment_words_words" in lines, lines
        assert "Index Cond: (words @@ '''surat'':* & ''domis'':*'::tsquery)" in lines, lines
    finally:
        await hub.close()


async def test_postgres_searches_offices_comments_with_one_index_condition(
    pg_url: str, tmp_path: Path
) -> None:
    hub = Hub(make_settings(pg_url, tmp_path / "var"), Recorder())
    try:
        async with hub.unit() as unit:
            await unit.session.execute(text("SET LOCAL enable_seqscan = off"))
            await unit.session.execute(text("SET LOCAL enable_indexscan = off"))
            clause = service._pg_words(service.words("Surat DOMIS"), ["@3", "#4"])
            query = select(service._WORDS.c.event_id).where(clause)
            sql = query.compile(unit.session.get_bind(), compile_kwargs={"literal_binds": True})
            plan = await unit.session.execute(text(f"EXPLAIN {sql}"))
            lines = "\n".join(str(row[0]) for row in plan)
    finally:
        await hub.close()
    assert "Bitmap Index Scan on ix_comment_words_words" in lines, lines
    scope = "( ''@3'' | ''#4'' )"
    assert f"Index Cond: (words @@ '''surat'':* & ''domis'':* & {scope}'::tsquery)" in lines, lines
