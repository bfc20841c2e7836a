"""Malformed and out-of-range ids, as a careless or hostile client sends them, and a log watch.

Used by the sweeps over every route and every event (``tests/hub/test_ids_*.py``).
"""

from __future__ import annotations

import contextlib
import json
import logging
import typing
from collections.abc import Iterator
from typing import Any

import socketio
from pydantic import BaseModel

from hub.schemas import Payload

#: Digits of a number longer than Python converts by default (4,300) — and than any id.
HUGE_DIGITS = 8000
#: Stands for the 8,000-digit number in a payload; replaced in the encoded JSON text.
HUGE = "@@huge-number@@"
#: Stands for text that makes the payload malformed JSON (a test client's packets only).
BROKEN = "@@broken-json@@"

#: An id in a path or a query string: text. Only plain ASCII digits in 1 … 2**63-1 are ids.
BAD_TEXT: tuple[str, ...] = (
    "true",
    "1.0",
    "+1",
    " 1",
    "1e3",
    "٣",  # ARABIC-INDIC DIGIT THREE: int() takes it, an id does not
    "-1",
    str(10**30),
    str(2**63),
    "9" * HUGE_DIGITS,
)
#: Also not an id in a path (in a query, ``after_seq=0`` is fine).
BAD_PATH_ONLY: tuple[str, ...] = ("0",)
#: Ids in range that no row has: 2**31 and 2**63-1 overflowed 32-bit columns (a 500).
MISSING_IDS: tuple[str, ...] = (str(2**31), str(2**63 - 1))

#: An id in a JSON payload: only an integer (not a boolean, string or float) in range.
BAD_JSON: tuple[Any, ...] = (True, "1", 1.0, -1, 10**30, 2**63, HUGE)


def encode_huge(text: str) -> str:
    return text.replace(json.dumps(HUGE), "9" * HUGE_DIGITS).replace(json.dumps(BROKEN), "{")


def dumps(data: Any) -> str:
    """JSON with every :data:`HUGE` written as the 8,000-digit number itself."""
    return encode_huge(json.dumps(data))


class _HugeJson:
    """The ``json`` of a test client's socket.io packets: :data:`HUGE` goes out as digits."""

    @staticmethod
    def dumps(obj: Any, **kwargs: Any) -> str:
        return encode_huge(json.dumps(obj, **kwargs))

    loads = staticmethod(json.loads)


class HugePacket(socketio.packet.Packet):  # type: ignore[misc]
    json = _HugeJson


def send_huge_numbers(client: socketio.AsyncClient) -> None:
    """Let ``client`` send :data:`HUGE` as a raw 8,000-digit JSON number."""
    client.packet_class = HugePacket


def id_paths(value: Any, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """Where a payload holds ids: integers (not booleans) and ``*_id`` fields, nested too."""
    out: list[tuple[str | int, ...]] = []
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(k, str) and k.endswith("_id") and isinstance(v, str):
                out.append((*path, k))
            else:
                out.extend(id_paths(v, (*path, k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out.extend(id_paths(v, (*path, i)))
    elif isinstance(value, int) and not isinstance(value, bool):
        out.append(path)
    return out


def replaced(value: Any, path: tuple[str | int, ...], new: Any) -> Any:
    """A deep copy of ``value`` with the item at ``path`` set to ``new``."""
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {k: (replaced(v, rest, new) if k == head else v) for k, v in value.items()}
    return [replaced(v, rest, new) if i == head else v for i, v in enumerate(value)]


def field_name(path: tuple[str | int, ...]) -> str:
    return ".".join(str(p) for p in path)


def _mentions_int(tp: Any) -> bool:
    if tp is int:
        return True
    if tp is bool:
        return False
    return any(_mentions_int(arg) for arg in typing.get_args(tp))


def integer_field_names() -> set[str]:
    """Every name (or alias) of an integer field of any client payload model."""
    names: set[str] = set()
    seen: set[type[BaseModel]] = set()
    todo: list[type[BaseModel]] = [Payload]
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        todo.extend(model.__subclasses__())
        for name, info in model.model_fields.items():
            if _mentions_int(info.annotation):
                names.add(info.alias or name)
    return names


def is_typed_refusal(body: Any, codes: tuple[str, ...] = ("invalid", "not_found")) -> bool:
    return (
        isinstance(body, dict)
        and body.get("ok") is False
        and isinstance(body.get("error"), dict)
        and body["error"].get("code") in codes
    )


def names_field(body: dict[str, Any], name: str) -> bool:
    """The refusal names ``name`` (or something under it) among its fields."""
    fields = body["error"].get("fields") or []
    named = {f.get("field", "") for f in fields} | {body["error"].get("field") or ""}
    return any(f == name or f.startswith(name + ".") for f in named)


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextlib.contextmanager
def watched_logs() -> Iterator[list[logging.LogRecord]]:
    """Warnings and errors logged meanwhile anywhere (root, and uvicorn, which does not
    propagate), by the live server running in this process."""
    handler = _Records()
    loggers = [logging.getLogger(), logging.getLogger("uvicorn")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield handler.records
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


def tracebacks(records: list[logging.LogRecord]) -> list[str]:
    """Records that carry a traceback or are errors: none may come from bad input."""
    return [
        f"{r.name}: {r.getMessage()[:200]}"
        for r in records
        if r.exc_info or r.levelno >= logging.ERROR or r.stack_info
    ]
