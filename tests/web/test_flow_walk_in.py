"""The whole request at the counter, in Chromium: the front office registers a walk-in
(NIK, form, the documents seen) → marks the photo missing → the applicant, signed in on
their phone with the receipt, sees it live and uploads it (a PDF where only a photo will
do: the typed error, nothing changes) → verify → the staff's check → approve (refused
while a document is not OK: the typed error, no letter) → the PDF read back (the NIK
sealed at the counter printed) → the public check → pickup at the counter (a wrong code:
the typed error, nothing changes; then the right one) → the pickup receipt. No JavaScript
exception on any page."""

from __future__ import annotations

from pathlib import Path

import pytest

from hub.intake.models import DocumentState
from hub.models import TicketStatus
from tests.letters.helpers import give_nip, letter_of, ticket_of
from tests.web.conftest import Pages
from tests.web.flow_support import (
    NIP,
    PDF_FILE,
    Flow,
    act,
    approve,
    check_pdf,
    downloaded,
    mark_missing,
    mark_ok,
    png,
    public_check,
    set_document,
    status_is,
    unchanged,
    walk_in_result,
)

pytestmark = pytest.mark.browser

NIK = "3271011708900004"
PURPOSE = "Melamar pekerjaan di pabrik"


async def test_walk_in_request_from_the_counter_to_the_pickup_receipt(
    pages: Pages, axe_script: Path
) -> None:
    flow = Flow(pages, axe_script)
    w = pages.world
    hub = pages.live.hub
    await give_nip(hub, w.users["approver"], NIP)

    # the counter: SKCK (high risk), the pas foto not brought
    fo = await flow.person("fo", "/officer")
    await fo.click("#walkin-open")
    await fo.locator("#dlg-walkin[open]").wait_for()
    await fo.fill("#walkin-name", "Pak Darto")
    await fo.fill("#walkin-phone", "0812 9999 0000")
    await fo.fill("#walkin-nik", NIK)
    await fo.select_option("#walkin-service", "SKCK")
    for code in ("PENGANTAR_RT_RW", "KTP", "KK"):
        await fo.check(f"#seen-{code}")
    await fo.fill("#wf-KEPERLUAN", PURPOSE)
    await fo.fill("#wf-PEKERJAAN", "Belum bekerja")
    await fo.fill("#wf-TEMPAT_LAHIR", "Bogor")
    await fo.fill("#wf-TANGGAL_LAHIR", "1990-08-17")
    await fo.click("#walkin-form button[type=submit]")
    await fo.locator("#walkin-result:not([hidden])").wait_for()
    _queue, number, code = walk_in_result(await fo.text_content("#walkin-done") or "")
    href = await fo.get_attribute("#walkin-print a[data-layout='80']", "href")
    assert href is not None
    tid = int(href.split("/")[2])
    await fo.click("#walkin-close")

    await fo.goto(f"/officer#t={tid}")
    await act(fo, "start_verification")
    await fo.locator("#docs-list li[data-code=KK][data-state=ok]").wait_for()  # seen at intake
    await mark_missing(fo, "PAS_FOTO", "Pas foto 4x6 belum dibawa")
    await act(fo, "request_documents")

    # the applicant on their phone, signed in with the receipt: live, and a wrong file kind
    applicant = await flow.receipt_holder(number, code, tid)
    await status_is(applicant, "documents_incomplete")
    await applicant.locator(
        "#my-docs li[data-code=PAS_FOTO] .doc-reason", has_text="belum dibawa"
    ).wait_for()
    assert await applicant.get_attribute("#re-PAS_FOTO", "accept") == "image/*"
    before = await ticket_of(hub, tid)
    await applicant.set_input_files("#re-PAS_FOTO", files=[PDF_FILE])
    await applicant.locator(
        "#my-docs li[data-code=PAS_FOTO] .error", has_text="PAS_FOTO harus berupa foto"
    ).wait_for()
    await unchanged(pages, tid, before)
    await pages.screenshot(applicant, "flow-walkin-wrong-file")
    await flow.axe_clean(applicant)
    await applicant.set_input_files("#re-PAS_FOTO", files=[png("pasfoto.png")])
    await status_is(applicant, "verification")

    await fo.locator("#docs-list li[data-code=PAS_FOTO][data-state=pending]").wait_for()
    await mark_ok(fo, "PAS_FOTO")
    await act(fo, "verify")
    await status_is(applicant, "staff_verification")
    staff = await flow.person("staff", f"/officer#t={tid}")
    await act(staff, "staff_verify")
    await status_is(applicant, "awaiting_approval")

    # approving while a document is not OK: refused, shown, nothing changes, no letter
    approver = await flow.person("approver", f"/officer#t={tid}")
    await approver.locator("#actions button[data-action=approve]").wait_for()
    await set_document(pages, tid, "KK", DocumentState.pending)
    before = await ticket_of(hub, tid)
    await act(approver, "approve")
    await approver.locator("#action-error", has_text="Dokumen wajib belum semua OK").wait_for()
    await unchanged(pages, tid, before)
    assert await letter_of(hub, tid) is None
    await pages.screenshot(approver, "flow-walkin-approve-refused")
    await set_document(pages, tid, "KK", DocumentState.ok)

    letter = await approve(approver, pages, tid)
    assert letter.seq == 1  # the refused approval took no number
    await status_is(applicant, "approved")
    check_pdf(await downloaded(approver, "#letter-pdf"), letter,
              "Pak Darto", NIK, f"keperluan: {PURPOSE}", "Belum bekerja",
              "17 Agustus 1990")  # fmt: skip
    await public_check(flow, letter, "Pak Darto", NIK, PURPOSE)

    # pickup at the counter: the receipt's QR scanned, a wrong code, then the right one
    await fo.goto("/officer")
    await fo.fill("#scan-input", f"{pages.live.url}/t/{tid}")
    await fo.click("#scan-form button[type=submit]")
    await fo.locator("#pickup-form:not([hidden])").wait_for()
    before = await ticket_of(hub, tid)
    await fo.fill("#pickup-code", "ZZZZ2222")
    await fo.click("#pickup-form button[type=submit]")
    await fo.locator("#letter-error", has_text="Kode akses salah").wait_for()
    await unchanged(pages, tid, before)
    assert (await letter_of(hub, tid)).handed_over_at is None  # type: ignore[union-attr]
    await fo.fill("#pickup-code", code)
    await fo.click("#pickup-form button[type=submit]")
    await fo.locator("#letter-receipt:not([hidden])").wait_for()
    assert (await ticket_of(hub, tid)).status is TicketStatus.completed
    await status_is(applicant, "completed")
    async with fo.context.expect_page() as opened:
        await fo.click("#letter-receipt")
    receipt = await opened.value
    await receipt.wait_for_load_state()
    content = await receipt.content()
    for expected in (letter.number, number, "Pak Darto", "Uji fo", "Tanda terima pengambilan"):
        assert expected in content, expected
    assert NIK not in content
    await pages.screenshot(receipt, "flow-walkin-pickup-receipt")
    await flow.axe_clean(receipt)
    flow.assert_no_js_errors()
