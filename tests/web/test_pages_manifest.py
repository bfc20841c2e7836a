"""The pages name the last build's hashed files (web/static/dist/manifest.json) — and a new
build while the hub runs is picked up without a restart."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from web import pages


def build(dist: Path, names: dict[str, str], at: int) -> None:
    (dist / "manifest.json").write_text(json.dumps(names))
    os.utime(dist / "manifest.json", ns=(at, at))


def test_assets_follow_the_manifest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pages, "DIST", tmp_path)
    html = pages.page_html("officer")  # no build yet: the names as written
    assert 'src="/static/dist/officer.js"' in html and 'href="/static/app.css"' in html

    build(tmp_path, {"officer.js": "officer-AAAAAAAA.js", "app.css": "app-BBBBBBBB.css"}, 10**18)
    html = pages.page_html("officer")
    assert 'src="/static/dist/officer-AAAAAAAA.js"' in html
    assert 'href="/static/dist/app-BBBBBBBB.css"' in html
    assert 'href="/static/dist/officer.css"' in html  # not in this manifest: left alone

    build(tmp_path, {"officer.js": "officer-CCCCCCCC.js"}, 2 * 10**18)  # rebuilt meanwhile
    assert 'src="/static/dist/officer-CCCCCCCC.js"' in pages.page_html("officer")
    with pytest.raises(KeyError):
        pages.page_html("nope")
