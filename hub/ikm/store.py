"""The survey's sums for reports: never a row, only totals per office and service."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.ikm.models import CallRating, SurveyResponse
from hub.ikm.scale import IkmScore, score

R = SurveyResponse
_SCORES = (R.u1, R.u2, R.u3, R.u4, R.u5, R.u6, R.u7, R.u8, R.u9)


@dataclass(frozen=True)
class Totals:
    """Answers of a group and their per-element totals (add groups with ``+``)."""

    responses: int
    totals: tuple[int, ...]

    def __add__(self, other: Totals) -> Totals:
        return Totals(
            self.responses + other.responses,
            tuple(a + b for a, b in zip(self.totals, other.totals, strict=True)),
        )

    def score(self) -> IkmScore:
        return score(self.totals, self.responses)


NO_ANSWERS = Totals(0, (0,) * len(_SCORES))


async def survey_totals(
    session: AsyncSession,
    office_ids: Sequence[int] | None,
    service_type_id: int | None,
    first: date,
    last: date,
) -> dict[tuple[int, int], Totals]:
    """(office id, service type id) → the totals of the answers given from ``first`` to
    ``last`` (Jakarta days, inclusive); ``office_ids`` None: every office."""
    query = (
        select(R.office_id, R.service_type_id, func.count(), *(func.sum(s) for s in _SCORES))
        .where(R.day >= first, R.day <= last)
        .group_by(R.office_id, R.service_type_id)
    )
    if office_ids is not None:
        query = query.where(R.office_id.in_(office_ids))
    if service_type_id is not None:
        query = query.where(R.service_type_id == service_type_id)
    rows = (await session.execute(query)).all()
    return {
        (int(r[0]), int(r[1])): Totals(int(r[2]), tuple(int(v or 0) for v in r[3:])) for r in rows
    }


async def call_rating_totals(
    session: AsyncSession, office_ids: Sequence[int] | None, first: date, last: date
) -> dict[int, tuple[int, int]]:
    """office id → (ratings, their sum) of calls rated from ``first`` to ``last``."""
    query = (
        select(CallRating.office_id, func.count(), func.sum(CallRating.rating))
        .where(CallRating.day >= first, CallRating.day <= last)
        .group_by(CallRating.office_id)
    )
    if office_ids is not None:
        query = query.where(CallRating.office_id.in_(office_ids))
    rows = (await session.execute(query)).all()
    return {int(r[0]): (int(r[1]), int(r[2] or 0)) for r in rows}
