"""The officer console's buttons (forward with a note, reject with a reason) seen live on
the citizen's page; a photo from the citizen's composer; the echo check; axe in English."""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

import pytest

from tests.web.conftest import Pages
from tests.web.helpers import axe_violations, comment, describe, send_comment

pytestmark = pytest.mark.browser


def small_png(width: int = 48, height: int = 32) -> bytes:
    """A real RGB PNG (a blue/orange stripe pattern), made without any image library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    rows = b"".join(
        b"\x00"
        + b"".join(
            bytes((11, 79, 138)) if (x // 8 + y // 8) % 2 else bytes((240, 165, 0))
            for x in range(width)
        )
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


async def test_officer_forwards_and_rejects_citizen_sees_it_live(pages: Pages) -> None:
    ticket_id = await pages.world.new_ticket()
    fo = await pages.signed_in("fo", f"/officer#t={ticket_id}")
    citizen = await pages.signed_in("citizen", f"/t/{ticket_id}", phone=True)
    for page in (fo, citizen):
        await page.wait_for_selector("#timeline li[data-kind=created]")

    await fo.click("#actions button[data-action=start_verification]")
    await citizen.locator("#ticket-status[data-status=verification]").wait_for()

    # forward (disposisi) to the approver's desk with a note: the note is the office's
    await fo.click("#forward summary")
    await fo.locator("#forward-to option[value='r:approver']").wait_for(state="attached")
    await fo.select_option("#forward-to", "r:approver")
    await fo.fill("#forward-note", "Berkas lengkap, mohon keputusan lurah")
    await fo.click("#forward-form button[type=submit]")
    disposed = "#timeline li[data-kind=disposed]"
    await fo.locator(disposed, has_text="Berkas lengkap, mohon keputusan lurah").wait_for()
    await citizen.locator(disposed, has_text="Lurah / Camat").wait_for()
    assert "Berkas lengkap" not in (await citizen.text_content(disposed) or "")
    assert "Lurah / Camat" in (await fo.text_content(disposed) or "")
    await fo.locator("#ticket-info dd", has_text="Lurah / Camat").wait_for()
    await pages.screenshot(fo, "officer-forwarded")

    # the approver rejects with a reason through the reason form
    approver = await pages.signed_in("approver", f"/officer#t={ticket_id}")
    await approver.wait_for_selector("#timeline li[data-kind=disposed]")
    await approver.click("#actions button[data-action=reject]")
    await approver.locator("#reason-form").wait_for(state="visible")
    assert await approver.evaluate("document.activeElement.id") == "reason-text"
    await approver.fill("#reason-text", "Foto KTP tidak terbaca")
    await approver.click("#reason-form button[type=submit]")

    await citizen.locator("#ticket-status[data-status=rejected]").wait_for()
    assert await citizen.text_content("#ticket-status") == "Ditolak"
    await citizen.locator("#reject-reason", has_text="Foto KTP tidak terbaca").wait_for()
    change = citizen.locator("#timeline li[data-kind=status_changed]", has_text="Ditolak")
    await change.wait_for()
    assert "Foto KTP tidak terbaca" in (await change.text_content() or "")
    await approver.locator("#ticket-info dd", has_text="Ditolak").wait_for()
    assert await approver.locator("#actions button").count() == 0
    await pages.screenshot(approver, "officer-rejected")
    await pages.screenshot(citizen, "citizen-rejected-live")


async def test_citizen_attaches_a_photo_officer_sees_it(pages: Pages, tmp_path: Path) -> None:
    ticket_id = await pages.world.new_ticket()
    officer = await pages.signed_in("fo", f"/officer#t={ticket_id}")
    citizen = await pages.signed_in("citizen", f"/t/{ticket_id}", phone=True)
    for page in (officer, citizen):
        await page.wait_for_selector("#timeline li[data-kind=created]")

    photo = tmp_path / "foto-ktp.png"
    photo.write_bytes(small_png())
    await citizen.set_input_files("#composer-file", str(photo))
    # uploaded: the row offers "Hapus foto-ktp.png"
    await citizen.locator("#composer-files button", has_text="Hapus").wait_for()
    await send_comment(citizen, "Ini foto KTP saya")

    await comment(officer, "Ini foto KTP saya").wait_for()
    item = officer.locator("#timeline li.comment:not(.pending)", has_text="Ini foto KTP saya")
    thumb = item.locator("img.thumb[alt='foto-ktp.png']")
    await thumb.wait_for()
    await officer.wait_for_function(
        "(img) => img.complete && img.naturalWidth === 48", arg=await thumb.element_handle()
    )
    link = item.locator("a", has_text="foto-ktp.png")
    href = await link.get_attribute("href") or ""
    assert re.fullmatch(rf"/api/tickets/{ticket_id}/attachments/[0-9a-f]+", href), href
    response = await officer.request.get(href)
    assert response.ok and response.headers["content-type"].startswith("image/png")
    assert await response.body() == photo.read_bytes()
    await citizen.locator("#timeline li.comment:not(.pending) img.thumb").wait_for()
    await pages.screenshot(officer, "officer-sees-attachment")
    await pages.screenshot(citizen, "citizen-attached-photo")


async def test_citizen_echo_check_succeeds_with_round_trip(pages: Pages) -> None:
    ticket_id = await pages.world.new_ticket()
    citizen = await pages.signed_in("citizen", f"/t/{ticket_id}", phone=True)
    await citizen.wait_for_selector("#timeline li[data-kind=created]")
    await citizen.wait_for_function("() => window.hub && window.hub.calls.socket.connected")
    await citizen.click("#echo-start")
    result = citizen.locator("#echo-result[data-outcome]")
    await result.wait_for(timeout=40_000)
    text = await result.text_content() or ""
    assert await result.get_attribute("data-outcome") == "ok", text
    match = re.search(r"Jeda jaringan (\d+) ms", text)
    assert match is not None, text
    assert 0 <= int(match.group(1)) < 2000
    assert await citizen.is_enabled("#echo-start")
    await pages.screenshot(citizen, "citizen-echo-ok")


async def test_english_citizen_and_officer_pages_pass_axe(
    pages: Pages, axe_script: Path, tmp_path: Path
) -> None:
    ticket_id = await pages.world.new_ticket()
    officer = await pages.signed_in("fo", f"/officer#t={ticket_id}")
    citizen = await pages.signed_in("citizen", f"/t/{ticket_id}", phone=True)
    for page in (officer, citizen):
        await page.wait_for_selector("#timeline li[data-kind=created]")
    photo = tmp_path / "surat.png"
    photo.write_bytes(small_png())
    await citizen.set_input_files("#composer-file", str(photo))
    await citizen.locator("#composer-files button").wait_for()
    await send_comment(citizen, "Dokumen pendukung")
    await comment(officer, "Dokumen pendukung").wait_for()
    await officer.click("#actions button[data-action=start_verification]")
    await citizen.locator("#ticket-status[data-status=verification]").wait_for()

    for page in (officer, citizen):
        await page.click("#lang-toggle")
        assert await page.get_attribute("html", "lang") == "en"
    await citizen.locator("#ticket-status", has_text="Being verified").wait_for()
    await citizen.locator("#h-echo", has_text="Check camera & microphone").wait_for()
    await officer.locator("#h-queue", has_text="Office queue").wait_for()
    await officer.locator("#timeline li[data-kind=status_changed]", has_text="Status:").wait_for()
    await officer.click("#forward summary")  # the disposition form, open
    await officer.locator("#forward-form label", has_text="Forward to").wait_for()

    await pages.screenshot(citizen, "citizen-ticket-en")
    await pages.screenshot(officer, "officer-console-en")
    for page in (citizen, officer):
        violations = await axe_violations(page, axe_script)
        assert violations == [], describe(violations)
