"""What the real servers of the tests share: free loopback ports, finding binaries, the
missing-or-failed errors, stopping a process, and the start/stop base class.

The servers themselves: :mod:`tests.support.redis_server`, :mod:`tests.support.postgres_server`,
:mod:`tests.support.coturn_server`. Each is a plain object with ``start()`` / ``stop()`` and
context-manager support. The binaries come from Debian packages (``scripts/install-deps.sh``
installs them); when one is missing, ``start()`` raises :class:`ServiceMissing`, which a fixture
hands to :func:`require_or_skip` (skip locally, fail on CI).
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
from pathlib import Path
from types import TracebackType
from typing import NoReturn, Self

import pytest

LOOPBACK = "127.0.0.1"
_EXTRA_BIN_DIRS = ("/usr/sbin", "/usr/bin")


class ServiceMissing(RuntimeError):
    """A binary (or system user) that a test service needs is not installed."""


class ServiceFailed(RuntimeError):
    """A service binary is present but the server did not come up."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        port: int = sock.getsockname()[1]
        return port


def find_binary(name: str) -> str | None:
    """Absolute path of ``name`` from PATH, the PostgreSQL bin dirs, /usr/sbin or /usr/bin."""
    found = shutil.which(name)
    if found:
        return found
    pg_dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)  # newest first
    for directory in (*pg_dirs, *_EXTRA_BIN_DIRS):
        candidate = os.path.join(directory, name)
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def require_binary(name: str) -> str:
    """Like :func:`find_binary`, but :class:`ServiceMissing` when it is not installed."""
    path = find_binary(name)
    if path is None:
        raise ServiceMissing(f"{name} not found (run scripts/install-deps.sh)")
    return path


def require_or_skip(exc: ServiceMissing) -> NoReturn:
    """Skip the test when a service is missing; on CI (``CI=true``) fail instead."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"required service missing on CI: {exc}", pytrace=False)
    pytest.skip(f"service missing: {exc}")


def log_tail(path: Path, lines: int = 30) -> str:
    """The last ``lines`` of a server's log, for the message of a start that failed."""
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:])


def terminate(proc: subprocess.Popen[bytes], sig: int, timeout: float = 10.0) -> None:
    """Send ``sig`` to ``proc`` (if still running) and reap it; SIGKILL after ``timeout``."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(sig)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class Service:
    """A server with ``start()`` / ``stop()``; ``with server:`` starts it and always stops it."""

    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
