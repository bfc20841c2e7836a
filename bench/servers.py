"""Server processes under test: the hub and the three baselines, each on its own port."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

import psutil

from tests.support.services import free_port

BENCH_DIR = Path(__file__).resolve().parent
NODE_DIR = BENCH_DIR / "node"

#: Display names of the servers, in report order.
NAMES = {
    "hub": "hub",
    "b0": "B0 raw ASGI",
    "b1": "B1 python-socketio",
    "b2": "B2 Node socket.io",
}
#: The servers compared, in report order.
KINDS = tuple(NAMES)


def npm_ci() -> None:
    """Install B2's locked dependencies (``bench/node/package-lock.json``) when missing."""
    marker = NODE_DIR / "node_modules" / "socket.io" / "package.json"
    if marker.exists():
        return
    subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=NODE_DIR, check=True
    )


class Server:
    """One server process (``kind`` hub/b0/b1/b2) on a free loopback port."""

    def __init__(self, kind: str, logdir: Path, env: dict[str, str] | None = None) -> None:
        self.kind = kind
        self.port = int((env or {}).get("PORT") or free_port())
        self.env = {**os.environ, **(env or {}), "PORT": str(self.port)}
        self.log = logdir / f"{kind}-{self.port}.log"
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def name(self) -> str:
        return NAMES[self.kind]

    def start(self, timeout: float = 30.0) -> None:
        if self.kind == "b2":
            argv = ["node", str(NODE_DIR / "server.js"), str(self.port)]
        else:
            argv = [sys.executable, "-m", "bench.serve", self.kind, str(self.port)]
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                argv, env=self.env, stdin=subprocess.DEVNULL, stdout=log, stderr=log
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited; see {self.log}")
            if _accepts(self.port):
                return
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"{self.name} not listening within {timeout}s; see {self.log}")

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def rss(self) -> int:
        return int(psutil.Process(self.pid).memory_info().rss)

    def cpu_seconds(self) -> float:
        t = psutil.Process(self.pid).cpu_times()
        return float(t.user + t.system)

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _accepts(port: int) -> bool:
    import socket

    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
        return True
    return False
