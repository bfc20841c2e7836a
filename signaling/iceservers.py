"""The ICE servers a call's parties get, and which of them the TURN rate limit meters.

``invite`` and ``accept`` come with ICE servers (:func:`ice_servers_for`), unmetered:
placing or answering a call is bounded by the call's own rules (one live call per
caller, one accept per call), so the ``TURN`` rate limit never blocks either — an
officer may place call after call, and a callee who refreshed until limited can still
answer. Only a refresh (:func:`refreshed_ice_servers`: the ``ice_servers`` event,
``GET /api/ice-servers``) spends a token of the person's ``TURN`` bucket, the same
bucket on every process with Redis. Credentials are never logged.
"""

from __future__ import annotations

import time

from hub.principal import Principal
from hub.ratelimit import TURN, RateLimiter
from hub.settings import Settings
from signaling.ice import issue_turn_credentials


def ice_servers_for(
    settings: Settings, p: Principal, now: float | None = None
) -> list[dict[str, object]]:
    """STUN from settings, and short-lived TURN credentials for ``p`` when TURN is set up."""
    stun = list(settings.stun_uris)
    if not settings.turn_uris or not settings.turn_secret:
        return [{"urls": stun}] if stun else []
    creds = issue_turn_credentials(
        settings.turn_secret,
        p.actor_key.replace(":", "-"),
        settings.turn_ttl,
        settings.turn_uris,
        time.time() if now is None else now,
    )
    return creds.to_ice_servers(stun)


async def refreshed_ice_servers(
    limiter: RateLimiter, settings: Settings, p: Principal
) -> list[dict[str, object]]:
    """:func:`ice_servers_for`, spending a ``TURN`` token when it mints a TURN credential
    (``rate_limited`` once the bucket is empty)."""
    if settings.turn_uris and settings.turn_secret:
        await limiter.hit(f"turn:{p.actor_key}", TURN)
    return ice_servers_for(settings, p)
