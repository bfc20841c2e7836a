"""The letter's words: what is fixed at issue (``Letter.content``) and the printable doc.

:func:`issue_content` words the letter once, at approval, from the office (its
letterhead up to the kota), the letter type (``kinds.py``), the applicant and the
signer; the letter keeps it, so later edits of an office's name or a signer's NIP do not
change a letter already issued. :func:`printable` turns a stored letter into the
:class:`~hub.letters.pdf.LetterDoc` the PDF prints, with the NIK decrypted only then.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from hub.letters.kinds import LetterKind
from hub.letters.models import Letter
from hub.letters.pdf import LetterDoc
from hub.models import Office, OfficeLevel, ServiceType, User

MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
    "Oktober", "November", "Desember",
)  # fmt: skip
PLACE = "Bogor"
CLOSING = "Demikian surat keterangan ini dibuat untuk dipergunakan sebagaimana mestinya."
#: form fields that hold the purpose (keperluan) of the request (codes, any case)
PURPOSE_FIELDS = ("keperluan", "purpose")
#: a form field as the letter prints it: (code, label, value)
FormValue = tuple[str, str, str]


def long_date(day: date) -> str:
    """``12 Desember 2026``."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _bare(office: Office) -> str:
    """``Kelurahan Baranangsiang`` → ``Baranangsiang``."""
    for prefix in ("Kelurahan ", "Kecamatan "):
        if office.name.startswith(prefix):
            return office.name[len(prefix) :]
    return office.name


def signer_title(office: Office) -> str:
    """The head of the office: Lurah of a kelurahan, Camat of a kecamatan."""
    if office.level is OfficeLevel.kelurahan:
        return f"Lurah {_bare(office)}"
    if office.level is OfficeLevel.kecamatan:
        return f"Camat {_bare(office)}"
    return f"Kepala {office.name}"


def issue_content(
    *,
    chain: list[Office],
    service: ServiceType,
    kind: LetterKind,
    applicant_address: str | None,
    form: list[FormValue],
    signer: User | None,
    signer_name: str,
) -> dict[str, Any]:
    """What the letter prints, worded at issue. ``chain``: the kota down to the office."""
    office = chain[-1]
    title = signer_title(office)
    above = [o.name for o in reversed(chain[1:-1])]
    where = ", ".join([title, *above, "Kota Bogor"])
    purpose = next((v for c, _l, v in form if c.lower() in PURPOSE_FIELDS and v), service.name)
    details = [[label, v] for c, label, v in form if c.lower() not in PURPOSE_FIELDS and v]
    return {
        "service_code": service.code,
        "service_name": service.name,
        "office_name": office.name,
        "letterhead": [o.name for o in chain],
        "address": office.address,
        "title": kind.title,
        "intro": f"Yang bertanda tangan di bawah ini, {where}, menerangkan dengan sebenarnya "
        "bahwa:",
        "applicant_address": applicant_address,
        "statement": kind.statement,
        "purpose": purpose,
        "details": details,
        "signer_title": title,
        "signer_name": signer.full_name if signer is not None else signer_name,
        "signer_nip": signer.nip if signer is not None else None,
    }


def printable(letter: Letter, issued_on: date, nik: str | None, verify_url: str) -> LetterDoc:
    """The PDF's content of a stored letter (``nik`` decrypted by the caller, or None)."""
    c = letter.content
    applicant = [("Nama", letter.applicant_name)]
    if nik:
        applicant.append(("NIK", nik))
    if c.get("applicant_address"):
        applicant.append(("Alamat", str(c["applicant_address"])))
    return LetterDoc(
        letterhead=tuple(str(x) for x in c["letterhead"]),
        address=c.get("address"),
        title=str(c["title"]),
        number=letter.number,
        intro=str(c["intro"]),
        applicant=tuple(applicant),
        statement=str(c["statement"]),
        purpose=str(c["purpose"]),
        details=tuple((str(k), str(v)) for k, v in c.get("details", [])),
        valid_until=long_date(letter.valid_until),
        closing=CLOSING,
        place_date=f"{PLACE}, {long_date(issued_on)}",
        signer_title=str(c["signer_title"]).upper(),
        signer_name=str(c["signer_name"]),
        signer_nip=c.get("signer_nip"),
        verify_url=verify_url,
    )
