"""Each role on its own pages: a page another role uses redirects to one's own with a
message; a ticket page of a missing, foreign or malformed id is an HTML not-found page."""

from __future__ import annotations

import pytest

from tests.support.server import RunningHub
from tests.support.world import World, receipt_token

REDIRECTS = [
    # (who, page) → where they are sent
    ("citizen", "/officer", "/requests?denied=officer"),
    ("citizen", "/supervisor", "/requests?denied=supervisor"),
    ("citizen", "/admin", "/requests?denied=admin"),
    ("fo", "/admin", "/officer?denied=admin"),
    ("fo", "/supervisor", "/officer?denied=supervisor"),
    ("fo", "/requests", "/officer?denied=requests"),
    ("fo", "/requests/new", "/officer?denied=requests"),
    ("spv", "/admin", "/supervisor?denied=admin"),
    ("spv", "/requests", "/supervisor?denied=requests"),
    ("admin", "/requests", "/admin?denied=requests"),
]
ALLOWED = [
    ("citizen", "/requests"),
    ("citizen", "/requests/new"),
    ("citizen", "/preferences"),
    ("citizen", "/account"),
    ("fo", "/officer"),
    ("fo", "/preferences"),
    ("spv", "/supervisor"),
    ("spv", "/officer"),
    ("admin", "/admin"),
    ("admin", "/supervisor"),
]


@pytest.mark.parametrize(("who", "path", "target"), REDIRECTS)
async def test_a_page_of_another_role_sends_one_home(
    live: RunningHub, live_world: World, who: str, path: str, target: str
) -> None:
    async with live.http(live_world.tokens[who]) as http:
        r = await http.get(path)
        assert r.status_code == 303, (who, path, r.status_code)
        assert r.headers["location"] == target


async def test_ones_own_pages_and_signed_out_shells(live: RunningHub, live_world: World) -> None:
    for who, path in ALLOWED:
        async with live.http(live_world.tokens[who]) as http:
            r = await http.get(path)
            assert r.status_code == 200, (who, path, r.status_code)
            assert r.headers["content-type"].startswith("text/html")
    async with live.http() as http:  # signed out: the shell, whose bundle asks to log in
        for path in ("/officer", "/admin", "/requests", "/preferences", "/t/1"):
            assert (await http.get(path)).status_code == 200, path


async def test_walk_in_and_officer_on_ticket_pages(live: RunningHub, live_world: World) -> None:
    walk_in, _ = await live_world.walk_in()
    online = await live_world.new_ticket()
    async with live.http(await receipt_token(live.hub, walk_in)) as http:
        r = await http.get("/requests")
        assert (r.status_code, r.headers["location"]) == (303, f"/t/{walk_in}?denied=requests")
        assert (await http.get(f"/t/{walk_in}")).status_code == 200
        r = await http.get(f"/t/{online}")  # not theirs
        assert r.status_code == 404 and f'href="/t/{walk_in}"' in r.text
    async with live.http(live_world.tokens["fo"]) as http:
        r = await http.get(f"/t/{online}")
        assert r.status_code == 303
        assert r.headers["location"] == f"/officer?denied=ticket#t={online}"


@pytest.mark.parametrize("path", ["/t/{foreign}", "/t/{missing}", "/ticket/abc", "/t/1.0", "/t/0"])
async def test_a_ticket_page_not_to_be_seen_is_an_html_not_found(
    live: RunningHub, live_world: World, path: str
) -> None:
    foreign = await live_world.new_ticket("citizen2")
    url = path.format(foreign=foreign, missing=2**62)
    async with live.http(live_world.tokens["citizen"]) as http:
        r = await http.get(url)
    assert r.status_code == 404, r.text[:200]
    assert r.headers["content-type"].startswith("text/html")
    assert "content-security-policy" in r.headers
    assert "Permohonan tidak ditemukan" in r.text
    assert 'href="/requests"' in r.text
    for absent in ("composer", "echo-start", "/static/dist/citizen.js"):
        assert absent not in r.text


async def test_a_notification_link_with_a_bad_id_is_html(live: RunningHub) -> None:
    async with live.http() as http:
        r = await http.get("/tickets/%C2%B3")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert 'href="/"' in r.text
