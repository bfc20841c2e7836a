"""Deadlines of real requests on the working-time calendar, as the officer queue, the
ticket and its queue position show them; admins keep the cuti bersama days (audited)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from hub.accounts import offices
from hub.calendar.service import working_hours_between
from hub.clock import JAKARTA
from tests.support.clock import FakeClock
from tests.support.server import RunningHub
from tests.support.world import World


def wib(y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=JAKARTA).astimezone(UTC)


def near(text: str, when: datetime) -> bool:
    return abs((datetime.fromisoformat(text) - when).total_seconds()) < 5


async def sktm_id(http: Any) -> int:
    services = (await http.get("/api/admin/services")).json()["services"]
    return next(int(s["id"]) for s in services if s["code"] == "SKTM")


async def queue_item(live: RunningHub, world: World, ticket: int) -> dict[str, Any]:
    async with live.http(world.tokens["fo"]) as http:
        r = await http.get("/api/officer/queue")
    assert r.status_code == 200, r.text
    item: dict[str, Any] = next(i for i in r.json()["tickets"] if i["id"] == ticket)
    return item


async def test_cuti_bersama_are_kept_by_admins_and_audited(
    live: RunningHub, live_world: World
) -> None:
    days = {"days": [{"date": "2026-12-24", "name": "Cuti bersama Natal"}]}
    async with live.http(live_world.tokens["spv"]) as http:
        assert (
            await http.put("/api/admin/calendar/2026/cuti-bersama", json=days)
        ).status_code == 403
    async with live.http(live_world.tokens["admin"]) as http:
        r = await http.put("/api/admin/calendar/2026/cuti-bersama", json=days)
        assert r.status_code == 200, r.text
        year = (await http.get("/api/admin/calendar/2026")).json()
        assert year["cuti_bersama"] == [{"date": "2026-12-24", "name": "Cuti bersama Natal"}]
        national = {h["date"]: h["name"] for h in year["national_holidays"]}
        assert national["2026-03-21"] == "Hari Raya Idul Fitri"
        assert "2026-12-25" in national
        wrong = {"days": [{"date": "2027-01-02", "name": "Salah tahun"}]}
        r = await http.put("/api/admin/calendar/2026/cuti-bersama", json=wrong)
        assert r.status_code == 422 and r.json()["error"]["field"] == "days.0.date"
        assert (await http.get("/api/admin/calendar/12")).status_code == 422
        entries = (await http.get("/api/admin/audit")).json()["entries"]
    entry = next(e for e in entries if e["action"] == "calendar.cuti_bersama")
    assert entry["target_id"] == 2026 and entry["actor_role"] == "admin"
    assert entry["summary"]["after"]["cuti_bersama"][0]["date"] == "2026-12-24"


@pytest.mark.parametrize("clock", [wib(2026, 12, 4, 17)], indirect=True)
async def test_a_request_filed_on_friday_evening_is_due_on_monday(
    live: RunningHub, live_world: World, clock: FakeClock
) -> None:
    async with live.http(live_world.tokens["admin"]) as http:
        sktm = await sktm_id(http)
        patch = {"standard_value": 4, "standard_unit": "working_hours"}
        assert (await http.patch(f"/api/admin/services/{sktm}", json=patch)).status_code == 200
    # Friday 17:00, after hours: 4 working hours from Monday 07:30
    friday = await live_world.new_ticket()
    item = await queue_item(live, live_world, friday)
    assert near(item["due_at"], wib(2026, 12, 7, 11, 30))
    # at risk once 75 % (3 h) is used: Monday 10:30
    assert near(item["at_risk_at"], wib(2026, 12, 7, 10, 30))
    async with live.http(live_world.tokens["citizen"]) as http:
        ticket = (await http.get(f"/api/tickets/{friday}")).json()["ticket"]
        assert near(ticket["due_at"], wib(2026, 12, 7, 11, 30))
        position = (await http.get(f"/api/tickets/{friday}/queue-position")).json()
    # the ETA is the deadline on the calendar: Friday 17:00 → Monday 11:30
    assert position["basis"] == "sla"
    assert abs(position["estimated_wait_minutes"] - (2 * 24 * 60 + 18 * 60 + 30)) <= 1


@pytest.mark.parametrize("clock", [wib(2026, 12, 23, 10)], indirect=True)
async def test_christmas_and_its_cuti_bersama_do_not_count(
    live: RunningHub, live_world: World, clock: FakeClock
) -> None:
    async with live.http(live_world.tokens["admin"]) as http:
        sktm = await sktm_id(http)
        patch = {"standard_value": 2, "standard_unit": "working_days"}
        assert (await http.patch(f"/api/admin/services/{sktm}", json=patch)).status_code == 200
        cuti = {"days": [{"date": "2026-12-24", "name": "Cuti bersama Natal"}]}
        r = await http.put("/api/admin/calendar/2026/cuti-bersama", json=cuti)
        assert r.status_code == 200
    # Wednesday 23 December 10:00: 24th cuti bersama, 25th Christmas, then the weekend
    christmas = await live_world.new_ticket()
    item = await queue_item(live, live_world, christmas)
    assert near(item["due_at"], wib(2026, 12, 29, 10))


async def test_completion_time_in_working_hours_for_reports(world: World) -> None:
    async with world.hub.unit() as unit:  # an office that opens on Saturday mornings too
        week: dict[str, offices.DayHours] = {
            "mon": (450, 960), "tue": (450, 960), "wed": (450, 960), "thu": (450, 960),
            "fri": (450, 990), "sat": (480, 720), "sun": None,
        }  # fmt: skip
        await offices.update_office(
            unit, world.principals["admin"], world.offices["kel_b"], hours=week
        )
    async with world.hub.reader() as session:
        friday, monday = wib(2026, 11, 6, 15), wib(2026, 11, 9, 8)
        assert await working_hours_between(session, world.offices["kel_a"], friday, monday) == 2.0
        # kel_b also works Saturday 08:00–12:00
        assert await working_hours_between(session, world.offices["kel_b"], friday, monday) == 6.0
