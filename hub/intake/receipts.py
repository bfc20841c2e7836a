"""The receipt (resi, the temporary letter): who may see it, and its printable page.

``GET /tickets/{id}/receipt`` opens for the logged-in applicant and the office's officers
as it is, and for anyone with ``?code=`` (the walk-in's printed access code; a wrong one is
counted and rate limited by :func:`hub.logins.check_receipt_code`). Layouts: thermal paper
58 mm and 80 mm, and A4 (``?layout=58|80|a4``), each its own print stylesheet with its
``@page`` size. The QR code (SVG, made here by segno: no request leaves the page) holds the
ticket page's address.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Literal

import segno
from sqlalchemy.ext.asyncio import AsyncSession

from hub.clock import JAKARTA
from hub.errors import NotFound
from hub.intake import store
from hub.intake.codes import AccessCodeVault
from hub.intake.models import DocumentState, TicketDocument
from hub.models import Channel, Office, ServiceType, Ticket
from hub.principal import Principal
from hub.tickets import views

Layout = Literal["58", "80", "a4"]
LAYOUTS: dict[str, str] = {"58": "58 mm", "80": "80 mm", "a4": "A4"}
STATE_MARKS = {
    DocumentState.ok: ("✓", "diperiksa OK / checked"),
    DocumentState.missing: ("✗", "kurang / missing"),
    DocumentState.pending: ("•", "diterima / received"),
}


def layout_of(raw: str | None, t: Ticket) -> Layout:
    """The asked layout, or thermal 80 mm for a walk-in and A4 for an online request."""
    if raw == "58":
        return "58"
    if raw == "80":
        return "80"
    if raw == "a4":
        return "a4"
    return "80" if t.channel is Channel.walk_in else "a4"


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as inline SVG (no size attributes: the stylesheet sizes it)."""
    svg = segno.make(url, error="m").svg_inline(
        scale=4, border=2, svgclass="qr", lineclass=None, omitsize=True
    )
    label = html.escape(f"Kode QR: {url}", quote=True)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)


@dataclass(frozen=True)
class ReceiptParts:
    ticket: Ticket
    service: ServiceType
    office: Office | None
    code: str | None
    documents: list[TicketDocument]


async def receipt_parts(
    session: AsyncSession, p: Principal | None, ticket_id: int, vault: AccessCodeVault
) -> ReceiptParts:
    """What the receipt shows. ``p`` None: the caller checked the access code; else ``p``
    must be allowed to view the ticket (its applicant, its receipt, the office's officers)."""
    if p is None:
        t = await views.receipt_ticket(session, ticket_id)
    else:
        try:
            t = await views.visible_ticket(session, p, ticket_id)
        except NotFound:
            raise NotFound("receipt_not_found") from None
    service = await views.service_of(session, t)
    row = await store.intake(session, t.id)
    return ReceiptParts(
        ticket=t, service=service, office=await store.office(session, t.office_id),
        code=vault.open(t.id, row.access_code_cipher) if row else None,
        documents=await store.documents(session, t.id),
    )  # fmt: skip


@dataclass(frozen=True)
class ReceiptData:
    ticket: Ticket
    service: ServiceType
    office: Office | None
    code: str | None
    documents: list[TicketDocument]
    site: str
    layout: Layout
    #: ``?code=…`` to keep in the layout links (the code-holder's way in), or ""
    query_code: str = ""


def _doc_rows(docs: list[TicketDocument]) -> str:
    rows = []
    for d in docs:
        if d.state is DocumentState.pending and d.file_id is None:
            mark, word = "–", "belum ada / none yet"
        else:
            mark, word = STATE_MARKS[d.state]
        rows.append(
            f'<li><span class="mark" aria-hidden="true">{mark}</span> '
            f'{html.escape(d.name)} <span class="muted">({word})</span></li>'
        )
    return "".join(rows) or '<li class="muted">—</li>'


def _layout_links(r: ReceiptData) -> str:
    links = []
    for key, label in LAYOUTS.items():
        query = f"?layout={key}" + (
            f"&amp;code={html.escape(r.query_code)}" if r.query_code else ""
        )
        current = ' aria-current="page"' if key == r.layout else ""
        links.append(f'<a href="/tickets/{r.ticket.id}/receipt{query}"{current}>{label}</a>')
    return " · ".join(links)


def render(r: ReceiptData) -> str:
    t = r.ticket
    page_url = f"{r.site}/t/{t.id}"
    code = html.escape(r.code) if r.code else "—"
    office = html.escape(r.office.name) if r.office else ""
    created = t.created_at.astimezone(JAKARTA).strftime("%d-%m-%Y %H:%M")
    return f"""<!doctype html><html lang="id"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Tanda Terima {html.escape(t.number)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/receipt.css">
<link rel="stylesheet" href="/static/receipt-{r.layout}.css">
<script src="/static/receipt.js" defer></script></head>
<body class="receipt layout-{r.layout}" data-layout="{r.layout}">
<main>
<h1>ASINAN Kota Bogor</h1>
<p class="office">{office}</p>
<p class="kind">Tanda terima permohonan (resi) / Application receipt</p>
<dl>
<dt>Nomor antrean / Queue</dt><dd class="big" id="r-queue">{html.escape(t.queue_label)}</dd>
<dt>Nomor tiket / Ticket</dt><dd id="r-number">{html.escape(t.number)}</dd>
<dt>Kode akses / Access code</dt><dd class="big" id="r-code">{code}</dd>
<dt>Layanan / Service</dt><dd>{html.escape(r.service.name)}</dd>
<dt>Pemohon / Applicant</dt><dd>{html.escape(t.applicant_name)}</dd>
<dt>Tanggal / Date</dt><dd>{created} WIB</dd>
</dl>
<h2>Dokumen / Documents</h2>
<ul class="docs">{_doc_rows(r.documents)}</ul>
<figure class="qr-box">{qr_svg(page_url)}
<figcaption id="r-url">{html.escape(page_url)}</figcaption></figure>
<p class="note">Pantau permohonan di {html.escape(r.site)}/ dengan nomor tiket dan kode akses.
Surat keterangan sementara: tunjukkan resi ini saat mengambil surat.<br>
Follow your request at {html.escape(r.site)}/ with the ticket number and access code.
Show this receipt when you collect the letter.</p>
</main>
<nav class="no-print" aria-label="Ukuran kertas / Paper size">{_layout_links(r)}</nav>
<p class="no-print"><button type="button" id="print">Cetak / Print</button></p>
</body></html>"""
