"""An office's letter settings, kept by admins: the number format, electronic delivery.

Each change is an ``office.letters`` entry of the audit trail, in the same transaction.
A number template is checked (``numbering.check_template``) and previewed with the
office's next number of this year, without taking it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub import audit_chain as audit
from hub.clock import JAKARTA
from hub.errors import NotFound
from hub.letters import numbering
from hub.letters.kinds import GENERIC
from hub.letters.models import LetterCounter, LetterSettings
from hub.models import Office
from hub.principal import Principal
from hub.uow import Unit


async def _office(session: AsyncSession, office_id: int) -> Office:
    office = await session.get(Office, office_id)
    if office is None:
        raise NotFound("office_not_found")
    return office


async def settings_view(session: AsyncSession, office_id: int, now: datetime) -> dict[str, Any]:
    """``{office_id, number_template, electronic_delivery, next_number}`` (a preview of the
    next number at ``now``)."""
    office = await _office(session, office_id)
    row = await session.get(LetterSettings, office_id)
    template = row.number_template if row else numbering.DEFAULT_TEMPLATE
    now = now.astimezone(JAKARTA)
    last = await session.scalar(
        select(LetterCounter.last).where(
            LetterCounter.office_id == office_id, LetterCounter.year == now.year
        )
    )
    parts = numbering.NumberParts(
        seq=(last or 0) + 1,
        classification=GENERIC.classification,
        service="LL",
        office=office.code,
        kemendagri=office.kemendagri_code or office.code,
        month=now.month,
        year=now.year,
    )
    return {
        "office_id": office_id,
        "number_template": template,
        "electronic_delivery": bool(row.electronic_delivery) if row else False,
        "next_number": numbering.format_number(template, parts),
        "placeholders": sorted(numbering.PLACEHOLDERS),
    }


async def update_settings(
    unit: Unit,
    actor: Principal,
    office_id: int,
    *,
    number_template: str | None = None,
    electronic_delivery: bool | None = None,
) -> dict[str, Any]:
    """Change an office's number template and/or electronic delivery (audited)."""
    await _office(unit.session, office_id)
    row = await unit.session.get(LetterSettings, office_id)
    template = row.number_template if row else numbering.DEFAULT_TEMPLATE
    electronic = row.electronic_delivery if row else False
    before: dict[str, Any] = {"number_template": template, "electronic_delivery": electronic}
    if number_template is not None:
        template = numbering.check_template(number_template)
    if electronic_delivery is not None:
        electronic = electronic_delivery
    after: dict[str, Any] = {"number_template": template, "electronic_delivery": electronic}
    old, new = audit.changed(before, after)
    if new:
        if row is None:
            row = LetterSettings(office_id=office_id)
            unit.session.add(row)
        row.number_template = template
        row.electronic_delivery = electronic
        await unit.session.flush()
        await audit.record(
            unit, actor, "office.letters", "office", office_id, office_id=office_id,
            before=old, after=new,
        )  # fmt: skip
    return await settings_view(unit.session, office_id, unit.ctx.clock.now())
