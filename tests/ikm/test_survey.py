"""The survey of a completed request: offered to its applicant (page and inbox), answered
once (a second answer is ``conflict``), stored without a link to the person."""

from __future__ import annotations

from sqlalchemy import inspect, select

from hub.ikm.models import SurveyClaim, SurveyResponse
from notifications.models import Notification
from tests.ikm.helpers import GOOD, add_call, completed
from tests.letters.helpers import approved, call, walk_in_awaiting
from tests.support.server import RunningHub
from tests.support.world import World, receipt_token


async def test_offered_after_completion_answered_once(live: RunningHub, live_world: World) -> None:
    w = live_world
    tid = await approved(w)
    url = f"/api/tickets/{tid}/survey"
    r = await call(live, "citizen", w, "GET", url)
    assert r.status_code == 200 and r.json()["survey"]["offered"] is False
    early = await call(live, "citizen", w, "POST", url, json={"answers": GOOD})
    assert early.status_code == 409 and early.json()["error"]["code"] == "invalid_transition"

    await w.act("fo", tid, "complete")
    r = await call(live, "citizen", w, "GET", url)
    survey = r.json()["survey"]
    assert survey["offered"] is True and survey["answered"] is False
    assert len(survey["elements"]) == 9 and [s["value"] for s in survey["scale"]] == [1, 2, 3, 4]
    missing = await call(live, "citizen", w, "POST", url, json={"answers": {"persyaratan": 4}})
    assert missing.status_code == 422 and missing.json()["error"]["field"] == "prosedur"
    bad = await call(live, "citizen", w, "POST", url, json={"answers": {**GOOD, "biaya": 5}})
    assert bad.status_code == 422
    assert (await call(live, "fo", w, "POST", url, json={"answers": GOOD})).status_code == 403
    assert (await call(live, "citizen2", w, "GET", url)).status_code == 404

    done = await call(live, "citizen", w, "POST", url, json={"answers": GOOD})
    assert done.status_code == 200, done.text
    assert done.json()["survey"] | {"offered": False, "answered": True} == done.json()["survey"]
    again = await call(live, "citizen", w, "POST", url, json={"answers": GOOD})
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"
    async with live.hub.reader() as session:
        assert len((await session.scalars(select(SurveyResponse))).all()) == 1
        assert await session.get(SurveyClaim, tid) is not None


async def test_completion_offers_the_survey_in_the_inbox(
    live: RunningHub, live_world: World
) -> None:
    w = live_world
    tid = await completed(w)
    async with live.hub.reader() as session:
        notes = (
            await session.scalars(
                select(Notification).where(
                    Notification.user_id == w.users["citizen"], Notification.kind == "survey"
                )
            )
        ).all()
    assert [(n.ticket_id, n.title) for n in notes] == [
        (tid, f"Permohonan {notes[0].ticket_number} selesai: isi survei kepuasan")
    ]


async def test_an_answer_names_no_person_and_no_request(live: RunningHub) -> None:
    async with live.hub.reader() as session:
        conn = await session.connection()
        columns = await conn.run_sync(
            lambda c: {col["name"] for col in inspect(c).get_columns("ikm_responses")}
        )
        claim = await conn.run_sync(
            lambda c: {col["name"] for col in inspect(c).get_columns("ikm_claims")}
        )
    assert columns == {
        "id",
        "office_id",
        "service_type_id",
        "day",
        *(f"u{i}" for i in range(1, 10)),
    }
    assert claim == {"ticket_id"}  # no time to match against an answer


async def test_one_tap_rating_of_an_answered_call(live: RunningHub, live_world: World) -> None:
    w = live_world
    tid = await completed(w)
    await add_call(live.hub, w, tid, "c" * 20, answered_seconds=30)
    await add_call(live.hub, w, tid, "m" * 20, answered_seconds=None)
    url = f"/api/calls/{'c' * 20}/rating"
    assert (await call(live, "fo", w, "POST", url, json={"rating": 4})).status_code == 403
    assert (await call(live, "citizen2", w, "POST", url, json={"rating": 4})).status_code == 404
    r = await call(live, "citizen", w, "POST", url, json={"rating": 4})
    assert r.status_code == 200, r.text
    again = await call(live, "citizen", w, "POST", url, json={"rating": 3})
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"
    missed = await call(live, "citizen", w, "POST", f"/api/calls/{'m' * 20}/rating",
                        json={"rating": 1})  # fmt: skip
    assert missed.status_code == 409 and missed.json()["error"]["code"] == "invalid_transition"
    assert (await call(live, "citizen", w, "POST", "/api/calls/x/rating",
                       json={"rating": 1})).status_code == 404  # fmt: skip


async def test_a_walk_in_receipt_holder_answers_too(live: RunningHub, live_world: World) -> None:
    w = live_world
    tid, _code = await walk_in_awaiting(w)
    await w.act("approver", tid, "approve")
    await w.act("fo", tid, "complete")
    token = await receipt_token(live.hub, tid)
    async with live.http(token) as http:
        r = await http.get(f"/api/tickets/{tid}/survey")
        assert r.json()["survey"]["offered"] is True
        done = await http.post(f"/api/tickets/{tid}/survey", json={"answers": GOOD})
        assert done.status_code == 200, done.text
        again = await http.post(f"/api/tickets/{tid}/survey", json={"answers": GOOD})
        assert again.json()["error"]["code"] == "conflict"
