"""The supervisor wall shows which waiting requests are at risk or past their deadline
(working-time calendar, docs/protocol.md §14), with the deadline in WIB."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from hub.clock import JAKARTA
from hub.models import Ticket
from tests.web.conftest import Pages
from tests.web.helpers import axe_violations, describe

pytestmark = pytest.mark.browser


async def test_the_wall_marks_at_risk_and_breached_requests(pages: Pages, axe_script: Path) -> None:
    w = pages.world
    calm, risky, late = [await w.new_ticket() for _ in range(3)]
    now = w.hub.clock.now()
    due_risky, due_late = now + timedelta(hours=3), now - timedelta(minutes=5)
    async with w.hub.unit() as unit:  # as if the standard's time had run on
        for tid, at_risk, due in (
            (risky, now - timedelta(minutes=1), due_risky),
            (late, now - timedelta(hours=2), due_late),
        ):
            await unit.session.execute(
                update(Ticket).where(Ticket.id == tid).values(at_risk_at=at_risk, due_at=due)
            )
    wall = await pages.signed_in("spv", "/supervisor")
    await wall.locator("#wall-totals [data-tile=at-risk] .num", has_text="1").wait_for()
    await wall.locator("#wall-totals [data-tile=breached] .num", has_text="1").wait_for()
    row = wall.locator(f"#waiting-list tr[data-ticket-id='{risky}']")
    assert await row.get_attribute("data-sla") == "at_risk"
    hhmm = due_risky.astimezone(JAKARTA).strftime("%H.%M")
    text = await row.locator("td.age").inner_text()
    assert "Hampir lewat tenggat (tenggat " in text and f"{hhmm} WIB)" in text
    late_row = wall.locator(f"#waiting-list tr[data-ticket-id='{late}']")
    assert await late_row.get_attribute("data-sla") == "breached"
    assert "Lewat tenggat" in await late_row.locator("td.age").inner_text()
    calm_row = wall.locator(f"#waiting-list tr[data-ticket-id='{calm}']")
    assert await calm_row.get_attribute("data-sla") == ""
    await pages.screenshot(wall, "supervisor-wall-sla")
    violations = await axe_violations(wall, axe_script)
    assert violations == [], describe(violations)
