"""Typed parsing of untrusted payloads: where ``Any`` from the wire stops."""

from __future__ import annotations

import json
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from hub.errors import Invalid, TooLarge

MAX_EVENT_BYTES = 64 * 1024

M = TypeVar("M", bound=BaseModel)


class Payload(BaseModel):
    """Base of every client payload: unknown fields are refused, not ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


def parse(model: type[M], data: object) -> M:
    """Validate ``data`` into ``model`` or raise :class:`Invalid` naming the fields."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise Invalid("Format data salah: harus objek JSON / Payload must be a JSON object")
    check_size(data)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise Invalid(
            "Data tidak valid / Invalid input", fields=_fields(exc.errors(include_url=False))
        ) from None


def check_size(data: object) -> None:
    """Raise :class:`TooLarge` if ``data`` as JSON (UTF-8) is over :data:`MAX_EVENT_BYTES`,
    :class:`Invalid` if it is not JSON at all."""
    try:
        size = len(json.dumps(data, ensure_ascii=False).encode())
    except (TypeError, ValueError):
        raise Invalid("Format data salah / Malformed payload") from None
    if size > MAX_EVENT_BYTES:
        raise TooLarge(
            f"Data melebihi {MAX_EVENT_BYTES} byte / Payload over {MAX_EVENT_BYTES} bytes"
        )


def _fields(errors: list[Any]) -> list[dict[str, str]]:
    out = []
    for err in errors[:10]:
        loc = ".".join(str(part) for part in err.get("loc", ())) or "(payload)"
        out.append({"field": loc, "problem": str(err.get("msg", "invalid"))})
    return out
