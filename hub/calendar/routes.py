"""HTTP doors of the calendar (role admin): ``/api/admin/calendar/{year}``."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from hub.calendar import actions
from hub.calendar.schemas import CutiYearIn
from hub.context import Hub
from hub.errors import Invalid
from hub.http import hub_of, ok, principal, read_json
from hub.policy import check_administer

FIRST_YEAR, LAST_YEAR = 2020, 2100


def _year(request: Request) -> int:
    raw = str(request.path_params["year"])
    if not (raw.isdigit() and len(raw) == 4 and FIRST_YEAR <= int(raw) <= LAST_YEAR):
        raise Invalid("year_out_of_range", field="year", first=FIRST_YEAR, last=LAST_YEAR)
    return int(raw)


async def year_get(request: Request) -> Response:
    check_administer(principal(request))
    return ok(await actions.year(hub_of(request), _year(request)))


async def cuti_put(request: Request) -> Response:
    p = principal(request)
    check_administer(p)
    year = _year(request)
    body = await read_json(request, CutiYearIn)
    return ok(await actions.set_cuti_bersama(hub_of(request), p, year, body.parsed()))


def install(hub: Hub, sio: Any, publisher: Any) -> list[BaseRoute]:
    del hub, sio, publisher
    base = "/api/admin/calendar/{year}"
    return [
        Route(base, year_get, methods=["GET"]),
        Route(base + "/cuti-bersama", cuti_put, methods=["PUT"]),
    ]
