"""The citizen's bell and inbox on every page of theirs; counts agree on every device."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.notifications.helpers import say
from tests.web.conftest import Pages
from tests.web.helpers import axe_violations, describe

pytestmark = pytest.mark.browser

CITIZEN_PAGES = ("/requests", "/requests/new", "/account", "/preferences")


async def test_every_citizen_page_has_the_bell_and_the_menu(pages: Pages, axe_script: Path) -> None:
    ticket = await pages.world.new_ticket()
    await say(pages.world, "fo", ticket, "Mohon lengkapi KK")
    page = await pages.signed_in("citizen", "/requests", phone=True)
    for path in CITIZEN_PAGES:
        await page.goto(path)
        await page.locator("#bell-count", has_text="1").wait_for()
        in_menu = path != "/account"  # the account link is in the bar
        assert await page.locator("#nav a[aria-current=page]").count() == int(in_menu)
        await pages.screenshot(page, "citizen-bell-" + path.strip("/").replace("/", "-"))
        violations = await axe_violations(page, axe_script)
        assert violations == [], f"{path}: {describe(violations)}"
    # looking at the ticket reads its notifications: the badge goes, here and for the hub
    await page.goto(f"/t/{ticket}")
    await page.locator("#bell").wait_for()
    await page.wait_for_function(
        "() => window.hub && window.hub.shell && window.hub.shell.bell.synced"
        " && window.hub.shell.bell.counts.total === 0"
    )
    assert await page.locator("#bell-count").is_hidden()
    async with pages.live.http(pages.world.tokens["citizen"]) as http:
        assert (await http.get("/api/notifications")).json()["counts"]["total"] == 0
    await pages.screenshot(page, "citizen-bell-ticket")
    violations = await axe_violations(page, axe_script)
    assert violations == [], describe(violations)


async def test_replies_and_status_changes_reach_the_bell_and_reading_clears_every_device(
    pages: Pages, axe_script: Path
) -> None:
    ticket = await pages.world.new_ticket()
    phone = await pages.signed_in("citizen", "/requests", phone=True)
    laptop = await pages.signed_in("citizen", "/requests")
    for page in (phone, laptop):
        await page.locator(f"#my-ticket-list li[data-ticket-id='{ticket}']").wait_for()
        await page.wait_for_function("() => window.hub.shell.bell.socket.connected")

    await say(pages.world, "fo", ticket, "Mohon unggah foto KTP")
    await pages.world.act("fo", ticket, "start_verification")
    for page in (phone, laptop):
        await page.locator("#bell-count", has_text="2").wait_for()
        row = page.locator(f"#my-ticket-list li[data-ticket-id='{ticket}']")
        await row.locator(".count", has_text="2 baru").wait_for()
        await row.locator(".status", has_text="Sedang diverifikasi loket").wait_for()

    await phone.click("#bell")
    panel = phone.locator("#bell-panel")
    await panel.locator("button.note[data-kind=comment]", has_text="Balasan").wait_for()
    await panel.locator(
        "button.note[data-kind=status_changed]", has_text="Status berubah"
    ).wait_for()
    assert "Mohon unggah foto KTP" in (await panel.text_content() or "")
    await pages.screenshot(phone, "citizen-bell-open")
    violations = await axe_violations(phone, axe_script)
    assert violations == [], describe(violations)

    # reading on the phone clears the laptop's badge too
    async with phone.expect_navigation(url=lambda u: u.endswith(f"/t/{ticket}")):
        await panel.locator("button.note[data-kind=comment]").click()
    await phone.locator("#timeline li[data-kind=comment]").wait_for()
    await laptop.locator("#bell-count").wait_for(state="hidden")
    row = laptop.locator(f"#my-ticket-list li[data-ticket-id='{ticket}']")
    await row.locator(".count").wait_for(state="detached")
    assert await phone.locator("#bell-count").is_hidden()
    await pages.screenshot(laptop, "citizen-bell-cleared-elsewhere")
