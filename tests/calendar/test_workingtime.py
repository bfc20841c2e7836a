"""Working time on an office's calendar, pure: weekends, Idul Fitri with its cuti bersama,
a request filed after hours, a standard in hours over several days."""

from __future__ import annotations

from datetime import UTC, date, datetime

from hub import catalog
from hub.calendar.service import national_holidays
from hub.calendar.workingtime import (
    WorkCalendar,
    add_working_seconds,
    at_risk_at,
    due_at,
    no_holidays,
    working_seconds_between,
)
from hub.clock import JAKARTA
from hub.models import StandardUnit

HOURS = catalog.DEFAULT_HOURS  # Mon–Thu 07:30–16:00, Fri 07:30–16:30, weekend closed
NATIONAL = national_holidays()
PLAIN = WorkCalendar(is_holiday=no_holidays)
#: the cuti bersama around Nyepi and Idul Fitri 1447 H (SKB 2026), as an admin enters them
CUTI_2026 = frozenset({date(2026, 3, 18), date(2026, 3, 20), date(2026, 3, 23), date(2026, 3, 24)})


def wib(y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=JAKARTA).astimezone(UTC)


def national(cuti: frozenset[date] = frozenset()) -> WorkCalendar:
    return WorkCalendar(is_holiday=NATIONAL.__contains__, cuti_bersama=cuti)


def test_a_weekend_does_not_count() -> None:
    # Friday 15:00: 1.5 h left on Friday, the other half hour on Monday morning
    friday = wib(2026, 11, 6, 15)
    due = due_at(PLAIN, HOURS, friday, 2, StandardUnit.working_hours)
    assert due == wib(2026, 11, 9, 8, 0)
    assert working_seconds_between(PLAIN, HOURS, friday, due) == 2 * 3600
    # one working day from Friday 10:00 is Monday 10:00, not Saturday
    assert due_at(PLAIN, HOURS, wib(2026, 11, 6, 10), 1, StandardUnit.working_days) == wib(
        2026, 11, 9, 10
    )


def test_idul_fitri_and_its_cuti_bersama_are_closed() -> None:
    assert date(2026, 3, 21) in NATIONAL and date(2026, 3, 19) in NATIONAL  # Idul Fitri, Nyepi
    filed = wib(2026, 3, 17, 10)  # Tuesday before Nyepi and Lebaran
    # national holidays only: 18, 20 and 23 March are working days
    assert due_at(national(), HOURS, filed, 3, StandardUnit.working_days) == wib(2026, 3, 23, 10)
    # with the cuti bersama the office reopens on Wednesday 25 March
    with_cuti = national(CUTI_2026)
    assert due_at(with_cuti, HOURS, filed, 3, StandardUnit.working_days) == wib(2026, 3, 27, 10)
    week_of_lebaran = working_seconds_between(with_cuti, HOURS, filed, wib(2026, 3, 25, 7, 30))
    assert week_of_lebaran == 6 * 3600  # Tuesday 10:00–16:00, then nothing until the 25th


def test_a_request_filed_after_office_hours_starts_at_the_next_opening() -> None:
    monday_evening = wib(2026, 11, 9, 18)
    assert due_at(PLAIN, HOURS, monday_evening, 2, StandardUnit.working_hours) == wib(
        2026, 11, 10, 9, 30
    )
    # one working day: the whole of Tuesday, due at its closing
    assert due_at(PLAIN, HOURS, monday_evening, 1, StandardUnit.working_days) == wib(
        2026, 11, 10, 16
    )
    # filed on Saturday: Monday counts whole
    saturday = wib(2026, 11, 7, 9)
    assert due_at(PLAIN, HOURS, saturday, 2, StandardUnit.working_days) == wib(2026, 11, 10, 16)
    assert working_seconds_between(PLAIN, HOURS, monday_evening, wib(2026, 11, 10, 7, 30)) == 0


def test_a_standard_in_hours_spans_days() -> None:
    # Monday 14:00 + 10 working hours: 2 h on Monday, 8 h from Tuesday 07:30
    due = due_at(PLAIN, HOURS, wib(2026, 11, 9, 14), 10, StandardUnit.working_hours)
    assert due == wib(2026, 11, 10, 15, 30)
    # 20 h from Thursday 12:00: Thu 4 h, Fri 9 h, Mon 7 h → Monday 14:30
    due = due_at(PLAIN, HOURS, wib(2026, 11, 12, 12), 20, StandardUnit.working_hours)
    assert due == wib(2026, 11, 16, 14, 30)
    # ending exactly at a closing stays at the closing (not the next opening)
    assert add_working_seconds(PLAIN, HOURS, wib(2026, 11, 9, 14), 2 * 3600) == wib(2026, 11, 9, 16)


def test_a_day_is_clamped_to_a_shorter_closing() -> None:
    # Friday 16:15 (Fri closes 16:30) + 1 working day: Monday closes at 16:00
    assert due_at(PLAIN, HOURS, wib(2026, 11, 6, 16, 15), 1, StandardUnit.working_days) == wib(
        2026, 11, 9, 16
    )


def test_at_risk_is_a_share_of_the_working_time() -> None:
    filed = wib(2026, 11, 6, 15)  # Friday
    due = due_at(PLAIN, HOURS, filed, 4, StandardUnit.working_hours)  # Monday 10:00
    assert due == wib(2026, 11, 9, 10)
    # 75 % of 4 working hours = 3 h: 1.5 h Friday, 1.5 h Monday → Monday 09:00
    assert at_risk_at(PLAIN, HOURS, filed, due, 0.75) == wib(2026, 11, 9, 9)


def test_working_seconds_between_is_never_negative() -> None:
    a, b = wib(2026, 11, 9, 10), wib(2026, 11, 9, 9)
    assert working_seconds_between(PLAIN, HOURS, a, b) == 0.0
    assert working_seconds_between(PLAIN, HOURS, b, a) == 3600.0
