"""A report: who may read which offices, and the numbers of the period.

Supervisors read the offices in their scope (their office and those under it), admins
every office; asking for an office outside one's scope is ``forbidden``. Nothing here
reads a person's name, phone, NIK or address: the rows are ids, times and statuses.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hub import policy
from hub.clock import jakarta_today
from hub.errors import Forbidden, Invalid
from hub.ikm.store import call_rating_totals, survey_totals
from hub.models import Role, TicketStatus
from hub.principal import Principal
from hub.reports import store
from hub.reports.durations import WorkingHours
from hub.reports.figures import Group, figures
from hub.reports.period import Period
from notifications.text import redact
from signaling.models import CallOutcome

Key = tuple[int, int]


@dataclass(frozen=True)
class Ask:
    period: Period
    office_id: int | None = None
    service: str | None = None


def check_reader(p: Principal) -> None:
    if p.role not in (Role.supervisor, Role.admin):
        raise Forbidden("supervisors_only")


def _visible(p: Principal) -> list[int] | None:
    return None if p.role is Role.admin else sorted(p.office_scope)


def _offices_of(p: Principal, office_id: int | None) -> list[int] | None:
    if office_id is not None:
        policy.check_supervise(p, office_id)
        return [office_id]
    return _visible(p)


async def build_report(session: AsyncSession, p: Principal, ask: Ask) -> dict[str, Any]:
    """The report of ``ask`` for ``p`` (a supervisor or an admin)."""
    check_reader(p)
    office_ids = _offices_of(p, ask.office_id)
    services = await store.services(session)
    by_code = {s.code: s for s in services.values()}
    service = by_code.get(ask.service) if ask.service else None
    if ask.service and service is None:
        raise Invalid("service_unknown", field="service")
    period = ask.period
    scope = store.Scope(office_ids, service.id if service else None, period.start, period.end)
    groups: dict[Key, Group] = defaultdict(Group)
    daily: dict[date, Counter[str]] = {day: Counter() for day in period.days()}
    for office, svc, created in await store.received(session, scope):
        groups[(office, svc)].received += 1
        daily[jakarta_today(created)]["received"] += 1
    working = WorkingHours(session)
    for office, svc, created, closed in await store.completed(session, scope):
        hours = await working.between(office, created, closed)
        groups[(office, svc)].hours.append(hours)
        daily[jakarta_today(closed)]["completed"] += 1
    reasons: Counter[str] = Counter()
    for office, svc, status, decided_at, due_at, reason in await store.decided(session, scope):
        g = groups[(office, svc)]
        g.decided += 1
        g.on_time += decided_at <= due_at
        if status is TicketStatus.rejected:
            g.rejected += 1
            daily[jakarta_today(decided_at)]["rejected"] += 1
            reasons[redact(reason or "") or "—"] += 1
    for office, svc, answered, ended, outcome in await store.calls(session, scope):
        g = groups[(office, svc)]
        g.calls += 1
        if answered is not None:
            g.answered += 1
            g.call_seconds += _seconds(answered, ended)
        g.missed += outcome is CallOutcome.missed
    answers = await survey_totals(
        session, office_ids, scope.service_type_id, period.first, period.last
    )
    for key, totals in answers.items():
        groups[key].survey = totals
    visible = await store.offices(session, _visible(p))
    names = {i: n for i, n in visible.items() if office_ids is None or i in office_ids}
    total = Group()
    rows = []
    for (office, svc), g in sorted(groups.items()):
        if office not in names or svc not in services:
            continue
        total.add(g)
        s = services[svc]
        rows.append({
            "office": {"id": office, "name": names[office]},
            "service": {"code": s.code, "name": s.name, "name_en": s.name_en},
            **figures(g),
        })  # fmt: skip
    rated = await call_rating_totals(session, office_ids, period.first, period.last)
    ratings = sum(n for n, _ in rated.values())
    return {
        "period": {"from": period.first.isoformat(), "to": period.last.isoformat()},
        "office_id": ask.office_id,
        "service": service.code if service else None,
        "offices": [{"id": i, "name": n} for i, n in visible.items()],
        "services": [
            {"code": s.code, "name": s.name, "name_en": s.name_en} for s in by_code.values()
        ],
        "totals": figures(total),
        "ikm": total.survey.score().json_dict(),
        "rows": rows,
        "rejections": [{"reason": r, "count": n} for r, n in reasons.most_common()],
        "daily": [{"day": d.isoformat(), **{k: c[k] for k in ("received", "completed", "rejected")}}
                  for d, c in daily.items()],
        "call_ratings": {
            "count": ratings,
            "average": round(sum(s for _, s in rated.values()) / ratings, 2) if ratings else None,
        },
    }  # fmt: skip


def _seconds(answered: datetime, ended: datetime | None) -> float:
    return max((ended - answered).total_seconds(), 0.0) if ended else 0.0
