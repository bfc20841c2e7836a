"""A report as CSV or XLSX (openpyxl): the same rows the page shows, nothing personal.

A report holds no name, phone, NIK or address (:mod:`hub.reports.report`); rejection
reasons are officers' words with digit runs masked. Cells that a spreadsheet would read
as a formula (``=``, ``+``, ``-``, ``@`` first) are written as text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from openpyxl import Workbook

from hub.reports.figures import COLUMNS

HEAD = ["Kantor / Office", "Layanan / Service", *(f"{i} / {en}" for _k, i, en in COLUMNS)]


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


def _table(report: dict[str, Any]) -> Iterator[list[Any]]:
    yield HEAD
    for row in report["rows"]:
        yield [row["office"]["name"], row["service"]["name"], *(row[k] for k, _i, _e in COLUMNS)]
    totals = report["totals"]
    yield ["Total", "", *(totals[k] for k, _i, _e in COLUMNS)]


def _rejections(report: dict[str, Any]) -> Iterator[list[Any]]:
    yield ["Alasan penolakan / Rejection reason", "Jumlah / Count"]
    for r in report["rejections"]:
        yield [r["reason"], r["count"]]


def _ikm(report: dict[str, Any]) -> Iterator[list[Any]]:
    ikm = report["ikm"]
    yield ["Unsur / Element", "NRR"]
    for e in ikm["elements"]:
        yield [e["label"], e["nrr"]]
    yield ["Indeks (1-4) / Index", ikm["index"]]
    yield ["IKM (25-100)", ikm["ikm"]]
    yield ["Mutu / Category", f"{ikm['grade']} {ikm['category']}" if ikm["grade"] else None]
    yield ["Responden / Responses", ikm["responses"]]


def _daily(report: dict[str, Any]) -> Iterator[list[Any]]:
    yield ["Tanggal / Day", "Diterima / Received", "Selesai / Completed", "Ditolak / Rejected"]
    for d in report["daily"]:
        yield [d["day"], d["received"], d["completed"], d["rejected"]]


SECTIONS = (
    ("Laporan", _table), ("Penolakan", _rejections), ("IKM", _ikm), ("Harian", _daily),
)  # fmt: skip


def filename(report: dict[str, Any], ext: str) -> str:
    period = report["period"]
    return f"laporan-{period['from']}-{period['to']}.{ext}"


def to_csv(report: dict[str, Any]) -> bytes:
    """The sections one under another, each with its heading row, a blank line between."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([f"Periode / Period: {report['period']['from']} – {report['period']['to']}"])
    for title, rows in SECTIONS:
        writer.writerow([])
        writer.writerow([title])
        writer.writerows([_cell(v) for v in row] for row in rows(report))
    return ("\ufeff" + out.getvalue()).encode()  # the BOM: spreadsheets read it as UTF-8


def to_xlsx(report: dict[str, Any]) -> bytes:
    """One sheet per section (Laporan, Penolakan, IKM, Harian)."""
    book = Workbook()
    first = True
    for title, rows in SECTIONS:
        sheet = book.active if first else book.create_sheet()
        first = False
        sheet.title = title
        for row in rows(report):
            sheet.append([_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
