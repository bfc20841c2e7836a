"""Clarity: times in WIB on a device set to New York, status labels that say what comes
next, a page of another role redirecting home with a message, a not-found page for a
ticket not one's own, and the way back to the request list from a ticket."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from hub.clock import JAKARTA
from tests.notifications.helpers import say
from tests.web.conftest import Pages
from tests.web.helpers import axe_violations, describe

pytestmark = pytest.mark.browser


def wib(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(JAKARTA)


async def test_times_are_wib_on_a_device_in_new_york(pages: Pages, axe_script: Path) -> None:
    ticket_id = await pages.world.new_ticket()
    await say(pages.world, "fo", ticket_id, "Selamat pagi dari kelurahan")
    page = await pages.signed_in(
        "citizen", f"/t/{ticket_id}", phone=True, timezone_id="America/New_York"
    )
    assert await page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") == (
        "America/New_York"
    )
    stamp = page.locator("#timeline li[data-kind=comment] time")
    await stamp.wait_for()
    at = wib(await stamp.get_attribute("datetime") or "")
    shown = await stamp.text_content() or ""
    today = datetime.now(JAKARTA).date() == at.date()
    expected = f"{at:%H.%M} WIB" if today else f"{at:%d/%m %H.%M} WIB"
    assert shown == expected, (shown, expected)
    created = await page.get_attribute("#ticket-created", "data-iso") or ""
    assert await page.text_content("#ticket-created") == f"{wib(created):%d/%m/%Y %H.%M} WIB"

    await page.goto("/requests")  # the list and the bell say WIB too
    await page.locator(
        "#my-ticket-list .request-time", has_text=f"{wib(created):%H.%M} WIB"
    ).wait_for()
    await page.click("#bell")
    note_time = page.locator("#bell-list time").first
    await note_time.wait_for()
    assert (await note_time.text_content() or "").endswith(" WIB")
    await pages.screenshot(page, "citizen-wib-in-new-york")
    violations = await axe_violations(page, axe_script)
    assert violations == [], describe(violations)


async def test_status_says_what_happens_next_and_the_ticket_links_back(pages: Pages) -> None:
    ticket_id = await pages.world.new_ticket(service_code="SKTM")  # high risk: kasi checks
    page = await pages.signed_in("citizen", f"/t/{ticket_id}", phone=True)
    await page.locator("#ticket-status[data-status=submitted]").wait_for()
    assert "Petugas loket akan memeriksa" in (await page.text_content("#ticket-next") or "")
    await pages.world.act("fo", ticket_id, "start_verification")
    await pages.world.act("fo", ticket_id, "verify")
    status = page.locator("#ticket-status[data-status=staff_verification]")
    await status.wait_for()
    assert await status.text_content() == "Menunggu verifikasi kasi"
    assert "lurah/camat memberi keputusan" in (await page.text_content("#ticket-next") or "")
    await pages.screenshot(page, "citizen-waiting-for-kasi")

    async with page.expect_navigation(url=lambda u: u.endswith("/requests")):
        await page.click("#back-to-list")
    row = page.locator(f"#my-ticket-list li[data-ticket-id='{ticket_id}']")
    await row.locator(".status", has_text="Menunggu verifikasi kasi").wait_for()
    assert "lurah/camat" in (await row.locator(".request-next").text_content() or "")


@pytest.mark.parametrize(
    ("who", "path", "home", "name"),
    [
        ("citizen", "/officer", "/requests", "Konsol Petugas"),
        ("fo", "/admin", "/officer", "Administrasi"),
        ("spv", "/requests", "/supervisor", "Permohonan Saya"),
    ],
)
async def test_a_page_of_another_role_redirects_home_with_a_message(
    pages: Pages, axe_script: Path, who: str, path: str, home: str, name: str
) -> None:
    page = await pages.signed_in(who, home)
    await page.goto(path)
    banner = page.locator("#denied-banner")
    await banner.wait_for()
    assert page.url.endswith(home)  # the message is shown once: not in the address
    text = await banner.text_content() or ""
    assert text == f"Halaman {name} bukan untuk akun Anda. Anda dialihkan ke halaman Anda."
    await page.click("#lang-toggle")
    await banner.filter(has_text="is not for your account").wait_for()
    await pages.screenshot(page, f"denied-{who}")
    violations = await axe_violations(page, axe_script)
    assert violations == [], describe(violations)


async def test_a_foreign_ticket_is_a_not_found_page_without_composer_or_camera(
    pages: Pages, axe_script: Path
) -> None:
    foreign = await pages.world.new_ticket("citizen2")
    page = await pages.signed_in("citizen", "/requests", phone=True)
    for path in (f"/t/{foreign}", "/t/bukan-angka"):
        response = await page.goto(path)
        assert response is not None and response.status == 404
        await page.locator("h1", has_text="Permohonan tidak ditemukan").wait_for()
        for absent in ("#composer", "#echo-start", "#timeline"):
            assert await page.locator(absent).count() == 0
    await pages.screenshot(page, "citizen-ticket-not-found")
    violations = await axe_violations(page, axe_script)
    assert violations == [], describe(violations)
    async with page.expect_navigation(url=lambda u: u.endswith("/requests")):
        await page.click("#notfound-home")


async def test_a_receipt_holder_sees_their_ticket_only(pages: Pages, axe_script: Path) -> None:
    ticket_id, code = await pages.world.walk_in()
    from hub.tickets.views import find_ticket

    async with pages.world.hub.reader() as session:
        ticket = await find_ticket(session, ticket_id)
        assert ticket is not None
    ctx = await pages.context(phone=True)
    page = await ctx.new_page()
    await page.goto("/")
    await page.fill("#receipt-number", ticket.number)
    await page.fill("#receipt-code", code)
    async with page.expect_navigation(url=lambda u: u.endswith(f"/t/{ticket_id}")):
        await page.click("#form-receipt button[type=submit]")
    await page.wait_for_selector("#timeline li[data-kind=created]")
    # no inbox, no request list, no settings: the one ticket
    assert await page.locator(".bell-wrap").is_hidden()
    assert await page.locator("#back-to-list").is_hidden()
    assert await page.locator("#nav a").count() == 1
    assert await page.get_attribute("#nav-home", "href") == f"/t/{ticket_id}"
    await pages.screenshot(page, "walk-in-ticket")
    violations = await axe_violations(page, axe_script)
    assert violations == [], describe(violations)
