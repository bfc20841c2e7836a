"""A supervisor reassigns a waiting ticket from the wall (``reassign`` on ``/queues``):
keyboard only, a stale version answers ``conflict`` in words, the retry lands in the
officer console's timeline and in the ticket's dispositions."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.web.conftest import Pages
from tests.web.helpers import axe_violations, describe

pytestmark = pytest.mark.browser


async def test_supervisor_reassigns_a_waiting_ticket_from_the_wall(
    pages: Pages, axe_script: Path
) -> None:
    ticket_id = await pages.world.new_ticket(service_code="KLH")  # low risk
    await pages.world.act("fo", ticket_id, "start_verification")
    approver_id = pages.world.users["approver"]
    officer = await pages.signed_in("approver", f"/officer#t={ticket_id}")
    await officer.wait_for_selector("#timeline li[data-kind=created]")
    wall = await pages.signed_in("spv", "/supervisor")
    row = wall.locator(f"#waiting-list tr[data-ticket-id='{ticket_id}']")
    await row.wait_for()
    # the approver is online: the wall lists them as a target of that office
    await wall.wait_for_function(
        "(id) => window.hub.board.officers.get(id)?.online === true", arg=approver_id
    )

    # keyboard: focus the row's button, Enter opens the dialog on the target select
    await row.locator("button[data-ticket-id]").focus()
    await wall.keyboard.press("Enter")
    dialog = wall.locator("#reassign")
    await dialog.wait_for(state="visible")
    assert await wall.evaluate("document.activeElement.id") == "reassign-to"
    # only who can act on it now (verification: the counter and the lurah), no staff desk
    officer_option = wall.locator(f"#reassign-to option[value='u:{approver_id}']")
    await officer_option.wait_for(state="attached")
    assert "Uji approver" in (await officer_option.text_content() or "")
    assert await wall.locator("#reassign-to option[value='r:approver']").count() == 1
    assert await wall.locator("#reassign-to option[value='r:staff']").count() == 0
    await wall.select_option("#reassign-to", f"u:{approver_id}")
    await wall.keyboard.press("Tab")
    await wall.keyboard.type("Mohon dicek lurah, berkas lengkap")
    await pages.screenshot(wall, "supervisor-reassign-dialog")

    # meanwhile the front office moves the ticket on: the dialog's version is stale
    await pages.world.act("fo", ticket_id, "verify")
    await row.filter(has=wall.locator("td", has_text="Menunggu persetujuan")).wait_for()
    await wall.click("#reassign-send")
    error = wall.locator("#reassign-error")
    await error.filter(has_text="Tiket sudah diubah orang lain").wait_for()
    assert await dialog.is_visible()
    await pages.screenshot(wall, "supervisor-reassign-conflict")

    # the dialog now holds the fresh version: sending again goes through
    assert await wall.input_value("#reassign-note") == "Mohon dicek lurah, berkas lengkap"
    await wall.click("#reassign-send")
    await dialog.wait_for(state="hidden")
    await wall.locator("#reassign-done").filter(has_text="Uji approver").wait_for()
    await row.locator("td.desk", has_text="Uji approver").wait_for()  # via the delta
    assert await wall.evaluate("document.activeElement.dataset.ticketId") == str(ticket_id)
    await pages.screenshot(wall, "supervisor-reassigned")

    # the officer's console shows the disposition in the ticket's timeline, live
    disposed = officer.locator("#timeline li[data-kind=disposed]")
    await disposed.wait_for()
    text = await disposed.text_content() or ""
    assert "Uji approver" in text and "Mohon dicek lurah, berkas lengkap" in text
    assert "Uji spv" in text
    await pages.screenshot(officer, "officer-disposed-by-supervisor")
    response = await officer.request.get(f"/api/tickets/{ticket_id}/dispositions")
    assert response.ok
    (last,) = [d for d in (await response.json())["dispositions"] if d["kind"] == "disposed"]
    assert last["payload"]["note"] == "Mohon dicek lurah, berkas lengkap"
    assert last["payload"]["to_user"]["id"] == approver_id

    # the wall in English, dialog labels included; axe finds nothing serious
    await wall.click("#lang-toggle")
    await wall.locator("#h-waiting", has_text="Waiting tickets").wait_for()
    await row.locator("button", has_text="Reassign").wait_for()
    violations = await axe_violations(wall, axe_script)
    assert violations == [], describe(violations)
    await row.locator("button[data-ticket-id]").click()
    await wall.locator("#reassign-title", has_text="Reassign ticket").wait_for()
    violations = await axe_violations(wall, axe_script)
    assert violations == [], describe(violations)
    await wall.keyboard.press("Escape")
    await dialog.wait_for(state="hidden")
