"""The IKM conversion and categories of PermenPANRB 14/2017."""

from __future__ import annotations

import pytest

from hub.ikm.scale import ELEMENTS, category_of, score


def test_nine_elements_in_the_regulations_order() -> None:
    assert [label for _c, label, _en in ELEMENTS] == [
        "Persyaratan",
        "Sistem, mekanisme dan prosedur",
        "Waktu penyelesaian",
        "Biaya/tarif",
        "Produk spesifikasi jenis pelayanan",
        "Kompetensi pelaksana",
        "Perilaku pelaksana",
        "Penanganan pengaduan, saran dan masukan",
        "Sarana dan prasarana",
    ]


def test_the_range_is_25_to_100() -> None:
    best, worst = score([4] * 9, 1), score([1] * 9, 1)
    assert (best.ikm, best.category and best.category.grade) == (100.0, "A")
    assert (worst.ikm, worst.category and worst.category.label) == (25.0, "Tidak Baik")


def test_nrr_per_element_weighted_by_a_ninth_times_25() -> None:
    # three answers; element totals give NRRs 4, 3, 3, 2, 4, 4, 3, 3, 3 (sum 29)
    totals = [12, 9, 9, 6, 12, 12, 9, 9, 9]
    s = score(totals, 3)
    assert s.nrr == (4.0, 3.0, 3.0, 2.0, 4.0, 4.0, 3.0, 3.0, 3.0)
    assert s.index == pytest.approx(29 / 9)
    assert s.ikm == 80.56  # 29/9 × 25 = 80.555…
    assert s.category is not None and (s.category.grade, s.category.label) == ("B", "Baik")


@pytest.mark.parametrize(
    ("ikm", "grade", "label"),
    [
        (100.0, "A", "Sangat Baik"),
        (88.31, "A", "Sangat Baik"),
        (88.30, "B", "Baik"),
        (76.61, "B", "Baik"),
        (76.60, "C", "Kurang Baik"),
        (65.00, "C", "Kurang Baik"),
        (64.99, "D", "Tidak Baik"),
        (25.00, "D", "Tidak Baik"),
    ],
)
def test_category_boundaries(ikm: float, grade: str, label: str) -> None:
    c = category_of(ikm)
    assert (c.grade, c.label) == (grade, label)


def test_no_answers_no_index() -> None:
    s = score([0] * 9, 0)
    assert (s.responses, s.ikm, s.category) == (0, None, None)
