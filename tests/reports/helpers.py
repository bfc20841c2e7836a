"""A month of requests at kel_a for the report tests, with personal data to look for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import update

from hub.models import Ticket, User
from tests.ikm.helpers import GOOD, add_call
from tests.letters.helpers import NIK, approved, call, give_nik
from tests.support.clock import FakeClock
from tests.support.server import RunningHub
from tests.support.world import World

#: Tuesday 10 November 2026, 09:00 WIB.
START = datetime(2026, 11, 10, 2, 0, tzinfo=UTC)
PERIOD = "from=2026-11-01&to=2026-11-30"
ADDRESS = "Jl. Pajajaran No. 17, RT 03/RW 05"
PHONE = "081299887766"
PERSONAL = (NIK, PHONE, "6281200000001", "0812 1111 2222", "081211112222", ADDRESS, "Pajajaran")


@dataclass(frozen=True)
class Month:
    completed: int
    rejected: int
    open: int


async def a_month(live: RunningHub, w: World, clock: FakeClock) -> Month:
    """kel_a: one request completed 5 hours after it was made (answered survey, an
    answered 90 s call, a missed one), one rejected, one open; the applicant has a NIK,
    an address and a phone on record."""
    await give_nik(live.hub, w.users["citizen"])
    async with live.hub.unit() as unit:
        await unit.session.execute(
            update(User).where(User.id == w.users["citizen"]).values(address=ADDRESS)
        )
    tid = await approved(w)
    await clock.advance(5 * 3600)
    await w.act("fo", tid, "complete")
    r = await call(live, "citizen", w, "POST", f"/api/tickets/{tid}/survey", json={"answers": GOOD})
    assert r.status_code == 200, r.text
    await add_call(live.hub, w, tid, "a" * 20, answered_seconds=90)
    await add_call(live.hub, w, tid, "b" * 20, answered_seconds=None)
    rejected, _code = await w.walk_in()
    async with live.hub.unit() as unit:
        await unit.session.execute(
            update(Ticket).where(Ticket.id == rejected).values(applicant_phone=PHONE)
        )
    await w.act("fo", rejected, "start_verification")
    await w.act("approver", rejected, "reject", "Dokumen tidak sesuai")
    still_open = await w.new_ticket()
    return Month(tid, rejected, still_open)
