"""The migrated schema is the one the models describe, on SQLite and on PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection

from hub.db import make_engine
from hub.models import Base, load_all_models

#: What the migrations build beside the models: the comments' full-text search and the
#: tickets' trigram index (SQLite's FTS5 tables and their shadow tables; PostgreSQL's
#: ``comment_words`` table and trigram index), see hub.search.
SEARCH_ONLY = (
    "comment_fts",
    "comment_words",
    "ix_comment_words",
    "ticket_fts",
    "ix_tickets_text_trgm",
)


def _include(name: str | None, kind: str, parents: object) -> bool:
    return not (name or "").startswith(SEARCH_ONLY)


def _compare(conn: Connection) -> list[object]:
    ctx = MigrationContext.configure(conn, opts={"compare_type": True, "include_name": _include})
    return list(compare_metadata(ctx, Base.metadata))


async def test_migrations_build_the_schema_the_models_describe(any_db_url: str) -> None:
    load_all_models()
    engine = make_engine(any_db_url)
    try:
        async with engine.connect() as conn:
            differences = await conn.run_sync(_compare)
    finally:
        await engine.dispose()
    assert differences == []
