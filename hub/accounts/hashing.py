"""The one door through which accounts hash and verify secrets (passwords, one-time codes).

argon2 is slow on purpose (tens of milliseconds of CPU): it runs off the event loop, and
callers do it before they open a write transaction, never inside one. At merge time these
two functions are pointed at the hub's shared, bounded hashing pool.
"""

from __future__ import annotations

import asyncio

from hub.auth import hash_password, verify_password


async def hash_secret(secret: str) -> str:
    """An argon2 hash of ``secret``."""
    return await asyncio.to_thread(hash_password, secret)


async def verify_secret(stored_hash: str, secret: str) -> bool:
    """Whether ``secret`` matches ``stored_hash`` (False for a malformed hash)."""
    return await asyncio.to_thread(verify_password, stored_hash, secret)
