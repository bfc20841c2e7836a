"""What every scenario gets: the scale, the work folder, the bench world, progress output."""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.world import BenchTicket


@dataclass(frozen=True)
class Scale:
    """How big each scenario is; ``quick`` is a few-second smoke run."""

    quick: bool
    conv_tickets: int = 40
    senders_per_ticket: int = 2
    #: (a), (e): each step offers its rate this long (≥ 10 s: a rate held, not a burst).
    step_seconds: float = 10.0
    #: (a): where each server's search starts — near its expected top, so that few steps
    #: are spent below it (bench.search: double/halve to a pass and a miss, then bisect).
    hub_start_rate: float = 800.0
    baseline_start_rate: float = 1600.0
    max_steps: int = 5
    bisect_steps: int = 2
    rate_cap: float = 9600.0
    #: (a): a step stops early once a worker has this many seconds' worth of sends unacked.
    abort_backlog: float = 1.0
    #: (a): a worker at ≥ this % of a core at a server's top steps means the generator,
    #: not the server, may be the limit: that server is measured again with ``more_workers``.
    gen_saturated_pct: float = 85.0
    more_workers: int = 4
    #: (e): the one rate at which 1 and 2 hub processes are compared (both must sustain it).
    scaleout_rate: float = 500.0
    idle_steps: tuple[int, ...] = (2000, 5000, 10000, 19800)
    idle_seconds_cap: float = 165.0
    fanout_watchers: int = 1000
    fanout_messages: int = 20
    calls_repeat: int = 5
    calls_parallel: int = 20
    drain: float = 10.0
    workers: int = 2

    @classmethod
    def make(cls, quick: bool) -> Scale:
        if not quick:
            return cls(quick=False)
        return cls(
            quick=True, conv_tickets=4, step_seconds=1.0, hub_start_rate=20.0,
            baseline_start_rate=40.0, max_steps=2, bisect_steps=1, scaleout_rate=20.0,
            idle_steps=(100,), idle_seconds_cap=20.0,
            fanout_watchers=40, fanout_messages=4, calls_repeat=1, calls_parallel=2, drain=5.0,
        )  # fmt: skip


#: p99 target of a sustained conversation step (scenario a), seconds.
CONV_P99 = 0.100
#: reach a step must keep to count as sustained.
MIN_REACH = 0.999


@dataclass
class Context:
    scale: Scale
    workdir: Path
    database_url: str
    world: dict[str, list[BenchTicket]]
    started: float = field(default_factory=time.monotonic)
    #: The machine's load average (1/5/15 min) when the run began: other work, not ours.
    load_before: tuple[float, float, float] = field(default_factory=os.getloadavg)
    lost_messages: int = 0
    errors: list[str] = field(default_factory=list)
    results: dict[str, Any] = field(default_factory=dict)

    def say(self, text: str) -> None:
        elapsed = time.monotonic() - self.started
        sys.stdout.write(f"[{elapsed:6.1f}s] {text}\n")
        sys.stdout.flush()
