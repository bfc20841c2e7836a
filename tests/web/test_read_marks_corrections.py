"""Read marks and corrections on a ticket's conversation, seen on both sides: "Dibaca
petugas" on the citizen's messages, "Dibaca" on the officer's; one's own message edited
or deleted within 15 minutes, shown as edited or deleted to the other side too."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from hub.clock import utcnow
from hub.models import TicketEvent
from tests.web.conftest import Pages
from tests.web.helpers import axe_violations, comment, describe, send_comment

pytestmark = pytest.mark.browser


def mine(page: Any, text: str) -> Any:
    """One's own stored comment whose body contains ``text``."""
    return page.locator("#timeline li.comment.mine:not(.pending)", has_text=text)


async def test_read_marks_on_both_sides(pages: Pages, axe_script: Path) -> None:
    ticket_id = await pages.world.new_ticket()
    citizen = await pages.signed_in("citizen", f"/t/{ticket_id}", phone=True)
    await citizen.wait_for_selector("#timeline li[data-kind=created]")
    await send_comment(citizen, "Apakah KK perlu dilegalisir?")
    question = mine(citizen, "Apakah KK perlu")
    await question.locator(".tick", has_text="Terkirim").wait_for()  # no officer has read it

    officer = await pages.signed_in("fo", f"/officer#t={ticket_id}")  # the officer opens it
    await comment(officer, "Apakah KK perlu dilegalisir?").wait_for()
    await question.locator(".tick.read", has_text="Dibaca petugas").wait_for()
    await send_comment(officer, "Tidak perlu, fotokopi saja.")
    answer = mine(officer, "Tidak perlu")
    await answer.locator(".tick.read", has_text="Dibaca").wait_for()  # the citizen's page is open
    assert await officer.locator("#timeline li.comment.theirs .tick").count() == 0
    await pages.screenshot(citizen, "citizen-read-by-officer")
    await pages.screenshot(officer, "officer-read-by-citizen")
    for page in (citizen, officer):
        violations = await axe_violations(page, axe_script)
        assert violations == [], describe(violations)


async def test_edit_and_delete_within_15_minutes_seen_on_both_sides(
    pages: Pages, axe_script: Path
) -> None:
    ticket_id = await pages.world.new_ticket()
    citizen = await pages.signed_in("citizen", f"/t/{ticket_id}", phone=True)
    officer = await pages.signed_in("fo", f"/officer#t={ticket_id}")
    for page in (citizen, officer):
        await page.wait_for_selector("#timeline li[data-kind=created]")
    await send_comment(citizen, "Nama ibu saya Siti Amnah")
    await send_comment(citizen, "Abaikan pesan ini")
    await comment(officer, "Abaikan pesan ini").wait_for()
    # only one's own messages offer corrections
    assert await officer.locator("#timeline .comment-tools").count() == 0

    typo = mine(citizen, "Siti Amnah")
    await typo.locator("button[data-tool=edit]").click()
    await typo.locator("textarea").fill("Nama ibu saya Siti Aminah")
    await pages.screenshot(citizen, "citizen-editing-a-message")
    violations = await axe_violations(citizen, axe_script)
    assert violations == [], describe(violations)
    await typo.locator("button[type=submit]").click()
    fixed = mine(citizen, "Siti Aminah")
    await fixed.locator(".edited", has_text="(diubah)").wait_for()
    seen = officer.locator("#timeline li.comment", has_text="Nama ibu saya Siti Aminah")
    await seen.locator(".edited", has_text="(diubah)").wait_for()
    assert await officer.locator("#timeline li.comment", has_text="Siti Amnah").count() == 0

    wrong = mine(citizen, "Abaikan pesan ini")
    await wrong.locator("button[data-tool=delete]").click()
    await wrong.locator(".confirm-delete", has_text="Hapus pesan ini?").wait_for()
    await pages.screenshot(citizen, "citizen-deleting-a-message")
    violations = await axe_violations(citizen, axe_script)
    assert violations == [], describe(violations)
    await wrong.locator(".confirm-delete button.danger").click()
    for page in (citizen, officer):
        await page.locator("#timeline p.body.deleted", has_text="Pesan dihapus").wait_for()
        assert await page.locator("#timeline li.comment", has_text="Abaikan pesan ini").count() == 0
    assert await citizen.locator("#timeline li.comment.mine .comment-tools").count() == 1

    # the officer corrects their own message the same way
    await send_comment(officer, "Berkas lengkapp")
    own = mine(officer, "Berkas lengkapp")
    await own.locator("button[data-tool=edit]").click()
    await own.locator("textarea").fill("Berkas lengkap")
    await own.locator("button[type=submit]").click()
    await (
        citizen.locator("#timeline li.comment.theirs", has_text="Berkas lengkap")
        .locator(".edited")
        .wait_for()
    )
    await pages.screenshot(officer, "officer-edited-and-citizen-deleted")
    await pages.screenshot(citizen, "citizen-edited-and-deleted")


async def test_no_corrections_after_15_minutes(pages: Pages) -> None:
    ticket_id = await pages.world.new_ticket()
    citizen = await pages.signed_in("citizen", f"/t/{ticket_id}", phone=True)
    await citizen.wait_for_selector("#timeline li[data-kind=created]")
    await send_comment(citizen, "Pesan lama")
    await mine(citizen, "Pesan lama").locator(".comment-tools").wait_for()
    async with pages.world.hub.unit() as unit:  # as if written 16 minutes ago
        await unit.session.execute(
            update(TicketEvent)
            .where(TicketEvent.ticket_id == ticket_id, TicketEvent.kind == "comment")
            .values(created_at=utcnow() - timedelta(minutes=16))
        )
    await citizen.reload()
    old = mine(citizen, "Pesan lama")
    await old.wait_for()
    assert await old.locator(".comment-tools").count() == 0
    assert await old.locator(".tick").count() == 1
