"""The notification settings page, role-aware: a citizen turns push off per kind and mutes
a request (and hears nothing more of it); an officer also keeps quiet hours."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.notifications.helpers import say
from tests.web.conftest import Pages
from tests.web.helpers import axe_violations, describe

pytestmark = pytest.mark.browser


async def prefs_of(pages: Pages, who: str) -> dict[str, Any]:
    async with pages.live.http(pages.world.tokens[who]) as http:
        r = await http.get("/api/notifications/preferences")
        prefs: dict[str, Any] = r.json()["preferences"]
        return prefs


async def test_a_citizen_turns_a_kind_off_and_mutes_a_request(
    pages: Pages, axe_script: Path
) -> None:
    muted, other = await pages.world.new_ticket(), await pages.world.new_ticket()
    page = await pages.signed_in("citizen", "/preferences", phone=True)
    await page.locator(f"#mute-{muted}").wait_for()
    assert await page.locator("#quiet-card").is_hidden()  # quiet hours: officers only
    kinds = await page.locator("#kinds input").evaluate_all("(l) => l.map((i) => i.dataset.kind)")
    assert kinds == ["comment", "status_changed", "missed_call"]

    await page.uncheck("#kind-status_changed")
    await page.locator("#prefs-status[data-saved='1']", has_text="Tersimpan").wait_for()
    await page.check(f"#mute-{muted}")
    await page.locator("#prefs-status[data-saved='2']").wait_for()
    prefs = await prefs_of(pages, "citizen")
    assert prefs["push_opt_out"] == ["status_changed"]
    assert prefs["muted_tickets"] == [muted]

    await page.reload()
    await page.locator(f"#mute-{muted}").wait_for()
    assert await page.is_checked(f"#mute-{muted}")
    assert not await page.is_checked("#kind-status_changed")
    assert await page.is_checked("#kind-comment")
    await pages.screenshot(page, "citizen-preferences")
    violations = await axe_violations(page, axe_script)
    assert violations == [], describe(violations)
    await page.click("#lang-toggle")
    await page.locator("#h-devices", has_text="Devices that get notifications").wait_for()
    await page.locator("#kinds label", has_text="Replies and new messages").wait_for()
    await pages.screenshot(page, "citizen-preferences-en")
    violations = await axe_violations(page, axe_script)
    assert violations == [], describe(violations)
    await page.click("#lang-toggle")

    # the muted request tells nothing; the other still does (the sentinel)
    await page.wait_for_function("() => window.hub.shell.bell.socket.connected")
    await say(pages.world, "fo", muted, "Tidak terdengar")
    await say(pages.world, "fo", other, "Terdengar")
    await page.locator("#bell-count", has_text="1").wait_for()
    await page.click("#bell")
    notes = page.locator("#bell-list button.note")
    await notes.first.wait_for()
    assert await notes.count() == 1
    assert await notes.first.get_attribute("data-ticket-id") == str(other)


async def test_an_officer_keeps_quiet_hours(pages: Pages, axe_script: Path) -> None:
    page = await pages.signed_in("fo", "/preferences")
    card = page.locator("#quiet-card")
    await card.wait_for()
    kinds = await page.locator("#kinds input").evaluate_all("(l) => l.map((i) => i.dataset.kind)")
    assert kinds == ["comment", "disposed", "sla_warning", "sla_breached"]
    assert await page.get_attribute("#nav-home", "href") == "/officer"
    assert await page.locator("#nav-new").count() == 0

    await page.check("#quiet-on")
    await page.fill("#quiet-start", "21:00")
    await page.fill("#quiet-end", "05:30")
    await page.click("#form-quiet button[type=submit]")
    await page.locator("#prefs-status[data-saved='1']", has_text="Tersimpan").wait_for()
    assert (await prefs_of(pages, "fo"))["quiet_hours"] == {"start": "21:00", "end": "05:30"}
    await page.reload()
    await card.wait_for()
    assert await page.is_checked("#quiet-on")
    assert await page.input_value("#quiet-start") == "21:00"
    await pages.screenshot(page, "officer-preferences")
    violations = await axe_violations(page, axe_script)
    assert violations == [], describe(violations)

    await page.uncheck("#quiet-on")
    await page.click("#form-quiet button[type=submit]")
    await page.locator("#prefs-status[data-saved='1']").wait_for()  # a fresh page: its first
    assert (await prefs_of(pages, "fo"))["quiet_hours"] is None
