"""The request in the browser: the citizen's form on a 360 px phone (one upload per
document, a draft that survives a reload), the front office's per-document check, the
documents asked for again and uploaded live, verify; walk-in intake and its printed
receipt. Bad input gets its typed error and changes nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.web.conftest import Pages
from tests.web.helpers import axe_violations, describe
from tests.web.test_console_and_citizen import small_png

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def media_width(pdf: bytes) -> float:
    """The width (pt) of a PDF's first page."""
    found = re.search(rb"/MediaBox \[0 0 ([0-9.]+) ", pdf)
    assert found is not None
    return float(found.group(1))


def png(name: str) -> dict[str, object]:
    return {"name": name, "mimeType": "image/png", "buffer": small_png()}


async def test_online_request_documents_missing_reupload_and_verify(
    pages: Pages, axe_script: Path
) -> None:
    kel_a = str(pages.world.offices["kel_a"])
    citizen = await pages.signed_in("citizen", "/ajukan", phone=True)
    await citizen.select_option("#f-service", "LL")
    await citizen.locator("#s-docs:not([hidden])").wait_for()
    await citizen.select_option("#f-office", kel_a)
    await citizen.wait_for_function(
        "() => window.hub && window.hub.draft && window.hub.draft.office_id"
    )
    assert await citizen.get_attribute("#doc-KTP", "capture") == "environment"
    assert await citizen.get_attribute("#doc-KTP", "accept") == "image/*,application/pdf"

    # a file that is neither a photo nor a PDF: refused, nothing kept
    await citizen.set_input_files(
        "#doc-KK", files=[{"name": "kk.txt", "mimeType": "image/png", "buffer": b"not a photo"}]
    )
    await citizen.locator("#f-docs li[data-code=KK] .error", has_text="KK").wait_for()
    assert await citizen.get_attribute("#f-docs li[data-code=KK]", "data-has-file") == "0"

    for code in ("PENGANTAR_RT_RW", "KTP", "KK"):
        await citizen.set_input_files(f"#doc-{code}", files=[png(f"{code.lower()}.png")])
        await citizen.locator(f"#f-docs li[data-code={code}][data-has-file='1']").wait_for()
    await citizen.fill("#ff-PERIHAL", "Keterangan domisili usaha")
    await citizen.fill("#ff-KEPERLUAN", "Persyaratan pinjaman koperasi")
    await citizen.wait_for_function(
        "() => window.hub.draft.form.KEPERLUAN === 'Persyaratan pinjaman koperasi'"
    )

    # the draft is on the server: a reload keeps everything
    await citizen.reload()
    await citizen.locator("#f-docs li[data-code=KK][data-has-file='1']").wait_for()
    assert await citizen.input_value("#ff-PERIHAL") == "Keterangan domisili usaha"
    await citizen.locator("#f-missing", has_text="Lengkap").wait_for()
    width = await citizen.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    await pages.screenshot(citizen, "intake-form-360")
    violations = await axe_violations(citizen, axe_script)
    assert violations == [], describe(violations)
    async with citizen.expect_navigation(url=re.compile(r"/t/\d+$")):
        await citizen.click("#f-submit")
    ticket_id = int(citizen.url.rsplit("/", 1)[1])
    await citizen.locator("#my-docs li[data-code=KTP]").wait_for()
    code = (await citizen.text_content("#my-access-code") or "").strip()
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{8}", code), code
    assert await citizen.get_attribute("#receipt-link", "href") == f"/tickets/{ticket_id}/receipt"

    fo = await pages.signed_in("fo", f"/officer#t={ticket_id}")
    await fo.click("#actions button[data-action=start_verification]")
    await fo.locator("#docs-list li[data-code=KTP] button[data-mark=ok]").wait_for()
    # verify before every document is OK: the typed error, nothing changes
    await fo.click("#actions button[data-action=verify]")
    await fo.locator("#action-error", has_text="Dokumen wajib belum semua OK").wait_for()
    await citizen.locator("#ticket-status[data-status=verification]").wait_for()

    await fo.click("#docs-list li[data-code=KTP] button[data-mark=missing]")
    await fo.fill("#reason-KTP", "Foto KTP buram, mohon foto ulang")
    await fo.click("#docs-list li[data-code=KTP] form button[type=submit]")
    await fo.locator("#docs-list li[data-code=KTP][data-state=missing]").wait_for()
    for doc in ("KK", "PENGANTAR_RT_RW"):
        await fo.click(f"#docs-list li[data-code={doc}] button[data-mark=ok]")
        await fo.locator(f"#docs-list li[data-code={doc}][data-state=ok]").wait_for()
    await pages.screenshot(fo, "intake-officer-documents")
    violations = await axe_violations(fo, axe_script)
    assert violations == [], describe(violations)
    await fo.click("#actions button[data-action=request_documents]")

    # the citizen sees it live: the status, the reason, the upload
    await citizen.locator("#ticket-status[data-status=documents_incomplete]").wait_for()
    assert await citizen.text_content("#ticket-status") == "Dokumen belum lengkap"
    await citizen.locator("#docs-banner:not([hidden])").wait_for()
    await citizen.locator("#my-docs li[data-code=KTP] .doc-reason", has_text="buram").wait_for()
    await citizen.locator(
        "#timeline li[data-kind=document_checked]", has_text="Uji fo"
    ).first.wait_for()
    await pages.screenshot(citizen, "intake-citizen-documents-missing")
    violations = await axe_violations(citizen, axe_script)
    assert violations == [], describe(violations)
    await citizen.set_input_files("#re-KTP", files=[png("ktp-baru.png")])
    await citizen.locator("#ticket-status[data-status=verification]").wait_for()
    await fo.locator("#docs-list li[data-code=KTP][data-state=pending]").wait_for()
    await fo.click("#docs-list li[data-code=KTP] button[data-mark=ok]")
    await fo.locator("#docs-list li[data-code=KTP][data-state=ok]").wait_for()
    await fo.click("#actions button[data-action=verify]")
    await citizen.locator("#ticket-status[data-status=awaiting_approval]").wait_for()
    assert pages.console_errors == [] or all("status of 4" in e for e in pages.console_errors)


async def test_walk_in_intake_prints_the_receipt(pages: Pages, axe_script: Path) -> None:
    fo = await pages.signed_in("fo", "/officer")
    await fo.click("#walkin-open")
    await fo.locator("#dlg-walkin[open]").wait_for()
    await fo.fill("#walkin-name", "Pak Darto")
    await fo.fill("#walkin-phone", "0812 9999 0000")
    await fo.fill("#walkin-nik", "1234")  # a NIK that cannot be: refused, nothing made
    await fo.select_option("#walkin-service", "LL")
    await fo.check("#seen-KTP")
    await fo.check("#seen-KK")
    await fo.fill("#wf-PERIHAL", "Keterangan usaha")
    await fo.fill("#wf-KEPERLUAN", "Izin usaha mikro")
    await fo.click("#walkin-form button[type=submit]")
    await fo.locator("#walkin-error", has_text="NIK").wait_for()
    violations = await axe_violations(fo, axe_script)
    assert violations == [], describe(violations)
    await fo.fill("#walkin-nik", "3271014507900003")
    await fo.click("#walkin-form button[type=submit]")
    await fo.locator("#walkin-result:not([hidden])").wait_for()
    done = await fo.text_content("#walkin-done") or ""
    queue, number, code = re.search(r"antrean (\S+), tiket (\S+), kode akses (\w+)", done).groups()  # type: ignore[union-attr]
    assert queue == "A-001"
    href = await fo.get_attribute("#walkin-print a[data-layout='80']", "href")
    assert href is not None and href.endswith("/receipt?layout=80")
    await pages.screenshot(fo, "intake-walkin-registered")

    receipt = await fo.context.new_page()
    await receipt.goto(href)
    assert await receipt.text_content("#r-queue") == queue
    assert await receipt.text_content("#r-number") == number
    assert await receipt.text_content("#r-code") == code
    ticket_id = int(href.split("/")[2])
    assert (await receipt.text_content("#r-url") or "").endswith(f"/t/{ticket_id}")
    svg = receipt.locator("svg.qr")
    assert await svg.get_attribute("role") == "img"
    assert await receipt.locator("svg.qr path").count() == 1
    assert "receipt-80.css" in (await receipt.content())
    await receipt.locator(".docs li", has_text="KTP-el pemohon").wait_for()
    violations = await axe_violations(receipt, axe_script)
    assert violations == [], describe(violations)
    await pages.screenshot(receipt, "intake-receipt-80")
    await receipt.emulate_media(media="print")
    assert not await receipt.locator("#print").is_visible()
    pdf_80 = await receipt.pdf(
        path=str(pages.output / "intake-receipt-80.pdf"), prefer_css_page_size=True
    )
    await receipt.emulate_media(media="screen")
    await receipt.click("nav a[href$='layout=58']")
    await receipt.wait_for_url(re.compile(r"layout=58"))
    assert "receipt-58.css" in (await receipt.content())
    await receipt.click("nav a[href$='layout=a4']")
    await receipt.wait_for_url(re.compile(r"layout=a4"))
    pdf_a4 = await receipt.pdf(
        path=str(pages.output / "intake-receipt-a4.pdf"), prefer_css_page_size=True
    )
    await pages.screenshot(receipt, "intake-receipt-a4")
    # the page sizes of the print stylesheets: 80 mm ≈ 227 pt wide, A4 ≈ 595 × 842 pt
    assert 226 < media_width(pdf_80) < 228
    assert 594 < media_width(pdf_a4) < 596
