"""Health endpoints, the anonymous-socket timeout, and the migrations on both databases."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text

from hub.db import Database
from hub.migrate import alembic_config
from tests.support.server import RunningHub, make_settings, run_hub


async def test_healthz_and_readyz(live: RunningHub) -> None:
    async with live.http() as http:
        assert (await http.get("/healthz")).json()["status"] == "alive"
        ready = (await http.get("/readyz")).json()
    assert ready == {"ok": True, "status": "ready", "checks": {"database": "ok"}}


async def test_a_socket_that_never_authenticates_is_closed(sqlite_url: str, tmp_path: Path) -> None:
    settings = make_settings(sqlite_url, tmp_path / "var", AUTH_TIMEOUT="0.5")
    async with run_hub(settings) as running:
        ws_url = running.url.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket"
        async with aiohttp.ClientSession() as session:
            ws = await session.ws_connect(ws_url, headers={"Origin": running.url})
            opened = await ws.receive_str()
            assert opened.startswith("0{")  # engine.io OPEN, but no namespace joined
            async with asyncio.timeout(5):
                while True:
                    msg = await ws.receive()
                    if msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                        break
                    if msg.type is aiohttp.WSMsgType.TEXT and msg.data == "1":
                        break  # engine.io CLOSE packet: the server hung up on us
                    if msg.type is aiohttp.WSMsgType.TEXT and msg.data == "2":
                        await ws.send_str("3")  # answer pings: only the timeout may close us
            await ws.close()


async def test_migrations_go_up_and_down_on_sqlite_and_postgres(any_db_url: str) -> None:
    cfg = alembic_config(any_db_url)
    head = ScriptDirectory.from_config(cfg).get_current_head()
    db = Database(any_db_url)
    try:
        async with db.reader() as session:
            version = (
                await session.execute(text("SELECT version_num FROM alembic_version"))
            ).scalar()
        assert version == head
    finally:
        await db.close()
    await asyncio.to_thread(command.downgrade, cfg, "base")
    await asyncio.to_thread(command.upgrade, cfg, "head")
