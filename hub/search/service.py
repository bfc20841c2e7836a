"""Search within what the searcher may see.

**Requests** (tickets) match a ticket number or queue label (a part of it), the
applicant's name (a part of it), a queue number (one to four digits: ``7`` is ``A-007``)
or the end of the applicant's phone (four to fifteen digits). Phones are kept as
normalized digits (``62812…``, :func:`hub.auth.normalize_phone`) and are not encrypted;
the search key is ``tickets.phone_last4`` (indexed alone and with the office), then the
whole suffix is compared. Fewer than four digits never search phones, so a search cannot
list the holders of a one-digit ending. The text of three characters or more is first
looked up in a trigram index (SQLite: the FTS5 table ``ticket_fts``; PostgreSQL:
``pg_trgm`` over :data:`PG_TICKET_TEXT`, migration 0013), then compared as above; shorter
text only among the newest :data:`SHORT_WINDOW` requests one may see. The queue number has
its own index (:func:`search_tickets`).

**Comments** (and, for the office's officers, **internal notes**) match by full text:
every word of the query, each as a prefix (``surat dom`` finds "Surat domisili saya").
SQLite: the FTS5 table ``comment_fts`` kept by triggers on ``ticket_events`` (a comment
posted, edited, withdrawn). PostgreSQL: the table ``comment_words`` (migration 0014), kept
by triggers on ``ticket_events`` and ``tickets`` (a transfer moves its rows), whose
``tsvector`` (the ``simple`` configuration: no stemming, which suits Indonesian) also holds
lexemes of the ticket's office and those above it, so that one GIN condition finds a word
in a scope of offices (:func:`scope_lexemes`); newest first in two steps
(:func:`_newest_first`). Withdrawn comments have an empty body and match nothing.

**Scope** (:func:`scope`): officers and supervisors the tickets of their offices
(``office_scope``), citizens their own, a receipt holder the one ticket, admins all —
exactly :func:`hub.policy.can_view_ticket`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    String,
    and_,
    column,
    false,
    func,
    or_,
    select,
    table,
    text,
    true,
)
from sqlalchemy.ext.asyncio import AsyncSession

from hub.clock import iso
from hub.models import Office, Role, ServiceType, Ticket, TicketEvent
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


#: Shortest text the ticket index finds (trigrams). Shorter text (one or two characters,
#: a part of nearly every name) is looked for among the newest :data:`SHORT_WINDOW`
#: requests one may see, not all: a two-digit query no name holds read every ticket.
#: Its queue number and phone ending are still looked up in all of them (indexed).
TRIGRAM = 3
SHORT_WINDOW = 5000
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


async def _window_start(session: AsyncSession, p: Principal) -> int:
    """The id of the oldest of the newest :data:`SHORT_WINDOW` tickets ``p`` may see.

    All tickets (an admin): walked newest first on the primary key. A scope of offices or
    one's own tickets: from its index, then sorted (``id + 0``: walking the whole city's
    tickets newest first would read them all for a kelurahan that has fewer)."""
    everyone = p.role is Role.admin and not p.is_walk_in
    order = Ticket.id.desc() if everyone else (Ticket.id + 0).desc()
    query = select(Ticket.id).where(scope(p)).order_by(order).offset(SHORT_WINDOW - 1).limit(1)
    return await session.scalar(query) or 0


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
    text (from the trigram index when ``q`` is long enough, else among the newest
    :data:`SHORT_WINDOW` tickets ``p`` may see), then the queue number or the phone's end.
    The newest ``limit`` of the union of two sets are among the newest ``limit`` of each,
    so the answer is that of one query asking for either.
    """
    dialect = session.get_bind().dialect.name
    text_match = _text_match(q)
    if len(q) >= TRIGRAM:
        text_match = and_(_text_index(dialect, q), text_match)
    else:
        text_match = and_(Ticket.id >= await _window_start(session, p), text_match)
    # Sorted, not walked newest first, when few may match: the short text's window, a
    # queue number or phone ending (their indexes), else the walk reads every ticket
    # of the city looking for a number no ticket of the scope has.
    sort = (Ticket.id + 0).desc()
    text_order = Ticket.id.desc() if len(q) >= TRIGRAM else sort
    found: dict[int, tuple[Ticket, ServiceType]] = {}
    for match, order in ((text_match, text_order), (_digit_match(q), sort)):
        if match is None:
            continue
        query = (
            select(Ticket, ServiceType)
            .join(ServiceType, ServiceType.id == Ticket.service_type_id)
            .where(scope(p), match)
            .order_by(order)
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


#: PostgreSQL's table of the comments' words (migration 0014), kept by triggers; its
#: ``words`` also hold lexemes of the ticket's office (:func:`scope_lexemes`).
_WORDS = table("comment_words", column("event_id", BigInteger), column("kind", String))


async def scope_lexemes(session: AsyncSession, offices: frozenset[int]) -> list[str]:
    """The fewest office lexemes of ``comment_words`` (migration 0014) that hold exactly the
    tickets of ``offices``: ``@<id>`` of each office whose whole subtree is in it (and whose
    parent's is not), ``#<id>`` of each office in it with an office below it that is not.
    An officer's scope (their office and those below) is one ``@`` lexeme."""
    children: dict[int, list[int]] = {}
    parent: dict[int, int | None] = {}
    for oid, pid in await session.execute(select(Office.id, Office.parent_id)):
        parent[oid] = pid
        if pid is not None:
            children.setdefault(pid, []).append(oid)
    whole: dict[int, bool] = {}

    def is_whole(o: int) -> bool:  # o and every office below it are in the scope
        if o not in whole:
            whole[o] = False  # a cycle in the tree counts as not whole
            whole[o] = o in offices and all(is_whole(c) for c in children.get(o, []))
        return whole[o]

    lexemes = []
    for o in sorted(offices & parent.keys()):
        up = parent[o]
        if not is_whole(o):
            lexemes.append(f"#{o}")
        elif up is None or not is_whole(up):
            lexemes.append(f"@{o}")
    return lexemes


def _pg_words(terms: list[str], lexemes: list[str] | None = None) -> ColumnElement[bool]:
    """``comment_words`` rows holding every term as a prefix of a word and, when
    ``lexemes`` is given, one of those office lexemes: one GIN condition."""
    tsq = " & ".join(f"{w}:*" for w in terms)
    if lexemes is None:
        clause = text("comment_words.words @@ to_tsquery('simple', :tsq)").bindparams(tsq=tsq)
        return clause  # type: ignore[return-value]
    scope_q = " | ".join(f"'{lx}'" for lx in lexemes)
    clause = text(
        "comment_words.words @@ (to_tsquery('simple', :tsq) && CAST(:offices AS tsquery))"
    ).bindparams(tsq=tsq, offices=scope_q)
    return clause  # type: ignore[return-value]


def comment_match(dialect: str, terms: list[str]) -> ColumnElement[bool]:
    """Comments and notes whose text has every term as a prefix of a word, on this
    database: SQLite's FTS5 table ``comment_fts``, PostgreSQL's ``comment_words`` (the
    whole city's matches: :func:`search_comments` narrows by scope first on PostgreSQL)."""
    if dialect == "postgresql":
        rows = select(_WORDS.c.event_id).where(_pg_words(terms))
        pg = and_(TicketEvent.kind.in_((COMMENT, NOTE)), TicketEvent.id.in_(rows))
        return pg
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


async def _pg_comment_ids(
    session: AsyncSession, p: Principal, terms: list[str], limit: int
) -> list[int]:
    """PostgreSQL: the ids of the newest ``limit`` comments (and notes) ``p`` may find,
    from ``comment_words``, by the shape of the searcher's scope:

    - **own tickets** (a citizen, a receipt holder): from those tickets (``event_id + 0``
      keeps the planner off walking the whole table backwards instead);
    - **all** (admin): the words, newest first in two steps (:func:`_newest_first`);
    - **offices** (officers, supervisors): the words and the scope's office lexemes
      (:func:`scope_lexemes`), in the same two steps: the GIN index finds both together,
      so only the scope's matches are read."""
    kinds = _WORDS.c.kind.in_(searched_kinds(p))
    newest = (_WORDS.c.event_id + 0).desc()
    if p.is_walk_in or p.role is Role.citizen:
        own = (
            select(_WORDS.c.event_id)
            .join(TicketEvent, TicketEvent.id == _WORDS.c.event_id)
            .join(Ticket, Ticket.id == TicketEvent.ticket_id)
            .where(scope(p), kinds, _pg_words(terms))
        )
        return list(await session.scalars(own.order_by(newest).limit(limit)))
    if p.role is Role.admin:
        match = _pg_words(terms)
    else:  # no known office: nothing (an empty tsquery would not narrow at all)
        lexemes = await scope_lexemes(session, p.office_scope)
        if not lexemes:
            return []
        match = _pg_words(terms, lexemes)
    return await _newest_first(session, and_(kinds, match), limit)


async def _newest_first(session: AsyncSession, match: ColumnElement[bool], limit: int) -> list[int]:
    """PostgreSQL: the newest ``limit`` ``comment_words`` rows of ``match`` in two steps.
    Walking the rows newest first and testing each (a stored ``tsvector``: cheap) is fast
    for a common word but reads the whole table for a rare one; the GIN index finds a rare
    word at once but must fetch and sort every match of a common one. So: the rows of the
    newest :data:`RECENT` events walked, then, if they held fewer than ``limit``, the
    older ones from the index (``event_id + 0`` keeps the planner off the walk)."""
    newest = await session.scalar(select(func.max(TicketEvent.id)))
    if newest is None:
        return []
    edge = newest - RECENT
    ids = _WORDS.c.event_id
    recent = select(ids).where(ids > edge, match).order_by(ids.desc()).limit(limit)
    found = list(await session.scalars(recent))
    if len(found) < limit:
        older = (
            select(ids)
            .where(ids <= edge, match)
            .order_by((ids + 0).desc())
            .limit(limit - len(found))
        )
        found += await session.scalars(older)
    return found


async def search_comments(
    session: AsyncSession, p: Principal, q: str, limit: int
) -> list[dict[str, Any]]:
    """Comments (and, for officers, internal notes) on tickets ``p`` may see whose text
    has every word of ``q``, newest first."""
    terms = words(q)
    if not terms:
        return []
    dialect = session.get_bind().dialect.name
    query = select(TicketEvent, Ticket).join(Ticket, Ticket.id == TicketEvent.ticket_id)
    if dialect == "postgresql":
        ids = await _pg_comment_ids(session, p, terms, limit)
        if not ids:
            return []
        query = query.where(TicketEvent.id.in_(ids), scope(p))
    else:  # SQLite reads the FTS5 matches first, then sorts them
        query = query.where(
            TicketEvent.kind.in_(searched_kinds(p)), comment_match(dialect, terms), scope(p)
        ).limit(limit)
    rows = (await session.execute(query.order_by(TicketEvent.id.desc()))).all()
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
