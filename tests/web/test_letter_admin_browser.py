"""Admins give officers their NIP and set an office's letter number format and
electronic delivery, from the administration page."""

from __future__ import annotations

from pathlib import Path

import pytest

from hub.letters.office_settings import settings_view
from hub.models import User
from tests.web.conftest import Pages
from tests.web.helpers import axe_violations, describe

pytestmark = pytest.mark.browser


async def test_admin_sets_a_nip_and_the_office_letter_settings(
    pages: Pages, axe_script: Path
) -> None:
    w = pages.world
    admin = await pages.signed_in("admin", "/admin")
    row = admin.locator("#officers-body tr[data-username='lurah.a']")
    await row.get_by_role("button", name="Ubah").click()
    await admin.fill("#edit-nip", "19700101 200003 2 001")
    await admin.click("#form-edit-officer button[type=submit]")
    await admin.locator("#admin-status", has_text="lurah.a").wait_for()
    async with w.hub.reader() as session:
        lurah = await session.get(User, w.users["approver"])
        assert lurah is not None and lurah.nip == "197001012000032001"

    await admin.click("#tab-offices")
    office = admin.locator("#offices-body tr[data-code='BGR-BT-01']")
    await office.get_by_role("button", name="Ubah").click()
    template = admin.locator("#office-number-template")
    await admin.wait_for_function(
        "() => document.getElementById('office-number-template').value !== ''"
    )
    assert await template.input_value() == "{class}/{seq}/{office}/{month_roman}/{year}"
    await admin.locator("#office-next-number", has_text="400.12/001/BGR-BT-01/").wait_for()
    violations = await axe_violations(admin, axe_script)
    assert violations == [], describe(violations)
    await pages.screenshot(admin, "admin-office-letters")
    await template.fill("474/{seq}/Kel.Sukasari/{year}")
    await admin.check("#office-electronic")
    await admin.click("#form-edit-office button[type=submit]")
    await admin.locator("#admin-status", has_text="Sukasari").wait_for()
    async with w.hub.reader() as session:
        saved = await settings_view(session, w.offices["kel_a"], w.hub.clock.now())
    assert saved["number_template"] == "474/{seq}/Kel.Sukasari/{year}"
    assert saved["electronic_delivery"] is True
