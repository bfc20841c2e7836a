"""The real services the suite needs start, answer, and stop (see tests/support/*_server.py)."""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
import struct
from pathlib import Path

import pytest

from tests.support import services
from tests.support.coturn_server import CoturnServer
from tests.support.postgres_server import PostgresServer
from tests.support.redis_server import RedisServer
from tests.support.services import ServiceMissing, require_or_skip


def _start(server: RedisServer | PostgresServer | CoturnServer) -> None:
    try:
        server.start()
    except ServiceMissing as exc:
        require_or_skip(exc)


@pytest.mark.redis
def test_redis_set_get_restart_keeps_port(tmp_path: Path) -> None:
    redis = pytest.importorskip("redis")
    server = RedisServer(tmp_path / "redis")
    _start(server)
    try:
        port = server.port
        assert server.url == f"redis://127.0.0.1:{port}/0"
        with redis.Redis.from_url(server.url) as client:
            client.set("smoke", "1")
            assert client.get("smoke") == b"1"

        server.kill()
        assert not server.running
        server.restart()
        assert server.port == port
        with redis.Redis.from_url(server.url) as client:
            assert client.ping() is True
            assert client.get("smoke") is None  # no persistence
            client.set("smoke", "2")
            assert client.get("smoke") == b"2"

        server.restart()  # from running: stop + start
        assert server.port == port
        with redis.Redis.from_url(server.url) as client:
            assert client.ping() is True
    finally:
        server.stop()
    assert not server.running

    with RedisServer(tmp_path / "redis-cm") as other:  # context-manager form
        assert other.running and other.port != port
    assert not other.running


@pytest.mark.postgres
def test_postgres_creates_database_and_answers(tmp_path: Path) -> None:
    asyncpg = pytest.importorskip("asyncpg")

    async def query(dsn: str) -> tuple[str, str]:
        conn = await asyncpg.connect(dsn)
        try:
            row = await conn.fetchrow("select current_database() as db, current_setting('fsync')")
            await conn.execute("create table smoke (id int primary key)")
            await conn.execute("insert into smoke values (1)")
            assert await conn.fetchval("select count(*) from smoke") == 1
        finally:
            await conn.close()
        return str(row[0]), str(row[1])

    server = PostgresServer(tmp_path / "pg")
    _start(server)
    try:
        assert server.url.startswith("postgresql+asyncpg://postgres@127.0.0.1:")
        assert server.url.endswith("/asinan_test")
        assert server.admin_dsn.endswith("/postgres")
        assert asyncio.run(query(server.dsn)) == ("asinan_test", "off")
        base = server._base
        assert base is not None and base.is_dir()
    finally:
        server.stop()
    assert not base.exists()
    assert (tmp_path / "pg" / "postgres.log").exists()


def _stun_binding(host: str, port: int) -> bytes:
    """Send a STUN Binding request over UDP and return the raw response.

    UDP may drop a datagram (or reach the server before its UDP listener is up, just
    after the TCP one), so the request is retransmitted as a STUN client does (RFC 8489
    §6.2.1: RTO 0.5 s, doubling, 7 requests), not sent once.
    """
    txid = secrets.token_bytes(12)
    request = struct.pack("!HHI", 0x0001, 0, 0x2112A442) + txid
    rto = 0.5
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for _attempt in range(7):
            sock.sendto(request, (host, port))
            sock.settimeout(rto)
            try:
                data, _ = sock.recvfrom(2048)
            except TimeoutError:
                rto *= 2
                continue
            assert data[8:20] == txid
            return data
    raise TimeoutError("no STUN answer after 7 requests")


@pytest.mark.turn
def test_coturn_listens_and_answers_stun(tmp_path: Path) -> None:
    server = CoturnServer(tmp_path / "turn", secret="smoke-secret")
    _start(server)
    try:
        assert server.running and server.pid is not None
        os.kill(server.pid, 0)  # alive
        assert server.uri == f"turn:127.0.0.1:{server.port}?transport=udp"
        with socket.create_connection((server.host, server.port), timeout=2.0):
            pass
        response = _stun_binding(server.host, server.port)
        assert struct.unpack("!H", response[:2])[0] == 0x0101  # Binding success
    finally:
        server.stop()
    assert not server.running


def test_missing_binary_raises_service_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "find_binary", lambda name: None)
    for server in (
        RedisServer(tmp_path),
        PostgresServer(tmp_path),
        CoturnServer(tmp_path, secret="x"),
    ):
        with pytest.raises(ServiceMissing, match=r"redis-server|initdb|turnserver"):
            server.start()


def test_require_or_skip_skips_locally_and_fails_on_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="redis-server"):
        require_or_skip(ServiceMissing("redis-server not found"))
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="redis-server"):
        require_or_skip(ServiceMissing("redis-server not found"))
