"""The desk tools in the browser (#18 items 7–8): forwarding to a named colleague from the
console's picker (only who can act now), an internal note (styled apart, never on the
citizen's page, no gap the citizen's page keeps asking for), a canned reply kept on the
supervisor page and inserted from the composer's picker."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import Pages
from tests.web.helpers import axe_violations, comment, describe, send_comment

pytestmark = pytest.mark.browser

NOTE = "Pemohon ini pernah mengajukan dengan KK lama, cek ulang"


async def count_missing(page: Any) -> None:
    """Count the page's `missing` (gap fill) requests from now on."""
    await page.evaluate(
        """() => {
            const s = window.hub.tickets;
            const emit = s.emit.bind(s);
            window.__missing = 0;
            s.emit = (event, ...args) => {
                if (event === "missing") window.__missing += 1;
                return emit(event, ...args);
            };
        }"""
    )


async def test_forward_to_a_named_colleague_from_the_console(
    pages: Pages, axe_script: Path
) -> None:
    ticket_id = await pages.world.new_ticket(service_code="KLH")  # low risk
    await pages.world.act("fo", ticket_id, "start_verification")
    approver_id = pages.world.users["approver"]
    fo = await pages.signed_in("fo", f"/officer#t={ticket_id}")
    citizen = await pages.signed_in("citizen", f"/t/{ticket_id}", phone=True)
    for page in (fo, citizen):
        await page.wait_for_selector("#timeline li[data-kind=status_changed]")
    await citizen.locator("#ticket-holder", has_text="Petugas loket").wait_for()

    # the picker: in verification the counter and the lurah can act; the kasi cannot
    await fo.click("#forward summary")
    option = fo.locator(f"#forward-to option[value='u:{approver_id}']")
    await option.wait_for(state="attached")
    groups = await fo.eval_on_selector_all(
        "#forward-to optgroup", "gs => gs.map(g => [g.label, [...g.children].map(o => o.value)])"
    )
    assert [label for label, _ in groups] == ["Petugas loket (front office)", "Lurah / Camat"]
    values = [v for _l, vs in groups for v in vs]
    assert "r:staff" not in values and f"u:{pages.world.users['staff']}" not in values
    assert "Anda" in (await fo.locator("#forward-to optgroup").first.text_content() or "")
    violations = await axe_violations(fo, axe_script)
    assert violations == [], describe(violations)

    await fo.select_option("#forward-to", f"u:{approver_id}")
    await fo.fill("#forward-note", "Berkas lengkap, mohon keputusan Pak Lurah")
    await pages.screenshot(fo, "desk-forward-picker")
    await fo.click("#forward-send")
    await fo.locator("#forward-done", has_text="Uji approver").wait_for()
    await fo.locator("#ticket-info dd", has_text="Uji approver · Lurah / Camat").wait_for()
    disposed = "#timeline li[data-kind=disposed]"
    await fo.locator(disposed, has_text="Berkas lengkap, mohon keputusan Pak Lurah").wait_for()
    assert "Uji approver" in (await fo.text_content(disposed) or "")
    await pages.screenshot(fo, "desk-forwarded-to-colleague")

    # the citizen: forwarded to the lurah's desk; no note, no colleague's name
    await citizen.locator(disposed, has_text="Lurah / Camat").wait_for()
    await citizen.locator("#ticket-holder", has_text="Lurah / Camat").wait_for()
    text = await citizen.text_content("main") or ""
    assert "Berkas lengkap" not in text and "Uji approver" not in text
    await pages.screenshot(citizen, "desk-citizen-sees-the-desk")
    violations = await axe_violations(citizen, axe_script)
    assert violations == [], describe(violations)

    # the approver's console: it is theirs now
    approver = await pages.signed_in("approver", f"/officer#t={ticket_id}")
    await approver.locator("#ticket-info dd", has_text="Uji approver").wait_for()
    await approver.locator(disposed, has_text="mohon keputusan Pak Lurah").wait_for()


async def test_an_internal_note_is_styled_apart_and_never_reaches_the_citizen(
    pages: Pages, axe_script: Path
) -> None:
    ticket_id = await pages.world.new_ticket()
    fo = await pages.signed_in("fo", f"/officer#t={ticket_id}")
    citizen = await pages.signed_in("citizen", f"/t/{ticket_id}", phone=True)
    for page in (fo, citizen):
        await page.wait_for_selector("#timeline li[data-kind=created]")
    await citizen.wait_for_function("() => window.hub.tickets.connected")
    await count_missing(citizen)

    await fo.fill("#note-text", NOTE)
    await fo.click("#note-send")
    note = fo.locator("#timeline li.note[data-kind=internal_note]", has_text=NOTE)
    await note.wait_for()
    assert await fo.input_value("#note-text") == ""
    assert "Catatan internal" in (await note.text_content() or "")
    # visibly not a chat bubble: its own colours and border
    looks = await fo.evaluate(
        """() => {
            const css = (sel) => getComputedStyle(document.querySelector(sel));
            const n = css("#timeline li.note"), c = css("#timeline li[data-kind=created]");
            return {bg: n.backgroundColor, border: n.borderStyle, other: c.backgroundColor};
        }"""
    )
    assert looks["border"] == "dashed" and looks["bg"] != looks["other"], looks

    # a comment after the note: once the citizen has it, the note would have come too
    await send_comment(fo, "Berkas Anda sedang kami periksa")
    await comment(citizen, "Berkas Anda sedang kami periksa").wait_for()
    assert await citizen.locator("#timeline li.note").count() == 0
    assert NOTE not in (await citizen.content())
    # the note's seq is a hole the citizen's page skips: asked for once, then covered
    seq = int(await comment(fo, "Berkas Anda sedang kami periksa").evaluate(
        "n => n.closest('li').dataset.seq"
    ))  # fmt: skip
    await citizen.wait_for_function("(seq) => window.hub.conversation.timeline.lastSeq === seq",
                                    arg=seq)  # fmt: skip
    assert await citizen.evaluate("window.__missing") <= 1
    await send_comment(citizen, "Baik, terima kasih")
    await comment(fo, "Baik, terima kasih").wait_for()
    assert await citizen.evaluate("window.__missing") <= 1

    # after a reload (join from 0) the citizen still has no note; the officer has it
    await citizen.reload()
    await comment(citizen, "Baik, terima kasih").wait_for()
    assert await citizen.locator("#timeline li.note").count() == 0
    await fo.reload()
    await fo.locator("#timeline li.note", has_text=NOTE).wait_for()
    await pages.screenshot(fo, "desk-internal-note-console")
    await pages.screenshot(citizen, "desk-internal-note-absent-citizen")
    for page in (fo, citizen):
        violations = await axe_violations(page, axe_script)
        assert violations == [], describe(violations)


async def test_a_canned_reply_kept_by_the_supervisor_is_inserted_from_the_composer(
    pages: Pages, axe_script: Path
) -> None:
    kel_a = pages.world.offices["kel_a"]
    ticket_id = await pages.world.new_ticket()
    wall = await pages.signed_in("spv", "/supervisor")
    await wall.click(".views a[data-view=replies]")  # a view beside the wall
    admin = wall.locator("#canned-admin")
    await admin.wait_for()
    await wall.select_option("#canned-office", str(kel_a))
    await wall.fill("#canned-title", "Berkas kurang")
    await wall.fill("#canned-body", "Mohon unggah foto KK yang terbaru dan terbaca.")
    await wall.click("#canned-save")
    row = wall.locator("#canned-items li", has_text="Berkas kurang")
    await row.wait_for()
    await wall.locator("#canned-done", has_text="Berkas kurang").wait_for()
    # edit it: the form fills, saves at the version it saw
    await row.locator("button", has_text="Ubah").click()
    assert await wall.input_value("#canned-title") == "Berkas kurang"
    await wall.fill("#canned-body", "Mohon unggah foto KK terbaru yang terbaca jelas.")
    await wall.click("#canned-save")
    await row.filter(has_text="terbaca jelas").wait_for()
    await wall.fill("#canned-title", "Salam")
    await wall.fill("#canned-body", "Selamat pagi, permohonan Anda kami terima.")
    await wall.click("#canned-save")
    await wall.locator("#canned-items li", has_text="Salam").wait_for()
    await pages.screenshot(wall, "desk-canned-admin")
    violations = await axe_violations(wall, axe_script)
    assert violations == [], describe(violations)
    # delete asks once more
    salam = wall.locator("#canned-items li", has_text="Salam")
    await salam.locator("button[data-action=delete]").click()
    await salam.locator("button[data-action=delete]", has_text="Yakin hapus?").click()
    await salam.wait_for(state="detached")

    fo = await pages.signed_in("fo", f"/officer#t={ticket_id}")
    citizen = await pages.signed_in("citizen", f"/t/{ticket_id}", phone=True)
    for page in (fo, citizen):
        await page.wait_for_selector("#timeline li[data-kind=created]")
    assert await citizen.locator("#canned-toggle").count() == 0  # officers only
    await fo.fill("#composer-text", "Halo Bapak/Ibu. ")
    await fo.click("#canned-toggle")
    choice = fo.locator("#canned-list button", has_text="Berkas kurang")
    await choice.wait_for()
    assert await fo.locator("#canned-list button").count() == 1
    await pages.screenshot(fo, "desk-canned-picker")
    violations = await axe_violations(fo, axe_script)
    assert violations == [], describe(violations)
    await choice.click()
    text = "Halo Bapak/Ibu. Mohon unggah foto KK terbaru yang terbaca jelas."
    assert await fo.input_value("#composer-text") == text
    assert await fo.evaluate("document.activeElement.id") == "composer-text"
    await fo.click("#composer-send")
    await comment(citizen, text).wait_for()
