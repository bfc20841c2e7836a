"""Web Push from the pages: the worker is registered, permission is asked on a click after a
request is submitted (never on load), my devices are listed and can be unsubscribed, a
push shows a notification that opens the right page — and a call to a closed browser
arrives as a push whose page rings in time to answer."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.notifications.helpers import say
from tests.notifications.push_receiver import Receiver, run_receiver
from tests.web.calls import VIDEO_PLAYING
from tests.web.conftest import Pages
from tests.web.helpers import axe_violations, describe
from tests.web.push_support import (
    ASKED,
    CLICK,
    SHOWN,
    all_pages_closed,
    deliver_push,
    push_context,
    service_worker,
)

pytestmark = pytest.mark.browser


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    async with run_receiver() as r:
        yield r


async def my_devices(pages: Pages, who: str) -> list[str]:
    async with pages.live.http(pages.world.tokens[who]) as http:
        r = await http.get("/api/push/subscriptions")
        return [d["endpoint"] for d in r.json()["subscriptions"]]


async def this_device_listed(page: Any) -> None:
    """Wait for this device in the settings page's list (saying why it is not, if not)."""
    try:
        await page.locator("#devices li[data-this-device=true]").wait_for()
    except Exception as exc:
        state = await page.text_content("#push-state")
        error = await page.text_content("#push-error")
        raise AssertionError(f"device not listed: state {state!r}, error {error!r}") from exc


#: POST /api/tickets from the page (same origin, the session cookie), as the form does.
SUBMIT = """async (body) => {
  const r = await fetch("/api/tickets", {method: "POST", credentials: "same-origin",
    headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)});
  if (!r.ok) throw new Error(await r.text());
  return (await r.json()).ticket.id;
}"""


async def test_subscribe_after_submitting_list_devices_push_opens_the_ticket_unsubscribe(
    pages: Pages, axe_script: Path, receiver: Receiver
) -> None:
    device = receiver.device("phone")
    ctx = await push_context(pages, device)
    page = await pages.sign_in(ctx, "citizen", "/requests/new")
    await page.locator("#new-service option[value=SKTM]").wait_for(state="attached")
    await service_worker(ctx)  # registered by the page, no question asked
    assert await page.evaluate(ASKED) == 0
    # the request is sent as /ajukan sends it (its documents are another test's matter);
    # /ajukan then opens the ticket page with ?baru=1
    office = pages.world.offices["kel_a"]
    ticket = await page.evaluate(SUBMIT, {"service_code": "SKTM", "office_id": office})
    await page.goto(f"/t/{ticket}?baru=1")
    card = page.locator("#submitted-card")
    await card.wait_for()
    assert await page.evaluate(ASKED) == 0  # still nothing asked: the person decides
    await pages.screenshot(page, "push-offer-after-submit")
    violations = await axe_violations(page, axe_script)
    assert violations == [], describe(violations)

    await page.click("#submitted-enable")
    await page.locator("#submitted-note", has_text="Notifikasi aktif").wait_for()
    assert await page.evaluate(ASKED) == 1
    assert await my_devices(pages, "citizen") == [device.endpoint]

    await page.goto("/preferences")
    mine = page.locator("#devices li[data-this-device=true]")
    await mine.wait_for()
    assert "perangkat ini" in (await mine.text_content() or "")
    await page.locator("#push-state", has_text="Notifikasi push aktif").wait_for()
    assert await page.locator("#push-enable").is_hidden()
    await pages.screenshot(page, "push-devices")
    violations = await axe_violations(page, axe_script)
    assert violations == [], describe(violations)

    # the page closed, an officer replies: the hub pushes it, the worker shows it
    await page.goto("about:blank")
    await all_pages_closed(pages, "citizen")
    await say(pages.world, "fo", ticket, "Berkas sudah kami terima")
    payload = receiver.decrypt(await receiver.next())
    assert payload["url"] == f"/tickets/{ticket}"
    await deliver_push(ctx, page, pages.live.url, payload)
    worker = await service_worker(ctx)
    (shown,) = await worker.evaluate(SHOWN)
    assert shown["title"] == payload["title"] and shown["body"] == payload["body"]
    assert shown["data"]["url"] == f"/tickets/{ticket}"

    # a click on it takes the hub's window to the ticket page
    await page.goto("/requests")
    await page.locator("#my-ticket-list li").first.wait_for()
    async with page.expect_navigation(url=lambda u: u.endswith(f"/t/{ticket}")):
        await worker.evaluate(CLICK, payload["tag"])
    await page.locator("#timeline li[data-kind=comment]", has_text="Berkas sudah").wait_for()

    # unsubscribe this device from the settings page
    await page.goto("/preferences")
    await page.click("#devices li[data-this-device=true] button")
    await page.locator("#devices li", has_text="Belum ada perangkat").wait_for()
    await page.locator("#push-enable").wait_for()
    assert await my_devices(pages, "citizen") == []


async def test_a_call_to_a_closed_browser_is_pushed_and_its_page_answers_in_time(
    pages: Pages, receiver: Receiver
) -> None:
    ticket = await pages.world.new_ticket()
    officer = await pages.signed_in("fo", f"/officer#t={ticket}")
    await officer.wait_for_selector("#timeline li[data-kind=created]")
    ctx = await push_context(pages, receiver.device("phone"))
    page = await pages.sign_in(ctx, "citizen", "/preferences")
    await page.click("#push-enable")
    await this_device_listed(page)
    await page.goto("about:blank")  # no page of the hub open any more
    await all_pages_closed(pages, "citizen")

    await officer.wait_for_function("() => window.hub.calls.socket.connected")
    await officer.click("#call-video")
    payload = receiver.decrypt(await receiver.next())
    assert payload["kind"] == "incoming_call" and payload["url"] == f"/tickets/{ticket}"
    await deliver_push(ctx, page, pages.live.url, payload)
    (shown,) = await (await service_worker(ctx)).evaluate(SHOWN)
    assert shown["title"] == "Panggilan video masuk"
    assert shown["requireInteraction"] is True and shown["tag"] == payload["tag"]

    # the notification's click opens its page (clients.openWindow): it rings there
    answer = await ctx.new_page()
    await answer.goto(shown["data"]["url"])
    await answer.locator("#incoming").wait_for(state="visible")
    assert "Uji fo" in (await answer.text_content("#incoming-who") or "")
    await pages.screenshot(answer, "push-call-rings-on-opened-page")
    await answer.click("#incoming-accept")
    for p in (officer, answer):
        await p.wait_for_function(VIDEO_PLAYING, timeout=30_000)
    assert "Uji fo" in (await answer.text_content("#call-peer") or "")
    await officer.click("#call-hangup")
    await answer.locator("#call-view[data-state=ended]").wait_for()
