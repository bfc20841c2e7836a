"""The open-loop load generator: worker processes holding sockets, driven by the bench.

The parent (:class:`Generator`) hands each worker (:mod:`bench.loadworker`) its share of
connections, then runs *steps*: every worker sends ``send`` events on its sender sockets
at a fixed rate from a schedule (never waiting for an ack), and every socket records each
``ticket_event`` it receives with its send→receive latency; the parent waits for the
deliveries and gathers the workers' reports into a :class:`StepResult`.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import secrets
import time
from collections import Counter
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from bench.loadworker import ConnSpec, Received, StepReport, worker_main


@dataclass
class StepResult:
    rate: float
    duration: float
    sent: int
    ok: int
    errors: dict[str, int]
    expected: int
    received: int
    latencies: list[float]
    keys: list[int]
    ack_latencies: list[float]
    gen_cpu: list[float]
    max_lag: float
    #: a worker stopped sending early: its server fell more than ``abort_backlog`` s behind
    aborted: bool = False

    @property
    def reach(self) -> float:
        return self.received / self.expected if self.expected else 1.0

    @property
    def lost(self) -> int:
        return max(0, self.expected - self.received)


class Generator:
    """Worker processes (spawned), each with a pipe; commands go to all and replies come back."""

    def __init__(self, url: str, namespace: str = "/tickets", workers: int = 2) -> None:
        ctx = mp.get_context("spawn")
        self.pipes: list[Connection] = []
        self.procs: list[Any] = []
        for _ in range(workers):
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=worker_main, args=(child, url, namespace), daemon=True)
            proc.start()
            self.pipes.append(parent)
            self.procs.append(proc)
        self.senders = [0] * workers
        self._step = 0
        # Part of every client_id: the hub stores a comment once per (ticket, author,
        # client_id), so a second Generator on the same database (scenario e runs one
        # process, then two) must not resend the first one's ids — the hub would ack
        # them as duplicates and broadcast nothing.
        self.run = secrets.token_hex(4)

    def _all(self, cmd: str, args: list[Any], timeout: float = 300.0) -> list[Any]:
        for pipe, arg in zip(self.pipes, args, strict=True):
            pipe.send((cmd, arg))
        replies = []
        for pipe in self.pipes:
            if not pipe.poll(timeout):
                raise TimeoutError(f"load generator worker did not answer {cmd!r}")
            replies.append(pipe.recv())
        return replies

    def connect(self, specs: list[ConnSpec]) -> dict[str, Any]:
        """Open ``specs`` spread evenly over the workers (each joins its ticket room)."""
        shares: list[list[ConnSpec]] = [[] for _ in self.pipes]
        for i, spec in enumerate(specs):
            shares[i % len(shares)].append(spec)
            if spec.sender_id >= 0:
                self.senders[i % len(shares)] += 1
        replies = self._all("connect", shares)
        return {
            "ok": sum(r["ok"] for r in replies),
            "failed": sum(r["failed"] for r in replies),
            "sample": [s for r in replies for s in r["sample"]][:3],
            "seconds": max(r["seconds"] for r in replies),
        }

    def open_sockets(self) -> int:
        return sum(r["open"] for r in self._all("status", [None] * len(self.pipes)))

    def step(
        self,
        rate: float,
        duration: float,
        room_size: int,
        drain: float = 15.0,
        abort_backlog: float = 0.0,
    ) -> StepResult:
        """Offer ``rate`` comments/s for ``duration`` s; wait for every delivery (≤ ``drain``).

        With ``abort_backlog``, a worker stops sending once more than that many seconds'
        worth of its sends wait for their ack: the step has missed its target by then.
        """
        self._step += 1
        step = self._step
        total_senders = sum(self.senders) or 1
        start_at = time.monotonic() + 0.3
        args = [
            {
                "step": step,
                "rate": rate * n / total_senders,
                "duration": duration,
                "start_at": start_at,
                "ack_wait": drain,
                "run": self.run,
                "abort_backlog": abort_backlog,
            }
            for n in self.senders
        ]
        reports: list[StepReport] = self._all("step", args, timeout=duration + drain + 60)
        ok = sum(r.ok for r in reports)
        expected = ok * room_size
        deadline = time.monotonic() + drain
        received = 0
        while True:
            received = sum(self._all("count", [step] * len(self.pipes)))
            if received >= expected or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        recs: list[Received] = self._all("collect", [step] * len(self.pipes))
        errors: Counter[str] = Counter()
        for r in reports:
            errors.update(r.errors)
        return StepResult(
            rate=rate,
            duration=duration,
            sent=sum(r.sent for r in reports),
            ok=ok,
            errors=dict(errors),
            expected=expected,
            received=sum(r.count for r in recs),
            latencies=[x for r in recs for x in r.lat],
            keys=[x for r in recs for x in r.keys],
            ack_latencies=[x for r in reports for x in r.ack_lat],
            gen_cpu=[r.cpu for r in reports if r.sent],
            max_lag=max((r.max_lag for r in reports), default=0.0),
            aborted=any(r.aborted for r in reports),
        )

    def close_all(self) -> None:
        self._all("close_all", [None] * len(self.pipes))
        self.senders = [0] * len(self.pipes)

    def stop(self) -> None:
        for pipe in self.pipes:
            with contextlib.suppress(OSError):
                pipe.send(("stop", None))
        for proc in self.procs:
            proc.join(10)
            if proc.is_alive():
                proc.kill()
                proc.join(5)

    def __enter__(self) -> Generator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
