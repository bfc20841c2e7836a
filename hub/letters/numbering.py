"""Letter numbers: the office's format and the counter that makes them gap-free.

An office's format is a template of literal text and named placeholders in braces:

| placeholder     | becomes                                                   | example        |
|-----------------|-----------------------------------------------------------|----------------|
| ``{seq}``       | the office's n-th letter of the year, 3 digits or more    | ``007``        |
| ``{class}``     | the letter type's archive classification (``kinds.py``)   | ``400.12.4``   |
| ``{service}``   | the letter type's code                                    | ``SKTM``       |
| ``{office}``    | the office's hub code                                     | ``BGR-BT-02``  |
| ``{kemendagri}``| the office's Kemendagri region code                       | ``32.71.02.1002`` |
| ``{month}``     | the month of issue, 2 digits                              | ``12``         |
| ``{month_roman}``| the month of issue in Roman numerals                     | ``XII``        |
| ``{year}``      | the year of issue (Asia/Jakarta)                          | ``2026``       |

``{seq}`` is required. Nothing else is interpreted: no format specs, no conversions, no
attribute or index access (``{seq:05d}``, ``{seq!r}``, ``{office.name}`` are refused);
``{{`` and ``}}`` are literal braces. The default, :data:`DEFAULT_TEMPLATE`, gives
``400.12.4/007/BGR-BT-02/XII/2026``.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from hub.errors import Invalid
from hub.letters.models import LetterCounter

DEFAULT_TEMPLATE = "{class}/{seq}/{office}/{month_roman}/{year}"
PLACEHOLDERS = frozenset(
    {"seq", "class", "service", "office", "kemendagri", "month", "month_roman", "year"}
)
MAX_TEMPLATE = 120
MAX_NUMBER = 96
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def roman_month(month: int) -> str:
    return _ROMAN[month - 1]


@dataclass(frozen=True)
class NumberParts:
    """Everything a number may show, for one letter."""

    seq: int
    classification: str
    service: str
    office: str
    kemendagri: str
    month: int
    year: int

    def values(self) -> dict[str, str]:
        return {
            "seq": f"{self.seq:03d}",
            "class": self.classification,
            "service": self.service,
            "office": self.office,
            "kemendagri": self.kemendagri,
            "month": f"{self.month:02d}",
            "month_roman": roman_month(self.month),
            "year": str(self.year),
        }


def _pieces(template: str) -> list[tuple[str, str | None]]:
    """(literal text, placeholder or None) pairs; :class:`Invalid` for anything else."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        raise Invalid("number_template_braces", field="number_template") from None
    out: list[tuple[str, str | None]] = []
    for literal, name, spec, conversion in parsed:
        if name is None:
            out.append((literal, None))
            continue
        if name not in PLACEHOLDERS or spec or conversion:
            raise Invalid(
                "number_template_placeholder",
                field="number_template",
                placeholder="{" + str(name) + "}",
                allowed=", ".join(sorted(PLACEHOLDERS)),
            )
        out.append((literal, name))
    return out


def check_template(template: str) -> str:
    """The template, stripped, if it is one (see the module's table); else :class:`Invalid`."""
    template = template.strip()
    if not template or len(template) > MAX_TEMPLATE or any(ord(c) < 32 for c in template):
        raise Invalid("number_template_length", field="number_template", max=MAX_TEMPLATE)
    if "seq" not in {name for _lit, name in _pieces(template)}:
        raise Invalid("number_template_no_seq", field="number_template")
    return template


def format_number(template: str, parts: NumberParts) -> str:
    """The number ``parts`` make in ``template`` (checked by :func:`check_template`)."""
    values = parts.values()
    text = "".join(literal + (values[name] if name else "") for literal, name in _pieces(template))
    return text[:MAX_NUMBER]


async def next_letter_seq(session: AsyncSession, office_id: int, year: int) -> int:
    """Take the next letter number of ``office_id`` in ``year`` (in the caller's transaction).

    One upsert that increments and returns under the counter row's lock: concurrent
    approvals of one office queue on it until each commits (PostgreSQL's row lock; on
    SQLite the one writer), and a rolled-back approval gives its number back.
    """
    keys = [LetterCounter.office_id, LetterCounter.year]
    bump = {"last": LetterCounter.last + 1}
    stmt: postgresql.Insert | sqlite.Insert
    if session.get_bind().dialect.name == "postgresql":
        pg = postgresql.insert(LetterCounter).values(office_id=office_id, year=year, last=1)
        stmt = pg.on_conflict_do_update(index_elements=keys, set_=bump)
    else:
        lite = sqlite.insert(LetterCounter).values(office_id=office_id, year=year, last=1)
        stmt = lite.on_conflict_do_update(index_elements=keys, set_=bump)
    value = await session.scalar(stmt.returning(LetterCounter.last))
    assert value is not None
    return int(value)
