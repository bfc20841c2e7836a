"""The public check of a letter: ``/verify/{code}``, where its QR code leads.

Anyone may look; each address gets :data:`VERIFY_LOOKUPS` (every lookup counts, found
or not). The answer names only the letter type, number, date, office and whether it is
valid or revoked (with the date) — never the applicant, the purpose or the reason of a
revocation. A code is 32 URL-safe characters (192 random bits); anything else is not
looked up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.clock import JAKARTA
from hub.errors import NotFound
from hub.letters.models import Letter
from hub.ratelimit import Rule

#: Lookups per client address: 20 at once, then 1 every 3 s.
VERIFY_LOOKUPS = Rule(burst=20, per_second=1 / 3)
CODE = re.compile(r"^[A-Za-z0-9_-]{32}$")


@dataclass(frozen=True)
class PublicLetter:
    service_name: str
    number: str
    issued_on: date
    office_name: str
    revoked_on: date | None

    @property
    def status(self) -> str:
        return "revoked" if self.revoked_on else "valid"

    def json_dict(self) -> dict[str, Any]:
        return {
            "type": self.service_name,
            "number": self.number,
            "date": self.issued_on.isoformat(),
            "office": self.office_name,
            "status": self.status,
            "revoked_on": self.revoked_on.isoformat() if self.revoked_on else None,
        }


async def public_letter(session: AsyncSession, code: str) -> PublicLetter:
    """The public facts of the letter with ``code``; ``not_found`` for any other code."""
    if not CODE.match(code):
        raise NotFound("letter_not_found")
    letter = await session.scalar(select(Letter).where(Letter.verify_code == code))
    if letter is None:
        raise NotFound("letter_not_found")
    c = letter.content
    return PublicLetter(
        service_name=str(c.get("service_name", "")),
        number=letter.number,
        issued_on=letter.issued_at.astimezone(JAKARTA).date(),
        office_name=str(c.get("office_name", "")),
        revoked_on=letter.revoked_at.astimezone(JAKARTA).date() if letter.revoked_at else None,
    )
