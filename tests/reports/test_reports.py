"""Reports: the numbers of a period for a supervisor's offices (all for an admin), and
exports that never hold a NIK, phone number or address."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

import pytest
from openpyxl import load_workbook

from hub.reports import actions
from tests.letters.helpers import approved, call
from tests.reports.helpers import PERIOD, PERSONAL, START, a_month
from tests.support.clock import FakeClock
from tests.support.server import RunningHub
from tests.support.world import World


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


async def _report(live: RunningHub, w: World, who: str, query: str = PERIOD) -> Any:
    r = await call(live, who, w, "GET", f"/api/reports?{query}")
    assert r.status_code == 200, r.text
    return r.json()["report"]


async def test_the_numbers_of_a_month(
    live: RunningHub, live_world: World, clock: FakeClock
) -> None:
    w = live_world
    await a_month(live, w, clock)
    report = await _report(live, w, "spv")
    totals = report["totals"]
    assert (totals["received"], totals["completed"], totals["rejected"]) == (3, 1, 1)
    assert totals["completion_median_hours"] == pytest.approx(5.0, abs=0.02)
    assert totals["completion_p90_hours"] == pytest.approx(5.0, abs=0.02)
    assert (totals["decided"], totals["sla_percent"]) == (2, 100.0)
    assert (totals["ikm"], totals["ikm_grade"], totals["ikm_category"]) == (
        round((4 * 6 + 3 * 3) / 9 * 25, 2), "A", "Sangat Baik",
    )  # fmt: skip
    assert (totals["calls_answered"], totals["calls_missed"]) == (1, 1)
    assert totals["call_average_seconds"] == pytest.approx(90, abs=1)
    assert report["rejections"] == [{"reason": "Dokumen tidak sesuai", "count": 1}]
    assert {(r["office"]["name"], r["service"]["code"]) for r in report["rows"]} == {
        ("Kelurahan Sukasari", "KLH"), ("Kelurahan Sukasari", "SKTM"),
    }  # fmt: skip
    assert report["ikm"]["responses"] == 1 and len(report["ikm"]["elements"]) == 9
    day = next(d for d in report["daily"] if d["day"] == "2026-11-10")
    assert (day["received"], day["completed"], day["rejected"]) == (3, 1, 1)
    by_service = await _report(live, w, "admin", f"{PERIOD}&service=SKTM")
    assert by_service["totals"]["received"] == 1 and by_service["totals"]["rejected"] == 0
    earlier = await _report(live, w, "admin", "from=2026-10-01&to=2026-10-31")
    assert earlier["totals"]["received"] == 0 and earlier["totals"]["ikm"] is None


async def test_a_supervisor_of_another_office_sees_none_of_it(
    live: RunningHub, live_world: World, clock: FakeClock
) -> None:
    w = live_world
    await a_month(live, w, clock)
    other = await _report(live, w, "spv_other")
    assert other["rows"] == [] and other["totals"]["received"] == 0
    assert w.offices["kel_a"] not in {o["id"] for o in other["offices"]}
    kel_a = f"{PERIOD}&office_id={w.offices['kel_a']}"
    for who in ("spv_other",):
        r = await call(live, who, w, "GET", f"/api/reports?{kel_a}")
        assert r.status_code == 403
        r = await call(live, who, w, "GET", f"/api/reports/export.csv?{kel_a}")
        assert r.status_code == 403
    for who in ("fo", "approver", "citizen"):
        r = await call(live, who, w, "GET", f"/api/reports?{PERIOD}")
        assert r.status_code == 403, who
    mine = await _report(live, w, "spv", kel_a)
    assert mine["totals"]["received"] == 3
    default = (await _report(live, w, "admin", ""))["period"]
    assert default == {"from": "2026-11-01", "to": "2026-11-10"}


async def test_exports_hold_the_numbers_and_no_personal_data(
    live: RunningHub, live_world: World, clock: FakeClock
) -> None:
    w = live_world
    await a_month(live, w, clock)
    r = await call(live, "spv", w, "GET", f"/api/reports/export.csv?{PERIOD}")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "laporan-2026-11-01-2026-11-30.csv" in r.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    total = next(row for row in rows if row and row[0] == "Total")
    assert total[2:5] == ["3", "1", "1"]
    x = await call(live, "spv", w, "GET", f"/api/reports/export.xlsx?{PERIOD}")
    assert x.status_code == 200
    book = load_workbook(io.BytesIO(x.content))
    assert book.sheetnames == ["Laporan", "Penolakan", "IKM", "Harian"]
    sheet = [list(row) for row in book["Laporan"].iter_rows(values_only=True)]
    assert sheet[-1][:5] == ["Total", None, 3, 1, 1]
    assert ["Dokumen tidak sesuai", 1] in [
        list(r) for r in book["Penolakan"].iter_rows(values_only=True)
    ]
    with zipfile.ZipFile(io.BytesIO(x.content)) as z:
        xml = b"".join(z.read(name) for name in z.namelist())
    for blob in (r.content, xml, r.content.decode("utf-8-sig").encode("utf-16-le")):
        for personal in PERSONAL:
            assert personal.encode() not in blob, personal
    assert b"Uji citizen" not in r.content + xml  # nor the applicant's name


async def test_completion_time_counts_working_hours_only(
    live: RunningHub, live_world: World, clock: FakeClock
) -> None:
    w = live_world
    await clock.advance(3 * 86400 + 6.5 * 3600)  # Friday 13 November, 15:30 WIB
    tid = await approved(w)
    await clock.advance(2 * 86400 + 17 * 3600)  # Monday 16 November, 08:30 WIB
    await w.act("fo", tid, "complete")
    # (the test's sessions have expired by Monday: the report is asked of the action)
    ask = actions.Query("2026-11-01", "2026-11-30")
    totals = (await actions.report(live.hub, w.principals["spv"], ask))["totals"]
    # Friday 15:30-16:30 and Monday 07:30-08:30 (default office hours), not 65 clock hours
    assert totals["completion_median_hours"] == pytest.approx(2.0, abs=0.02)
