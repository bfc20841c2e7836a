"""The search for a server's highest sustained rate, apart from how a step is measured.

A step is long (≥ 10 s in a full run), so the search spends as few as it can:

1. start near the server's expected rate (a scale knob per server);
2. from there, double after a pass and halve after a miss, until one step passed and one
   missed (or a cap / floor is reached);
3. then bisect between the highest pass and the lowest miss a fixed number of times.

With a good start that is one pass, one miss and the bisection: four or five steps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

#: A measured step: at least ``offered`` (the rate) and ``passed``.
Step = dict[str, Any]


@dataclass
class Search:
    steps: list[Step] = field(default_factory=list)
    best: Step | None = None
    worst: Step | None = None


def bracket_then_bisect(
    measure: Callable[[float], Step],
    start: float,
    *,
    factor: float = 2.0,
    max_steps: int = 6,
    bisect: int = 2,
    cap: float = 6400.0,
    floor: float = 10.0,
) -> Search:
    """Bracket the highest passing rate between a pass and a miss, then narrow it.

    ``max_steps`` bounds the bracketing phase; ``bisect`` steps follow. ``best`` is the
    highest passing step (None if none passed), ``worst`` the lowest miss above it.
    """
    out = Search()

    def record(rate: float) -> Step:
        rec = measure(rate)
        out.steps.append(rec)
        if rec["passed"]:
            if out.best is None or rec["offered"] > out.best["offered"]:
                out.best = rec
        elif out.worst is None or rec["offered"] < out.worst["offered"]:
            out.worst = rec
        return rec

    rate = min(max(start, floor), cap)
    for _ in range(max_steps):
        rec = record(rate)
        if out.best is not None and out.worst is not None:
            break
        nxt = min(rate * factor, cap) if rec["passed"] else max(rate / factor, floor)
        if nxt == rate:
            break  # at the cap (still passing) or the floor (still missing)
        rate = nxt
    for _ in range(bisect):
        if out.best is None or out.worst is None:
            break
        record((out.best["offered"] + out.worst["offered"]) / 2)
    return out


def gen_saturated(result: dict[str, Any], pct: float) -> bool:
    """Did a generator worker use ≥ ``pct`` of a core at the top pass or the miss above it?"""
    tops = [s for s in (result.get("best"), result.get("miss")) if s]
    return any(c >= pct for s in tops for c in s.get("gen_cpu", []))
