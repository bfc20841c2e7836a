"""The documents' word on a ticket's transitions (:func:`hub.tickets.service.transition`
asks :class:`~hub.tickets.facts.TransitionAsked` after its own checks, before anything
changes; :func:`subscribe` makes :func:`check_transition` answer).

- ``verify``: every *required* document is marked OK — else ``invalid_transition`` naming
  them (``documents``);
- ``request_documents``: at least one document is marked missing (each has its reason) —
  else ``invalid`` (``field: documents``); the list goes into the event's payload, so the
  applicant's notification and timeline carry it;
- ``resubmit``: no document is still marked missing — else ``invalid`` naming them.

- ``staff_verify`` and ``approve``: every required document is still OK — else
  ``invalid_transition`` naming them, as for ``verify`` (nothing is approved, no letter
  number is taken, on a checklist that is not all OK).

A ticket without a checklist (opened before intake existed) has nothing to check.

Intake also answers :class:`~hub.tickets.facts.RequestAsked` (:func:`request_for_letter`):
the letter issued on approval prints the form and a walk-in applicant's NIK from here.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hub.context import Hub
from hub.errors import Invalid, InvalidTransition
from hub.intake import store
from hub.intake.models import DocumentState, TicketDocument
from hub.intake.requirements import form_view
from hub.models import Ticket
from hub.tickets.facts import RequestAsked, TransitionAsked
from hub.uow import Unit


def missing_list(docs: list[TicketDocument]) -> list[dict[str, Any]]:
    return [
        {"code": d.code, "name": d.name, "name_en": d.name_en, "reason": d.reason}
        for d in docs
        if d.state is DocumentState.missing
    ]


async def check_transition(session: AsyncSession, t: Ticket, action: str) -> dict[str, Any]:
    """Raise if the documents forbid ``action``; else what to add to its event's payload."""
    if action not in ("verify", "staff_verify", "approve", "request_documents", "resubmit"):
        return {}
    docs = await store.documents(session, t.id)
    if action in ("verify", "staff_verify", "approve"):
        open_ = [d.code for d in docs if d.required and d.state is not DocumentState.ok]
        if open_:
            raise InvalidTransition(
                "documents_not_ok",
                status=t.status.value,
                documents=open_,
            )
        return {}
    missing = missing_list(docs)
    if action == "request_documents":
        if not missing:
            raise Invalid(
                "mark_missing_documents_first",
                field="documents",
            )
        return {"documents": missing}
    if missing:
        codes = [m["code"] for m in missing]
        raise Invalid(
            "documents_not_reuploaded",
            field="documents",
            documents=codes,
        )
    return {}


async def _guard(unit: Unit, question: TransitionAsked) -> dict[str, Any]:
    return await check_transition(unit.session, question.ticket, question.action)


async def request_for_letter(session: AsyncSession, t: Ticket) -> dict[str, Any]:
    """What the letter of ``t`` prints from its request (see :class:`RequestAsked`): the
    filled form fields with their labels, in the form's order, and a walk-in NIK's cipher."""
    row = await store.intake(session, t.id)
    if row is None:
        return {}
    shown = form_view(await store.fields(session, t.service_type_id), row.form)
    return {
        "form": [
            {"code": f["code"], "label": f["label"], "kind": f["kind"], "value": f["value"]}
            for f in shown
            if f["value"]
        ],
        "nik_cipher": row.applicant_nik_cipher,
    }


async def _request(unit: Unit, question: RequestAsked) -> dict[str, Any]:
    return await request_for_letter(unit.session, question.ticket)


def subscribe(hub: Hub) -> None:
    """Give the documents their say on every ticket transition, and the request's form to
    the letter (``Unit.ask``)."""
    hub.on_ask(TransitionAsked, _guard)
    hub.on_ask(RequestAsked, _request)
