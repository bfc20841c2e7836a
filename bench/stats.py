"""Percentiles and the small records the report is built from."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any


def pct(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (nearest rank), NaN when empty."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, math.ceil(q / 100 * len(ordered)) - 1))
    return ordered[rank]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1) if not math.isnan(seconds) else math.nan


def summary(values: Sequence[float]) -> dict[str, Any]:
    """p50/p90/p99/max in milliseconds, and the count."""
    return {
        "n": len(values),
        "p50": ms(pct(values, 50)),
        "p90": ms(pct(values, 90)),
        "p99": ms(pct(values, 99)),
        "max": ms(max(values)) if values else math.nan,
    }


def ratio(a: float, b: float) -> float:
    return round(a / b, 2) if b and not math.isnan(a) and not math.isnan(b) else math.nan
