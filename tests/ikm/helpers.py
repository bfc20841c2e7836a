"""Completed requests, answers and calls for the survey and report tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from hub.context import Hub
from hub.models import Ticket
from signaling.models import Call, CallOutcome, CallStatus, Media
from tests.letters.helpers import approved
from tests.support.world import World

GOOD = {
    "persyaratan": 4, "prosedur": 4, "waktu": 3, "biaya": 4, "produk": 4,
    "kompetensi": 3, "perilaku": 4, "pengaduan": 3, "sarana": 4,
}  # fmt: skip


async def completed(w: World, office: str = "kel_a", citizen: str = "citizen") -> int:
    """An online request of ``citizen``, approved and handed over (completed)."""
    tid = await approved(w, office=office, citizen=citizen)
    await w.act("fo" if office == "kel_a" else "fo_b", tid, "complete")
    return tid


async def add_call(
    hub: Hub,
    w: World,
    ticket_id: int,
    call_id: str,
    *,
    answered_seconds: float | None,
    caller: str = "fo",
) -> None:
    """A call on ``ticket_id`` that ended: answered for ``answered_seconds``, or missed."""
    now = hub.clock.now()
    async with hub.unit() as unit:
        t = await unit.session.get(Ticket, ticket_id)
        assert t is not None
        values: dict[str, Any] = {
            "answered_at": now - timedelta(seconds=answered_seconds or 0),
            "outcome": CallOutcome.completed,
        }
        if answered_seconds is None:
            values = {"answered_at": None, "outcome": CallOutcome.missed}
        unit.session.add(
            Call(
                id=call_id, ticket_id=t.id, office_id=t.office_id, caller_id=w.users[caller],
                caller_name="Uji", caller_role="front_office",
                callee_key=f"u:{t.applicant_id}", callee_user_id=t.applicant_id,
                media=Media.audio, status=CallStatus.ended, created_at=_ago(now, 120),
                ring_deadline=_ago(now, 90), ended_at=now, **values,
            )
        )  # fmt: skip


def _ago(now: datetime, seconds: float) -> datetime:
    return now - timedelta(seconds=seconds)
