"""The login page, the language toggle, the supervisor's wall; axe on each; CSP headers."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.world import PASSWORD
from tests.web.conftest import Pages
from tests.web.helpers import axe_violations, describe

pytestmark = pytest.mark.browser


async def test_login_page_bilingual_accessible_and_self_only(
    pages: Pages, axe_script: Path
) -> None:
    ctx = await pages.context(phone=True)
    page = await ctx.new_page()
    response = await page.goto("/")
    assert response is not None
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert await page.get_attribute("html", "lang") == "id"
    assert await page.text_content("#h-officer") == "Petugas"
    await pages.screenshot(page, "login")
    violations = await axe_violations(page, axe_script)
    assert violations == [], describe(violations)

    await page.click("#lang-toggle")
    assert await page.get_attribute("html", "lang") == "en"
    assert await page.text_content("#h-officer") == "Officers"
    await page.reload()
    assert await page.text_content("#h-officer") == "Officers"  # the choice is kept
    await page.click("#lang-toggle")

    # wrong password: a message, no navigation
    await page.fill("#officer-login", "fo.a")
    await page.fill("#officer-password", "salah-sekali")
    await page.click("#form-officer button[type=submit]")
    await page.locator("#officer-error").filter(has_text="salah").wait_for()
    # an officer lands on the console
    await page.fill("#officer-password", PASSWORD)
    async with page.expect_navigation(url=lambda u: u.endswith("/officer")):
        await page.click("#form-officer button[type=submit]")


async def test_receipt_holder_opens_the_walk_in_ticket(pages: Pages) -> None:
    ticket_id, code = await pages.world.walk_in()
    async with pages.world.hub.reader() as session:
        from hub.tickets.views import find_ticket

        ticket = await find_ticket(session, ticket_id)
        assert ticket is not None
        number = ticket.number
    ctx = await pages.context(phone=True)
    page = await ctx.new_page()
    await page.goto("/")
    await page.fill("#receipt-number", number)
    await page.fill("#receipt-code", code)
    async with page.expect_navigation(url=lambda u: u.endswith(f"/t/{ticket_id}")):
        await page.click("#form-receipt button[type=submit]")
    await page.locator("#ticket-number", has_text=number).wait_for()
    await page.wait_for_selector("#timeline li[data-kind=created]")


async def test_supervisor_wall_updates_live(pages: Pages, axe_script: Path) -> None:
    await pages.world.new_ticket()
    wall = await pages.signed_in("spv", "/supervisor")
    waiting = wall.locator("#wall-totals [data-tile=waiting] .num")
    await waiting.filter(has_text="1").wait_for()
    await pages.world.new_ticket()
    await waiting.filter(has_text="2").wait_for()
    await wall.locator("#wall-offices section.office").first.wait_for()
    await pages.screenshot(wall, "supervisor-wall")
    violations = await axe_violations(wall, axe_script)
    assert violations == [], describe(violations)
