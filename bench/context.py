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
    step_seconds: float = 4.0
    hub_start_rate: float = 50.0
    baseline_start_rate: float = 400.0
    max_steps: int = 6
    rate_cap: float = 6400.0
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
            baseline_start_rate=40.0, max_steps=2, idle_steps=(100,), idle_seconds_cap=20.0,
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
