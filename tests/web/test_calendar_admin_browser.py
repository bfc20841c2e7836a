"""Admins see the year's national holidays and set its cuti bersama days from the
administration page; the change is audited."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from hub.audit_models import AuditEntry
from hub.calendar.models import CutiBersama
from tests.web.conftest import Pages
from tests.web.helpers import axe_violations, describe

pytestmark = pytest.mark.browser


async def test_admin_sets_the_cuti_bersama_of_a_year(pages: Pages, axe_script: Path) -> None:
    w = pages.world
    admin = await pages.signed_in("admin", "/admin")
    await admin.click("#tab-offices")
    await admin.locator("#hours-default", has_text="Jumat 07.30–16.30").wait_for()
    await admin.click("#tab-calendar")
    await admin.fill("#calendar-year", "2026")
    await admin.dispatch_event("#calendar-year", "change")
    await admin.locator("#national-list li", has_text="Hari Raya Idul Fitri").first.wait_for()
    await admin.click("#cuti-add")
    await admin.fill("#cuti-body tr:last-child input[type=date]", "2026-03-23")
    await admin.fill("#cuti-body tr:last-child td:nth-child(2) input", "Cuti bersama Idul Fitri")
    await admin.click("#cuti-add")
    await admin.fill("#cuti-body tr:last-child input[type=date]", "2026-03-24")
    await admin.fill("#cuti-body tr:last-child td:nth-child(2) input", "Cuti bersama Idul Fitri")
    violations = await axe_violations(admin, axe_script)
    assert violations == [], describe(violations)
    await admin.click("#cuti-save")
    await admin.locator("#admin-status", has_text="Cuti bersama 2026 disimpan").wait_for()
    await pages.screenshot(admin, "admin-calendar")
    async with w.hub.reader() as session:
        days = [c.day for c in await session.scalars(select(CutiBersama).order_by(CutiBersama.day))]
        actions = list(await session.scalars(select(AuditEntry.action)))
    assert days == [date(2026, 3, 23), date(2026, 3, 24)]
    assert "calendar.cuti_bersama" in actions
    # a reload shows what was saved
    await admin.reload()
    await admin.click("#tab-calendar")
    await admin.fill("#calendar-year", "2026")
    await admin.dispatch_event("#calendar-year", "change")
    await admin.locator("#cuti-body tr").nth(1).wait_for()
    assert (
        await admin.locator("#cuti-body tr input[type=date]").nth(0).input_value() == "2026-03-23"
    )
