"""The call story in two browsers, shared by the direct and the TURN-relay tests."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import Pages

VIDEO_PLAYING = """() => {
  const v = document.getElementById("remote-video");
  return v && v.videoWidth > 0 && !v.paused && window.__call && window.__call.pc
    && window.__call.pc.connectionState === "connected";
}"""

SELECTED_PAIR = """async () => {
  const stats = await window.__call.pc.getStats();
  const byId = new Map();
  stats.forEach((s) => byId.set(s.id, s));
  let pair = null;
  stats.forEach((s) => {
    if (s.type === "transport" && s.selectedCandidatePairId) {
      pair = byId.get(s.selectedCandidatePairId);
    }
  });
  if (!pair) return null;
  const type = (id) => byId.get(id).candidateType;
  return [type(pair.localCandidateId), type(pair.remoteCandidateId)];
}"""

CALLS_READY = "() => window.hub && window.hub.calls && window.hub.calls.socket.connected"

#: What a page's call looks like, for the message of a call that never connected.
CALL_STATE = """() => {
  const c = window.__call;
  const pc = c && c.pc;
  const v = document.getElementById("remote-video");
  return {
    callId: c && c.callId, role: c && c.role, pc: Boolean(pc),
    connection: pc && pc.connectionState, ice: pc && pc.iceConnectionState,
    signaling: pc && pc.signalingState, pendingOffer: Boolean(c && c.pendingOffer),
    pendingIce: c && c.pendingIce && c.pendingIce.length,
    videoWidth: v && v.videoWidth, paused: v && v.paused,
    view: document.getElementById("call-view")?.dataset.state,
  };
}"""


async def video_call(pages: Pages, query: str = "") -> tuple[Any, Any, list[list[str]]]:
    """Officer calls, citizen accepts, both see video; hang up. Returns the selected pairs."""
    ticket_id = await pages.world.new_ticket()
    officer = await pages.signed_in("fo", f"/officer{query}#t={ticket_id}")
    citizen = await pages.signed_in("citizen", f"/t/{ticket_id}{query}", phone=True)
    logs: list[str] = []  # every console line of both pages (the client warns on a failed step)
    officer.on("console", lambda m: logs.append(f"officer {m.type}: {m.text}"))
    citizen.on("console", lambda m: logs.append(f"citizen {m.type}: {m.text}"))
    officer.on("pageerror", lambda e: logs.append(f"officer error: {e}"))
    citizen.on("pageerror", lambda e: logs.append(f"citizen error: {e}"))
    for page in (officer, citizen):
        await page.wait_for_selector("#timeline li[data-kind=created]")
        await page.wait_for_function(CALLS_READY)

    await officer.click("#call-video")
    incoming = citizen.locator("#incoming")
    try:
        await incoming.wait_for(state="visible")
    except Exception:
        raise AssertionError("no incoming call:\n" + "\n".join(logs)) from None
    assert "Uji fo" in (await citizen.text_content("#incoming-who") or "")
    await pages.screenshot(citizen, "citizen-incoming-call")
    await citizen.click("#incoming-accept")

    pairs = []
    for page in (officer, citizen):
        try:
            await page.wait_for_function(VIDEO_PLAYING, timeout=30_000)
        except Exception as exc:
            states = {"officer": await officer.evaluate(CALL_STATE)}
            states["citizen"] = await citizen.evaluate(CALL_STATE)
            raise AssertionError(f"no video after 30 s: {states}; console: {logs}") from exc
        await page.locator("#call-view[data-state=connected]").wait_for()
        pairs.append(await page.evaluate(SELECTED_PAIR))
    await officer.locator("#call-quality").filter(has_text="ms").wait_for(timeout=15_000)
    await pages.screenshot(officer, "officer-in-call")
    await pages.screenshot(citizen, "citizen-in-call")

    await officer.click("#call-hangup")
    for page in (officer, citizen):
        await page.locator("#call-view[data-state=ended]").wait_for()
        call = page.locator("#timeline li[data-kind=call]")
        await call.wait_for()
        assert "selesai" in (await call.text_content() or "")
    return officer, citizen, pairs
