"""What the whole-flow browser tests share: pages that record JavaScript exceptions, the
officer's per-document checks and status buttons, the PDF read back, the public check."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

from sqlalchemy import update

from hub.intake.models import DocumentState, TicketDocument
from hub.letters.models import Letter
from hub.letters.office_settings import update_settings
from hub.models import Ticket
from tests.letters.helpers import letter_of, pdf_text, ticket_of
from tests.web.conftest import Pages
from tests.web.helpers import axe_violations, describe
from tests.web.test_console_and_citizen import small_png

NIP = "198001012005011002"
#: a file that is no document at all (sniffed: neither a photo nor a PDF)
TEXT_FILE = {"name": "catatan.txt", "mimeType": "text/plain", "buffer": b"bukan dokumen\n"}
PDF_FILE = {
    "name": "pasfoto.pdf",
    "mimeType": "application/pdf",
    "buffer": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
}


def png(name: str) -> dict[str, object]:
    return {"name": name, "mimeType": "image/png", "buffer": small_png()}


class Flow:
    """The browser contexts of one flow; every JavaScript exception (``weberror``) of any
    of their pages is kept, and the test ends asserting there was none."""

    def __init__(self, pages: Pages, axe_script: Path) -> None:
        self.pages = pages
        self.axe_script = axe_script
        self.js_errors: list[str] = []

    async def context(self, *, phone: bool = False) -> Any:
        ctx = await self.pages.context(phone=phone)
        ctx.on("weberror", lambda e: self.js_errors.append(f"{e.page and e.page.url}: {e.error}"))
        return ctx

    async def person(self, who: str, path: str, *, phone: bool = False) -> Any:
        """``who`` (a key of ``PEOPLE``) signed in through the login page, at ``path``."""
        return await self.pages.sign_in(await self.context(phone=phone), who, path)

    async def receipt_holder(self, number: str, code: str, ticket_id: int) -> Any:
        """A walk-in applicant on their phone, signed in with the receipt's number and code."""
        page = await (await self.context(phone=True)).new_page()
        await page.goto(f"/?next=/t/{ticket_id}")
        await page.fill("#receipt-number", number)
        await page.fill("#receipt-code", code)
        async with page.expect_navigation(url=lambda u: u.endswith(f"/t/{ticket_id}")):
            await page.click("#form-receipt button[type=submit]")
        return page

    async def axe_clean(self, page: Any) -> None:
        violations = await axe_violations(page, self.axe_script)
        assert violations == [], describe(violations)

    def assert_no_js_errors(self) -> None:
        assert self.js_errors == [], self.js_errors


async def act(officer: Any, action: str) -> None:
    """Click a status button of the console's open ticket."""
    await officer.click(f"#actions button[data-action={action}]")


async def mark_ok(officer: Any, *codes: str) -> None:
    for code in codes:
        await officer.click(f"#docs-list li[data-code={code}] button[data-mark=ok]")
        await officer.locator(f"#docs-list li[data-code={code}][data-state=ok]").wait_for()


async def mark_missing(officer: Any, code: str, reason: str) -> None:
    await officer.click(f"#docs-list li[data-code={code}] button[data-mark=missing]")
    await officer.fill(f"#reason-{code}", reason)
    await officer.click(f"#docs-list li[data-code={code}] form button[type=submit]")
    await officer.locator(f"#docs-list li[data-code={code}][data-state=missing]").wait_for()


async def status_is(page: Any, status: str) -> None:
    """The citizen's ticket page shows ``status`` (it arrives live)."""
    await page.locator(f"#ticket-status[data-status={status}]").wait_for()


async def downloaded(page: Any, selector: str) -> bytes:
    """The bytes of the download a click on ``selector`` starts."""
    async with page.expect_download() as caught:
        await page.click(selector)
    path = Path(await (await caught.value).path())
    return await asyncio.to_thread(path.read_bytes)


async def approve(approver: Any, pages: Pages, ticket_id: int) -> Letter:
    """The approver approves in the console; the letter panel shows the issued number."""
    await act(approver, "approve")
    await approver.locator("#letter-panel:not([hidden]) #letter-info dd").first.wait_for()
    letter = await letter_of(pages.live.hub, ticket_id)
    assert letter is not None
    await approver.locator("#letter-info dd", has_text=letter.number).wait_for()
    return letter


def check_pdf(body: bytes, letter: Letter, *expected: str) -> str:
    """The PDF's text holds the number, the signer and NIP, the QR's link and ``expected``."""
    assert body.startswith(b"%PDF")
    text = pdf_text(body)
    for want in (f"Nomor: {letter.number}", "Uji approver", f"NIP. {NIP}",
                 f"/verify/{letter.verify_code}", *expected):  # fmt: skip
        assert want in text, (want, text)
    return text


async def public_check(flow: Flow, letter: Letter, *personal: str) -> None:
    """The letter's QR page, for anyone: valid, the letter's number, nothing personal."""
    anyone = await (await flow.context(phone=True)).new_page()
    await anyone.goto(f"/verify/{letter.verify_code}")
    await anyone.locator("[data-status=valid]").wait_for()
    content = await anyone.content()
    assert letter.number in content
    for word in personal:
        assert word not in content, word
    await flow.axe_clean(anyone)


async def unchanged(pages: Pages, ticket_id: int, before: Ticket) -> None:
    after = await ticket_of(pages.live.hub, ticket_id)
    assert (after.status, after.version) == (before.status, before.version)


async def set_document(pages: Pages, ticket_id: int, code: str, state: DocumentState) -> None:
    """Change a document's check behind the desk's back (what the gate must still catch)."""
    async with pages.live.hub.unit() as unit:
        await unit.session.execute(
            update(TicketDocument)
            .where(TicketDocument.ticket_id == ticket_id, TicketDocument.code == code)
            .values(state=state)
        )


async def allow_electronic_delivery(pages: Pages, office: str) -> None:
    w = pages.world
    async with w.hub.unit() as unit:
        await update_settings(unit, w.principals["admin"], w.offices[office],
                              electronic_delivery=True)  # fmt: skip


def walk_in_result(text: str) -> tuple[str, str, str]:
    """(queue, ticket number, access code) from the console's walk-in confirmation."""
    found = re.search(r"antrean (\S+), tiket (\S+), kode akses (\w+)", text)
    assert found is not None, text
    return found.group(1), found.group(2), found.group(3)
