"""Use cases of the survey and the call rating, each owning its transaction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.exc import IntegrityError

from hub.context import Hub
from hub.errors import Conflict
from hub.ikm import ratings, survey
from hub.principal import Principal


async def state(hub: Hub, p: Principal, ticket_id: int) -> dict[str, Any]:
    async with hub.reader() as session:
        return await survey.survey_state(session, p, ticket_id)


async def answer(
    hub: Hub, p: Principal, ticket_id: int, answers: Mapping[str, int]
) -> dict[str, Any]:
    """Store the answer; a second one (also one racing this) is ``conflict``."""
    try:
        async with hub.unit() as unit:
            await survey.submit_survey(unit, p, ticket_id, answers)
    except IntegrityError as exc:  # the claim's primary key: another answer won
        raise Conflict("survey_answered") from exc
    return await state(hub, p, ticket_id)


async def rate_call(hub: Hub, p: Principal, call_id: str, rating: int) -> None:
    try:
        async with hub.unit() as unit:
            await ratings.rate_call(unit, p, call_id, rating)
    except IntegrityError as exc:
        raise Conflict("call_rated") from exc
