"""HTTP doors of administration (role admin): officers, offices, services, audit, NIK search.

Each handler: who is asking → ``check_administer`` → parse → one service call in one
transaction (which writes its audit entry) → JSON. Ids in paths are checked like body
ids: a bad one is ``invalid``, an unknown one ``not_found``.
"""

from __future__ import annotations

import secrets

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from hub.accounts import audit, officers, offices, service_types
from hub.accounts.schemas import (
    AuditQuery,
    NikSearchIn,
    OfficePatch,
    OfficerIn,
    OfficerPatch,
    OfficersQuery,
    PasswordResetIn,
    RequirementsIn,
    ServicePatch,
)
from hub.accounts.service import Accounts
from hub.clock import jakarta_today
from hub.http import hub_of, ok, principal_of, read_json
from hub.policy import check_administer
from hub.principal import Principal
from hub.schemas import parse_query


def temporary_password() -> str:
    """12 characters from an alphabet without look-alikes, to read out or hand over."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(3))


async def _admin(request: Request) -> Principal:
    p = await principal_of(request)
    check_administer(p)
    return p


class AdminRoutes:
    def __init__(self, accounts: Accounts) -> None:
        self.accounts = accounts

    async def officers_list(self, request: Request) -> Response:
        await _admin(request)
        q = parse_query(OfficersQuery, request.query_params)
        async with hub_of(request).reader() as session:
            rows = await officers.list_officers(
                session, office_id=q.office_id, role=q.role, active=q.active, q=q.q
            )
        return ok({"officers": rows})

    async def officer_create(self, request: Request) -> Response:
        p = await _admin(request)
        body = await read_json(request, OfficerIn)
        password = body.password or temporary_password()
        new = officers.NewOfficer(
            username=officers.check_username(body.username),
            full_name=body.full_name,
            role=body.role,
            office_id=body.office_id,
            password_hash=await hub_of(request).passwords.hash(password),
        )
        async with hub_of(request).unit() as unit:
            view = await officers.create_officer(unit, p, new)
        extra = {} if body.password else {"temporary_password": password}
        return ok({"officer": view, **extra}, 201)

    async def officer_update(self, request: Request) -> Response:
        p = await _admin(request)
        user_id = request.path_params["user_id"]
        body = await read_json(request, OfficerPatch)
        async with hub_of(request).unit() as unit:
            view = await officers.update_officer(
                unit, p, user_id, role=body.role, office_id=body.office_id, full_name=body.full_name
            )
        return ok({"officer": view})

    async def officer_deactivate(self, request: Request) -> Response:
        return await self._set_active(request, False)

    async def officer_reactivate(self, request: Request) -> Response:
        return await self._set_active(request, True)

    async def _set_active(self, request: Request, active: bool) -> Response:
        p = await _admin(request)
        user_id = request.path_params["user_id"]
        async with hub_of(request).unit() as unit:
            view = await officers.set_active(unit, p, user_id, active)
        return ok({"officer": view})

    async def officer_password(self, request: Request) -> Response:
        p = await _admin(request)
        user_id = request.path_params["user_id"]
        body = await read_json(request, PasswordResetIn)
        password = body.password or temporary_password()
        password_hash = await hub_of(request).passwords.hash(password)
        async with hub_of(request).unit() as unit:
            view = await officers.set_password(unit, p, user_id, password_hash)
        extra = {} if body.password else {"temporary_password": password}
        return ok({"officer": view, **extra})

    async def offices_list(self, request: Request) -> Response:
        await _admin(request)
        async with hub_of(request).reader() as session:
            return ok({"offices": await offices.list_offices(session)})

    async def office_update(self, request: Request) -> Response:
        p = await _admin(request)
        office_id = request.path_params["office_id"]
        body = await read_json(request, OfficePatch)
        hours = body.hours.minutes() if body.hours is not None else None
        async with hub_of(request).unit() as unit:
            view = await offices.update_office(
                unit, p, office_id, name=body.name, address=body.address, hours=hours
            )
        return ok({"office": view})

    async def services_list(self, request: Request) -> Response:
        await _admin(request)
        async with hub_of(request).reader() as session:
            return ok({"services": await service_types.list_services(session)})

    async def service_update(self, request: Request) -> Response:
        p = await _admin(request)
        service_id = request.path_params["service_id"]
        body = await read_json(request, ServicePatch)
        async with hub_of(request).unit() as unit:
            view = await service_types.update_service(
                unit, p, service_id, **body.model_dump(exclude_none=True)
            )
        return ok({"service": view})

    async def service_requirements(self, request: Request) -> Response:
        p = await _admin(request)
        service_id = request.path_params["service_id"]
        body = await read_json(request, RequirementsIn)
        items = [
            service_types.Requirement(r.code, r.name, r.name_en, r.required)
            for r in body.requirements
        ]
        async with hub_of(request).unit() as unit:
            view = await service_types.replace_requirements(unit, p, service_id, items)
        return ok({"service": view})

    async def audit_list(self, request: Request) -> Response:
        await _admin(request)
        q = parse_query(AuditQuery, request.query_params)
        async with hub_of(request).reader() as session:
            entries = await audit.latest(session, q.before, q.limit)
        return ok({"entries": entries})

    async def citizen_search(self, request: Request) -> Response:
        """Citizens by NIK (POST: the NIK never travels in a URL)."""
        p = await _admin(request)
        body = await read_json(request, NikSearchIn)
        found = await self.accounts.citizens_by_nik(
            body.nik, jakarta_today(self.accounts.hub.clock.now())
        )
        async with hub_of(request).unit() as unit:
            audit.record(unit, p, "citizen.search", "user", None, after={"found": len(found)})
        return ok({"citizens": found})

    def routes(self) -> list[BaseRoute]:
        base = "/api/admin"
        officer = base + "/officers/{user_id:id}"
        return [
            Route(f"{base}/officers", self.officers_list, methods=["GET"]),
            Route(f"{base}/officers", self.officer_create, methods=["POST"]),
            Route(f"{officer}", self.officer_update, methods=["PATCH"]),
            Route(
                f"{officer}/deactivate",
                self.officer_deactivate,
                methods=["POST"],
            ),
            Route(
                f"{officer}/reactivate",
                self.officer_reactivate,
                methods=["POST"],
            ),
            Route(f"{officer}/password", self.officer_password, methods=["POST"]),
            Route(f"{base}/offices", self.offices_list, methods=["GET"]),
            Route(f"{base}/offices/{{office_id:id}}", self.office_update, methods=["PATCH"]),
            Route(f"{base}/services", self.services_list, methods=["GET"]),
            Route(f"{base}/services/{{service_id:id}}", self.service_update, methods=["PATCH"]),
            Route(
                f"{base}/services/{{service_id:id}}/requirements",
                self.service_requirements,
                methods=["PUT"],
            ),
            Route(f"{base}/audit", self.audit_list, methods=["GET"]),
            Route(f"{base}/citizens/search", self.citizen_search, methods=["POST"]),
        ]
