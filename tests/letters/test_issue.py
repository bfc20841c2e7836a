"""A letter is issued with the approval, in its transaction: numbered per office and year,
1, 2, 3… with no gap and no number twice, also under 50 approvals at once."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from hub.clock import JAKARTA, utcnow
from hub.context import Hub
from hub.letters import service as letters
from hub.letters.models import Letter, LetterCounter
from hub.letters.numbering import roman_month
from hub.models import TicketStatus
from tests.letters.helpers import approved, awaiting_approval, kinds_of, letter_of, ticket_of
from tests.support.server import RunningHub
from tests.support.world import World


async def test_approval_issues_the_numbered_letter_in_the_office_format(
    hub: Hub, world: World
) -> None:
    first = await approved(world)
    second = await approved(world)
    other_office = await approved(world, office="kel_b")
    a, b, c = [await letter_of(hub, t) for t in (first, second, other_office)]
    assert a is not None and b is not None and c is not None
    now = utcnow().astimezone(JAKARTA)
    tail = f"{roman_month(now.month)}/{now.year}"
    assert a.number == f"400.12.2/001/BGR-BT-01/{tail}"  # KLH: civil registration
    assert b.number == f"400.12.2/002/BGR-BT-01/{tail}"
    assert c.number == f"400.12.2/001/BGR-BT-02/{tail}"  # another office counts on its own
    assert (a.seq, b.seq, c.seq) == (1, 2, 1)
    assert len(a.verify_code) == 32 and a.verify_code != b.verify_code
    assert a.content["signer_name"] == "Uji approver" and a.applicant_name == "Uji citizen"
    assert a.content["purpose"] == "Surat Keterangan Kelahiran"  # no form yet: the service
    assert (a.valid_until - now.date()).days == 365
    assert (await kinds_of(hub, first))[-2:] == ["status_changed", "letter_issued"]


async def test_a_rejected_request_gets_no_letter_and_no_number(hub: Hub, world: World) -> None:
    tid = await awaiting_approval(world)
    await world.act("approver", tid, "reject", "Berkas palsu")
    assert await letter_of(hub, tid) is None
    nxt = await approved(world)
    letter = await letter_of(hub, nxt)
    assert letter is not None and letter.seq == 1


async def test_a_failed_issue_undoes_the_approval_and_gives_the_number_back(
    hub: Hub, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The letter is written in the approval's transaction: when it cannot be stored (here
    a verification code that is taken), the ticket stays on the approver's desk."""
    first = await approved(world)
    taken = await letter_of(hub, first)
    assert taken is not None
    tid = await awaiting_approval(world)
    before = await ticket_of(hub, tid)
    monkeypatch.setattr(letters, "new_verify_code", lambda: taken.verify_code)
    with pytest.raises(Exception, match=r"(?i)unique|duplicate"):
        await world.act("approver", tid, "approve")
    after = await ticket_of(hub, tid)
    assert after.status is TicketStatus.awaiting_approval and after.version == before.version
    assert await letter_of(hub, tid) is None
    assert "letter_issued" not in await kinds_of(hub, tid)
    monkeypatch.undo()
    await world.act("approver", tid, "approve")
    letter = await letter_of(hub, tid)
    assert letter is not None and letter.seq == 2  # the number came back: no gap


@pytest.mark.both_dbs
async def test_fifty_approvals_at_once_number_one_to_fifty(
    live: RunningHub, live_world: World
) -> None:
    w = live_world
    tickets = [await awaiting_approval(w) for _ in range(50)]
    versions = {t: (await ticket_of(live.hub, t)).version for t in tickets}
    async with live.http(w.tokens["approver"]) as http:

        async def approve(tid: int) -> int:
            r = await http.post(
                f"/api/tickets/{tid}/transition",
                json={"action": "approve", "version": versions[tid]},
            )
            return r.status_code

        codes = await asyncio.gather(*(approve(t) for t in tickets))
    assert codes == [200] * 50
    async with live.hub.reader() as session:
        rows = list(await session.scalars(select(Letter).where(Letter.ticket_id.in_(tickets))))
        counter = await session.scalar(select(LetterCounter.last))
    seqs = sorted(r.seq for r in rows)
    assert seqs == list(range(1, 51))
    assert len({r.number for r in rows}) == 50
    assert all(f"/{r.seq:03d}/" in r.number for r in rows)
    assert counter == 50
