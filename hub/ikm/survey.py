"""Offering and answering the survey of a completed request (one per request).

Who may answer: the applicant of the request (the citizen's account, or the walk-in
receipt holder), once the request is ``completed``. The answer is stored as an anonymous
:class:`~hub.ikm.models.SurveyResponse` beside the request's claim (see
:mod:`hub.ikm.models`); a second answer is ``conflict``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hub.clock import jakarta_today
from hub.errors import Conflict, Forbidden, Invalid, InvalidTransition
from hub.ikm.models import SurveyClaim, SurveyResponse
from hub.ikm.scale import CODES, ELEMENTS, SCALE
from hub.models import Ticket, TicketStatus
from hub.principal import Principal
from hub.tickets.views import visible_ticket
from hub.uow import Unit

#: What each score means, for the form (1 … 4).
SCORE_LABELS: tuple[tuple[str, str], ...] = (
    ("Tidak baik", "Poor"),
    ("Kurang baik", "Not good"),
    ("Baik", "Good"),
    ("Sangat baik", "Very good"),
)


def is_applicant(p: Principal, t: Ticket) -> bool:
    if p.is_walk_in:
        return p.ticket_id == t.id
    return p.user_id is not None and t.applicant_id == p.user_id


async def _answerable(session: AsyncSession, p: Principal, ticket_id: int) -> Ticket:
    t = await visible_ticket(session, p, ticket_id)
    if not is_applicant(p, t):
        raise Forbidden("applicant_survey_only")
    return t


async def survey_state(session: AsyncSession, p: Principal, ticket_id: int) -> dict[str, Any]:
    """Whether the survey is offered to ``p`` on this request, and whether it is done."""
    t = await visible_ticket(session, p, ticket_id)
    answered = await session.get(SurveyClaim, t.id) is not None
    return {
        "ticket_id": t.id,
        "offered": is_applicant(p, t) and t.status is TicketStatus.completed and not answered,
        "answered": answered,
        "elements": [{"code": c, "label": label, "label_en": en} for c, label, en in ELEMENTS],
        "scale": [
            {"value": i + 1, "label": label, "label_en": en}
            for i, (label, en) in enumerate(SCORE_LABELS)
        ],
    }


def check_answers(answers: Mapping[str, int]) -> list[int]:
    """The nine scores in the regulation's order; ``invalid`` names a missing or bad one."""
    unknown = sorted(set(answers) - set(CODES))
    if unknown:
        raise Invalid("survey_element_unknown", field=unknown[0])
    scores: list[int] = []
    for code in CODES:
        value = answers.get(code)
        if value is None:
            raise Invalid("survey_answer_missing", field=code)
        if not SCALE[0] <= value <= SCALE[1]:
            raise Invalid("survey_score_range", field=code)
        scores.append(value)
    return scores


async def submit_survey(
    unit: Unit, p: Principal, ticket_id: int, answers: Mapping[str, int]
) -> None:
    """Store the applicant's answer to a completed request's survey, once.

    Raises ``not_found`` (not one's request), ``forbidden`` (not the applicant),
    ``invalid_transition`` (not completed yet), ``invalid`` (a missing or bad score),
    ``conflict`` (already answered; a race is settled by the claim's primary key).
    """
    session = unit.session
    t = await _answerable(session, p, ticket_id)
    scores = check_answers(answers)
    if t.status is not TicketStatus.completed:
        raise InvalidTransition(
            "survey_not_open",
            status=t.status.value,
        )
    if await session.get(SurveyClaim, t.id) is not None:
        raise Conflict("survey_answered")
    session.add(SurveyClaim(ticket_id=t.id))
    session.add(
        SurveyResponse(
            office_id=t.office_id,
            service_type_id=t.service_type_id,
            day=jakarta_today(unit.ctx.clock.now()),
            **{f"u{i}": score for i, score in enumerate(scores, start=1)},
        )
    )
    await session.flush()
