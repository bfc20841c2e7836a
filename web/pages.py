"""The HTML shells of the pages (``web/templates``): structure and Indonesian labels only.

No user data is ever put in the HTML: each bundle translates the ``data-i18n``
nodes (English by the toggle) and fills the rest with ``textContent``. No inline
script or style (the CSP forbids them). ``<!-- include _x.html -->`` pulls in a
fragment shared by several pages.

Templates name assets by their logical names (``/static/dist/officer.js``,
``/static/app.css``); the page points them at the content-hashed files of the
last build (``web/static/dist/manifest.json``, written by ``web/build.mjs``),
which the hub serves as immutable. Without a manifest (no build yet) the names
stay as written.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

TEMPLATES = Path(__file__).parent / "templates"
DIST = Path(__file__).parent / "static" / "dist"
PAGES = (
    "login", "officer", "citizen", "supervisor", "register", "reset", "account", "admin",
    "ajukan", "requests", "request_new", "preferences", "notfound", "reports",
)  # fmt: skip
_INCLUDE = re.compile(r"<!-- include (_[a-z_]+\.html) -->")
_ASSET = re.compile(r'"/static/(?:dist/)?([a-z_]+\.(?:js|css))"')


def _built_at() -> int:
    """When the last build wrote its manifest (0: never): a new build renews the pages."""
    try:
        return (DIST / "manifest.json").stat().st_mtime_ns
    except FileNotFoundError:
        return 0


@functools.cache
def _manifest(built_at: int) -> dict[str, str]:
    if not built_at:
        return {}
    try:
        data = json.loads((DIST / "manifest.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    return {str(k): str(v) for k, v in data.items()}


def manifest() -> dict[str, str]:
    """Logical asset name → hashed file name in ``static/dist``; empty before a build."""
    return _manifest(_built_at())


def page_html(name: str) -> str:
    """The page ``name`` (one of :data:`PAGES`) with its fragments included and its assets
    pointed at the last build; read once per build (a rebuild while serving is picked up)."""
    if name not in PAGES:
        raise KeyError(name)
    return _page_html(name, _built_at())


@functools.cache
def _page_html(name: str, built_at: int) -> str:
    names = _manifest(built_at)

    def hashed(match: re.Match[str]) -> str:
        found = names.get(match.group(1))
        return f'"/static/dist/{found}"' if found else match.group(0)

    text = (TEMPLATES / f"{name}.html").read_text(encoding="utf-8")
    text = _INCLUDE.sub(lambda m: (TEMPLATES / m.group(1)).read_text(encoding="utf-8"), text)
    return _ASSET.sub(hashed, text)
