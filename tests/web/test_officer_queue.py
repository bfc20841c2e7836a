"""The officer's queue in Chromium: unread badges, search, filters and order; alerts while the
tab is in the background (sound, title count, mute kept); the layout at 1366 and 1024 px."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from chat import posting
from hub.models import Channel
from hub.ratelimit import Rule
from hub.tickets import service
from tests.support.world import World, password_hash
from tests.web.conftest import Pages
from tests.web.helpers import axe_violations, describe
from tests.web.layout import overflowing, set_hidden

pytestmark = pytest.mark.browser

RULE = Rule(10_000, 1000.0)
TITLE = "ASINAN — Konsol Petugas"
LONG_NAME = (
    "Raden Ajeng Siti Nurhalimah Kusumawardhani Prawiradirdja binti Haji Muhammad "
    "Abdurrahman Wahidin Sudirohusodo"
)


async def say(world: World, who: str, ticket_id: int, body: str) -> None:
    c = posting.NewComment(world.principals[who], ticket_id, f"c-{abs(hash(body))}", body)
    async with world.hub.unit() as unit:
        [result] = await posting.post_comments(unit, world.hub.limiter, [c], RULE)
    assert isinstance(result, tuple), result


async def walk_in(world: World, who: str, office: str, code: str, name: str) -> int:
    async with world.hub.unit() as unit:
        t = await service.create_ticket(
            unit,
            world.principals[who],
            service.NewTicket(code, world.offices[office], Channel.walk_in, name, "081211112222"),
            password_hash(),
        )
        return t.id


def rows(page: Any) -> Any:
    return page.locator("#queue-list li")


async def order(page: Any) -> list[int]:
    ids = await rows(page).evaluate_all("els => els.map(e => Number(e.dataset.ticketId))")
    return list(ids)


async def wait_order(page: Any, expected: list[int]) -> None:
    await page.wait_for_function(
        "ids => JSON.stringify([...document.querySelectorAll('#queue-list li')]"
        ".map(e => Number(e.dataset.ticketId))) === JSON.stringify(ids)",
        arg=expected,
    )


async def test_unread_badges_search_filters_and_order(pages: Pages, axe_script: Path) -> None:
    w = pages.world
    first = await w.new_ticket(service_code="SKTM")
    second = await w.new_ticket(service_code="KLH")
    guest = await walk_in(w, "fo", "kel_a", "KLH", "Ibu Tamu Sekali")
    await say(w, "citizen", first, "Selamat pagi, Pak")
    await say(w, "citizen", first, "Berkas sudah lengkap")
    page = await pages.signed_in("fo", "/officer")
    await wait_order(page, [first, second, guest])  # oldest waiting first
    badge = page.locator(f"#queue-list li[data-ticket-id='{first}'] .q-unread")
    assert (await badge.inner_text()).startswith("2")
    assert await badge.locator(".sr").text_content() == "2 pesan belum dibaca"
    assert await page.locator(f"#queue-list li[data-ticket-id='{second}'] .q-unread").count() == 0
    await pages.screenshot(page, "officer-queue-unread")
    violations = await axe_violations(page, axe_script)
    assert violations == [], describe(violations)

    # search: applicant name, queue number, ticket number
    await page.fill("#f-q", "tamu")
    await wait_order(page, [guest])
    await page.fill("#f-q", "2")
    await wait_order(page, [second])
    number = await page.evaluate(f"fetch('/api/tickets/{first}').then(r => r.json())")
    await page.fill("#f-q", number["ticket"]["number"])
    await wait_order(page, [first])
    await page.fill("#f-q", "")
    await wait_order(page, [first, second, guest])

    # opening the ticket reads it: the badge goes, and stays gone after a reload
    await page.click(f"#queue-list li[data-ticket-id='{first}'] a")
    await page.wait_for_selector("#timeline li.comment")
    await page.wait_for_selector(f"#queue-list li[data-ticket-id='{first}'][data-unread='0']")
    await page.reload()
    await page.wait_for_selector(f"#queue-list li[data-ticket-id='{first}'][data-unread='0']")

    # mine / my desk / closed / newest first
    await w.act("fo", second, "start_verification")
    await w.act("fo", second, "verify")  # low risk: to the lurah's desk
    await page.check("input[name=scope][value=desk]")
    await wait_order(page, [first, guest])
    await page.check("input[name=scope][value=mine]")
    await wait_order(page, [])
    assert await page.locator("#queue-empty").is_visible()
    await page.check("input[name=scope][value=all]")
    await page.select_option("#f-sort", "newest")
    await wait_order(page, [guest, second, first])
    await w.act("approver", second, "reject", "Tidak lengkap")
    await wait_order(page, [guest, first])  # live: the rejected one leaves the open view
    await page.select_option("#f-state", "closed")
    await wait_order(page, [second])
    await pages.screenshot(page, "officer-queue-closed")
    violations = await axe_violations(page, axe_script)
    assert violations == [], describe(violations)


async def test_background_tab_beeps_counts_in_title_and_mute_is_kept(pages: Pages) -> None:
    w = pages.world
    ticket = await w.new_ticket()
    page = await pages.signed_in("fo", "/officer")
    await page.wait_for_selector(f"#queue-list li[data-ticket-id='{ticket}']")
    assert await page.title() == TITLE
    assert await page.get_attribute("#sound-toggle", "aria-pressed") == "true"
    await page.click("#sound-toggle")  # a gesture on the page lets audio start …
    await page.click("#sound-toggle")  # … and the sound stays on

    # in the foreground nothing beeps
    await say(w, "citizen", ticket, "Pesan saat layar dibuka")
    await page.wait_for_selector(f"#queue-list li[data-ticket-id='{ticket}'][data-unread='1']")
    assert await page.evaluate("window.hub.alerts.played") == 0
    assert await page.title() == TITLE

    await set_hidden(page, True)
    await say(w, "citizen", ticket, "Halo, ada yang bisa dibantu?")
    await page.wait_for_function("t => document.title === t", arg=f"(1) {TITLE}")
    await page.wait_for_function("() => window.hub.alerts.played === 1")
    await page.wait_for_selector(f"#queue-list li[data-ticket-id='{ticket}'][data-unread='2']")
    await say(w, "citizen", ticket, "Saya tunggu")
    await page.wait_for_function("t => document.title === t", arg=f"(2) {TITLE}")
    await page.wait_for_function("() => window.hub.alerts.played === 2")
    await set_hidden(page, False)
    assert await page.title() == TITLE

    # muted, and still muted after a reload
    await page.click("#sound-toggle")
    assert await page.get_attribute("#sound-toggle", "aria-pressed") == "false"
    assert await page.inner_text("#sound-toggle") == "Bunyi: mati"
    await page.reload()
    await page.wait_for_selector(f"#queue-list li[data-ticket-id='{ticket}']")
    assert await page.get_attribute("#sound-toggle", "aria-pressed") == "false"
    await set_hidden(page, True)
    await say(w, "citizen", ticket, "Masih di sana?")
    await page.wait_for_function("t => document.title === t", arg=f"(1) {TITLE}")
    await page.wait_for_selector(f"#queue-list li[data-ticket-id='{ticket}'][data-unread='4']")
    assert await page.evaluate("window.hub.alerts.played") == 0
    await pages.screenshot(page, "officer-queue-muted")


@pytest.mark.parametrize("width", [1366, 1024])
async def test_layout_holds_with_the_longest_labels(
    pages: Pages, axe_script: Path, width: int
) -> None:
    w = pages.world
    tickets = [
        await walk_in(w, "kec_fo", "kec", "DYO", LONG_NAME),  # the longest service name
        await walk_in(w, "kec_fo", "kel_a", "KSI", LONG_NAME.upper()),
        await walk_in(
            w, "kec_fo", "kel_b", "SKTM", "Nurhalimahkusumawardhaniprawiradirdjasudirohusodo"
        ),
    ]
    for t in tickets:
        await say(w, "spv", t, "x" * 3)  # unread badges for the kecamatan's officer
    page = await pages.signed_in("kec_fo", f"/officer#t={tickets[0]}")
    await page.set_viewport_size({"width": width, "height": 800})
    await page.wait_for_selector(f"#queue-list li[data-ticket-id='{tickets[-1]}'] .q-unread")
    await page.wait_for_selector("#timeline li.comment")
    await page.locator("details.more-filters summary").click()
    await page.select_option("#f-service", "DYO")
    await wait_order(page, [tickets[0]])
    await page.select_option("#f-service", "")
    await wait_order(page, tickets)
    for lang in ("id", "en"):
        if lang == "en":
            await page.click("#lang-toggle")
            await asyncio.sleep(0)  # the re-render is synchronous; let the click settle
        bad = await overflowing(page)
        await pages.screenshot(page, f"officer-queue-{width}-{lang}")
        assert bad == [], "\n".join(bad)
    violations = await axe_violations(page, axe_script)
    assert violations == [], describe(violations)
    await page.click("#lang-toggle")
