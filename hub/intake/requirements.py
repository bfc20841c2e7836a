"""What a request needs: each service's documents (with the file kinds they accept) and its
form fields, as citizens see them, and the rules a form's values follow.

Values travel as strings (what a form input holds): ``text`` up to 200 characters,
``textarea`` up to 2,000, ``date`` as ``YYYY-MM-DD``, ``number`` as a whole number
(0 … 10¹⁵, digits only), ``select`` one of the field's options. An empty string is no value.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hub.accounts.models import FieldKind, ServiceFormField, ServiceRequirement
from hub.errors import Invalid
from hub.intake import store

#: The file kinds a document may accept, and the content types (sniffed) each admits.
KINDS: dict[str, frozenset[str]] = {
    "image": frozenset({"image/jpeg", "image/png", "image/webp"}),
    "pdf": frozenset({"application/pdf"}),
}
MAX_LENGTH = {FieldKind.text: 200, FieldKind.textarea: 2000}
MAX_NUMBER = 10**15
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def accepts_of(stored: str) -> list[str]:
    return [k for k in stored.split(",") if k in KINDS]


def content_types(accepts: str) -> frozenset[str]:
    return frozenset().union(*(KINDS[k] for k in accepts_of(accepts)))


def requirement_public(r: ServiceRequirement) -> dict[str, Any]:
    return {
        "code": r.code,
        "name": r.name,
        "name_en": r.name_en,
        "required": r.required,
        "accepts": accepts_of(r.accepts),
    }


def field_public(f: ServiceFormField) -> dict[str, Any]:
    return {
        "code": f.code,
        "label": f.label,
        "label_en": f.label_en,
        "kind": f.kind.value,
        "required": f.required,
        "options": list(f.options or []),
    }


async def forms_by_service(session: AsyncSession) -> dict[int, dict[str, list[dict[str, Any]]]]:
    """Every service's documents and fields (public), by service id: for ``/api/reference``."""
    out: dict[int, dict[str, list[dict[str, Any]]]] = {}
    for r in await store.all_requirements(session):
        out.setdefault(r.service_type_id, {"requirements": [], "fields": []})
        out[r.service_type_id]["requirements"].append(requirement_public(r))
    for f in await store.all_fields(session):
        out.setdefault(f.service_type_id, {"requirements": [], "fields": []})
        out[f.service_type_id]["fields"].append(field_public(f))
    return out


def _bad(code: str, reason: str, problem: str, **limits: Any) -> Invalid:
    return Invalid(
        reason,
        field=f"form.{code}",
        form_field=code,
        fields=[{"field": f"form.{code}", "problem": problem}],
        **limits,
    )


def clean_value(f: ServiceFormField, raw: object) -> str:
    """One value, checked and normalised; ``""`` when empty. Raises ``invalid`` naming it."""
    if not isinstance(raw, str):
        raise _bad(f.code, "form_field_not_text", "must be a string")
    text = _CONTROL.sub("", unicodedata.normalize("NFC", raw).replace("\r\n", "\n")).strip()
    if not text:
        return ""
    kind = f.kind
    if kind in MAX_LENGTH:
        if kind is FieldKind.text:
            text = " ".join(text.split())
        if len(text) > MAX_LENGTH[kind]:
            raise _bad(
                f.code,
                "form_field_too_long",
                f"at most {MAX_LENGTH[kind]} characters",
                max=MAX_LENGTH[kind],
            )
    elif kind is FieldKind.date:
        try:
            text = date.fromisoformat(text).isoformat()
        except ValueError:
            raise _bad(f.code, "form_field_date", "a date YYYY-MM-DD") from None
        if len(text) != 10:
            raise _bad(f.code, "form_field_date", "a date YYYY-MM-DD")
    elif kind is FieldKind.number:
        if not (text.isascii() and text.isdigit()) or int(text) > MAX_NUMBER:
            raise _bad(f.code, "form_field_number", "a whole number")
        text = str(int(text))
    elif text not in (f.options or []):
        raise _bad(f.code, "form_field_option", "one of the options")
    return text


def clean_form(
    fields: Sequence[ServiceFormField], values: Mapping[str, object], complete: bool
) -> dict[str, str]:
    """The form's values checked against its fields (unknown codes are ``invalid``).

    ``complete``: every required field must have a value (a submitted request); a draft
    may be partial. Empty values are dropped.
    """
    by_code = {f.code: f for f in fields}
    for code in values:
        if code not in by_code:
            raise _bad(code, "form_field_unknown", "unknown field")
    clean = {}
    for f in fields:
        if f.code in values:
            value = clean_value(f, values[f.code])
            if value:
                clean[f.code] = value
    if complete:
        absent = [f.code for f in fields if f.required and f.code not in clean]
        if absent:
            raise Invalid(
                "form_fields_required",
                form_fields=absent,
                field=f"form.{absent[0]}",
                fields=[{"field": f"form.{c}", "problem": "required"} for c in absent],
            )
    return clean


def form_view(
    fields: Sequence[ServiceFormField], values: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """The form as shown on a ticket: each field with its value (fields since removed by an
    admin are kept, labelled by their code)."""
    shown = [{**field_public(f), "value": values.get(f.code)} for f in fields]
    known = {f.code for f in fields}
    for code, value in values.items():
        if code not in known:
            shown.append({"code": code, "label": code, "label_en": code, "kind": "text",
                          "required": False, "options": [], "value": value})  # fmt: skip
    return shown
