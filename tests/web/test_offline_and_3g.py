"""The citizen page on a bad network: an outbox that delivers after reconnecting, and a
first load under 300 KB that works under Chromium's throttled 3G emulation."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.conftest import Pages
from tests.web.helpers import comment, send_comment

pytestmark = pytest.mark.browser

#: DevTools' "Slow 3G" preset (bytes per second, milliseconds).
SLOW_3G = {
    "offline": False,
    "latency": 2000,
    "downloadThroughput": 500 * 1024 / 8 * 0.8,
    "uploadThroughput": 500 * 1024 / 8 * 0.8,
}
OUTBOX = "(id) => JSON.parse(localStorage.getItem('outbox:' + id) || '[]').length"


async def test_outbox_delivers_after_reconnect(pages: Pages) -> None:
    ticket_id = await pages.world.new_ticket()
    officer = await pages.signed_in("fo", f"/officer#t={ticket_id}")
    citizen = await pages.signed_in("citizen", f"/t/{ticket_id}", phone=True)
    for page in (officer, citizen):
        await page.wait_for_selector("#timeline li[data-kind=created]")

    await citizen.context.set_offline(True)
    await citizen.locator("#offline-banner").wait_for(state="visible")
    await send_comment(citizen, "Ditulis saat luring 1")
    await send_comment(citizen, "Ditulis saat luring 2")
    await citizen.locator("#timeline li.pending").nth(1).wait_for()
    assert await citizen.evaluate(OUTBOX, ticket_id) == 2
    # meanwhile the officer writes: the citizen gets it by resuming after reconnect
    await send_comment(officer, "Balasan saat warga luring")
    await comment(officer, "Balasan saat warga luring").wait_for()
    await pages.screenshot(citizen, "citizen-offline")

    await citizen.context.set_offline(False)
    await citizen.locator("#offline-banner").wait_for(state="hidden")
    for text in ("Ditulis saat luring 1", "Ditulis saat luring 2"):
        await comment(officer, text).wait_for()
        await comment(citizen, text).wait_for()
    await comment(citizen, "Balasan saat warga luring").wait_for()
    await citizen.locator("#timeline li.pending").wait_for(state="detached")
    assert await citizen.evaluate(OUTBOX, ticket_id) == 0
    # in order, each stored once
    bodies = await officer.locator("#timeline li.comment p.body").all_text_contents()
    assert bodies == [
        "Ditulis saat luring 1",
        "Ditulis saat luring 2",
        "Balasan saat warga luring",
    ] or bodies == [
        "Balasan saat warga luring",
        "Ditulis saat luring 1",
        "Ditulis saat luring 2",
    ]


async def test_citizen_page_under_slow_3g_loads_light_and_works(pages: Pages) -> None:
    ticket_id = await pages.world.new_ticket()
    officer = await pages.signed_in("fo", f"/officer#t={ticket_id}")
    citizen = await pages.signed_in("citizen", "/", phone=True)
    cdp = await citizen.context.new_cdp_session(citizen)
    transferred: dict[str, float] = {}

    def finished(event: dict[str, Any]) -> None:
        transferred[event["requestId"]] = event["encodedDataLength"]

    cdp.on("Network.loadingFinished", finished)
    await cdp.send("Network.enable")
    await cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    await cdp.send("Network.emulateNetworkConditions", SLOW_3G)

    await citizen.goto(f"/t/{ticket_id}", wait_until="load", timeout=60_000)
    await citizen.wait_for_selector("#timeline li[data-kind=created]", timeout=60_000)
    total = sum(transferred.values())
    assert 0 < total < 300 * 1024, f"first load transferred {total} bytes"

    await send_comment(citizen, "Halo dari jaringan lambat")
    await comment(officer, "Halo dari jaringan lambat").wait_for(timeout=60_000)
    await send_comment(officer, "Diterima")
    await comment(citizen, "Diterima").wait_for(timeout=60_000)
