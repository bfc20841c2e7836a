"""Every HTTP endpoint of the hub, with the models it parses and the shape it answers.

One row per route (method and Starlette path, as the packages register them). ``query``
and ``body`` are the very models the route parses; ``answer`` is a model or the
top-level keys of the JSON object (an open object: the nested shapes are in
``docs/protocol.md``), or a media type for pages and files. ``tests/hub/test_spec.py``
checks that this table and the app's routes are the same set.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from chat.worklist_routes import QueueIn
from hub.accounts import schemas as accounts
from hub.audit.routes import TrailQuery
from hub.auth_routes import LoginIn, ReceiptIn
from hub.calendar.schemas import CutiYearIn
from hub.console.routes import NoteIn, RepliesIn, ReplyChangeIn, ReplyIn, ReplyRemoveIn
from hub.ikm.routes import RatingIn, SurveyIn
from hub.intake import schemas as intake
from hub.letters.routes import LookupIn, PickupIn, RevokeIn, SettingsIn
from hub.queues.events import QueuePositionAnswer
from hub.reports.routes import ReportIn
from hub.schemas import Payload
from hub.search.routes import SearchQuery
from hub.tickets import events as tickets
from hub.tickets.routes import DisposeIn, EventsIn, ListIn, TransferIn, TransitionIn
from notifications import events as notifications
from notifications.delivery_routes import SummaryIn
from notifications.routes import DeliveryIn, PageIn
from signaling.events import CallIn, HistoryQuery

HTML = "text/html"
PDF = "application/pdf"
FILE = "application/octet-stream"
JS = "text/javascript"
#: Prometheus text exposition
METRICS = "text/plain"
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: a raw file as the request body (uploads; the content decides the type)
RAW = "raw"


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    summary: str
    answer: type[BaseModel] | tuple[str, ...] | str = ()
    body: type[BaseModel] | str | None = None
    query: type[BaseModel] | None = None
    status: int = 200
    #: other success statuses with the same answer (a resend answered 200, not 201)
    also: tuple[int, ...] = ()
    #: needs a login (bearer token or the session cookie)
    login: bool = True
    tag: str = ""


def E(
    method: str,
    path: str,
    summary: str,
    answer: type[BaseModel] | tuple[str, ...] | str = (),
    **kw: object,
) -> Endpoint:
    return Endpoint(method, path, summary, answer, **kw)  # type: ignore[arg-type]


T = "/api/tickets/{ticket_id:id}"
D = "/api/drafts/{draft_id:id}"
O = "/api/admin/officers/{user_id:id}"  # noqa: E741
S = "/api/admin/services/{service_id:id}"

# fmt: off
ENDPOINTS: tuple[Endpoint, ...] = (
    E("GET", "/healthz", "Liveness", ("ok", "status"), login=False, tag="health"),
    E("GET", "/readyz", "Readiness (database, Redis)", ("ok", "status", "checks"), login=False, tag="health"),
    E("POST", "/api/auth/login", "Log in (officers by username, citizens by phone)", ("ok", "user", "token"), body=LoginIn, login=False, tag="auth"),
    E("POST", "/api/auth/receipt", "Log in with a walk-in receipt", ("ok", "user", "token"), body=ReceiptIn, login=False, tag="auth"),
    E("POST", "/api/auth/logout", "Log out: the session ends, its sockets close", ("ok",), tag="auth"),
    E("GET", "/api/me", "Who is logged in", ("ok", "user"), tag="auth"),
    E("GET", "/api/tickets", "Tickets one may see, newest first", tickets.TicketsAnswer, query=ListIn, tag="tickets"),
    E("POST", "/api/tickets", "Open a request (online or walk-in)", ("ticket", "access_code", "receipt_url"), body=intake.CreateIn, status=201, tag="tickets"),
    E("GET", T, "A ticket", tickets.TicketAnswer, tag="tickets"),
    E("POST", f"{T}/transition", "Move a ticket through its status machine", tickets.TicketAnswer, body=TransitionIn, tag="tickets"),
    E("POST", f"{T}/dispose", "Forward a ticket (disposition)", tickets.TicketAnswer, body=DisposeIn, tag="tickets"),
    E("POST", f"{T}/transfer", "Move a ticket to another office", tickets.TicketAnswer, body=TransferIn, tag="tickets"),
    E("GET", f"{T}/events", "A ticket's timeline", tickets.EventsAnswer, query=EventsIn, tag="tickets"),
    E("GET", f"{T}/dispositions", "A ticket's dispositions and transfers", tickets.DispositionsAnswer, tag="tickets"),
    E("GET", f"{T}/queue-position", "Place in the office's queue and the estimated wait", QueuePositionAnswer, tag="tickets"),
    E("GET", "/api/officer/queue", "The officer's queue", tickets.QueueAnswer, query=QueueIn, tag="tickets"),
    E("POST", f"{T}/notes", "An internal note (officers only)", ("event", "duplicate"), body=NoteIn, status=201, also=(200,), tag="desk"),
    E("GET", f"{T}/forward-targets", "Who the ticket may be forwarded to now", ("ticket_id", "status", "version", "desks"), tag="desk"),
    E("GET", "/api/canned-replies", "Canned replies of one's offices", ("replies", "offices"), query=RepliesIn, tag="desk"),
    E("POST", "/api/canned-replies", "Add a canned reply", ("reply",), body=ReplyIn, status=201, tag="desk"),
    E("PATCH", "/api/canned-replies/{reply_id:id}", "Change a canned reply", ("reply",), body=ReplyChangeIn, tag="desk"),
    E("DELETE", "/api/canned-replies/{reply_id:id}", "Remove a canned reply", (), body=ReplyRemoveIn, tag="desk"),
    E("POST", f"{T}/attachments", "Attach a file to a comment", ("attachment",), body=RAW, status=201, tag="chat"),
    E("GET", f"{T}/attachments/{{attachment_id:str}}", "An attachment", FILE, tag="chat"),
    E("GET", "/api/reference", "Letter types (documents, form) and offices", ("services", "offices"), login=False, tag="intake"),
    E("GET", f"{T}/request", "A ticket's form and documents", ("ticket_id", "form", "documents", "applicant_nik", "access_code"), tag="intake"),
    E("PUT", f"{T}/documents/{{code:str}}", "Check one document", ("document",), body=intake.CheckIn, tag="intake"),
    E("POST", f"{T}/documents/{{code:str}}/file", "Upload a missing document again", ("document", "ticket"), body=RAW, status=201, tag="intake"),
    E("GET", f"{T}/document-files/{{file_id:str}}", "A document's file", FILE, tag="intake"),
    E("GET", "/tickets/{ticket_id:id}/receipt", "The printable receipt (resi)", HTML, query=intake.ReceiptQuery, login=False, tag="intake"),
    E("GET", "/api/drafts", "One's open drafts", ("drafts",), tag="intake"),
    E("POST", "/api/drafts", "Start a draft", ("draft",), body=intake.DraftIn, status=201, tag="intake"),
    E("GET", D, "A draft", ("draft",), tag="intake"),
    E("PATCH", D, "Change a draft", ("draft",), body=intake.DraftPatch, tag="intake"),
    E("DELETE", D, "Drop a draft", (), tag="intake"),
    E("POST", f"{D}/files/{{code:str}}", "Upload a draft's document", ("file",), body=RAW, status=201, tag="intake"),
    E("GET", f"{D}/files/{{code:str}}", "A draft's document", FILE, tag="intake"),
    E("DELETE", f"{D}/files/{{code:str}}", "Remove a draft's document", (), tag="intake"),
    E("GET", "/api/notifications", "The inbox", notifications.InboxAnswer, query=PageIn, tag="notifications"),
    E("POST", "/api/notifications/read", "Mark read", notifications.ReadAnswer, body=notifications.MarkReadIn, tag="notifications"),
    E("GET", "/api/notifications/delivery", "An officer's delivery record (supervisors)", ("ok", "user_id", "notifications"), query=DeliveryIn, tag="notifications"),
    E("GET", "/api/notifications/delivery/summary", "Today's delivery per officer (supervisors)", ("ok", "officers"), query=SummaryIn, tag="notifications"),
    E("GET", "/api/notifications/preferences", "One's preferences", ("ok", "preferences"), tag="notifications"),
    E("PUT", "/api/notifications/preferences", "Replace one's preferences", ("ok", "preferences"), body=notifications.PrefsIn, tag="notifications"),
    E("GET", "/api/push/vapid-public-key", "The Web Push application server key", ("ok", "public_key"), tag="notifications"),
    E("POST", "/api/push/subscribe", "Subscribe a browser to Web Push", ("ok", "subscription_id"), body=notifications.SubscribeIn, status=201, tag="notifications"),
    E("POST", "/api/push/unsubscribe", "Unsubscribe a browser", ("ok", "removed"), body=notifications.UnsubscribeIn, tag="notifications"),
    E("GET", "/api/push/subscriptions", "One's push devices", ("ok", "subscriptions"), tag="notifications"),
    E("GET", "/sw.js", "The service worker", JS, login=False, tag="pages"),
    E("GET", "/api/calls/history", "Calls of one's offices (supervisors)", ("ok", "calls"), query=HistoryQuery, tag="calls"),
    E("GET", "/api/ice-servers", "Fresh TURN credentials for a call", ("ok", "ice_servers"), query=CallIn, tag="calls"),
    E("POST", "/api/accounts/code", "Send a one-time code", ("expires_in", "resend_after", "attempts"), body=accounts.CodeIn, login=False, tag="accounts"),
    E("POST", "/api/accounts/register", "Register a citizen with a code", ("user_id",), body=accounts.RegisterIn, status=201, login=False, tag="accounts"),
    E("POST", "/api/accounts/reset", "Reset a password with a code", (), body=accounts.ResetIn, login=False, tag="accounts"),
    E("POST", "/api/accounts/password", "Change one's password", ("sessions_ended",), body=accounts.PasswordIn, tag="accounts"),
    E("GET", "/api/accounts/profile", "One's profile (masked)", ("account",), tag="accounts"),
    E("GET", "/api/admin/officers", "Officers (admins)", ("officers",), query=accounts.OfficersQuery, tag="admin"),
    E("POST", "/api/admin/officers", "Create an officer", ("officer",), body=accounts.OfficerIn, status=201, tag="admin"),
    E("PATCH", O, "Change an officer", ("officer",), body=accounts.OfficerPatch, tag="admin"),
    E("POST", f"{O}/deactivate", "Deactivate an officer", ("officer",), tag="admin"),
    E("POST", f"{O}/reactivate", "Reactivate an officer", ("officer",), tag="admin"),
    E("POST", f"{O}/password", "Reset an officer's password", ("officer",), body=accounts.PasswordResetIn, tag="admin"),
    E("GET", "/api/admin/offices", "Offices", ("offices",), tag="admin"),
    E("PATCH", "/api/admin/offices/{office_id:id}", "Change an office", ("office",), body=accounts.OfficePatch, tag="admin"),
    E("GET", "/api/admin/offices/{office_id:id}/letters", "An office's letter settings", ("settings",), tag="admin"),
    E("PUT", "/api/admin/offices/{office_id:id}/letters", "Change an office's letter settings", ("settings",), body=SettingsIn, tag="admin"),
    E("GET", "/api/admin/services", "Letter types", ("services",), tag="admin"),
    E("PATCH", S, "Change a letter type", ("service",), body=accounts.ServicePatch, tag="admin"),
    E("PUT", f"{S}/requirements", "A letter type's documents", ("service",), body=accounts.RequirementsIn, tag="admin"),
    E("PUT", f"{S}/fields", "A letter type's form", ("service",), body=accounts.FieldsIn, tag="admin"),
    E("GET", "/api/admin/calendar/{year}", "A year's national holidays and cuti bersama", ("year", "national_holidays", "cuti_bersama"), tag="admin"),
    E("PUT", "/api/admin/calendar/{year}/cuti-bersama", "Set a year's cuti bersama days", ("year", "national_holidays", "cuti_bersama"), body=CutiYearIn, tag="admin"),
    E("GET", "/api/admin/audit", "The audit trail", ("entries",), query=accounts.AuditQuery, tag="admin"),
    E("POST", "/api/admin/citizens/search", "Find citizens by NIK", ("citizens",), body=accounts.NikSearchIn, tag="admin"),
    E("GET", f"{T}/letter", "The issued letter and its pickup", ("letter", "pickup"), tag="letters"),
    E("GET", f"{T}/letter.pdf", "The letter as a PDF", PDF, tag="letters"),
    E("POST", f"{T}/letter/revoke", "Revoke the letter", ("letter",), body=RevokeIn, tag="letters"),
    E("POST", f"{T}/letter/receive", "Receive the letter electronically", ("ticket", "letter"), body=Payload, tag="letters"),
    E("POST", f"{T}/pickup", "Hand the letter over at the counter", ("ticket", "letter", "receipt_url"), body=PickupIn, tag="letters"),
    E("GET", "/api/pickup/lookup", "Find a ticket from a scanned receipt", ("ticket_id", "number"), query=LookupIn, tag="letters"),
    E("GET", "/api/verify/{code}", "Public check of a letter", ("letter",), login=False, tag="letters"),
    E("GET", "/verify/{code}", "Public check of a letter (page)", HTML, login=False, tag="pages"),
    E("GET", "/tickets/{ticket_id:id}/pickup-receipt", "Printable pickup receipt", HTML, tag="pages"),
    *(
        E("GET", path, summary, HTML, login=False, tag="pages")
        for path, summary in (
            ("/", "Login page"),
            ("/officer", "Officer console"),
            ("/supervisor", "Supervisor wall"),
            ("/register", "Citizen registration"),
            ("/reset", "Password reset"),
            ("/account", "My account"),
            ("/admin", "Administration"),
            ("/requests", "The citizen's requests"),
            ("/requests/new", "New request"),
            ("/ajukan", "The request form"),
            ("/preferences", "Notification settings"),
            ("/reports", "Reports (supervisors, admins)"),
            ("/t/{ticket_id}", "Citizen ticket page"),
            ("/ticket/{ticket_id}", "Citizen ticket page"),
            ("/tickets/{ticket_id}", "A notification's link to a ticket"),
        )
    ),
    E("GET", "/metrics", "Prometheus metrics (allowed addresses or the metrics token)", METRICS, login=False, tag="health"),
    E("GET", "/api/search", "Search requests and comments one may see", ("ok", "tickets", "comments"), query=SearchQuery, tag="search"),
    E("GET", "/api/audit/trail", "An office's hash-chained audit trail (supervisors, admins)", ("ok", "offices", "office_id", "entries"), query=TrailQuery, tag="audit"),
    E("GET", f"{T}/survey", "The request's satisfaction survey (IKM)", ("ok", "survey"), tag="ikm"),
    E("POST", f"{T}/survey", "Answer the satisfaction survey (the applicant, once)", ("ok", "survey"), body=SurveyIn, tag="ikm"),
    E("POST", "/api/calls/{call_id}/rating", "Rate an answered call, 1-4 (the callee, once)", ("ok", "rating"), body=RatingIn, tag="ikm"),
    E("GET", "/api/reports", "Reports by period, office and service (supervisors, admins)", ("ok", "report"), query=ReportIn, tag="reports"),
    E("GET", "/api/reports/export.csv", "The report as CSV", CSV, query=ReportIn, tag="reports"),
    E("GET", "/api/reports/export.xlsx", "The report as XLSX", XLSX, query=ReportIn, tag="reports"),
    E("GET", "/api/openapi.json", "This document (OpenAPI 3.1)", ("openapi", "info", "paths"), login=False, tag="spec"),
    E("GET", "/api/asyncapi.json", "The socket.io namespaces (AsyncAPI 3.0)", ("asyncapi", "info", "channels", "operations"), login=False, tag="spec"),
)
# fmt: on
