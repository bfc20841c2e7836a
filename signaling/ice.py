"""ICE server configuration with short-lived TURN credentials.

The TURN REST API scheme that coturn implements as ``use-auth-secret``: the hub
and coturn share a secret; a credential is ``username = "<expiry>:<user id>"``
and ``password = base64(HMAC-SHA1(secret, username))``, so coturn checks it
without asking the hub, and it stops working at ``expiry`` (Unix seconds).
Pure functions: the current time is passed in, nothing is logged.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from hub.errors import Invalid

#: An hour covers any call; a leaked credential is useless soon after.
MAX_TURN_TTL = 3600

_EXPIRY = re.compile(r"[0-9]{1,20}")
# No separator (coturn splits the username at ':'), no whitespace or control characters.
_USER_ID = re.compile(r"[A-Za-z0-9._@+-]{1,128}")


@dataclass(frozen=True, slots=True)
class TurnCredentials:
    """A TURN username/password pair valid for ``ttl`` seconds on ``uris``.

    ``repr`` leaves the password out, so logging the object does not leak it.
    """

    username: str
    password: str = field(repr=False)
    ttl: int
    uris: tuple[str, ...]

    def to_ice_servers(self, stun_uris: Sequence[str]) -> list[dict[str, object]]:
        """Browser ``RTCIceServer`` dicts: STUN (if any) first, then TURN with credentials."""
        servers: list[dict[str, object]] = []
        if stun_uris:
            servers.append({"urls": list(stun_uris)})
        servers.append(
            {"urls": list(self.uris), "username": self.username, "credential": self.password}
        )
        return servers


def _sign(secret: str, username: str) -> str:
    digest = hmac.new(
        secret.encode("utf-8", "surrogatepass"),
        username.encode("utf-8", "surrogatepass"),
        hashlib.sha1,
    ).digest()
    return base64.b64encode(digest).decode("ascii")


def issue_turn_credentials(
    secret: str, user_id: int | str, ttl: int, uris: Sequence[str], now: float
) -> TurnCredentials:
    """Mint coturn ``use-auth-secret`` credentials for ``user_id``, expiring at ``int(now) + ttl``.

    ``ttl`` above :data:`MAX_TURN_TTL` is clamped to it; ``ttl <= 0`` raises
    :class:`Invalid`, as do an empty secret, a non-finite ``now``, a ``user_id``
    that is empty or holds ``:``/whitespace/control characters, and ``uris`` that
    are empty or not ``turn:``/``turns:`` URIs.  Deterministic for a given ``now``.
    """
    if not secret:
        raise Invalid("turn_secret_empty", field="secret")
    if isinstance(ttl, bool) or not isinstance(ttl, int) or ttl <= 0:
        raise Invalid("turn_ttl_invalid", field="ttl")
    if not math.isfinite(now):
        raise Invalid("clock_invalid", field="now")
    user = str(user_id)
    if not _USER_ID.fullmatch(user):
        raise Invalid(
            "turn_user_id_invalid",
            field="user_id",
        )
    if not uris or not all(u.startswith(("turn:", "turns:")) for u in uris):
        raise Invalid(
            "turn_uri_invalid",
            field="uris",
        )
    ttl = min(ttl, MAX_TURN_TTL)
    username = f"{int(now) + ttl}:{user}"
    return TurnCredentials(
        username=username, password=_sign(secret, username), ttl=ttl, uris=tuple(uris)
    )


def verify_turn_credentials(secret: str, username: str, password: str, now: float) -> bool:
    """What coturn checks: ``password`` is the HMAC of ``username`` and ``now <= expiry``.

    Compares in constant time; never raises (malformed input is simply ``False``).
    """
    expiry, sep, _ = username.partition(":")
    if not secret or not sep or not _EXPIRY.fullmatch(expiry):
        return False
    if not now <= int(expiry):  # also False for NaN
        return False
    expected = _sign(secret, username).encode("ascii")
    return hmac.compare_digest(expected, password.encode("utf-8", "surrogatepass"))
