"""Rows found by composite keys, one OR term per key.

``(c0 = :k0_0 AND c1 = :k0_1 …) OR (…)`` makes each key one search of a unique (or
covering) index: SQLite's ``MULTI-INDEX OR``, PostgreSQL's bitmap OR. Neither a row-value
IN (SQLite scans the table) nor an IN list per column (SQLite searches every combination of
the lists: 50 comments of 30 tickets and 40 speakers are 60,000 searches) does that. A
statement is built once per size, the sizes rounded up to a power of two (the last key
repeated), so only a handful are compiled and cached.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, bindparam, or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import QueryableAttribute

#: Keys looked up in one query at most (SQLite's expression depth is bounded).
CHUNK = 64

K = TypeVar("K", bound=tuple[Any, ...])
R = TypeVar("R")


def keys_match(columns: Sequence[QueryableAttribute[Any]], size: int) -> ColumnElement[bool]:
    """The OR of ``size`` terms, each ``columns`` equal to one key's bound values."""
    return or_(
        *(
            and_(*(column == bindparam(f"k{i}_{j}") for j, column in enumerate(columns)))
            for i in range(size)
        )
    )


async def rows_by_keys(
    session: AsyncSession,
    keys: Sequence[K],
    statement: Callable[[int], Select[Any]],
    key_of: Callable[[R], K],
) -> dict[K, R]:
    """The rows of ``statement(size)`` (built on :func:`keys_match`) for ``keys``, by
    ``key_of(row)``; one query per :data:`CHUNK` distinct keys."""
    wanted = list(dict.fromkeys(keys))
    found: dict[K, R] = {}
    for start in range(0, len(wanted), CHUNK):
        size, params = key_params(wanted[start : start + CHUNK])
        rows: Sequence[R] = (await session.scalars(statement(size), params)).all()
        found.update({key_of(row): row for row in rows})
    return found


def key_params(keys: Sequence[tuple[Any, ...]]) -> tuple[int, dict[str, Any]]:
    """The size of the :func:`keys_match` statement for ``keys`` (at most :data:`CHUNK`,
    distinct) and its parameters: the size rounded up to a power of two, the last key
    repeated."""
    chunk = list(keys)
    size = 1 << (len(chunk) - 1).bit_length()
    chunk += [chunk[-1]] * (size - len(chunk))
    return size, {f"k{i}_{j}": v for i, key in enumerate(chunk) for j, v in enumerate(key)}
