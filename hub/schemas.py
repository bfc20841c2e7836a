"""Typed parsing of untrusted payloads: where ``Any`` from the wire stops.

Ids have one definition here (:data:`Id`): a strict integer in the signed 64-bit
range, the range of the database's keys. ``true``, ``"1"`` and ``1.0`` are not ids
in a JSON payload; in a query string or a path, where everything is text, an id
is plain ASCII decimal digits (``"1"``), and ``"1.0"``, ``"+1"``, ``" 1"``,
``"1e3"`` or ``"٣"`` are not. A JSON number too long to be any id reaches
validation as an :class:`OversizedNumber` (never an ``int``: Python refuses to
convert more than 4,300 digits, and nothing here needs more than 19), so it is
``invalid`` like any other wrong type.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Annotated, Any, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    ValidationError,
    ValidationInfo,
)

from hub.errors import Invalid, TooLarge

MAX_EVENT_BYTES = 64 * 1024
#: The largest id: keys are signed 64-bit integers (PostgreSQL BIGINT, SQLite INTEGER).
MAX_ID = 2**63 - 1
#: JSON integers with more characters than this are left unconverted (:class:`OversizedNumber`).
MAX_NUMBER_CHARS = 32
_MAX_ID_DIGITS = len(str(MAX_ID))

M = TypeVar("M", bound=BaseModel)


class OversizedNumber:
    """A JSON integer too long for any field, kept as its length only."""

    __slots__ = ("digits",)

    def __init__(self, text: str) -> None:
        self.digits = len(text.lstrip("-"))

    def __repr__(self) -> str:
        return f"<integer of {self.digits} digits>"


def _parse_int(text: str) -> int | OversizedNumber:
    return OversizedNumber(text) if len(text) > MAX_NUMBER_CHARS else int(text)


def loads(text: str | bytes) -> Any:
    """``json.loads`` for untrusted input: long integers become :class:`OversizedNumber`.

    Raises ``ValueError`` for malformed JSON and ``RecursionError`` for absurd nesting.
    """
    return json.loads(text, parse_int=_parse_int)


def decimal_id(text: str) -> int:
    """An id written as text (a path or query value): ASCII digits only, at most 19 of them.

    Raises ``ValueError`` otherwise; the range (1 … 2**63-1) is checked by the caller.
    """
    if not (text.isascii() and text.isdigit()):
        raise ValueError("must be decimal digits")
    if len(text.lstrip("0")) > _MAX_ID_DIGITS:
        raise ValueError(f"out of range (at most {MAX_ID})")
    return int(text)


def _from_text(value: object, info: ValidationInfo) -> object:
    """In a query string (``parse_query``) integers arrive as text: accept plain digits only."""
    if isinstance(value, str) and isinstance(info.context, dict) and info.context.get("query"):
        return decimal_id(value)
    return value


#: An id (ticket, office, user, notification, version, seq of an event…): 1 … 2**63-1.
Id = Annotated[int, BeforeValidator(_from_text), Field(strict=True, ge=1, le=MAX_ID)]
#: A position that may be 0 ("from the start"): ``after_seq``, a read position.
Seq = Annotated[int, BeforeValidator(_from_text), Field(strict=True, ge=0, le=MAX_ID)]
#: Any other integer (a page ``limit``): strict too; give the bounds where it is used.
Int = Annotated[int, BeforeValidator(_from_text), Field(strict=True)]
#: ``true``/``false`` only (not ``1``, ``"true"``).
Bool = StrictBool


class Payload(BaseModel):
    """Base of every client payload: unknown fields are refused, not ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


def _size_of(value: object) -> str:
    if isinstance(value, OversizedNumber):
        return "0" * value.digits
    raise TypeError(type(value).__name__)


def parse(model: type[M], data: object) -> M:
    """Validate ``data`` into ``model`` or raise :class:`Invalid` naming the fields."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise Invalid("payload_not_object")
    check_size(data)
    return _validate(model, data, None)


def parse_query(model: type[M], params: Mapping[str, str] | Any) -> M:
    """Validate a query string into ``model``: integers as plain decimal text, no repeats.

    ``params`` is Starlette's ``QueryParams`` (or a plain mapping). A name given twice
    is ``invalid``: one of the two values would otherwise be silently ignored.
    """
    items: list[tuple[str, str]] = (
        list(params.multi_items()) if hasattr(params, "multi_items") else list(params.items())
    )
    data: dict[str, str] = {}
    for key, value in items:
        if key in data:
            raise Invalid(
                "parameter_repeated",
                fields=[{"field": key, "problem": "given more than once"}],
            )
        data[key] = value
    return _validate(model, data, {"query": True})


def _validate(model: type[M], data: dict[str, Any], context: dict[str, Any] | None) -> M:
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        raise Invalid("invalid", fields=_fields(exc.errors(include_url=False))) from None


def check_size(data: object) -> None:
    """Raise :class:`TooLarge` if ``data`` as JSON (UTF-8) is over :data:`MAX_EVENT_BYTES`,
    :class:`Invalid` if it is not JSON at all."""
    try:
        size = len(json.dumps(data, ensure_ascii=False, default=_size_of).encode())
    except (TypeError, ValueError, RecursionError):
        raise Invalid("malformed_payload") from None
    if size > MAX_EVENT_BYTES:
        raise TooLarge("payload_too_large", limit=MAX_EVENT_BYTES)


def _fields(errors: list[Any]) -> list[dict[str, str]]:
    out = []
    for err in errors[:10]:
        loc = ".".join(str(part) for part in err.get("loc", ())) or "(payload)"
        out.append({"field": loc, "problem": str(err.get("msg", "invalid"))})
    return out
