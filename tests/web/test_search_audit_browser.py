"""Search from the officer console, the supervisor page and the citizen's requests, and
the supervisor's audit trail, in Chromium: results stay within what one may see and link
to the ticket; the trail pages back, newest first — axe-clean."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from chat import posting
from hub import audit_chain as audit
from hub.ratelimit import Rule
from tests.letters.helpers import approved
from tests.support.world import World
from tests.web.conftest import Pages
from tests.web.helpers import axe_violations, describe

pytestmark = pytest.mark.browser

RULE = Rule(10_000, 1000.0)


async def say(world: World, who: str, ticket_id: int, body: str) -> None:
    c = posting.NewComment(world.principals[who], ticket_id, f"c-{abs(hash(body))}", body)
    async with world.hub.unit() as unit:
        [result] = await posting.post_comments(unit, world.hub.limiter, [c], RULE)
    assert isinstance(result, tuple), result


async def run_search(page: Any, q: str) -> None:
    await page.fill("#search-q", q)
    await page.click("#search-go")
    await page.locator("#search-results:not([hidden])").wait_for()


async def axe_clean(page: Any, script: Path) -> None:
    violations = await axe_violations(page, script)
    assert violations == [], describe(violations)


async def test_officer_finds_by_phone_ending_and_comment_words_of_own_office_only(
    pages: Pages, axe_script: Path
) -> None:
    w = pages.world
    walk_in, _ = await w.walk_in("kel_a")  # Ibu Tamu, 0812 1111 2222
    mine = await w.new_ticket("citizen", "KLH", "kel_a")
    await say(w, "citizen", mine, "Mohon surat pengantar nikah segera")
    fo = await pages.signed_in("fo", "/officer")
    await fo.click("#search-panel summary")
    await run_search(fo, "2222")
    hit = fo.locator(f"#search-tickets li[data-ticket-id='{walk_in}']")
    assert "Ibu Tamu" in await hit.inner_text()
    await run_search(fo, "pengantar nik")
    comment = fo.locator(f"#search-comments li[data-ticket-id='{mine}']")
    assert "Mohon surat pengantar nikah segera" in await comment.inner_text()
    await axe_clean(fo, axe_script)
    await pages.screenshot(fo, "search-officer")
    await comment.locator("a").click()  # opens in the console
    await fo.wait_for_url(f"**/officer#t={mine}")
    await fo.locator("#ticket-body:not([hidden])").wait_for()

    # the officer of another kelurahan: nothing of this office, by phone or by words
    other = await pages.signed_in("fo_b", "/officer")
    await other.click("#search-panel summary")
    for q in ("2222", "pengantar"):
        await run_search(other, q)
        assert await other.locator("#search-tickets li[data-ticket-id]").count() == 0
        assert await other.locator("#search-comments li[data-ticket-id]").count() == 0
        await other.locator("#search-tickets li.muted", has_text="Tidak ada yang cocok").wait_for()


async def test_citizen_searches_their_own_requests(pages: Pages, axe_script: Path) -> None:
    w = pages.world
    mine = await w.new_ticket("citizen", "KLH", "kel_a")
    theirs = await w.new_ticket("citizen2", "KLH", "kel_a")
    await say(w, "citizen", mine, "Akta kelahiran anak kedua")
    await say(w, "citizen2", theirs, "Akta kelahiran cucu")
    page = await pages.signed_in("citizen", "/requests", phone=True)
    await run_search(page, "akta kelahiran")
    assert await page.locator("#search-comments li[data-ticket-id]").count() == 1
    link = page.locator(f"#search-comments li[data-ticket-id='{mine}'] a")
    assert await link.get_attribute("href") == f"/t/{mine}"
    await axe_clean(page, axe_script)
    await pages.screenshot(page, "search-citizen")
    await link.click()
    await page.wait_for_url(f"**/t/{mine}")


async def test_supervisor_searches_and_reads_the_audit_trail(
    pages: Pages, axe_script: Path
) -> None:
    w = pages.world
    kel_a = w.offices["kel_a"]
    walk_in, _ = await w.walk_in("kel_a")
    await approved(w)  # 4 entries: start, verify, approve, letter issued
    async with w.hub.unit() as unit:  # and enough admin acts for a second page
        for i in range(24):
            await audit.record(
                unit, w.principals["admin"], "office.update", "office", kel_a,
                office_id=kel_a, before={"name": f"v{i}"}, after={"name": f"v{i + 1}"},
            )  # fmt: skip
    spv = await pages.signed_in("spv", "/supervisor#search")
    await spv.locator("#view-search:not([hidden])").wait_for()
    await run_search(spv, "ibu tamu")
    link = spv.locator(f"#search-tickets li[data-ticket-id='{walk_in}'] a")
    assert await link.get_attribute("href") == f"/tickets/{walk_in}"

    await spv.click(".views a[data-view=audit]")
    await spv.locator("#view-audit:not([hidden])").wait_for()
    await spv.select_option("#audit-office", str(kel_a))
    rows = spv.locator("#audit-list tr")
    await spv.locator("#audit-list tr[data-seq='28']").wait_for()
    assert await rows.count() == 25
    assert await rows.first.get_attribute("data-seq") == "28"  # newest first
    await spv.locator("#audit-more:not([hidden])").click()
    await spv.locator("#audit-list tr[data-seq='1']").wait_for()
    assert await rows.count() == 28 and await spv.locator("#audit-more").is_hidden()
    first = await spv.locator("#audit-list tr[data-seq='1']").inner_text()
    assert "Mulai verifikasi" in first
    issued = await spv.locator("#audit-list tr[data-seq='4']").inner_text()
    assert "Surat terbit" in issued and "Uji approver" in issued
    text = await spv.locator("#audit-table").inner_text()
    assert "6281211112222" not in text and "Ibu Tamu" not in text
    await axe_clean(spv, axe_script)
    await pages.screenshot(spv, "audit-trail")
