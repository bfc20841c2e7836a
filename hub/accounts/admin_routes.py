"""HTTP doors of administration (role admin): officers, offices, services, audit, NIK search.

Each handler: who is asking → ``check_administer`` → parse → one
:mod:`hub.accounts.admin_actions` call (which owns its transaction; the service writes
the audit entry in it) → JSON. Ids in paths are checked like body
ids: a bad one is ``invalid``, an unknown one ``not_found``.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from hub.accounts import admin_actions, service_types
from hub.accounts.schemas import (
    AuditQuery,
    FieldsIn,
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
from hub.http import hub_of, ok, principal, read_json
from hub.policy import check_administer
from hub.principal import Principal
from hub.schemas import parse_query


def _admin(request: Request) -> Principal:
    p = principal(request)
    check_administer(p)
    return p


def _with_password(made: admin_actions.WithPassword) -> dict[str, Any]:
    extra = {"temporary_password": made.temporary_password} if made.temporary_password else {}
    return {"officer": made.officer, **extra}


class AdminRoutes:
    def __init__(self, accounts: Accounts) -> None:
        self.accounts = accounts

    async def officers_list(self, request: Request) -> Response:
        _admin(request)
        q = parse_query(OfficersQuery, request.query_params)
        rows = await admin_actions.list_officers(
            hub_of(request), q.office_id, q.role, q.active, q.q
        )
        return ok({"officers": rows})

    async def officer_create(self, request: Request) -> Response:
        p = _admin(request)
        body = await read_json(request, OfficerIn)
        made = await admin_actions.create_officer(
            hub_of(request),
            p,
            body.username,
            body.full_name,
            body.role,
            body.office_id,
            body.password,
            body.nip,
        )
        return ok(_with_password(made), 201)

    async def officer_update(self, request: Request) -> Response:
        p = _admin(request)
        user_id = request.path_params["user_id"]
        body = await read_json(request, OfficerPatch)
        view = await admin_actions.update_officer(
            hub_of(request), p, user_id, body.role, body.office_id, body.full_name, body.nip
        )
        return ok({"officer": view})

    async def officer_deactivate(self, request: Request) -> Response:
        return await self._set_active(request, False)

    async def officer_reactivate(self, request: Request) -> Response:
        return await self._set_active(request, True)

    async def _set_active(self, request: Request, active: bool) -> Response:
        p = _admin(request)
        user_id = request.path_params["user_id"]
        view = await admin_actions.set_active(hub_of(request), p, user_id, active)
        return ok({"officer": view})

    async def officer_password(self, request: Request) -> Response:
        p = _admin(request)
        user_id = request.path_params["user_id"]
        body = await read_json(request, PasswordResetIn)
        made = await admin_actions.reset_password(hub_of(request), p, user_id, body.password)
        return ok(_with_password(made))

    async def offices_list(self, request: Request) -> Response:
        _admin(request)
        return ok({"offices": await admin_actions.list_offices(hub_of(request))})

    async def office_update(self, request: Request) -> Response:
        p = _admin(request)
        office_id = request.path_params["office_id"]
        body = await read_json(request, OfficePatch)
        hours = body.hours.minutes() if body.hours is not None else None
        view = await admin_actions.update_office(
            hub_of(request), p, office_id, body.name, body.address, hours
        )
        return ok({"office": view})

    async def services_list(self, request: Request) -> Response:
        _admin(request)
        return ok({"services": await admin_actions.list_services(hub_of(request))})

    async def service_update(self, request: Request) -> Response:
        p = _admin(request)
        service_id = request.path_params["service_id"]
        body = await read_json(request, ServicePatch)
        changes = body.model_dump(exclude_none=True)
        view = await admin_actions.update_service(hub_of(request), p, service_id, changes)
        return ok({"service": view})

    async def service_requirements(self, request: Request) -> Response:
        p = _admin(request)
        service_id = request.path_params["service_id"]
        body = await read_json(request, RequirementsIn)
        items = [
            service_types.Requirement(r.code, r.name, r.name_en, r.required, tuple(r.accepts))
            for r in body.requirements
        ]
        view = await admin_actions.replace_requirements(hub_of(request), p, service_id, items)
        return ok({"service": view})

    async def service_fields(self, request: Request) -> Response:
        p = _admin(request)
        service_id = request.path_params["service_id"]
        body = await read_json(request, FieldsIn)
        items = [
            service_types.FormField(
                f.code, f.label, f.label_en, f.kind, f.required, tuple(f.options)
            )
            for f in body.fields
        ]
        view = await admin_actions.replace_fields(hub_of(request), p, service_id, items)
        return ok({"service": view})

    async def audit_list(self, request: Request) -> Response:
        _admin(request)
        q = parse_query(AuditQuery, request.query_params)
        entries = await admin_actions.audit_entries(hub_of(request), q.before, q.limit)
        return ok({"entries": entries})

    async def citizen_search(self, request: Request) -> Response:
        """Citizens by NIK (POST: the NIK never travels in a URL)."""
        p = _admin(request)
        body = await read_json(request, NikSearchIn)
        found = await admin_actions.search_citizens(hub_of(request), self.accounts, p, body.nik)
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
            Route(
                f"{base}/services/{{service_id:id}}/fields", self.service_fields, methods=["PUT"]
            ),
            Route(f"{base}/audit", self.audit_list, methods=["GET"]),
            Route(f"{base}/citizens/search", self.citizen_search, methods=["POST"]),
        ]
