"""The report's pure parts: percentiles, the figures of a group, the period asked."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from hub.errors import Invalid
from hub.reports.export import _cell
from hub.reports.figures import Group, figures, percentile
from hub.reports.period import period_of


def test_median_and_nearest_rank_p90() -> None:
    g = Group(hours=[float(h) for h in range(1, 11)], decided=4, on_time=3)
    f = figures(g)
    assert (f["completion_median_hours"], f["completion_p90_hours"]) == (5.5, 9.0)
    assert (f["completed"], f["sla_percent"]) == (10, 75.0)
    assert percentile([], 90) is None and percentile([7.0], 90) == 7.0
    empty = figures(Group())
    assert (empty["completion_median_hours"], empty["sla_percent"], empty["ikm"]) == (None,) * 3


def test_the_period_defaults_to_this_month_in_jakarta() -> None:
    # 1 December 2026, 01:00 WIB is still 30 November in UTC
    now = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)
    p = period_of(None, None, now)
    assert (p.first, p.last) == (date(2026, 12, 1), date(2026, 12, 1))
    assert p.start == datetime(2026, 11, 30, 17, 0, tzinfo=UTC)
    with pytest.raises(Invalid):
        period_of("2026-12-02", "2026-12-01", now)
    with pytest.raises(Invalid):
        period_of("2024-01-01", "2026-12-01", now)
    with pytest.raises(Invalid):
        period_of("2026-02-30", None, now)


def test_a_formula_is_written_as_text() -> None:
    assert _cell("=HYPERLINK(1)") == "'=HYPERLINK(1)" and _cell(None) == "" and _cell(3) == 3
