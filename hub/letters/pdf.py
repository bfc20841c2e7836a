"""The letter as a PDF (ReportLab): letterhead, title and number, the applicant, the
statement, purpose and validity, the signature block, and the QR code of its public check.

Pure: :func:`render_letter` turns a :class:`LetterDoc` into bytes, the same bytes every
time (``invariant``: no clock, no random document id). It takes some milliseconds of CPU,
so callers run it in a thread, never on the event loop and never inside a transaction.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

FONT = "Helvetica"
BOLD = "Helvetica-Bold"
MARGIN = 25 * mm
QR_SIZE = 28 * mm


@dataclass(frozen=True)
class LetterDoc:
    """What one letter prints, in the order it prints it (all text already worded)."""

    letterhead: tuple[str, ...]
    address: str | None
    title: str
    number: str
    intro: str
    applicant: tuple[tuple[str, str], ...]
    statement: str
    purpose: str
    details: tuple[tuple[str, str], ...]
    valid_until: str
    closing: str
    place_date: str
    signer_title: str
    signer_name: str
    signer_nip: str | None
    verify_url: str


class _Page:
    """A cursor down an A4 page."""

    def __init__(self, canvas: Canvas) -> None:
        self.c = canvas
        self.width, self.height = A4
        self.y = self.height - 20 * mm

    def centred(self, text: str, font: str, size: float, gap: float = 1.35) -> None:
        self.c.setFont(font, size)
        self.c.drawCentredString(self.width / 2, self.y, text)
        self.y -= size * gap

    def paragraph(self, text: str, size: float = 11, indent: float = 0) -> None:
        width = self.width - 2 * MARGIN - indent
        self.c.setFont(FONT, size)
        for line in simpleSplit(text, FONT, size, width):
            self.c.drawString(MARGIN + indent, self.y, line)
            self.y -= size * 1.45
        self.y -= size * 0.5

    def rows(self, rows: tuple[tuple[str, str], ...], size: float = 11) -> None:
        label_x, colon_x, value_x = MARGIN + 10 * mm, MARGIN + 48 * mm, MARGIN + 52 * mm
        width = self.width - MARGIN - value_x
        for label, value in rows:
            self.c.setFont(FONT, size)
            self.c.drawString(label_x, self.y, label)
            self.c.drawString(colon_x, self.y, ":")
            for line in simpleSplit(value, FONT, size, width) or [""]:
                self.c.drawString(value_x, self.y, line)
                self.y -= size * 1.45
        self.y -= size * 0.5


def _letterhead(page: _Page, doc: LetterDoc) -> None:
    sizes = [14.0] * (len(doc.letterhead) - 1) + [16.0]
    for text, size in zip(doc.letterhead, sizes, strict=True):
        page.centred(text.upper(), BOLD, size, 1.3)
    if doc.address:
        for line in simpleSplit(doc.address, FONT, 9.5, page.width - 2 * MARGIN)[:2]:
            page.centred(line, FONT, 9.5, 1.3)
    page.y += 2
    page.c.setLineWidth(2)
    page.c.line(MARGIN, page.y, page.width - MARGIN, page.y)
    page.c.setLineWidth(0.6)
    page.c.line(MARGIN, page.y - 2.5, page.width - MARGIN, page.y - 2.5)
    page.y -= 12 * mm


def _title(page: _Page, doc: LetterDoc) -> None:
    page.c.setFont(BOLD, 13)
    page.c.drawCentredString(page.width / 2, page.y, doc.title)
    half = page.c.stringWidth(doc.title, BOLD, 13) / 2
    page.c.line(page.width / 2 - half, page.y - 2, page.width / 2 + half, page.y - 2)
    page.y -= 16
    page.centred(f"Nomor: {doc.number}", FONT, 11, 2.4)


def _signature(page: _Page, doc: LetterDoc) -> float:
    """The signature block on the right half; returns the y of its top line."""
    x = page.width / 2 + 10 * mm
    top = float(page.y)
    c = page.c
    c.setFont(FONT, 11)
    c.drawString(x, page.y, doc.place_date)
    page.y -= 15
    for line in simpleSplit(doc.signer_title, BOLD, 11, page.width - MARGIN - x):
        c.setFont(BOLD, 11)
        c.drawString(x, page.y, line)
        page.y -= 15
    page.y -= 22 * mm
    c.setFont(BOLD, 11)
    c.drawString(x, page.y, doc.signer_name)
    c.line(x, page.y - 2, x + c.stringWidth(doc.signer_name, BOLD, 11), page.y - 2)
    page.y -= 15
    if doc.signer_nip:
        c.setFont(FONT, 11)
        c.drawString(x, page.y, f"NIP. {doc.signer_nip}")
        page.y -= 15
    return top


def _qr(page: _Page, doc: LetterDoc, top: float) -> None:
    widget = QrCodeWidget(doc.verify_url, barLevel="M")
    x1, y1, x2, y2 = widget.getBounds()
    drawing = Drawing(
        QR_SIZE, QR_SIZE, transform=[QR_SIZE / (x2 - x1), 0, 0, QR_SIZE / (y2 - y1), 0, 0]
    )
    drawing.add(widget)
    bottom = top - QR_SIZE - 6
    renderPDF.draw(drawing, page.c, MARGIN, bottom)
    page.c.setFont(FONT, 7.5)
    captions = ["Pindai untuk memeriksa keaslian surat", "Scan to check this letter:"]
    y = bottom - 8
    for line in [*captions, *simpleSplit(doc.verify_url, FONT, 7.5, page.width / 2 - MARGIN)]:
        page.c.drawString(MARGIN, y, line)
        y -= 9


def render_letter(doc: LetterDoc) -> bytes:
    """The letter as a one-page A4 PDF (deterministic)."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=1, pageCompression=1)
    canvas.setTitle(f"{doc.title} {doc.number}")
    canvas.setAuthor("ASINAN Kota Bogor")
    canvas.setSubject(doc.title)
    page = _Page(canvas)
    _letterhead(page, doc)
    _title(page, doc)
    page.paragraph(doc.intro)
    page.rows(doc.applicant)
    page.paragraph(doc.statement)
    page.paragraph(f"Surat keterangan ini diberikan untuk keperluan: {doc.purpose}.")
    if doc.details:
        page.rows(doc.details)
    page.paragraph(f"Surat ini berlaku sampai dengan {doc.valid_until}.")
    page.paragraph(doc.closing)
    page.y -= 4 * mm
    top = _signature(page, doc)
    _qr(page, doc, top)
    canvas.showPage()
    canvas.save()
    return out.getvalue()
