"""The citizen is rung on any page of theirs, not only on the called ticket's page; "Terima"
goes to that ticket's page, which answers; in the call each side sees who the other is.
An unanswered call ends in the bell as a missed call.

The hub under test rings for 12 s (``RING_TIMEOUT``), long enough to answer from another
page and short enough to wait for a missed call.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hub.settings import Settings
from tests.support.server import make_settings
from tests.web.calls import CALLS_READY, VIDEO_PLAYING
from tests.web.conftest import Pages
from tests.web.helpers import axe_violations, describe

pytestmark = pytest.mark.browser


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return make_settings(db_url, tmp_path / "var", RING_TIMEOUT="12")


async def ticket_number(pages: Pages, ticket_id: int) -> str:
    from hub.tickets.views import find_ticket

    async with pages.world.hub.reader() as session:
        t = await find_ticket(session, ticket_id)
        assert t is not None
        return t.number


async def test_rung_on_the_requests_page_answered_on_the_ticket_page_each_sees_the_other(
    pages: Pages, axe_script: Path
) -> None:
    ticket_id = await pages.world.new_ticket()
    number = await ticket_number(pages, ticket_id)
    officer = await pages.signed_in("fo", f"/officer#t={ticket_id}")
    citizen = await pages.signed_in("citizen", "/requests", phone=True)
    await officer.wait_for_selector("#timeline li[data-kind=created]")
    await officer.wait_for_function(CALLS_READY)
    await citizen.locator("#my-ticket-list li").first.wait_for()
    await citizen.wait_for_function("() => window.hub && window.hub.shell.callSocket.connected")

    await officer.click("#call-video")
    incoming = citizen.locator("#incoming")
    await incoming.wait_for(state="visible")
    who = await citizen.text_content("#incoming-who") or ""
    assert who.startswith("Uji fo · Front office · "), who
    assert number in (await citizen.text_content("#incoming-ticket") or "")
    await pages.screenshot(citizen, "citizen-rung-on-requests-page")
    violations = await axe_violations(citizen, axe_script)
    assert violations == [], describe(violations)

    async with citizen.expect_navigation(url=lambda u: f"/t/{ticket_id}" in u):
        await citizen.click("#incoming-accept")
    for page in (officer, citizen):
        await page.wait_for_function(VIDEO_PLAYING, timeout=30_000)
    assert who == await citizen.text_content("#call-peer")
    peer = await officer.text_content("#call-peer") or ""
    assert peer == f"Pemohon: Uji citizen · {number}", peer
    await pages.screenshot(citizen, "citizen-in-call-sees-the-officer")
    await pages.screenshot(officer, "officer-in-call-sees-the-applicant")
    for page in (citizen, officer):
        violations = await axe_violations(page, axe_script)
        assert violations == [], describe(violations)
    await officer.click("#call-hangup")
    for page in (officer, citizen):
        await page.locator("#call-view[data-state=ended]").wait_for()


async def test_rung_on_another_tickets_page_goes_to_the_called_ticket(pages: Pages) -> None:
    here = await pages.world.new_ticket()
    called = await pages.world.new_ticket()
    officer = await pages.signed_in("fo", f"/officer#t={called}")
    citizen = await pages.signed_in("citizen", f"/t/{here}", phone=True)
    await officer.wait_for_function(CALLS_READY)
    await citizen.wait_for_function(CALLS_READY)
    await officer.click("#call-audio")
    await citizen.locator("#incoming").wait_for(state="visible")
    async with citizen.expect_navigation(url=lambda u: f"/t/{called}" in u):
        await citizen.click("#incoming-accept")
    await citizen.locator("#call-view[data-state=connected]").wait_for(timeout=30_000)
    await officer.locator("#call-view[data-state=connected]").wait_for(timeout=30_000)
    await officer.click("#call-hangup")
    await citizen.locator("#call-view[data-state=ended]").wait_for()


async def test_an_unanswered_call_rings_on_the_account_page_then_shows_as_missed(
    pages: Pages,
) -> None:
    ticket_id = await pages.world.new_ticket()
    officer = await pages.signed_in("fo", f"/officer#t={ticket_id}")
    citizen = await pages.signed_in("citizen", "/account", phone=True)
    await officer.wait_for_function(CALLS_READY)
    await citizen.wait_for_function("() => window.hub && window.hub.shell.callSocket.connected")
    await officer.click("#call-audio")
    await citizen.locator("#incoming").wait_for(state="visible")
    # nobody answers: the screen goes, the bell tells of the missed call
    await citizen.locator("#incoming").wait_for(state="hidden", timeout=30_000)
    await citizen.locator("#bell-count", has_text="1").wait_for()
    await citizen.click("#bell")
    note = citizen.locator("#bell-list button.note[data-kind=missed_call]")
    await note.wait_for()
    assert "Panggilan tak terjawab" in (await note.text_content() or "")
    await pages.screenshot(citizen, "citizen-missed-call-in-bell")
