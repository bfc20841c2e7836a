"""No revoked session keeps a socket past ``SESSION_RECHECK``, even if nobody told the sockets.

Here the sessions are changed in the database directly — no logout request, so no
``disconnect_session`` control message (as when one is lost while Redis is down) —
and ``SESSION_RECHECK`` is 0.3 s.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from hub.clock import utcnow
from hub.models import AuthSession, User
from hub.settings import Settings
from tests.scale.cluster import until
from tests.support.server import Client, RunningHub, connect, make_settings
from tests.support.world import World

RECHECK = 0.3


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return make_settings(db_url, tmp_path / "var", SESSION_RECHECK=str(RECHECK))


async def gone(client: Client) -> None:
    """Wait until the hub has closed every namespace of ``client``."""
    await until(lambda: not client.sio.connected, timeout=RECHECK * 3 + 2, what="sockets closed")


@pytest.mark.both_dbs
@pytest.mark.parametrize("change", ["deactivated", "revoked", "expired"])
async def test_sockets_of_an_invalid_session_are_closed_within_the_recheck_period(
    live: RunningHub, live_world: World, change: str
) -> None:
    namespaces = ("/tickets", "/notifications")
    token = live_world.tokens["staff"]
    victim = await connect(live.url, token, namespaces=namespaces)
    bystander = await connect(live.url, live_world.tokens["fo"], namespaces=namespaces)
    try:
        async with live.hub.unit() as unit:
            if change == "deactivated":
                await unit.session.execute(
                    update(User).where(User.id == live_world.users["staff"]).values(is_active=False)
                )
            else:
                ends = {"revoked_at": utcnow()} if change == "revoked" else {}
                if change == "expired":
                    ends = {"expires_at": utcnow() - timedelta(seconds=1)}
                await unit.session.execute(
                    update(AuthSession)
                    .where(AuthSession.id == live.hub.signer.unsign(token))
                    .values(**ends)
                )
        await gone(victim)
        # Another person's sockets stay, and work.
        assert bystander.sio.connected
        ack = await bystander.call("join", {"ticket_id": await live_world.new_ticket()})
        assert ack["ok"], ack
    finally:
        for c in (victim, bystander):
            if c.sio.connected:
                await c.close()
