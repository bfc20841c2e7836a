"""The hub's refusals reach people in their language: the page translates the error's ``reason``
(with its details) from its own words; the server's English ``message`` is never shown."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import Pages


async def _send_over_long(page: Any, text: str) -> None:
    # past the textarea's maxlength, as a script or a paste into an old browser would
    await page.locator("#composer-text").evaluate("(el, v) => { el.value = v; }", text)
    await page.click("#composer-send")


async def test_an_over_long_comment_is_refused_in_indonesian_then_in_english(
    pages: Pages,
) -> None:
    ticket_id = await pages.world.new_ticket()
    citizen = await pages.signed_in("citizen", f"/t/{ticket_id}", phone=True)
    await citizen.wait_for_selector("#timeline li[data-kind=created]")
    error = citizen.locator("#composer-error")

    await _send_over_long(citizen, "a" * 4001)
    await error.filter(has_text="Pesan maksimal 4000 karakter").wait_for()
    await pages.screenshot(citizen, "citizen-comment-too-long-id")

    await citizen.click("#lang-toggle")
    assert await citizen.get_attribute("html", "lang") == "en"
    await _send_over_long(citizen, "b" * 4001)
    await error.filter(has_text="A message has at most 4000 characters").wait_for()
    assert await error.text_content() == "A message has at most 4000 characters"
    await pages.screenshot(citizen, "citizen-comment-too-long-en")
