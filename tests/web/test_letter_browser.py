"""The issued letter in the browser: approve → the PDF (its text read back) → the public
check (valid, then revoked) → pickup at the counter (a wrong code, then the right one) →
the pickup receipt; the citizen's "Siap diambil" card and electronic delivery."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from hub.letters import service
from hub.models import TicketStatus
from tests.letters.helpers import (
    NIP,
    awaiting_approval,
    give_nip,
    letter_of,
    pdf_text,
    ticket_of,
    walk_in_awaiting,
)
from tests.web.conftest import Pages
from tests.web.helpers import axe_violations, describe

pytestmark = pytest.mark.browser


async def _bytes(download: Any) -> bytes:
    path = Path(await download.path())
    return await asyncio.to_thread(path.read_bytes)


async def _axe_clean(page: object, axe_script: Path) -> None:
    violations = await axe_violations(page, axe_script)
    assert violations == [], describe(violations)


async def test_approve_download_verify_revoke(
    pages: Pages, axe_script: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = pages.world
    hub = pages.live.hub

    async def form(unit: object, t: object) -> tuple[list[tuple[str, str, str]], None]:
        return [("KEPERLUAN", "Keperluan", "Pembuatan akta kelahiran")], None

    monkeypatch.setattr(service, "request_of", form)
    await give_nip(hub, w.users["approver"])
    tid = await awaiting_approval(w)
    approver = await pages.signed_in("approver", f"/officer#t={tid}")
    await approver.click("#actions button[data-action=approve]")
    await approver.locator("#letter-panel:not([hidden]) #letter-info dd").first.wait_for()
    letter = await letter_of(hub, tid)
    assert letter is not None
    await approver.locator("#letter-info dd", has_text=letter.number).wait_for()
    await approver.locator("#timeline li[data-kind=letter_issued]").wait_for()
    await pages.screenshot(approver, "letter-issued-console")
    await _axe_clean(approver, axe_script)

    async with approver.expect_download() as caught:
        await approver.click("#letter-pdf")
    download = await caught.value
    text = pdf_text(await _bytes(download))
    for expected in (letter.number, "Uji citizen", "Pembuatan akta kelahiran", "Uji approver",
                     f"NIP. {NIP}", f"/verify/{letter.verify_code}"):  # fmt: skip
        assert expected in text, expected

    anyone = await (await pages.context(phone=True)).new_page()
    verify_path = await approver.get_attribute("#letter-verify", "href")
    assert verify_path == f"/verify/{letter.verify_code}"
    await anyone.goto(verify_path)
    await anyone.locator("[data-status=valid]").wait_for()
    assert "Uji citizen" not in await anyone.content()
    await pages.screenshot(anyone, "letter-verify-valid")
    await _axe_clean(anyone, axe_script)

    await approver.click("#revoke-open")
    await approver.fill("#revoke-text", "Tanggal lahir keliru")
    await approver.click("#revoke-form button[type=submit]")
    await approver.locator("#letter-info dd", has_text="Dicabut").wait_for()
    await anyone.reload()
    await anyone.locator("[data-status=revoked]").wait_for()
    assert "Tanggal lahir keliru" not in await anyone.content()
    await pages.screenshot(anyone, "letter-verify-revoked")


async def test_pickup_wrong_code_then_right_code_and_receipt(
    pages: Pages, axe_script: Path
) -> None:
    w = pages.world
    hub = pages.live.hub
    tid, code = await walk_in_awaiting(w)
    await w.act("approver", tid, "approve")
    letter = await letter_of(hub, tid)
    assert letter is not None
    fo = await pages.signed_in("fo", "/officer")
    await fo.fill("#scan-input", f"{pages.live.url}/t/{tid}")  # a scanner types the QR's URL
    await fo.click("#scan-form button[type=submit]")
    await fo.locator("#pickup-form:not([hidden])").wait_for()
    await fo.locator("#pickup-scanned:not([hidden])").wait_for()
    await _axe_clean(fo, axe_script)
    version = (await ticket_of(hub, tid)).version

    await fo.fill("#pickup-code", "ZZZZ2222")
    await fo.click("#pickup-form button[type=submit]")
    await fo.locator("#letter-error", has_text="Kode akses salah").wait_for()
    unchanged = await ticket_of(hub, tid)
    assert (unchanged.status, unchanged.version) == (TicketStatus.approved, version)
    await pages.screenshot(fo, "pickup-wrong-code")

    await fo.fill("#pickup-code", code)
    await fo.click("#pickup-form button[type=submit]")
    await fo.locator("#letter-status", has_text="Ibu Tamu").wait_for()
    await fo.locator("#letter-receipt:not([hidden])").wait_for()
    assert (await ticket_of(hub, tid)).status is TicketStatus.completed
    async with fo.context.expect_page() as opened:
        await fo.click("#letter-receipt")
    receipt = await opened.value
    await receipt.wait_for_load_state()
    content = await receipt.content()
    for expected in (letter.number, "Ibu Tamu", "Uji fo", "Tanda terima pengambilan"):
        assert expected in content, expected
    await pages.screenshot(receipt, "pickup-receipt")
    await _axe_clean(receipt, axe_script)


async def test_siap_diambil_then_electronic_delivery(pages: Pages, axe_script: Path) -> None:
    w = pages.world
    hub = pages.live.hub
    tid = await awaiting_approval(w)
    await w.act("approver", tid, "approve")
    citizen = await pages.signed_in("citizen", f"/t/{tid}", phone=True)
    await citizen.locator("#letter-card:not([hidden]) #pickup-where:not([hidden])").wait_for()
    await citizen.locator("#pickup-office", has_text="Kelurahan Sukasari").wait_for()
    assert await citizen.locator("#pickup-hours tr").count() == 7
    assert await citizen.locator("#letter-receive").is_hidden()
    await pages.screenshot(citizen, "letter-siap-diambil")
    await _axe_clean(citizen, axe_script)

    async with w.hub.unit() as unit:  # the admin allows electronic delivery here
        from hub.letters.office_settings import update_settings

        await update_settings(unit, w.principals["admin"], w.offices["kel_a"],
                              electronic_delivery=True)  # fmt: skip
    await citizen.reload()
    await citizen.locator("#letter-receive:not([hidden])").wait_for()
    async with citizen.expect_download() as caught:
        await citizen.click("#letter-receive")
    download = await caught.value
    assert (await _bytes(download)).startswith(b"%PDF")
    await citizen.locator("#ticket-status[data-status=completed]").wait_for()
    assert (await ticket_of(hub, tid)).status is TicketStatus.completed
    await pages.screenshot(citizen, "letter-downloaded")
