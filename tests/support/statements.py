"""The SQL statements an engine sends inside a block: for tests that pin the round trips
of a path (a batch of comments, a call's set-up)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine


@contextmanager
def recorded(engine: AsyncEngine, name: Callable[[str], str]) -> Iterator[list[str]]:
    """Each statement ``engine`` executes in the block, as ``name`` writes it; ``BEGIN``,
    ``COMMIT`` and ``ROLLBACK`` left out."""
    seen: list[str] = []

    def on_execute(*args: object) -> None:
        sql = str(args[2])
        if not sql.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")):
            seen.append(name(sql))

    sync = engine.sync_engine
    event.listen(sync, "before_cursor_execute", on_execute)
    try:
        yield seen
    finally:
        event.remove(sync, "before_cursor_execute", on_execute)
