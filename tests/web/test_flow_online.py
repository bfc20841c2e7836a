"""The whole request online, in Chromium: the citizen's form on a 360 px phone → the front
office marks a document missing → the citizen sees it live and uploads it again (a wrong
file first: the typed error, nothing changes) → verify → the staff's check → approve →
the letter's PDF read back → the public check (valid, nothing personal) → the citizen's
electronic receipt completes the request → the pickup receipt. No JavaScript exception
on any page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hub.models import TicketStatus
from tests.letters.helpers import give_nip, ticket_of
from tests.web.conftest import Pages
from tests.web.flow_support import (
    NIP,
    TEXT_FILE,
    Flow,
    act,
    allow_electronic_delivery,
    approve,
    check_pdf,
    downloaded,
    mark_missing,
    mark_ok,
    png,
    public_check,
    status_is,
    unchanged,
)

pytestmark = pytest.mark.browser

DOCS = ("PENGANTAR_RT_RW", "KTP", "KK")
PURPOSE = "Keringanan biaya sekolah anak"


async def test_online_request_from_the_form_to_the_electronic_pickup_receipt(
    pages: Pages, axe_script: Path
) -> None:
    flow = Flow(pages, axe_script)
    w = pages.world
    await give_nip(pages.live.hub, w.users["approver"], NIP)

    # the form, on a phone: SKTM (high risk: the staff check before approval)
    citizen = await flow.person("citizen", "/ajukan", phone=True)
    await citizen.select_option("#f-service", "SKTM")
    await citizen.locator("#s-docs:not([hidden])").wait_for()
    await citizen.select_option("#f-office", str(w.offices["kel_a"]))
    await citizen.wait_for_function("() => window.hub && window.hub.draft?.office_id")
    await citizen.set_input_files("#doc-KK", files=[TEXT_FILE])  # not a photo, not a PDF
    await citizen.locator("#f-docs li[data-code=KK] .error", has_text="KK").wait_for()
    assert await citizen.get_attribute("#f-docs li[data-code=KK]", "data-has-file") == "0"
    for code in DOCS:
        await citizen.set_input_files(f"#doc-{code}", files=[png(f"{code.lower()}.png")])
        await citizen.locator(f"#f-docs li[data-code={code}][data-has-file='1']").wait_for()
    await citizen.fill("#ff-KEPERLUAN", PURPOSE)
    await citizen.fill("#ff-PEKERJAAN", "Buruh harian lepas")
    await citizen.fill("#ff-PENGHASILAN", "1500000")
    await citizen.fill("#ff-TANGGUNGAN", "3")
    await citizen.wait_for_function("() => window.hub.draft.form.TANGGUNGAN === '3'")
    await citizen.locator("#f-missing", has_text="Lengkap").wait_for()
    assert await citizen.evaluate("document.documentElement.scrollWidth") <= 360
    await pages.screenshot(citizen, "flow-online-form-360")
    async with citizen.expect_navigation(url=re.compile(r"/t/\d+$")):
        await citizen.click("#f-submit")
    tid = int(citizen.url.rsplit("/", 1)[1])
    await citizen.locator("#my-docs li[data-code=KTP]").wait_for()

    # the front office: KTP unreadable → documents incomplete
    fo = await flow.person("fo", f"/officer#t={tid}")
    await act(fo, "start_verification")
    await fo.locator("#docs-list li[data-code=KTP] button[data-mark=ok]").wait_for()
    await mark_missing(fo, "KTP", "Foto KTP buram, mohon foto ulang")
    await mark_ok(fo, "PENGANTAR_RT_RW", "KK")
    await act(fo, "request_documents")

    # the citizen, live: the status, the reason; a wrong file is refused, then the photo
    await status_is(citizen, "documents_incomplete")
    await citizen.locator("#my-docs li[data-code=KTP] .doc-reason", has_text="buram").wait_for()
    before = await ticket_of(pages.live.hub, tid)
    await citizen.set_input_files("#re-KTP", files=[TEXT_FILE])
    await citizen.locator("#my-docs li[data-code=KTP] .error", has_text="KTP").wait_for()
    await unchanged(pages, tid, before)
    await flow.axe_clean(citizen)
    await citizen.set_input_files("#re-KTP", files=[png("ktp-baru.png")])
    await status_is(citizen, "verification")

    # verify (the staff's desk next: high risk), the staff's check, the approver's desk
    await fo.locator("#docs-list li[data-code=KTP][data-state=pending]").wait_for()
    await mark_ok(fo, "KTP")
    await act(fo, "verify")
    await status_is(citizen, "staff_verification")
    staff = await flow.person("staff", f"/officer#t={tid}")
    await act(staff, "staff_verify")
    await status_is(citizen, "awaiting_approval")

    approver = await flow.person("approver", f"/officer#t={tid}")
    letter = await approve(approver, pages, tid)
    await status_is(citizen, "approved")
    check_pdf(await downloaded(approver, "#letter-pdf"), letter,
              "Uji citizen", f"keperluan: {PURPOSE}", "Buruh harian lepas")  # fmt: skip
    await public_check(flow, letter, "Uji citizen", PURPOSE, "6281200000001")

    # the office delivers electronically: the citizen's download completes the request
    await allow_electronic_delivery(pages, "kel_a")
    await citizen.reload()
    await citizen.locator("#letter-receive:not([hidden])").wait_for()
    body = await downloaded(citizen, "#letter-receive")
    check_pdf(body, letter, "Uji citizen", f"keperluan: {PURPOSE}")
    await status_is(citizen, "completed")
    assert (await ticket_of(pages.live.hub, tid)).status is TicketStatus.completed
    await citizen.locator("#letter-pickup-receipt:not([hidden])").wait_for()
    await pages.screenshot(citizen, "flow-online-completed")
    async with citizen.context.expect_page() as opened:
        await citizen.click("#letter-pickup-receipt")
    receipt = await opened.value
    await receipt.wait_for_load_state()
    content = await receipt.content()
    for expected in (letter.number, "Tanda terima pengambilan", "Diunduh pemohon"):
        assert expected in content, expected
    await flow.axe_clean(receipt)
    flow.assert_no_js_errors()
