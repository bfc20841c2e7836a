"""The letters' HTML pages, rendered on the server: the public check and the pickup receipt.

Every value is escaped; the pages carry the hub's one CSP (``hub.http.page``): no inline
script or style (the print button is ``/static/receipt.js``).
"""

from __future__ import annotations

import html
from datetime import datetime

from hub.clock import JAKARTA
from hub.letters.document import long_date
from hub.letters.models import Letter
from hub.letters.verify import PublicLetter

_HEAD = """<!doctype html><html lang="id"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{title}</title><link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/letters.css">{script}</head><body class="{body}">
<main id="main">"""
_FOOT = "</main></body></html>"

#: The errors these script-free pages can show, by ``code``, in both languages on the page as
#: the rest of their text (the script pages translate ``reason`` in web/src/i18n_errors.js).
_ERRORS = {
    "not_found": "Surat tidak ditemukan / No such letter",
    "rate_limited": "Terlalu sering, coba lagi nanti / Too many requests, try again later",
    "unauthenticated": "Silakan masuk terlebih dahulu / Please log in",
    "forbidden": "Anda tidak berwenang / Not allowed",
    "invalid_transition": "Surat belum diserahkan / The letter has not been handed over yet",
}


def error_words(code: str) -> str:
    """What a letters page says for an error ``code`` (Bahasa Indonesia / English)."""
    return _ERRORS.get(code, "Terjadi kesalahan / Something went wrong")


def _e(text: object) -> str:
    return html.escape(str(text))


def _head(title: str, body: str, script: bool = False) -> str:
    tag = '\n<script src="/static/receipt.js" defer></script>' if script else ""
    return _HEAD.format(title=_e(title), body=body, script=tag)


def _rows(rows: list[tuple[str, str]]) -> str:
    return "".join(f"<dt>{label}</dt><dd>{_e(value)}</dd>" for label, value in rows)


def verify_page(found: PublicLetter | None, message: str | None = None) -> str:
    """The public check: a letter's facts and its state, or a plain 'not found'."""
    out = [_head("Cek Keaslian Surat — ASINAN Kota Bogor", "verify")]
    out.append('<p class="brand">ASINAN Kota Bogor</p>')
    out.append('<h1>Cek keaslian surat <span lang="en">/ Letter check</span></h1>')
    if found is None:
        out.append(f'<p class="state unknown" role="status">{_e(message or "")}</p>')
        out.append("<p>Periksa kembali kode QR pada surat. / Check the QR code on the letter.</p>")
        out.append(_FOOT)
        return "".join(out)
    if found.revoked_on is None:
        state = (
            '<p class="state valid" role="status" data-status="valid"><strong>SAH</strong>: '
            "surat ini terdaftar dan tidak dicabut. "
            '<span lang="en"><strong>VALID</strong>: this letter is on record and not '
            "revoked.</span></p>"
        )
    else:
        day = long_date(found.revoked_on)
        state = (
            '<p class="state revoked" role="status" data-status="revoked">'
            f"<strong>DICABUT</strong> pada {_e(day)}: surat ini tidak berlaku lagi. "
            f'<span lang="en"><strong>REVOKED</strong> on {found.revoked_on.isoformat()}: '
            "this letter is no longer valid.</span></p>"
        )
    out.append(state)
    out.append("<dl>")
    out.append(
        _rows(
            [
                ('Jenis surat <span lang="en">/ Type</span>', found.service_name),
                ('Nomor <span lang="en">/ Number</span>', found.number),
                ('Tanggal <span lang="en">/ Date</span>', long_date(found.issued_on)),
                ('Kantor <span lang="en">/ Office</span>', found.office_name),
            ]
        )
    )
    out.append("</dl>")
    out.append(
        '<p class="note">Halaman ini tidak menampilkan data pribadi pemohon. '
        '<span lang="en">This page shows no personal data.</span></p>'
    )
    out.append(_FOOT)
    return "".join(out)


def _when(ts: datetime) -> str:
    local = ts.astimezone(JAKARTA)
    return f"{long_date(local.date())} {local:%H:%M} WIB"


def pickup_receipt_page(ticket_number: str, letter: Letter) -> str:
    """The printable pickup receipt: who took which letter, when, from whom."""
    c = letter.content
    assert letter.handed_over_at is not None
    how = {
        "access_code": "Kode akses diperiksa / Access code checked",
        "qr": "QR tanda terima dipindai, KTP diperiksa / Receipt QR scanned, ID checked",
        "download": "Diunduh pemohon (elektronik) / Downloaded by the applicant",
    }.get(letter.pickup_method or "", letter.pickup_method or "")
    rows = [
        ('Nomor tiket <span lang="en">/ Ticket</span>', ticket_number),
        ('Jenis surat <span lang="en">/ Letter</span>', str(c.get("service_name", ""))),
        ('Nomor surat <span lang="en">/ Letter number</span>', letter.number),
        ('Diterima oleh <span lang="en">/ Received by</span>', letter.collector_name or ""),
        ('Waktu <span lang="en">/ When</span>', _when(letter.handed_over_at)),
        ('Cara <span lang="en">/ How</span>', how),
    ]
    if letter.handed_over_by_name:
        rows.append(('Diserahkan oleh <span lang="en">/ Handed over by</span>',
                     letter.handed_over_by_name))  # fmt: skip
    head = "".join(f'<p class="head">{_e(line)}</p>' for line in c.get("letterhead", []))
    out = [
        _head(f"Tanda Terima Pengambilan {ticket_number}", "pickup-receipt", script=True),
        f'<header class="letterhead">{head}</header>',
        '<h1>Tanda terima pengambilan surat <span lang="en">/ Pickup receipt</span></h1>',
        f"<dl>{_rows(rows)}</dl>",
        '<button type="button" id="print">Cetak <span lang="en">/ Print</span></button>',
        _FOOT,
    ]
    return "".join(out)


def error_page(status_text: str, message: str) -> str:
    return "".join(
        [
            _head(status_text, "verify"),
            f'<h1>{_e(status_text)}</h1><p role="status">{_e(message)}</p>',
            '<p><a href="/">Masuk <span lang="en">/ Log in</span></a></p>',
            _FOOT,
        ]
    )
