"""``turnserver`` (coturn) for tests: TCP and UDP on one free loopback port, a block of
free UDP ports for relays."""

from __future__ import annotations

import random
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


def _udp_port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.bind((LOOPBACK, port))
        except OSError:
            return False
        return True


def _free_tcp_udp_port() -> int:
    """A port free on 127.0.0.1 for both TCP and UDP (TURN listens on both)."""
    for _ in range(50):
        port = free_port()
        if _udp_port_free(port):
            return port
    raise ServiceFailed("no port free for both TCP and UDP on 127.0.0.1")


def _free_udp_range(size: int) -> tuple[int, int]:
    """A block of ``size`` consecutive UDP ports that are free right now (relay range)."""
    for _ in range(50):
        low = random.randrange(20000, 60000 - size)
        if all(_udp_port_free(port) for port in range(low, low + size)):
            return low, low + size - 1
    raise ServiceFailed(f"no block of {size} free UDP ports on 127.0.0.1")


def _tcp_accepts(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


class CoturnServer(Service):
    """``turnserver`` (coturn) on 127.0.0.1 with TURN REST API auth (``static-auth-secret``)."""

    RELAY_PORTS = 100

    def __init__(self, workdir: Path, secret: str, realm: str = "asinan.test") -> None:
        self.workdir = Path(workdir)
        self.secret = secret
        self.realm = realm
        self.host = LOOPBACK
        self.port = _free_tcp_udp_port()
        self.min_port, self.max_port = _free_udp_range(self.RELAY_PORTS)
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def uri(self) -> str:
        return f"turn:{self.host}:{self.port}?transport=udp"

    @property
    def tcp_uri(self) -> str:
        return f"turn:{self.host}:{self.port}?transport=tcp"

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    @property
    def log_path(self) -> Path:
        return self.workdir / "turnserver.log"

    def start(self, timeout: float = 10.0) -> None:
        if self.running:
            return
        binary = require_binary("turnserver")
        self.workdir.mkdir(parents=True, exist_ok=True)
        config = self.workdir / "turnserver.conf"
        config.write_text("# empty: keeps /etc/turnserver.conf out; all settings are flags\n")
        args = [
            binary,
            "-c", str(config),
            "--use-auth-secret",
            f"--static-auth-secret={self.secret}",
            f"--realm={self.realm}",
            f"--listening-ip={self.host}",
            f"--relay-ip={self.host}",
            f"--listening-port={self.port}",
            f"--min-port={self.min_port}",
            f"--max-port={self.max_port}",
            "--allow-loopback-peers",
            "--no-tls",
            "--no-dtls",
            "--no-cli",
            "--no-multicast-peers",
            "--fingerprint",
            "--log-file=stdout",
            f"--pidfile={self.workdir / 'turnserver.pid'}",
            f"--userdb={self.workdir / 'turndb'}",
        ]  # fmt: skip
        with self.log_path.open("wb") as log:
            self._proc = subprocess.Popen(
                args, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                self._proc = None
                raise ServiceFailed(f"turnserver exited:\n{log_tail(self.log_path)}")
            if _tcp_accepts(self.host, self.port):
                return
            time.sleep(0.02)
        self.stop()
        raise ServiceFailed(
            f"turnserver not listening within {timeout}s:\n{log_tail(self.log_path)}"
        )

    def stop(self) -> None:
        if self._proc is not None:
            terminate(self._proc, signal.SIGTERM)
            self._proc = None
