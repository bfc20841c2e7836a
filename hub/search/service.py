"""Search within what the searcher may see.

**Requests** (tickets) match a ticket number or queue label (a part of it), the
applicant's name (a part of it), a queue number (one to four digits: ``7`` is ``A-007``)
or the end of the applicant's phone (four to fifteen digits). Phones are kept as
normalized digits (``62812…``, :func:`hub.auth.normalize_phone`) and are not encrypted;
the search key is ``tickets.phone_last4`` (indexed alone and with the office), then the
whole suffix is compared. Fewer than four digits never search phones, so a search cannot
list the holders of a one-digit ending. The text of three characters or more is first
looked up in a trigram index (SQLite: the FTS5 table ``ticket_fts``; PostgreSQL:
``pg_trgm`` over :data:`PG_TICKET_TEXT`, migration 0013), then compared as above; the
queue number has its own index (:func:`search_tickets`).

**Comments** (and, for the office's officers, **internal notes**) match by full text:
every word of the query, each as a prefix (``surat dom`` finds "Surat domisili saya").
SQLite: the FTS5 table ``comment_fts`` kept by triggers on ``ticket_events`` (a comment
posted, edited, withdrawn). PostgreSQL: the GIN index on
``to_tsvector('simple', payload->>'body')`` of comments and notes (the ``simple``
configuration: no stemming, which suits Indonesian; newest first in two steps,
:func:`_newest_first`). Withdrawn comments have an empty body and match nothing.

**Scope** (:func:`scope`): officers and supervisors the tickets of their offices
(``office_scope``), citizens their own, a receipt holder the one ticket, admins all —
exactly :func:`hub.policy.can_view_ticket`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, or_, select, text, true
from sqlalchemy.ext.asyncio import AsyncSession

from hub.clock import iso
from hub.models import Role, ServiceType, Ticket, TicketEvent
from hub.principal import Principal

#: One to four digits: a queue number (as the officer's worklist reads them).
QUEUE_NO_DIGITS = 4
PHONE_MIN, PHONE_MAX = 4, 15
#: At most this many words of a comment query (each one a prefix term).
MAX_WORDS = 8
#: PostgreSQL walks this many newest events before it asks the comments' index.
RECENT = 5000
SNIPPET = 160
COMMENT, NOTE = "comment", "internal_note"
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Found:
    tickets: list[dict[str, Any]]
    comments: list[dict[str, Any]]


def scope(p: Principal) -> ColumnElement[bool]:
    """The tickets ``p`` may see, as a condition on :class:`Ticket`."""
    if p.is_walk_in:
        return Ticket.id == p.ticket_id
    if p.role is Role.citizen:
        return Ticket.applicant_id == p.user_id
    if p.role is Role.admin:
        return true()
    if not p.office_scope:
        return false()
    return Ticket.office_id.in_(p.office_scope)


#: Shortest text the ticket index finds (trigrams); shorter text is matched by a scan,
#: which a query that short leaves early: nearly every ticket matches it.
TRIGRAM = 3
#: The PostgreSQL expression of the tickets' trigram index (migration 0013).
PG_TICKET_TEXT = "lower(number) || ' ' || lower(queue_label) || ' ' || lower(applicant_name)"


def _text_match(q: str) -> ColumnElement[bool]:
    """The ticket number, queue label or applicant's name holds ``q`` (any case)."""
    return or_(
        Ticket.number.icontains(q, autoescape=True),
        Ticket.queue_label.icontains(q, autoescape=True),
        Ticket.applicant_name.icontains(q, autoescape=True),
    )


def _text_index(dialect: str, q: str) -> ColumnElement[bool]:
    """Tickets whose text may hold ``q`` (at least :data:`TRIGRAM` characters), from the
    index: SQLite's FTS5 trigram table ``ticket_fts``, PostgreSQL's ``pg_trgm`` index."""
    if dialect == "postgresql":
        needle = q.replace("/", "//").replace("%", "/%").replace("_", "/_")
        pg = text(f"({PG_TICKET_TEXT}) LIKE '%' || lower(:needle) || '%' ESCAPE '/'").bindparams(
            needle=needle
        )
        return pg  # type: ignore[return-value]
    phrase = '"' + q.replace('"', '""') + '"'
    lite = text(
        "tickets.id IN (SELECT rowid FROM ticket_fts WHERE ticket_fts MATCH :phrase)"
    ).bindparams(phrase=phrase)
    return lite  # type: ignore[return-value]


def _digit_match(q: str) -> ColumnElement[bool] | None:
    """A queue number or the end of a phone, when ``q`` is digits; else None."""
    digits = q.replace(" ", "").replace("-", "")
    if not (digits.isascii() and digits.isdigit()):
        return None
    terms: list[ColumnElement[bool]] = []
    if len(digits) <= QUEUE_NO_DIGITS:
        terms.append(Ticket.queue_no == int(digits))
    if PHONE_MIN <= len(digits) <= PHONE_MAX:
        terms.append(
            and_(
                Ticket.phone_last4 == digits[-4:],
                Ticket.applicant_phone.endswith(digits, autoescape=True),
            )
        )
    return or_(*terms) if terms else None


def ticket_item(t: Ticket, service: ServiceType | None) -> dict[str, Any]:
    """What a search shows of a ticket: no phone, NIK or address."""
    return {
        "id": t.id,
        "number": t.number,
        "queue_label": t.queue_label,
        "applicant_name": t.applicant_name,
        "status": t.status.value,
        "service": service.name if service else None,
        "service_en": service.name_en if service else None,
        "office_id": t.office_id,
        "created_at": iso(t.created_at),
        "link": f"/tickets/{t.id}",
    }


async def search_tickets(
    session: AsyncSession, p: Principal, q: str, limit: int
) -> list[dict[str, Any]]:
    """Tickets ``p`` may see that match ``q``, newest first.

    Asked as up to two queries, each on its index, whose newest ``limit`` are merged: the
    text (from the trigram index when ``q`` is long enough), then the queue number or the
    phone's end. The newest ``limit`` of the union of two sets are among the newest
    ``limit`` of each, so the answer is that of one query asking for either.
    """
    dialect = session.get_bind().dialect.name
    text_match = _text_match(q)
    if len(q) >= TRIGRAM:
        text_match = and_(_text_index(dialect, q), text_match)
    found: dict[int, tuple[Ticket, ServiceType]] = {}
    for match in (text_match, _digit_match(q)):
        if match is None:
            continue
        query = (
            select(Ticket, ServiceType)
            .join(ServiceType, ServiceType.id == Ticket.service_type_id)
            .where(scope(p), match)
            .order_by(Ticket.id.desc())
            .limit(limit)
        )
        for t, s in (await session.execute(query)).all():
            found[t.id] = (t, s)
    newest = sorted(found, reverse=True)[:limit]
    return [ticket_item(*found[i]) for i in newest]


def words(q: str) -> list[str]:
    """The query's words, lower case, at most :data:`MAX_WORDS` (nothing else reaches the
    full-text syntax of either database)."""
    return [w.lower() for w in _WORD.findall(q)][:MAX_WORDS]


def comment_match(dialect: str, terms: list[str]) -> ColumnElement[bool]:
    """Comments and notes whose text has every term as a prefix of a word, on this
    database (the kinds of the index's predicate: narrow by kind beside it)."""
    if dialect == "postgresql":
        tsq = " & ".join(f"{w}:*" for w in terms)
        pg = text(
            "ticket_events.kind IN ('comment', 'internal_note') AND "
            "to_tsvector('simple', coalesce(ticket_events.payload->>'body', '')) "
            "@@ to_tsquery('simple', :tsq)"
        ).bindparams(tsq=tsq)
        return pg  # type: ignore[return-value]
    fts = " ".join(f'"{w}"*' for w in terms)
    lite = text(
        "ticket_events.id IN (SELECT rowid FROM comment_fts WHERE comment_fts MATCH :fts)"
    ).bindparams(fts=fts)
    return lite  # type: ignore[return-value]


def snippet(body: str) -> str:
    body = " ".join(body.split())
    return body if len(body) <= SNIPPET else body[: SNIPPET - 1] + "…"


def searched_kinds(p: Principal) -> tuple[str, ...]:
    """Comments for all; internal notes too for officers — :func:`scope` keeps them to
    their offices' tickets, which is :func:`hub.policy.can_see_internal`."""
    return (COMMENT, NOTE) if p.is_officer else (COMMENT,)


async def _newest_first(session: AsyncSession, query: Any, limit: int) -> list[Any]:
    """PostgreSQL: the newest ``limit`` rows of ``query`` (events joined to tickets) in two
    steps. Walking the events newest first and testing each (what the planner picks for
    ``ORDER BY id DESC LIMIT``) is fast for a common word but reads the whole table for a
    rare one; the GIN index finds a rare word at once but must sort every match of a
    common one. So: the newest :data:`RECENT` events walked, then, if they held fewer
    than ``limit``, the older ones from the index (``id + 0`` keeps the planner off the
    walk). Both steps read one snapshot (one transaction)."""
    newest = await session.scalar(select(func.max(TicketEvent.id)))
    if newest is None:
        return []
    edge = newest - RECENT
    recent = query.where(TicketEvent.id > edge).order_by(TicketEvent.id.desc())
    rows = list((await session.execute(recent)).all())
    if len(rows) < limit:
        older = (
            query.where(TicketEvent.id <= edge)
            .order_by((TicketEvent.id + 0).desc())
            .limit(limit - len(rows))
        )
        rows += (await session.execute(older)).all()
    return rows


async def search_comments(
    session: AsyncSession, p: Principal, q: str, limit: int
) -> list[dict[str, Any]]:
    """Comments (and, for officers, internal notes) on tickets ``p`` may see whose text
    has every word of ``q``, newest first."""
    terms = words(q)
    if not terms:
        return []
    dialect = session.get_bind().dialect.name
    query = (
        select(TicketEvent, Ticket)
        .join(Ticket, Ticket.id == TicketEvent.ticket_id)
        .where(TicketEvent.kind.in_(searched_kinds(p)), comment_match(dialect, terms), scope(p))
        .limit(limit)
    )
    if dialect == "postgresql":
        rows = await _newest_first(session, query, limit)
    else:  # SQLite reads the FTS5 matches first, then sorts them
        rows = list((await session.execute(query.order_by(TicketEvent.id.desc()))).all())
    return [
        {
            "ticket_id": t.id,
            "number": t.number,
            "kind": ev.kind,
            "seq": ev.seq,
            "actor_name": ev.actor_name,
            "actor_role": ev.actor_role,
            "body": snippet(str(ev.payload.get("body") or "")),
            "created_at": iso(ev.created_at),
            "link": f"/tickets/{t.id}",
        }
        for ev, t in rows
    ]


async def search(session: AsyncSession, p: Principal, q: str, limit: int) -> Found:
    """Tickets and comments matching ``q`` that ``p`` may see."""
    q = q.strip()
    if not q:
        return Found([], [])
    return Found(
        await search_tickets(session, p, q, limit), await search_comments(session, p, q, limit)
    )
