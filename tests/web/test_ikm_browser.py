"""The survey and the reports in the browser: the citizen answers the survey on a 360 px
page after completion; the callee rates an answered call on its end screen; a supervisor
reads the report (charts, CSV, XLSX) and a supervisor of another office sees none of it."""

from __future__ import annotations

import asyncio
import csv
import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from hub.ikm.models import CallRating, SurveyResponse
from hub.ikm.scale import CODES
from tests.ikm.helpers import completed
from tests.reports.helpers import PERSONAL, START, a_month
from tests.support.clock import FakeClock
from tests.web.calls import video_call
from tests.web.conftest import Pages
from tests.web.helpers import axe_violations, describe

pytestmark = pytest.mark.browser

#: Whether a canvas has anything drawn on it.
DRAWN = """(id) => {
  const c = document.getElementById(id);
  const data = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true;
  return false;
}"""


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


async def _axe_clean(page: Any, axe_script: Path) -> None:
    violations = await axe_violations(page, axe_script)
    assert violations == [], describe(violations)


async def test_the_citizen_answers_the_survey_on_a_phone(pages: Pages, axe_script: Path) -> None:
    tid = await completed(pages.world)
    page = await pages.signed_in("citizen", f"/t/{tid}", phone=True)
    card = page.locator("#survey-card")
    await card.wait_for(state="visible")
    assert await page.locator("#survey-elements fieldset").count() == 9
    assert "Persyaratan" in (await page.text_content("#survey-elements legend") or "")
    await _axe_clean(page, axe_script)
    await page.click("#survey-send")  # nothing chosen yet
    await page.locator("#survey-note", has_text="Nilai setiap unsur").wait_for()
    for i, code in enumerate(CODES):
        await page.locator(f"input[name={code}][value='{4 if i % 2 == 0 else 3}']").check()
    assert await page.evaluate("document.documentElement.scrollWidth") <= 360
    await pages.screenshot(page, "citizen-survey-360")
    await page.click("#survey-send")
    await page.locator("#survey-note", has_text="Terima kasih").wait_for()
    assert await page.locator("#survey-form").is_hidden()
    async with pages.live.hub.reader() as session:
        answers = (await session.scalars(select(SurveyResponse))).all()
    assert [(a.u1, a.u2, a.u9) for a in answers] == [(4, 3, 4)]
    await _axe_clean(page, axe_script)
    await page.reload()
    await page.locator("#ticket-status[data-status=completed]").wait_for()
    await page.wait_for_function("() => window.hub && window.hub.page === 'citizen'")
    assert await card.is_hidden()  # answered: not offered again


async def test_the_callee_rates_the_call_on_its_end_screen(pages: Pages) -> None:
    _officer, citizen, _pairs = await video_call(pages)
    box = citizen.locator("#rate-call")
    await box.wait_for(state="visible")
    assert await _officer.locator("#rate-call").is_hidden()  # the caller is not asked
    await citizen.click("#rate-call button[data-rating='4']")
    await citizen.locator("#rate-call-note", has_text="Terima kasih").wait_for()
    async with pages.live.hub.reader() as session:
        ratings = (await session.scalars(select(CallRating))).all()
    assert [r.rating for r in ratings] == [4]


async def _download(page: Any, link: str) -> bytes:
    async with page.expect_download() as info:
        await page.click(link)
    download = await info.value
    return await asyncio.to_thread(Path(await download.path()).read_bytes)


async def _show_november(page: Any) -> None:
    await page.fill("#report-from", "2026-11-01")
    await page.fill("#report-to", "2026-11-30")
    await page.click("#report-form button[type=submit]")
    await page.locator("#report-status", has_text="2026-11-01 – 2026-11-30").wait_for()


async def test_a_supervisor_reads_charts_and_downloads_the_report(
    pages: Pages, axe_script: Path, clock: FakeClock
) -> None:
    await a_month(pages.live, pages.world, clock)
    spv = await pages.signed_in("spv", "/supervisor")
    async with spv.expect_navigation(url=lambda u: u.endswith("/reports")):
        await spv.click(".views a[href='/reports']")
    await _show_november(spv)
    await spv.locator("#rows-body th", has_text="Kelurahan Sukasari").first.wait_for()
    assert await spv.evaluate(DRAWN, "chart-daily") and await spv.evaluate(DRAWN, "chart-ikm")
    tiles = await spv.text_content("#report-tiles") or ""
    assert "Diterima" in tiles and "Sangat Baik" in tiles
    assert "Dokumen tidak sesuai" in (await spv.text_content("#rejections-body") or "")
    await pages.screenshot(spv, "supervisor-reports")
    await _axe_clean(spv, axe_script)

    body = await _download(spv, "#report-csv")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert next(r for r in rows if r and r[0] == "Total")[2:5] == ["3", "1", "1"]
    xlsx = await _download(spv, "#report-xlsx")
    book = load_workbook(io.BytesIO(xlsx))
    last = list(book["Laporan"].iter_rows(values_only=True))[-1]
    assert list(last[:5]) == ["Total", None, 3, 1, 1]
    for personal in PERSONAL:
        assert personal.encode() not in body, personal
        assert all(personal not in str(v) for s in book for r in s.iter_rows(values_only=True)
                   for v in r), personal  # fmt: skip

    other = await pages.signed_in("spv_other", "/reports")
    await _show_november(other)
    await other.locator("#rows-empty").wait_for(state="visible")
    assert "Kelurahan Sukasari" not in (await other.text_content("#main") or "")
    assert "Kelurahan Sukasari" not in (await other.text_content("#report-office") or "")
    theirs = await _download(other, "#report-csv")
    total = next(
        r for r in csv.reader(io.StringIO(theirs.decode("utf-8-sig"))) if r and r[0] == "Total"
    )
    assert total[2:5] == ["0", "0", "0"]
    await _axe_clean(other, axe_script)
