"""The library internals the hub overrides or imitates are still the ones it was written against.

``hub.realtime`` (its managers and server) overrides private methods of python-socketio
and python-engineio, and ``hub.db.InlineSQLite`` stands in for an aiosqlite connection
inside SQLAlchemy's aiosqlite dialect. A new release may rename or reshape them without
notice (they are private); the lock file pins the tested versions, and these tests say
exactly what moved when someone upgrades.
"""

from __future__ import annotations

import inspect
import re
import sqlite3
from typing import Any

import aiosqlite
import pytest
import socketio
import socketio.async_pubsub_manager
import sqlalchemy.dialects.sqlite.aiosqlite as sa_aiosqlite
import sqlalchemy.pool
from engineio import async_socket

from hub.db import InlineSQLite, _InlineCursor

#: (library class, method, parameters our override or call relies on, where we use it)
OVERRIDDEN: list[tuple[type[Any], str, list[str], str]] = [
    (
        socketio.AsyncServer,
        "_handle_eio_connect",
        ["self", "eio_sid", "environ"],
        "server.HubServer",
    ),
    (
        socketio.AsyncServer,
        "_handle_eio_disconnect",
        ["self", "eio_sid", "reason"],
        "server.HubServer",
    ),
    (socketio.AsyncServer, "_handle_eio_message", ["self", "eio_sid", "data"], "server.HubServer"),
    (
        socketio.AsyncServer,
        "_handle_connect",
        ["self", "eio_sid", "namespace", "data"],
        "server.HubServer",
    ),
    (socketio.AsyncRedisManager, "_publish", ["self", "data"], "managers.HubRedisManager"),
    (
        socketio.AsyncRedisManager,
        "_redis_listen_with_retries",
        ["self"],
        "managers.HubRedisManager (async generator)",
    ),
    (socketio.AsyncRedisManager, "_redis_connect", ["self"], "managers.HubRedisManager.emit_all"),
    (
        socketio.AsyncRedisManager,
        "_handle_emit",
        ["self", "message"],
        "managers.HubRedisManager.emit_all",
    ),
    (
        socketio.AsyncManager,
        "emit",
        ["self", "event", "data", "namespace", "room", "skip_sid", "callback", "to", "kwargs"],
        "managers.LeanEmitManager",
    ),
    (
        socketio.AsyncManager,
        "get_participants",
        ["self", "namespace", "room"],
        "managers.LeanEmitManager",
    ),
    (async_socket.AsyncSocket, "poll", ["self"], "server.LeanSocket"),
    (async_socket.AsyncSocket, "_websocket_handler", ["self", "ws"], "server.LeanSocket (wire)"),
    (async_socket.AsyncSocket, "schedule_ping", ["self"], "server.LeanSocket"),
    (async_socket.AsyncSocket, "close", ["self", "wait", "abort", "reason"], "server.LeanSocket"),
    (
        async_socket.AsyncSocket,
        "send",
        ["self", "pkt"],
        "managers.LeanEmitManager (timed-out sockets)",
    ),
    (sqlalchemy.pool.QueuePool, "_do_get", ["self"], "hub.db (pool wait metric)"),
    (sqlalchemy.pool.StaticPool, "_do_get", ["self"], "hub.db (pool wait metric)"),
]


@pytest.mark.parametrize(
    ("cls", "name", "params", "user"),
    OVERRIDDEN,
    ids=[f"{c.__name__}.{n}" for c, n, _p, _u in OVERRIDDEN],
)
def test_overridden_private_method_keeps_its_signature(
    cls: type[Any], name: str, params: list[str], user: str
) -> None:
    method = getattr(cls, name, None)
    assert method is not None, (
        f"{cls.__module__}.{cls.__qualname__}.{name} is gone; {user} in hub/realtime/ "
        "overrides or calls it. Re-read the library's source and adapt, then update this table."
    )
    found = list(inspect.signature(method).parameters)
    assert found == params, (
        f"{cls.__qualname__}.{name} now takes {found}, not {params}; {user} in "
        "hub/realtime/ relies on the old shape. Adapt it to the new release, then this table."
    )


def test_redis_listener_is_still_an_async_generator() -> None:
    """``HubRedisManager._redis_listen_with_retries`` yields messages, as the stock one does."""
    assert inspect.isasyncgenfunction(socketio.AsyncRedisManager._redis_listen_with_retries), (
        "python-socketio's _redis_listen_with_retries is no longer an async generator; "
        "managers.HubRedisManager's override must follow its new shape"
    )


def test_the_manager_is_still_started_by_the_first_connection() -> None:
    """``SocketPublisher.start`` subscribes each process at start-up by doing what the
    stock server does on its first connection, and ``stop`` ends the listener task."""
    connect = inspect.getsource(socketio.AsyncServer._handle_eio_connect)
    assert "self.manager_initialized" in connect and "self.manager.initialize()" in connect, (
        "python-socketio no longer starts its manager on the first connection; "
        "hub.realtime.publisher.SocketPublisher.start/stop must follow its new shape"
    )
    assert "self.thread" in inspect.getsource(
        socketio.async_pubsub_manager.AsyncPubSubManager.initialize
    ), (
        "python-socketio's pub/sub manager keeps its listener elsewhere than ``thread``; "
        "SocketPublisher.stop cancels it by that name"
    )


def test_inline_sqlite_offers_what_sqlalchemys_adapter_uses() -> None:
    """Every ``self._connection.<name>`` SQLAlchemy's aiosqlite adapter touches exists on ours."""
    source = inspect.getsource(sa_aiosqlite)
    used = set(re.findall(r"self\._connection\.(\w+)", source))
    assert used, "SQLAlchemy's aiosqlite adapter changed shape: re-read it against hub/db.py"
    probe = InlineSQLite(sqlite3.connect(":memory:"))
    try:
        # ``terminate`` is optional: without it the adapter falls back to ``stop``
        missing = sorted(n for n in used - {"terminate"} if not hasattr(probe, n))
    finally:
        probe.stop()
    assert not missing, (
        f"SQLAlchemy's aiosqlite adapter now uses {missing} on the connection, which "
        "hub.db.InlineSQLite does not provide: add them there (see aiosqlite.Connection)"
    )


@pytest.mark.parametrize(
    ("ours", "theirs", "names"),
    [
        (InlineSQLite, aiosqlite.Connection, ["cursor", "commit", "rollback", "close"]),
        (
            _InlineCursor,
            aiosqlite.Cursor,
            ["execute", "executemany", "fetchone", "fetchmany", "fetchall", "close"],
        ),
    ],
    ids=["connection", "cursor"],
)
def test_inline_sqlite_methods_match_aiosqlite(
    ours: type[Any], theirs: type[Any], names: list[str]
) -> None:
    for name in names:
        want = [p for p in inspect.signature(getattr(theirs, name)).parameters]
        have = [p for p in inspect.signature(getattr(ours, name)).parameters]
        assert len(have) == len(want), (
            f"aiosqlite.{theirs.__name__}.{name} now takes {want}; hub.db.{ours.__name__}.{name} "
            f"takes {have}: follow the new signature"
        )
