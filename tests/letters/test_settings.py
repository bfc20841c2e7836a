"""The office's number format (admins), the number template's rules, officers' NIP."""

from __future__ import annotations

import dataclasses

import pytest

from hub.errors import Invalid
from hub.letters.numbering import NumberParts, check_template, format_number, roman_month
from tests.letters.helpers import approved, call, letter_of
from tests.support.server import RunningHub
from tests.support.world import World

PARTS = NumberParts(7, "400.12.4", "SKTM", "BGR-BT-02", "32.71.02.1002", 12, 2026)


def test_templates_fill_named_placeholders_only() -> None:
    assert format_number("{class}/{seq}/{office}/{month_roman}/{year}", PARTS) == (
        "400.12.4/007/BGR-BT-02/XII/2026"
    )
    assert format_number("474/{seq}/{kemendagri}/{month}.{year} {{x}}", PARTS) == (
        "474/007/32.71.02.1002/12.2026 {x}"
    )
    assert format_number("{seq}", dataclasses.replace(PARTS, seq=1234)) == "1234"
    assert [roman_month(m) for m in (1, 4, 9, 12)] == ["I", "IV", "IX", "XII"]
    for bad in ("{seq:05d}", "{seq!r}", "{office.name}", "{}", "{0}", "{nik}/{seq}",
                "474/{year}", "{seq", "", " " * 3, "x" * 121):  # fmt: skip
        with pytest.raises(Invalid) as caught:
            check_template(bad)
        assert caught.value.details["field"] == "number_template", bad


async def test_admins_set_the_office_format_and_the_next_letter_follows_it(
    live: RunningHub, live_world: World
) -> None:
    w = live_world
    url = f"/api/admin/offices/{w.offices['kel_a']}/letters"
    for who in ("fo", "approver", "spv", "citizen"):
        assert (await call(live, who, w, "GET", url)).status_code == 403
    shown = (await call(live, "admin", w, "GET", url)).json()["settings"]
    assert shown["number_template"] == "{class}/{seq}/{office}/{month_roman}/{year}"
    assert shown["next_number"].startswith("400.12/001/BGR-BT-01/")
    bad = await call(live, "admin", w, "PUT", url, json={"number_template": "{seq:04d}"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "number_template"
    r = await call(live, "admin", w, "PUT", url,
                   json={"number_template": "474/{seq}/Kel.Sukasari/{year}"})  # fmt: skip
    assert r.status_code == 200, r.text
    tid = await approved(w)
    letter = await letter_of(live.hub, tid)
    assert letter is not None and letter.number == f"474/001/Kel.Sukasari/{letter.year}"
    after = (await call(live, "admin", w, "GET", url)).json()["settings"]
    assert after["next_number"] == f"474/002/Kel.Sukasari/{letter.year}"
    audit = (await call(live, "admin", w, "GET", "/api/admin/audit")).json()["entries"]
    audit = [e for e in audit if e["action"] == "office.letters"]  # the letter's issue too
    assert audit[0]["summary"]["after"] == {"number_template": "474/{seq}/Kel.Sukasari/{year}"}


async def test_officers_have_a_nip_admins_edit(live: RunningHub, live_world: World) -> None:
    w = live_world
    create = await call(live, "admin", w, "POST", "/api/admin/officers", json={
        "username": "lurah.baru", "full_name": "Lurah Baru", "role": "approver",
        "office_id": w.offices["kel_a"], "nip": "19700101 200003 2 001",
    })  # fmt: skip
    assert create.status_code == 201, create.text
    officer = create.json()["officer"]
    assert officer["nip"] == "197001012000032001"
    url = f"/api/admin/officers/{officer['id']}"
    bad = await call(live, "admin", w, "PATCH", url, json={"nip": "1234"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "nip"
    r = await call(live, "admin", w, "PATCH", url, json={"nip": "198001012005011002"})
    assert r.json()["officer"]["nip"] == "198001012005011002"
    audit = (await call(live, "admin", w, "GET", "/api/admin/audit")).json()["entries"]
    assert audit[0]["summary"]["after"] == {"nip_changed": True}
    cleared = await call(live, "admin", w, "PATCH", url, json={"nip": ""})
    assert cleared.json()["officer"]["nip"] is None
