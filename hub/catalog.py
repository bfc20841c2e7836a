"""Kota Bogor reference data: its kecamatan and kelurahan, and the 16 ASINAN letters."""

from __future__ import annotations

from typing import NamedTuple

from hub.models import OfficeLevel, Risk

KOTA = ("BGR", "Pemerintah Kota Bogor")

#: The 6 kecamatan with (a few of) their kelurahan: code → name.
KECAMATAN: dict[str, tuple[str, dict[str, str]]] = {
    "BGR-BU": ("Kecamatan Bogor Utara", {"BGR-BU-01": "Kelurahan Bantarjati", "BGR-BU-02": "Kelurahan Tegal Gundil"}),
    "BGR-BS": ("Kecamatan Bogor Selatan", {"BGR-BS-01": "Kelurahan Batutulis", "BGR-BS-02": "Kelurahan Empang"}),
    "BGR-BT": ("Kecamatan Bogor Timur", {"BGR-BT-01": "Kelurahan Baranangsiang", "BGR-BT-02": "Kelurahan Katulampa"}),
    "BGR-BB": ("Kecamatan Bogor Barat", {"BGR-BB-01": "Kelurahan Menteng", "BGR-BB-02": "Kelurahan Cilendek Barat"}),
    "BGR-BG": ("Kecamatan Bogor Tengah", {"BGR-BG-01": "Kelurahan Paledang", "BGR-BG-02": "Kelurahan Pabaton"}),
    "BGR-TS": ("Kecamatan Tanah Sareal", {"BGR-TS-01": "Kelurahan Kebon Pedes", "BGR-TS-02": "Kelurahan Kedung Badak"}),
}  # fmt: skip


class ServiceSpec(NamedTuple):
    code: str
    name: str
    name_en: str
    risk: Risk
    level: OfficeLevel
    sla_hours: int


K, C = OfficeLevel.kelurahan, OfficeLevel.kecamatan
LOW, HIGH = Risk.low, Risk.high

#: The 16 letters of the ASINAN paper (section III), in its order. High risk where a
#: false statement costs public money or civil status (staff/kasi verify first).
SERVICES: tuple[ServiceSpec, ...] = (
    ServiceSpec("SKTM", "Surat Keterangan Tidak Mampu", "Certificate of low income", HIGH, K, 24),
    ServiceSpec("SKCK", "Pengantar SKCK", "Police record cover letter", HIGH, K, 24),
    ServiceSpec("BPM", "Surat Keterangan Belum Pernah Menikah", "Never-married statement", HIGH, K, 24),
    ServiceSpec("BMR", "Surat Keterangan Belum Memiliki Rumah", "No-home-ownership statement", HIGH, K, 24),
    ServiceSpec("JD", "Surat Keterangan Janda/Duda", "Widow/widower statement", HIGH, K, 24),
    ServiceSpec("KWNI", "Surat Keterangan Kematian WNI", "Death certificate (citizen)", HIGH, K, 24),
    ServiceSpec("PGH", "Surat Keterangan Penghasilan", "Income statement", HIGH, K, 24),
    ServiceSpec("DYO", "Surat Keterangan Domisili Yayasan/Organisasi", "Foundation domicile", LOW, C, 48),
    ServiceSpec("PMW", "Surat Keterangan Pemekaran Wilayah", "Area division statement", HIGH, C, 72),
    ServiceSpec("DSN", "Surat Keterangan Dispensasi Nikah", "Marriage dispensation", HIGH, C, 48),
    ServiceSpec("NA", "Surat Pengantar Kawin (NA)", "Marriage cover letter (NA)", LOW, K, 24),
    ServiceSpec("KLH", "Surat Keterangan Kelahiran", "Birth statement", LOW, K, 24),
    ServiceSpec("DHJ", "Surat Keterangan Domisili Haji", "Hajj domicile", LOW, K, 24),
    ServiceSpec("KSI", "Surat Kematian Suami/Istri (kelengkapan NA)", "Spouse death (for NA)", LOW, K, 24),
    ServiceSpec("LL", "Surat Keterangan Lain-lain", "Other statement", LOW, K, 24),
    ServiceSpec("DCH", "Surat Keterangan Domisili Calon Haji", "Hajj candidate domicile", LOW, K, 24),
)  # fmt: skip
