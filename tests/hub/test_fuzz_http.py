"""schemathesis against a live hub, from its own ``/api/openapi.json``: as a citizen, an
officer and a supervisor, no request answers a 5xx and every answer matches its schema
(status, content type, body).

Bounded: :data:`EXAMPLES` requests per operation and role. schemathesis is synchronous: it
runs in a worker thread against the hub served on the test's event loop.
"""

from __future__ import annotations

import asyncio
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Err
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.support.bad_ids import tracebacks, watched_logs
from tests.support.server import RunningHub
from tests.support.world import World

#: requests per operation and role (≈ 80 operations × 3 roles)
EXAMPLES = 3
#: zero 5xx; status, content type, headers and body as the schema says. Not
#: ``positive_data_acceptance``: some rules span fields (exactly one of…, a draft or a
#: service) and answer 422 to bodies the schema alone allows — documented answers.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
#: would end the session the fuzzing runs on
SKIPPED = {("POST", "/api/auth/logout")}


def fuzz(url: str, token: str, document: dict[str, Any], found: list[str]) -> None:
    schema = schemathesis.openapi.from_dict(document)
    headers = {"Authorization": f"Bearer {token}"}
    for result in schema.get_all_operations():
        if isinstance(result, Err):  # our document must load whole
            found.append(f"an operation does not load: {result.err()}")
            continue
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SKIPPED:
            continue

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def request(case: Any) -> None:
            response = case.call(base_url=url, headers=headers, timeout=30)
            try:
                case.validate_response(response, checks=CHECKS)
            except (Exception, BaseExceptionGroup) as exc:
                lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
                found.append(f"{case.method} {case.path}: {' | '.join(lines[1:6])}"[:400])

        request()


async def test_the_api_answers_its_schema_for_every_role(
    live: RunningHub, live_world: World
) -> None:
    await live_world.new_ticket()
    async with live.http() as http:
        document = (await http.get("/api/openapi.json")).json()
    problems: list[str] = []
    with watched_logs() as records:
        for role in ("citizen", "fo", "spv"):
            found: list[str] = []
            token = live_world.tokens[role]
            await asyncio.to_thread(fuzz, live.url, token, document, found)
            problems += [f"{role}: {p}" for p in found]
        problems += tracebacks(records)
    assert not problems, "\n".join(sorted(set(problems))[:40])
