"""Password and access-code hashing (argon2id), and the worker pool that runs it.

A hash takes tens of milliseconds of CPU on purpose. Run on the event loop it would
stall every socket of the process for that long, once per login; so the services
hash and verify through :class:`PasswordPool` — a few threads (argon2-cffi releases
the GIL), at a lower CPU priority than the loop — and never while holding a write
transaction.

Parameters: argon2id, t=2, m=19 MiB, p=1 — the first of OWASP's recommended argon2id
configurations (Password Storage Cheat Sheet). About 26–34 ms of one core here; the
library's default (t=3, m=64 MiB, p=4) costs ~180 ms of CPU over four threads, so 50
logins a second would need nine cores. Hashes made with other parameters still
verify (each hash names its own); :func:`needs_rehash` tells a login to renew one.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import os
import secrets
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from hub.errors import RateLimited

T = TypeVar("T")

_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# Verified against when the account does not exist, so timing does not tell.
DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))

#: Nice value of the hashing threads: the event loop's thread keeps the CPU it asks for.
WORKER_NICE = 10
#: Hashes waiting for a worker beyond which a new one is refused (``rate_limited``, 1 s).
MAX_WAITING = 256


def hash_password(password: str) -> str:
    """argon2id hash of ``password`` (blocking: in services, use :class:`PasswordPool`)."""
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``stored_hash`` (blocking; a malformed hash is False)."""
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when ``stored_hash`` was made with other parameters than today's."""
    try:
        return _hasher.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return False


def _lower_priority() -> None:
    """Run by each worker thread once: Linux lets a thread raise its own nice value."""
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), WORKER_NICE)


class PasswordPool:
    """Hashing off the event loop: at most ``workers`` at once, at most MAX_WAITING queued.

    Owned by the :class:`hub.context.Hub`; :meth:`close` at shutdown.
    """

    def __init__(self, workers: int) -> None:
        self._executor = ThreadPoolExecutor(
            max_workers=workers, thread_name_prefix="argon2", initializer=_lower_priority
        )
        self._queued = 0

    async def hash(self, password: str) -> str:
        return await self._run(hash_password, password)

    async def verify(self, stored_hash: str | None, password: str) -> bool:
        """Verify, or spend the same time on a dummy hash when there is none (unknown login)."""
        if stored_hash is None:
            await self._run(verify_password, DUMMY_HASH, password)
            return False
        return await self._run(verify_password, stored_hash, password)

    async def _run(self, fn: Callable[..., T], *args: str) -> T:
        if self._queued >= MAX_WAITING:
            raise RateLimited(1.0, "server_busy")
        self._queued += 1
        try:
            loop = asyncio.get_running_loop()
            # the caller's context goes along, as with asyncio.to_thread
            call = contextvars.copy_context().run
            return await loop.run_in_executor(self._executor, call, fn, *args)
        finally:
            self._queued -= 1

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
