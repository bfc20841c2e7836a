"""A citizen and an officer talk on the ticket live, in two browsers; text stays text."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.web.conftest import Pages
from tests.web.helpers import axe_violations, comment, describe, send_comment

pytestmark = pytest.mark.browser


async def test_citizen_and_officer_exchange_comments_live(pages: Pages, axe_script: Path) -> None:
    ticket_id = await pages.world.new_ticket()
    officer = await pages.signed_in("fo", f"/officer#t={ticket_id}")
    citizen = await pages.signed_in("citizen", f"/t/{ticket_id}", phone=True)
    await officer.wait_for_selector("#timeline li[data-kind=created]")
    await citizen.wait_for_selector("#timeline li[data-kind=created]")

    await send_comment(citizen, "Selamat pagi, berkas saya sudah lengkap?")
    await comment(officer, "Selamat pagi, berkas saya sudah lengkap?").wait_for()
    await send_comment(officer, "Sudah, tinggal verifikasi.")
    await comment(citizen, "Sudah, tinggal verifikasi.").wait_for()
    # the officer's action shows on the citizen's page, live
    await officer.click("#actions button[data-action=start_verification]")
    await citizen.locator("#ticket-status[data-status=verification]").wait_for()
    await citizen.locator("#timeline li[data-kind=status_changed]").wait_for()

    await pages.screenshot(officer, "officer-console")
    await pages.screenshot(citizen, "citizen-ticket")
    for page in (officer, citizen):
        violations = await axe_violations(page, axe_script)
        assert violations == [], describe(violations)


async def test_html_in_a_comment_shows_as_text(pages: Pages) -> None:
    ticket_id = await pages.world.new_ticket()
    officer = await pages.signed_in("fo", f"/officer#t={ticket_id}")
    citizen = await pages.signed_in("citizen", f"/t/{ticket_id}", phone=True)
    await officer.wait_for_selector("#timeline li[data-kind=created]")
    hostile = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script><b>tebal</b>'
    await send_comment(citizen, hostile)
    body = comment(officer, "tebal")
    await body.wait_for()
    assert await body.text_content() == hostile
    assert await body.locator("img, script, b").count() == 0
    assert await officer.evaluate("window.pwned") is None
    assert await citizen.evaluate("window.pwned") is None
