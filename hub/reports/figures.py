"""The numbers of a report, from the rows :mod:`hub.reports.store` read (pure).

Definitions (docs/protocol.md §17):
- received: requests made in the period; completed: completed in it; rejected: rejected
  in it (with the reasons, digit runs masked);
- completion time: working hours from the request to its completion, median and p90
  (nearest rank) of the requests completed in the period;
- SLA compliance: of the requests decided (approved or rejected) in the period, the share
  decided by their ``due_at``, in %;
- IKM: :mod:`hub.ikm.scale` over the survey answers given in the period;
- calls placed in the period: answered, missed (rang out), average answered duration.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from hub.ikm.store import NO_ANSWERS, Totals


@dataclass
class Group:
    """What one office × service (or a total) gathered over the period."""

    received: int = 0
    hours: list[float] = field(default_factory=list)
    rejected: int = 0
    decided: int = 0
    on_time: int = 0
    calls: int = 0
    answered: int = 0
    missed: int = 0
    call_seconds: float = 0.0
    survey: Totals = NO_ANSWERS

    def add(self, other: Group) -> None:
        self.received += other.received
        self.hours += other.hours
        self.rejected += other.rejected
        self.decided += other.decided
        self.on_time += other.on_time
        self.calls += other.calls
        self.answered += other.answered
        self.missed += other.missed
        self.call_seconds += other.call_seconds
        self.survey = self.survey + other.survey


def percentile(values: Sequence[float], q: float) -> float | None:
    """The nearest-rank ``q`` percentile (0 < q ≤ 100) of ``values``; None if empty."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(q / 100 * len(ordered)) - 1, 0)]


def _hours(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def figures(g: Group) -> dict[str, Any]:
    """The numbers of a group, as the page and the exports show them."""
    ikm = g.survey.score()
    return {
        "received": g.received,
        "completed": len(g.hours),
        "rejected": g.rejected,
        "completion_median_hours": _hours(statistics.median(g.hours) if g.hours else None),
        "completion_p90_hours": _hours(percentile(g.hours, 90)),
        "decided": g.decided,
        "decided_on_time": g.on_time,
        "sla_percent": round(100 * g.on_time / g.decided, 1) if g.decided else None,
        "ikm": ikm.ikm,
        "ikm_grade": ikm.category.grade if ikm.category else None,
        "ikm_category": ikm.category.label if ikm.category else None,
        "survey_responses": ikm.responses,
        "calls": g.calls,
        "calls_answered": g.answered,
        "calls_missed": g.missed,
        "call_average_seconds": round(g.call_seconds / g.answered, 1) if g.answered else None,
    }


#: The columns of a report's rows, in order, with their headings (id / en).
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("received", "Diterima", "Received"),
    ("completed", "Selesai", "Completed"),
    ("rejected", "Ditolak", "Rejected"),
    (
        "completion_median_hours",
        "Median waktu selesai (jam kerja)",
        "Median completion (working h)",
    ),
    ("completion_p90_hours", "P90 waktu selesai (jam kerja)", "P90 completion (working h)"),
    ("sla_percent", "Kepatuhan SLA (%)", "SLA compliance (%)"),
    ("ikm", "IKM", "IKM"),
    ("ikm_category", "Mutu IKM", "IKM category"),
    ("survey_responses", "Responden survei", "Survey responses"),
    ("calls_answered", "Panggilan dijawab", "Calls answered"),
    ("calls_missed", "Panggilan tak terjawab", "Calls missed"),
    ("call_average_seconds", "Rata-rata durasi panggilan (detik)", "Average call (s)"),
)
