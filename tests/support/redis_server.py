"""``redis-server`` for tests, on a free loopback port; crash, hang and restart on demand."""

from __future__ import annotations

import signal
import socket
import subprocess
import time
from pathlib import Path

from tests.support.services import (
    LOOPBACK,
    Service,
    ServiceFailed,
    free_port,
    log_tail,
    require_binary,
    terminate,
)


class RedisServer(Service):
    """``redis-server`` on 127.0.0.1, no persistence; the port survives restarts."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = Path(workdir)
        self.port = free_port()
        self.host = LOOPBACK
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://{self.host}:{self.port}/0"

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def log_path(self) -> Path:
        return self.workdir / "redis.log"

    def start(self, timeout: float = 10.0) -> None:
        if self.running:
            return
        binary = require_binary("redis-server")
        self.workdir.mkdir(parents=True, exist_ok=True)
        self._proc = subprocess.Popen(
            [
                binary,
                "--bind",
                self.host,
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--dir",
                str(self.workdir),
                "--logfile",
                str(self.log_path),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                self._proc = None
                raise ServiceFailed(f"redis-server exited:\n{log_tail(self.log_path)}")
            if self._ping():
                return
            time.sleep(0.02)
        self.kill()
        raise ServiceFailed(
            f"redis-server did not answer PING within {timeout}s:\n{log_tail(self.log_path)}"
        )

    def _ping(self) -> bool:
        try:
            with socket.create_connection((self.host, self.port), timeout=0.5) as sock:
                sock.sendall(b"*1\r\n$4\r\nPING\r\n")
                return sock.recv(64).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self._proc is not None:
            terminate(self._proc, signal.SIGTERM)
            self._proc = None

    def kill(self) -> None:
        """Crash it: SIGKILL, no shutdown."""
        if self._proc is not None:
            terminate(self._proc, signal.SIGKILL)
            self._proc = None

    def pause(self) -> None:
        """Hang it (SIGSTOP): connections stay open, nothing is answered."""
        if self._proc is not None:
            self._proc.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        if self._proc is not None:
            self._proc.send_signal(signal.SIGCONT)

    def restart(self) -> None:
        """Stop it (if running) and start it again on the same port (data is lost)."""
        self.stop()
        self.start()
