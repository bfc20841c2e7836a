"""What each of the 16 letters prints: title, classification code, validity, statement.

``classification`` is the archive classification code of the letter's subject (Pedoman
Klasifikasi Arsip, Permendagri No. 83 Tahun 2022 — e.g. 400.12 social welfare, 400.12.1
population, 300.1 public order): the ``{class}`` placeholder of an office's number
template. ``valid_days`` is how long the letter is valid from its date (shown on it).
``statement`` follows the applicant's data: what the office declares of them. A type not
listed here (an admin may add services) prints :data:`GENERIC`.
"""

from __future__ import annotations

from typing import NamedTuple


class LetterKind(NamedTuple):
    title: str
    classification: str
    valid_days: int
    statement: str


GENERIC = LetterKind(
    "SURAT KETERANGAN", "400.12", 30,
    "Orang tersebut di atas adalah benar warga yang berdomisili di wilayah kami.",
)  # fmt: skip

KINDS: dict[str, LetterKind] = {
    "SKTM": LetterKind("SURAT KETERANGAN TIDAK MAMPU", "400.12.4", 30, "Orang tersebut di atas adalah benar warga kami dan menurut pengetahuan kami tergolong keluarga tidak mampu."),
    "SKCK": LetterKind("SURAT PENGANTAR SKCK", "300.1", 30, "Orang tersebut di atas adalah benar warga kami, berkelakuan baik, dan sepengetahuan kami tidak pernah terlibat perkara pidana."),
    "BPM": LetterKind("SURAT KETERANGAN BELUM PERNAH MENIKAH", "400.12.2", 90, "Orang tersebut di atas adalah benar warga kami dan sampai saat ini belum pernah menikah."),
    "BMR": LetterKind("SURAT KETERANGAN BELUM MEMILIKI RUMAH", "400.12.4", 90, "Orang tersebut di atas adalah benar warga kami dan sampai saat ini belum memiliki rumah."),
    "JD": LetterKind("SURAT KETERANGAN JANDA/DUDA", "400.12.2", 90, "Orang tersebut di atas adalah benar warga kami dan berstatus janda/duda."),
    "KWNI": LetterKind("SURAT KETERANGAN KEMATIAN", "400.12.2", 365, "Menerangkan kematian warga kami sebagaimana tercantum di atas, berdasarkan laporan keluarga dan keterangan yang dilampirkan."),
    "PGH": LetterKind("SURAT KETERANGAN PENGHASILAN", "400.12.4", 30, "Orang tersebut di atas adalah benar warga kami dengan penghasilan sebagaimana dinyatakannya dalam surat pernyataan terlampir."),
    "DYO": LetterKind("SURAT KETERANGAN DOMISILI YAYASAN/ORGANISASI", "400.12.1", 180, "Yayasan/organisasi yang diwakili orang tersebut di atas benar berdomisili di wilayah kami."),
    "PMW": LetterKind("SURAT KETERANGAN PEMEKARAN WILAYAH", "100.3", 180, "Menerangkan bahwa usulan pemekaran wilayah yang diajukan orang tersebut di atas telah dimusyawarahkan oleh warga."),
    "DSN": LetterKind("SURAT KETERANGAN DISPENSASI NIKAH", "400.12.2", 30, "Orang tersebut di atas adalah benar warga kami dan mengajukan dispensasi nikah sesuai ketentuan."),
    "NA": LetterKind("SURAT PENGANTAR PERKAWINAN", "400.12.2", 90, "Orang tersebut di atas adalah benar warga kami dan akan melangsungkan pernikahan."),
    "KLH": LetterKind("SURAT KETERANGAN KELAHIRAN", "400.12.2", 365, "Menerangkan kelahiran anak dari orang tersebut di atas sebagaimana dilaporkan kepada kami."),
    "DHJ": LetterKind("SURAT KETERANGAN DOMISILI HAJI", "400.12.1", 180, "Orang tersebut di atas adalah benar warga kami yang berdomisili di wilayah kami, untuk keperluan ibadah haji."),
    "KSI": LetterKind("SURAT KETERANGAN KEMATIAN SUAMI/ISTRI", "400.12.2", 90, "Menerangkan bahwa suami/istri dari orang tersebut di atas telah meninggal dunia."),
    "LL": LetterKind("SURAT KETERANGAN", "400.12", 30, "Orang tersebut di atas adalah benar warga kami yang berdomisili di wilayah kami."),
    "DCH": LetterKind("SURAT KETERANGAN DOMISILI CALON HAJI", "400.12.1", 180, "Orang tersebut di atas adalah benar warga kami yang berdomisili di wilayah kami dan terdaftar sebagai calon jemaah haji."),
}  # fmt: skip


def kind_of(service_code: str) -> LetterKind:
    return KINDS.get(service_code, GENERIC)
