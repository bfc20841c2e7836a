"""No revoked session keeps a socket past ``SESSION_RECHECK``, even if nobody told the sockets.

Here the sessions are changed in the database directly — no logout request, so no
``disconnect_session`` control message (as when one is lost while Redis is down) —
and the test moves the hub's clock past one re-check period (60 s).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from hub.models import AuthSession, User
from tests.scale.cluster import until
from tests.support.server import Client, RunningHub, connect
from tests.support.world import World


async def gone(client: Client) -> None:
    """Wait until the hub has closed every namespace of ``client``."""
    await until(lambda: not client.sio.connected, timeout=10, what="sockets closed")


@pytest.mark.both_dbs
@pytest.mark.parametrize("change", ["deactivated", "revoked", "expired"])
async def test_sockets_of_an_invalid_session_are_closed_within_the_recheck_period(
    live: RunningHub, live_world: World, change: str
) -> None:
    namespaces = ("/tickets", "/notifications")
    token = live_world.tokens["staff"]
    victim = await connect(live.url, token, namespaces=namespaces)
    bystander = await connect(live.url, live_world.tokens["fo"], namespaces=namespaces)
    period = live.settings.session_recheck
    try:
        async with live.hub.unit() as unit:
            if change == "deactivated":
                await unit.session.execute(
                    update(User).where(User.id == live_world.users["staff"]).values(is_active=False)
                )
            else:
                now = live.clock.now()
                ends = {"revoked_at": now}
                if change == "expired":  # it ends within the period, on the hub's clock
                    ends = {"expires_at": now + timedelta(seconds=period / 2)}
                await unit.session.execute(
                    update(AuthSession)
                    .where(AuthSession.id == live.hub.signer.unsign(token))
                    .values(**ends)
                )
        assert victim.sio.connected  # nobody told its sockets
        await live.clock.sleeping("session-recheck")
        await live.clock.advance(period)
        await gone(victim)
        # Another person's sockets stay, and work.
        assert bystander.sio.connected
        ack = await bystander.call("join", {"ticket_id": await live_world.new_ticket()})
        assert ack["ok"], ack
    finally:
        for c in (victim, bystander):
            if c.sio.connected:
                await c.close()
