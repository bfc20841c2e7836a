"""OpenAPI 3.1 of the HTTP endpoints (``hub.spec.endpoints``), from the models they parse."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from hub.contract import ErrorAck
from hub.errors import ERROR_CODES
from hub.schemas import MAX_ID
from hub.spec.asyncapi import ok_ack
from hub.spec.endpoints import HTML, RAW, Endpoint

REF = "#/components/schemas/{model}"
#: Every failure answers the one error body; the codes and their statuses (§2).
ERROR_STATUSES = {
    401: "unauthenticated",
    403: "forbidden (also a cross-site write)",
    404: "not_found (also not yours to see)",
    409: "conflict, invalid_transition or resync_required",
    413: "too_large",
    415: "invalid: the body is not application/json",
    422: "invalid (fields named)",
    429: "rate_limited (Retry-After)",
    503: "unavailable",
}
_PARAM = re.compile(r"\{(\w+)(?::(\w+))?\}")


@cache
def answered(model: type[BaseModel]) -> type[BaseModel]:
    """The answer's model with the ``ok: true`` every success carries (``hub.http.ok``)."""
    return model if "ok" in model.model_fields else ok_ack(model)


def openapi_path(path: str) -> str:
    """``/api/tickets/{ticket_id:id}`` → ``/api/tickets/{ticket_id}``."""
    return _PARAM.sub(r"{\1}", path)


def _path_parameters(path: str) -> list[dict[str, Any]]:
    out = []
    for name, kind in _PARAM.findall(path):
        schema: dict[str, Any] = (
            {"type": "integer", "minimum": 1, "maximum": MAX_ID}
            if kind == "id"
            else {"type": "string"}
        )
        out.append({"name": name, "in": "path", "required": True, "schema": schema})
    return out


def _query_parameters(model: type[BaseModel], schema: dict[str, Any]) -> list[dict[str, Any]]:
    props = schema.get("properties", {})
    required = set(schema.get("required", []))
    return [
        {"name": name, "in": "query", "required": name in required, "schema": prop}
        for name, prop in props.items()
    ]


def _answer(ep: Endpoint, ref: dict[Any, dict[str, Any]]) -> dict[str, Any]:
    if isinstance(ep.answer, str):
        return {"content": {ep.answer: {"schema": {"type": "string"}}}}
    if isinstance(ep.answer, tuple):
        schema: dict[str, Any] = {
            "type": "object",
            "required": list(ep.answer),
            "properties": {key: {} for key in ep.answer},
        }
    else:
        schema = ref[(answered(ep.answer), "serialization")]
    return {"content": {"application/json": {"schema": schema}}}


def build(endpoints: tuple[Endpoint, ...], version: str) -> dict[str, Any]:
    """The OpenAPI 3.1 document of ``endpoints``."""
    wanted: list[tuple[type[BaseModel], JsonSchemaMode]] = [(ErrorAck, "serialization")]
    for ep in endpoints:
        for model in (ep.query, ep.body):
            if isinstance(model, type):
                wanted.append((model, "validation"))
        if isinstance(ep.answer, type):
            wanted.append((answered(ep.answer), "serialization"))
    keys, defs = models_json_schema(list(dict.fromkeys(wanted)), ref_template=REF)
    ref: dict[Any, dict[str, Any]] = dict(keys.items())
    schemas: dict[str, Any] = defs.get("$defs", {})
    paths: dict[str, Any] = {}
    for ep in endpoints:
        op: dict[str, Any] = {
            "operationId": f"{ep.method.lower()}_{openapi_path(ep.path)}",
            "summary": ep.summary,
            "tags": [ep.tag] if ep.tag else [],
            "parameters": _path_parameters(ep.path),
            "responses": {
                **{
                    str(status): {"description": "success", **_answer(ep, ref)}
                    for status in (ep.status, *ep.also)
                },
                **{
                    str(status): {"$ref": f"#/components/responses/E{status}"}
                    for status in ERROR_STATUSES
                },
            },
        }
        if ep.answer == HTML:  # a page of another role sends one to one's own (§9)
            op["responses"]["303"] = {"description": "redirect to one's own page"}
            for status, meaning in ERROR_STATUSES.items():  # pages answer errors as pages
                op["responses"][str(status)] = {
                    "description": meaning,
                    "content": {
                        "text/html": {"schema": {"type": "string"}},
                        "application/json": {"schema": ref[(ErrorAck, "serialization")]},
                    },
                }
        if ep.query is not None:
            name = ep.query.__name__
            query_schema = schemas.get(name) or ep.query.model_json_schema()
            op["parameters"] += _query_parameters(ep.query, query_schema)
        if ep.body == RAW:
            op["requestBody"] = {
                "required": True,
                "content": {"application/octet-stream": {"schema": {}}},
            }
        elif isinstance(ep.body, type):
            op["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": ref[(ep.body, "validation")]}},
            }
        if ep.login:
            op["security"] = [{"bearer": []}, {"cookie": []}]
        paths.setdefault(openapi_path(ep.path), {})[ep.method.lower()] = op
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "asinan-hub HTTP API",
            "version": version,
            "description": "Generated from the hub's models; the prose is docs/protocol.md.",
        },
        "paths": paths,
        "components": {
            "schemas": schemas,
            "responses": {
                f"E{status}": {
                    "description": meaning,
                    "content": {"application/json": {"schema": ref[(ErrorAck, "serialization")]}},
                }
                for status, meaning in ERROR_STATUSES.items()
            },
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "cookie": {"type": "apiKey", "in": "cookie", "name": "asinan_session"},
            },
        },
        "x-error-codes": list(ERROR_CODES),
    }
