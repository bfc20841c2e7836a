"""Hypothesis strategies from the JSON schemas pydantic writes for our payload models.

The subset pydantic emits for them: objects (``properties``, ``required``,
``additionalProperties: false``), strings (length, ``pattern``), integers and numbers
(bounds), booleans, null, arrays (``items``, sizes), ``enum``/``const``, ``anyOf`` and
local ``$ref``s. Values the schema accepts, so they get past parsing to the services.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

Json = Any


def from_schema(schema: dict[str, Any]) -> st.SearchStrategy[Json]:
    return _strategy(schema, schema.get("$defs", {}))


def _strategy(node: dict[str, Any], defs: dict[str, Any]) -> st.SearchStrategy[Json]:
    if "$ref" in node:
        return st.deferred(lambda: _strategy(defs[node["$ref"].rsplit("/", 1)[1]], defs))
    if "const" in node:
        return st.just(node["const"])
    if "enum" in node:
        return st.sampled_from(node["enum"])
    for key in ("anyOf", "oneOf"):
        if key in node:
            return st.one_of([_strategy(option, defs) for option in node[key]])
    if "allOf" in node and len(node["allOf"]) == 1:
        return _strategy(node["allOf"][0], defs)
    kind = node.get("type")
    if kind == "null":
        return st.none()
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        low = node.get("minimum", node.get("exclusiveMinimum", -(2**63)) + 0)
        high = node.get("maximum", 2**63 - 1)
        return st.integers(min_value=low, max_value=high)
    if kind == "number":
        return st.floats(
            min_value=node.get("minimum"), max_value=node.get("maximum"), allow_nan=False
        )
    if kind == "string":
        return _string(node)
    if kind == "array":
        items = _strategy(node.get("items", {}), defs)
        return st.lists(
            items, min_size=node.get("minItems", 0), max_size=min(node.get("maxItems", 5), 5)
        )
    if kind == "object":
        return _object(node, defs)
    return st.none() | st.booleans() | st.integers() | st.text(max_size=10)


def _string(node: dict[str, Any]) -> st.SearchStrategy[str]:
    low, high = node.get("minLength", 0), node.get("maxLength", 64)
    if "pattern" in node:
        return st.from_regex(node["pattern"], fullmatch=True).filter(
            lambda s: low <= len(s) <= high
        )
    return st.text(min_size=low, max_size=min(high, max(low, 64)))


def _object(node: dict[str, Any], defs: dict[str, Any]) -> st.SearchStrategy[dict[str, Json]]:
    props = node.get("properties", {})
    required = set(node.get("required", []))
    fields = {name: _strategy(sub, defs) for name, sub in props.items()}
    optional = [name for name in props if name not in required]

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Json]:
        out = {name: draw(fields[name]) for name in props if name in required}
        for name in draw(st.lists(st.sampled_from(optional), unique=True)) if optional else []:
            out[name] = draw(fields[name])
        return out

    return build()
