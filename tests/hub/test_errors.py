"""The closed set of error codes: each code has its class, and the protocol says the same."""

from __future__ import annotations

import re
from pathlib import Path

from hub.errors import ERROR_CODES, HubError

PROTOCOL = Path(__file__).resolve().parents[2] / "docs" / "protocol.md"


def error_classes() -> list[type[HubError]]:
    found: list[type[HubError]] = []
    todo = list(HubError.__subclasses__())
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo += cls.__subclasses__()
    return found


def test_every_code_has_one_class_that_introduces_it() -> None:
    introduced = [
        c.code
        for c in error_classes()
        if not any(
            issubclass(b, HubError) and getattr(b, "code", None) == c.code for b in c.__bases__
        )
    ]
    assert sorted(introduced) == sorted(ERROR_CODES)
    assert len(set(ERROR_CODES)) == len(ERROR_CODES)


def test_the_protocol_table_lists_each_code_with_its_http_status() -> None:
    rows = re.findall(r"^\| `([a-z_]+)` \| (\d{3}) \|", PROTOCOL.read_text(), re.MULTILINE)
    documented = {(code, int(status)) for code, status in rows}
    coded = {(c.code, c.status) for c in error_classes()}
    assert documented == coded
    assert tuple(dict.fromkeys(code for code, _s in rows)) == ERROR_CODES  # same order
