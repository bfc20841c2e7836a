"""HTTP doors of citizen accounts: a code, registration, reset, password change, profile.

Parse → rate limit → one call on :class:`hub.accounts.service.Accounts` → JSON. Also the
package's installer, which builds the sender and the NIK vault from the settings and
adds the admin endpoints (``hub/accounts/admin_routes.py``).
"""

from __future__ import annotations

import hashlib
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from hub.accounts import admin_routes
from hub.accounts.nik import NikVault
from hub.accounts.schemas import CodeIn, PasswordIn, RegisterIn, ResetIn
from hub.accounts.senders import build_sender
from hub.accounts.service import Accounts, Registration, check_phone
from hub.context import Hub
from hub.http import hub_of, ok, principal, read_json
from hub.ratelimit import LOGIN_FAILURES, Rule

#: codes asked for one phone: 3 at once, then one per 10 minutes
CODE_PER_PHONE = Rule(burst=3, per_second=1 / 600)
#: codes asked from one address: 10 at once, then one per 6 minutes
CODE_PER_ADDRESS = Rule(burst=10, per_second=1 / 360)
#: registrations and resets tried from one address: 20 at once, then one per 30 s
CHECK_PER_ADDRESS = Rule(burst=20, per_second=1 / 30)


def _address(request: Request) -> str:
    return request.client.host if request.client else "?"


def _phone_key(phone: str) -> str:
    """Rate-limit keys name a phone by a hash: no numbers in Redis."""
    return hashlib.sha256(phone.encode()).hexdigest()[:24]


class AccountRoutes:
    def __init__(self, accounts: Accounts) -> None:
        self.accounts = accounts

    async def send_code(self, request: Request) -> Response:
        body = await read_json(request, CodeIn)
        phone = check_phone(body.phone)
        limiter = hub_of(request).limiter
        await limiter.hit(f"otp:ip:{_address(request)}", CODE_PER_ADDRESS)
        await limiter.hit(f"otp:phone:{_phone_key(phone)}", CODE_PER_PHONE)
        sent = await self.accounts.send_code(phone, body.purpose)
        return ok(sent.json_dict())

    async def register(self, request: Request) -> Response:
        body = await read_json(request, RegisterIn)
        await hub_of(request).limiter.hit(f"otp-check:ip:{_address(request)}", CHECK_PER_ADDRESS)
        new = Registration(
            phone=body.phone,
            code=body.code,
            password=body.password,
            full_name=body.full_name,
            residence_office_id=body.residence_office_id,
            nik=body.nik,
        )
        user_id = await self.accounts.register(new)
        return ok({"user_id": user_id}, 201)

    async def reset(self, request: Request) -> Response:
        body = await read_json(request, ResetIn)
        await hub_of(request).limiter.hit(f"otp-check:ip:{_address(request)}", CHECK_PER_ADDRESS)
        await self.accounts.reset_password(body.phone, body.code, body.password)
        return ok()

    async def change_password(self, request: Request) -> Response:
        p = principal(request)
        body = await read_json(request, PasswordIn)
        await hub_of(request).limiter.hit(f"password:user:{p.user_id}", LOGIN_FAILURES)
        ended = await self.accounts.change_password(p, body.current_password, body.new_password)
        return ok({"sessions_ended": ended})

    async def profile(self, request: Request) -> Response:
        p = principal(request)
        return ok({"account": await self.accounts.profile(p)})

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/api/accounts/code", self.send_code, methods=["POST"]),
            Route("/api/accounts/register", self.register, methods=["POST"]),
            Route("/api/accounts/reset", self.reset, methods=["POST"]),
            Route("/api/accounts/password", self.change_password, methods=["POST"]),
            Route("/api/accounts/profile", self.profile, methods=["GET"]),
        ]


def build_accounts(hub: Hub) -> Accounts:
    """The account use cases with the sender and NIK keys the settings name."""
    config = hub.settings.accounts
    return Accounts(
        hub, build_sender(config), NikVault(config.nik_encryption_key, config.nik_hash_key)
    )


def install(hub: Hub, sio: Any, publisher: Any) -> list[BaseRoute]:
    del sio, publisher
    accounts = build_accounts(hub)
    hub.on_lifespan(stop=accounts.close)
    return [*AccountRoutes(accounts).routes(), *admin_routes.AdminRoutes(accounts).routes()]
