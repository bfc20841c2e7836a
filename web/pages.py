"""The HTML shells of the pages (``web/templates``): structure and Indonesian labels only.

No user data is ever put in the HTML: each bundle translates the ``data-i18n``
nodes (English by the toggle) and fills the rest with ``textContent``. No inline
script or style (the CSP forbids them). ``<!-- include _x.html -->`` pulls in a
fragment shared by several pages.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

TEMPLATES = Path(__file__).parent / "templates"
PAGES = (
    "login", "officer", "citizen", "supervisor", "register", "reset", "account", "admin",
    "requests", "request_new", "preferences", "notfound",
)  # fmt: skip
_INCLUDE = re.compile(r"<!-- include (_[a-z_]+\.html) -->")


@functools.cache
def page_html(name: str) -> str:
    """The page ``name`` (one of :data:`PAGES`) with its fragments included; read once."""
    if name not in PAGES:
        raise KeyError(name)
    text = (TEMPLATES / f"{name}.html").read_text(encoding="utf-8")
    return _INCLUDE.sub(lambda m: (TEMPLATES / m.group(1)).read_text(encoding="utf-8"), text)
