"""The survey's nine elements and the official conversion (PermenPANRB 14/2017).

Each element (unsur) is answered on a 1–4 scale (1 tidak baik … 4 sangat baik). For a
group of answers: NRR (nilai rata-rata) per element = its total ÷ the number of answers;
the index = Σ NRR × weight, the weight being 1/9 per element (the regulation writes it
0.111; the exact ninth is used so the converted range is exactly 25–100); IKM = index × 25,
rounded to two decimals, and its quality category:

| IKM (converted) | index (1–4)     | mutu | kinerja      |
|-----------------|-----------------|------|--------------|
| 88.31 – 100.00  | 3.5324 – 4.00   | A    | Sangat Baik  |
| 76.61 – 88.30   | 3.0644 – 3.532  | B    | Baik         |
| 65.00 – 76.60   | 2.60 – 3.064    | C    | Kurang Baik  |
| 25.00 – 64.99   | 1.00 – 2.5996   | D    | Tidak Baik   |

Pure functions: the sums come from :mod:`hub.ikm.store`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

#: (code, Bahasa Indonesia, English), in the regulation's order (u1 … u9).
ELEMENTS: tuple[tuple[str, str, str], ...] = (
    ("persyaratan", "Persyaratan", "Requirements"),
    ("prosedur", "Sistem, mekanisme dan prosedur", "System, mechanism and procedure"),
    ("waktu", "Waktu penyelesaian", "Completion time"),
    ("biaya", "Biaya/tarif", "Cost/fee"),
    ("produk", "Produk spesifikasi jenis pelayanan", "Product of the service"),
    ("kompetensi", "Kompetensi pelaksana", "Competence of the staff"),
    ("perilaku", "Perilaku pelaksana", "Conduct of the staff"),
    (
        "pengaduan",
        "Penanganan pengaduan, saran dan masukan",
        "Handling of complaints and suggestions",
    ),
    ("sarana", "Sarana dan prasarana", "Facilities"),
)
CODES = tuple(code for code, _id, _en in ELEMENTS)
WEIGHT = 1 / len(ELEMENTS)
SCALE = (1, 4)

#: (lowest converted IKM, mutu, kinerja id, kinerja en), best first.
CATEGORIES: tuple[tuple[float, str, str, str], ...] = (
    (88.31, "A", "Sangat Baik", "Very good"),
    (76.61, "B", "Baik", "Good"),
    (65.00, "C", "Kurang Baik", "Not good"),
    (25.00, "D", "Tidak Baik", "Poor"),
)


@dataclass(frozen=True)
class Category:
    grade: str
    label: str
    label_en: str


@dataclass(frozen=True)
class IkmScore:
    """The index of ``responses`` answers (None fields when there is none)."""

    responses: int
    nrr: tuple[float, ...]
    index: float | None
    ikm: float | None
    category: Category | None

    def json_dict(self) -> dict[str, Any]:
        return {
            "responses": self.responses,
            "elements": [
                {"code": code, "label": label, "label_en": en, "nrr": round(nrr, 4)}
                for (code, label, en), nrr in zip(ELEMENTS, self.nrr, strict=True)
            ],
            "index": None if self.index is None else round(self.index, 4),
            "ikm": self.ikm,
            "grade": self.category.grade if self.category else None,
            "category": self.category.label if self.category else None,
            "category_en": self.category.label_en if self.category else None,
        }


def category_of(ikm: float) -> Category:
    """The quality category of a converted IKM (25–100, two decimals)."""
    for lowest, grade, label, en in CATEGORIES:
        if round(ikm, 2) >= lowest:
            return Category(grade, label, en)
    raise ValueError(f"IKM {ikm} is below 25")


def score(totals: Sequence[int], responses: int) -> IkmScore:
    """The IKM of ``responses`` answers whose per-element totals are ``totals`` (u1 … u9)."""
    if len(totals) != len(ELEMENTS):
        raise ValueError("one total per element")
    if responses <= 0:
        return IkmScore(0, tuple(0.0 for _ in ELEMENTS), None, None, None)
    nrr = tuple(total / responses for total in totals)
    index = sum(value * WEIGHT for value in nrr)
    ikm = round(index * 25, 2)
    return IkmScore(responses, nrr, index, ikm, category_of(ikm))
