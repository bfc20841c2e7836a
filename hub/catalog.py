"""Kota Bogor reference data: its 6 kecamatan and 68 kelurahan, and the 16 ASINAN letters.

Region codes and names are those of Kepmendagri No. 300.2.2-2138 Tahun 2025 (Kode dan Data
Wilayah Administrasi Pemerintahan), Kota Bogor = 32.71. Each office also has the hub's own
short code, the prefix of its ticket numbers: ``BGR`` for the kota, ``BGR-<kecamatan>`` for a
kecamatan and ``BGR-<kecamatan>-<NN>`` for a kelurahan, where ``NN`` is the last two digits of
its Kemendagri code (Baranangsiang, 32.71.02.1002 → ``BGR-BT-02``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from hub.models import OfficeLevel, Risk, StandardUnit

KOTA = ("BGR", "32.71", "Pemerintah Kota Bogor")

#: (hub code, Kemendagri code, name, kelurahan as (last four digits, name)), in Kemendagri order.
KECAMATAN: tuple[tuple[str, str, str, tuple[tuple[str, str], ...]], ...] = (
    ("BGR-BS", "32.71.01", "Bogor Selatan", (
        ("1001", "Batu Tulis"), ("1002", "Bondongan"), ("1003", "Empang"),
        ("1004", "Lawanggintung"), ("1005", "Pamoyanan"), ("1006", "Rangga Mekar"),
        ("1007", "Mulya Harja"), ("1008", "Cikaret"), ("1009", "Bojong Kerta"),
        ("1010", "Rancamaya"), ("1011", "Kertamaya"), ("1012", "Harjasari"),
        ("1013", "Muara Sari"), ("1014", "Genteng"), ("1015", "Pakuan"), ("1016", "Cipaku"),
    )),
    ("BGR-BT", "32.71.02", "Bogor Timur", (
        ("1001", "Sukasari"), ("1002", "Baranangsiang"), ("1003", "Katulampa"),
        ("1004", "Sindangsari"), ("1005", "Sindangrasa"), ("1006", "Tajur"),
    )),
    ("BGR-BG", "32.71.03", "Bogor Tengah", (
        ("1001", "Gudang"), ("1002", "Paledang"), ("1003", "Pabaton"), ("1004", "Cibogor"),
        ("1005", "Babakan"), ("1006", "Sempur"), ("1007", "Tegallega"),
        ("1008", "Babakan Pasar"), ("1009", "Panaragan"), ("1010", "Ciwaringin"),
        ("1011", "Kebon Kalapa"),
    )),
    ("BGR-BB", "32.71.04", "Bogor Barat", (
        ("1001", "Menteng"), ("1002", "Sindang Barang"), ("1003", "Bubulak"),
        ("1004", "Marga Jaya"), ("1005", "Balumbang Jaya"), ("1006", "Situ Gede"),
        ("1007", "Semplak"), ("1008", "Cilendek Barat"), ("1009", "Cilendek Timur"),
        ("1010", "Curug Mekar"), ("1011", "Curug"), ("1012", "Pasir Jaya"),
        ("1013", "Pasir Kuda"), ("1014", "Pasir Mulya"), ("1015", "Gunung Batu"), ("1016", "Loji"),
    )),
    ("BGR-BU", "32.71.05", "Bogor Utara", (
        ("1001", "Bantarjati"), ("1002", "Tegal Gundil"), ("1003", "Kedung Halang"),
        ("1004", "Ciparigi"), ("1005", "Cibuluh"), ("1006", "Ciluar"), ("1007", "Tanah Baru"),
        ("1008", "Cimahpar"),
    )),
    ("BGR-TS", "32.71.06", "Tanah Sareal", (
        ("1001", "Tanah Sareal"), ("1002", "Kebon Pedes"), ("1003", "Kedung Badak"),
        ("1004", "Sukaresmi"), ("1005", "Kedung Waringin"), ("1006", "Kedung Jaya"),
        ("1007", "Sukadamai"), ("1008", "Mekar Wangi"), ("1009", "Kencana"),
        ("1010", "Kayu Manis"), ("1011", "Cibadak"),
    )),
)  # fmt: skip


class OfficeSpec(NamedTuple):
    code: str
    kemendagri_code: str
    name: str
    level: OfficeLevel
    parent: str | None
    queue_prefix: str


def offices() -> Iterator[OfficeSpec]:
    """Every office, each after its parent: the kota, then each kecamatan and its kelurahan."""
    kota_code, kota_kemendagri, kota_name = KOTA
    yield OfficeSpec(kota_code, kota_kemendagri, kota_name, OfficeLevel.kota, None, "K")
    for kec_code, kec_kemendagri, kec_name, kelurahan in KECAMATAN:
        yield OfficeSpec(
            kec_code, kec_kemendagri, f"Kecamatan {kec_name}", OfficeLevel.kecamatan, kota_code, "C"
        )
        for number, name in kelurahan:
            yield OfficeSpec(
                f"{kec_code}-{number[-2:]}",
                f"{kec_kemendagri}.{number}",
                f"Kelurahan {name}",
                OfficeLevel.kelurahan,
                kec_code,
                "A",
            )


#: Default opening hours (Asia/Jakarta) of every office, Monday first: (opens, closes) in
#: minutes after midnight, or None when closed — Mon–Thu 07:30–16:00, Fri 07:30–16:30.
DEFAULT_HOURS: tuple[tuple[int, int] | None, ...] = (
    (450, 960), (450, 960), (450, 960), (450, 960), (450, 990), None, None,
)  # fmt: skip


IMAGE_PDF = ("image", "pdf")


class RequirementSpec(NamedTuple):
    code: str
    name: str
    name_en: str
    required: bool = True
    #: file kinds an upload may be: ``image`` (JPEG/PNG/WebP), ``pdf``
    accepts: tuple[str, ...] = IMAGE_PDF


PENGANTAR = RequirementSpec(
    "PENGANTAR_RT_RW", "Surat pengantar RT/RW", "Cover letter from the RT/RW"
)
KTP = RequirementSpec("KTP", "KTP-el pemohon", "Applicant's electronic ID card (KTP-el)")
KK = RequirementSpec("KK", "Kartu Keluarga", "Family card (KK)")
PERNYATAAN = RequirementSpec(
    "PERNYATAAN", "Surat pernyataan bermeterai", "Signed statement with duty stamp"
)


class ServiceSpec(NamedTuple):
    code: str
    name: str
    name_en: str
    risk: Risk
    level: OfficeLevel
    sla_hours: int
    standard_value: int
    standard_unit: StandardUnit
    requirements: tuple[RequirementSpec, ...]


#: New in migration 0007: the spouse's ID for NA; the death statement (hospital, doctor or
#: RT/RW) is required for KWNI (0005 shipped it optional, under a narrower name).
KTP_PASANGAN = RequirementSpec(
    "KTP_PASANGAN", "KTP-el calon suami/istri", "ID card of the future spouse"
)
KET_RS = RequirementSpec(
    "KET_RS",
    "Surat keterangan kematian dari rumah sakit/dokter atau RT/RW",
    "Death statement from the hospital, a doctor or the RT/RW",
)
KET_RS_0005 = RequirementSpec(
    "KET_RS",
    "Surat keterangan kematian dari rumah sakit/dokter",
    "Death statement from the hospital or doctor",
    False,
)

K, C = OfficeLevel.kelurahan, OfficeLevel.kecamatan
LOW, HIGH = Risk.low, Risk.high
DAYS = StandardUnit.working_days
BASIC = (PENGANTAR, KTP, KK)

#: The 16 letters of the ASINAN paper (section III), in its order. High risk where a
#: false statement costs public money or civil status (staff/kasi verify first). The
#: service standard is counted in working days; the documents are a starting list that
#: admins edit.
SERVICES: tuple[ServiceSpec, ...] = (
    ServiceSpec("SKTM", "Surat Keterangan Tidak Mampu", "Certificate of low income", HIGH, K, 24, 1, DAYS, BASIC),
    ServiceSpec("SKCK", "Pengantar SKCK", "Police record cover letter", HIGH, K, 24, 1, DAYS, (*BASIC, RequirementSpec("PAS_FOTO", "Pas foto 4x6", "Passport photo 4x6", True, ("image",)))),
    ServiceSpec("BPM", "Surat Keterangan Belum Pernah Menikah", "Never-married statement", HIGH, K, 24, 1, DAYS, (*BASIC, PERNYATAAN)),
    ServiceSpec("BMR", "Surat Keterangan Belum Memiliki Rumah", "No-home-ownership statement", HIGH, K, 24, 1, DAYS, (*BASIC, PERNYATAAN)),
    ServiceSpec("JD", "Surat Keterangan Janda/Duda", "Widow/widower statement", HIGH, K, 24, 1, DAYS, (*BASIC, RequirementSpec("AKTA_KEMATIAN_CERAI", "Akta kematian pasangan atau akta cerai", "Spouse's death certificate or divorce certificate"))),
    ServiceSpec("KWNI", "Surat Keterangan Kematian WNI", "Death certificate (citizen)", HIGH, K, 24, 1, DAYS, (PENGANTAR, RequirementSpec("KTP_ALMARHUM", "KTP-el almarhum/almarhumah", "ID card of the deceased"), KK, KET_RS)),
    ServiceSpec("PGH", "Surat Keterangan Penghasilan", "Income statement", HIGH, K, 24, 1, DAYS, (*BASIC, RequirementSpec("SLIP_GAJI", "Slip gaji atau surat pernyataan penghasilan", "Pay slip or income statement"))),
    ServiceSpec("DYO", "Surat Keterangan Domisili Yayasan/Organisasi", "Foundation domicile", LOW, C, 48, 2, DAYS, (RequirementSpec("AKTA_PENDIRIAN", "Akta pendirian yayasan/organisasi", "Deed of establishment"), RequirementSpec("SK_KEMENKUMHAM", "SK pengesahan Kemenkumham", "Ministry of Law approval decree"), RequirementSpec("KTP_PENGURUS", "KTP-el ketua/pengurus", "ID card of the chair"), PENGANTAR)),
    ServiceSpec("PMW", "Surat Keterangan Pemekaran Wilayah", "Area division statement", HIGH, C, 72, 3, DAYS, (RequirementSpec("BERITA_ACARA", "Berita acara musyawarah warga", "Minutes of the residents' meeting"), RequirementSpec("PETA", "Peta/sketsa wilayah", "Map or sketch of the area"), RequirementSpec("PERMOHONAN", "Surat permohonan dari RT/RW", "Application letter from the RT/RW"))),
    ServiceSpec("DSN", "Surat Keterangan Dispensasi Nikah", "Marriage dispensation", HIGH, C, 48, 2, DAYS, (*BASIC, RequirementSpec("PENOLAKAN_KUA", "Surat penolakan dari KUA", "Refusal letter from the KUA"), RequirementSpec("AKTA_LAHIR", "Akta kelahiran calon pengantin", "Birth certificates of the couple"))),
    ServiceSpec("NA", "Surat Pengantar Kawin (NA)", "Marriage cover letter (NA)", LOW, K, 24, 1, DAYS, (*BASIC, RequirementSpec("AKTA_LAHIR", "Akta kelahiran", "Birth certificate"), RequirementSpec("PAS_FOTO", "Pas foto 3x4", "Passport photo 3x4", True, ("image",)), KTP_PASANGAN)),
    ServiceSpec("KLH", "Surat Keterangan Kelahiran", "Birth statement", LOW, K, 24, 1, DAYS, (PENGANTAR, RequirementSpec("KET_LAHIR", "Surat keterangan lahir dari bidan/rumah sakit", "Birth statement from the midwife or hospital"), RequirementSpec("KTP_ORTU", "KTP-el kedua orang tua", "ID cards of both parents"), KK, RequirementSpec("BUKU_NIKAH", "Buku nikah orang tua", "Parents' marriage book", False))),
    ServiceSpec("DHJ", "Surat Keterangan Domisili Haji", "Hajj domicile", LOW, K, 24, 1, DAYS, (*BASIC, RequirementSpec("SETORAN_BPIH", "Bukti setoran BPIH", "Hajj fee (BPIH) deposit receipt"))),
    ServiceSpec("KSI", "Surat Kematian Suami/Istri (kelengkapan NA)", "Spouse death (for NA)", LOW, K, 24, 1, DAYS, (*BASIC, RequirementSpec("AKTA_KEMATIAN", "Akta kematian suami/istri", "Spouse's death certificate"))),
    ServiceSpec("LL", "Surat Keterangan Lain-lain", "Other statement", LOW, K, 24, 1, DAYS, BASIC),
    ServiceSpec("DCH", "Surat Keterangan Domisili Calon Haji", "Hajj candidate domicile", LOW, K, 24, 1, DAYS, (*BASIC, RequirementSpec("BUKTI_DAFTAR_HAJI", "Bukti pendaftaran haji", "Hajj registration receipt"))),
)  # fmt: skip


class FieldSpec(NamedTuple):
    code: str
    label: str
    label_en: str
    kind: str = "text"  # text | textarea | date | number | select
    required: bool = True
    options: tuple[str, ...] = ()


KEPERLUAN = FieldSpec("KEPERLUAN", "Keperluan", "Purpose", "textarea")
PEKERJAAN = FieldSpec("PEKERJAAN", "Pekerjaan", "Occupation")
TEMPAT_LAHIR = FieldSpec("TEMPAT_LAHIR", "Tempat lahir", "Place of birth")
TANGGAL_LAHIR = FieldSpec("TANGGAL_LAHIR", "Tanggal lahir", "Date of birth", "date")
PENGHASILAN = FieldSpec(
    "PENGHASILAN", "Penghasilan per bulan (Rp)", "Monthly income (Rp)", "number"
)
NOMOR_PORSI = FieldSpec("NOMOR_PORSI", "Nomor porsi haji", "Hajj queue number")

#: The form of each letter: the purpose (keperluan) for all, then what the letter prints.
#: A starting list that admins edit (``service_form_fields``); copied by migration 0007.
FORM_FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    "SKTM": (KEPERLUAN, PEKERJAAN, PENGHASILAN, FieldSpec("TANGGUNGAN", "Jumlah tanggungan", "Number of dependants", "number")),
    "SKCK": (KEPERLUAN, PEKERJAAN, TEMPAT_LAHIR, TANGGAL_LAHIR),
    "BPM": (KEPERLUAN, PEKERJAAN, TEMPAT_LAHIR, TANGGAL_LAHIR),
    "BMR": (KEPERLUAN, PEKERJAAN, FieldSpec("LAMA_TINGGAL", "Lama tinggal di alamat ini (tahun)", "Years at this address", "number")),
    "JD": (KEPERLUAN, FieldSpec("STATUS", "Status", "Status", "select", True, ("Janda", "Duda")), FieldSpec("NAMA_PASANGAN", "Nama almarhum/mantan pasangan", "Name of the late/former spouse"), FieldSpec("SEBAB", "Sebab", "Cause", "select", True, ("Meninggal dunia", "Cerai")), FieldSpec("TANGGAL_PERISTIWA", "Tanggal meninggal/cerai", "Date of death/divorce", "date")),
    "KWNI": (KEPERLUAN, FieldSpec("NAMA_ALMARHUM", "Nama almarhum/almarhumah", "Name of the deceased"), FieldSpec("TANGGAL_MENINGGAL", "Tanggal meninggal", "Date of death", "date"), FieldSpec("TEMPAT_MENINGGAL", "Tempat meninggal", "Place of death"), FieldSpec("SEBAB_KEMATIAN", "Sebab kematian", "Cause of death", "text", False), FieldSpec("HUBUNGAN_PELAPOR", "Hubungan pelapor dengan almarhum", "Reporter's relation to the deceased", "select", True, ("Anak", "Suami/Istri", "Orang tua", "Saudara", "Lainnya"))),
    "PGH": (KEPERLUAN, PEKERJAAN, PENGHASILAN),
    "DYO": (KEPERLUAN, FieldSpec("NAMA_ORGANISASI", "Nama yayasan/organisasi", "Name of the foundation/organisation"), FieldSpec("BIDANG", "Bidang kegiatan", "Field of activity"), FieldSpec("ALAMAT_ORGANISASI", "Alamat sekretariat", "Office address", "textarea"), FieldSpec("NAMA_KETUA", "Nama ketua", "Name of the chair")),
    "PMW": (KEPERLUAN, FieldSpec("WILAYAH_ASAL", "RT/RW asal", "RT/RW being divided"), FieldSpec("WILAYAH_BARU", "RT/RW baru", "New RT/RW"), FieldSpec("JUMLAH_KK", "Jumlah KK di wilayah baru", "Households in the new area", "number")),
    "DSN": (KEPERLUAN, FieldSpec("NAMA_CALON_SUAMI", "Nama calon suami", "Groom's name"), FieldSpec("NAMA_CALON_ISTRI", "Nama calon istri", "Bride's name"), FieldSpec("TANGGAL_NIKAH", "Rencana tanggal nikah", "Planned wedding date", "date"), FieldSpec("ALASAN", "Alasan dispensasi", "Reason for the dispensation", "textarea")),
    "NA": (KEPERLUAN, FieldSpec("NAMA_PASANGAN", "Nama calon suami/istri", "Future spouse's name"), FieldSpec("TEMPAT_LAHIR_PASANGAN", "Tempat lahir calon pasangan", "Future spouse's place of birth"), FieldSpec("TANGGAL_LAHIR_PASANGAN", "Tanggal lahir calon pasangan", "Future spouse's date of birth", "date"), FieldSpec("STATUS_PERKAWINAN", "Status perkawinan pemohon", "Applicant's marital status", "select", True, ("Jejaka", "Perawan", "Duda", "Janda")), FieldSpec("TANGGAL_NIKAH", "Rencana tanggal nikah", "Planned wedding date", "date", False)),
    "KLH": (KEPERLUAN, FieldSpec("NAMA_BAYI", "Nama anak", "Child's name"), FieldSpec("JENIS_KELAMIN", "Jenis kelamin", "Sex", "select", True, ("Laki-laki", "Perempuan")), FieldSpec("TANGGAL_LAHIR_ANAK", "Tanggal lahir anak", "Child's date of birth", "date"), FieldSpec("TEMPAT_LAHIR_ANAK", "Tempat lahir anak", "Child's place of birth"), FieldSpec("NAMA_AYAH", "Nama ayah", "Father's name"), FieldSpec("NAMA_IBU", "Nama ibu", "Mother's name")),
    "DHJ": (KEPERLUAN, NOMOR_PORSI, FieldSpec("TAHUN_BERANGKAT", "Perkiraan tahun berangkat", "Expected year of departure", "number", False)),
    "KSI": (KEPERLUAN, FieldSpec("NAMA_PASANGAN", "Nama almarhum suami/istri", "Name of the late spouse"), FieldSpec("TANGGAL_MENINGGAL", "Tanggal meninggal", "Date of death", "date")),
    "LL": (FieldSpec("PERIHAL", "Perihal surat", "Subject of the letter"), KEPERLUAN),
    "DCH": (KEPERLUAN, NOMOR_PORSI, FieldSpec("EMBARKASI", "Embarkasi", "Port of embarkation", "text", False)),
}  # fmt: skip


#: The hub codes of the first, partial reference list (before the Kemendagri codes) and
#: the Kemendagri code each stood for; migration 0005 renames them.
LEGACY_CODES: dict[str, str] = {
    "BGR": "32.71", "BGR-BS": "32.71.01", "BGR-BT": "32.71.02", "BGR-BG": "32.71.03",
    "BGR-BB": "32.71.04", "BGR-BU": "32.71.05", "BGR-TS": "32.71.06",
    "BGR-BS-01": "32.71.01.1001", "BGR-BS-02": "32.71.01.1003",
    "BGR-BT-01": "32.71.02.1002", "BGR-BT-02": "32.71.02.1003",
    "BGR-BG-01": "32.71.03.1002", "BGR-BG-02": "32.71.03.1003",
    "BGR-BB-01": "32.71.04.1001", "BGR-BB-02": "32.71.04.1008",
    "BGR-BU-01": "32.71.05.1001", "BGR-BU-02": "32.71.05.1002",
    "BGR-TS-01": "32.71.06.1002", "BGR-TS-02": "32.71.06.1003",
}  # fmt: skip
