"""A city's year of requests, as rows: scenario (g)'s world, planned in memory.

Kota Bogor's offices and 16 services come from the real reference data
(:func:`hub.accounts.reference.load_reference`); everything else is planned here, seeded,
then written in bulk by :mod:`bench.citydb` (not through the per-ticket services). Each
request walks the real status machine (:mod:`hub.tickets.lifecycle`) from ``submitted``;
its timeline holds the ``created`` event, one ``status_changed`` event per transition and
comments and internal notes between them, seq 1, 2, … with no gaps. A request made lately is
still on its way, so the status mix is what a year of work leaves.

Not planned (neither search nor reports read them): documents, letters, notifications.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hub.clock import jakarta_today
from hub.models import OfficeLevel, Risk, Role, TicketStatus
from hub.tickets.lifecycle import DESK, TARGETS

#: Bump when the rows planned change: the cached SQLite world is keyed by it.
VERSION = 2
Row = dict[str, Any]
S = TicketStatus

FIRST = ("Siti", "Ahmad", "Dewi", "Budi", "Rina", "Agus", "Nur", "Eko", "Sri", "Dedi",
         "Yuli", "Hendra", "Wati", "Rudi", "Lina", "Asep", "Neneng", "Ujang", "Euis", "Dadang",
         "Putri", "Rizky", "Fajar", "Intan", "Teguh", "Ayu", "Bayu", "Citra", "Galih",
         "Maya")  # fmt: skip
LAST = ("Rahayu", "Santoso", "Hidayat", "Kusuma", "Saputra", "Nurhayati", "Wijaya", "Lestari",
        "Permana", "Suryani", "Gunawan", "Maulana", "Pratama", "Setiawan", "Hasanah", "Sutisna",
        "Firmansyah", "Kurniawan", "Handayani", "Ramadhan", "Sulaeman", "Hermawan", "Fitriani",
        "Nugraha", "Wibowo", "Anggraini", "Sopandi", "Mulyadi", "Rohimah", "Iskandar")  # fmt: skip
SAYS = ("Selamat pagi, saya ingin menanyakan status permohonan {svc} saya",
        "Mohon maaf, dokumen KTP saya sudah diunggah ulang, mohon dicek",
        "Apakah surat {svc} bisa diambil besok di kantor kelurahan?",
        "Terima kasih atas bantuannya, pelayanan di {office} sangat cepat",
        "Kartu keluarga sudah diperbarui, apakah perlu fotokopi lagi?",
        "Saya sudah datang ke {office} tapi loket tutup, kapan buka?",
        "Mohon dibantu, pengantar RT RW sudah saya lampirkan",
        "Kapan jadwal tanda tangan lurah untuk surat {svc}?")  # fmt: skip
REPLIES = ("Baik Bapak/Ibu {name}, berkas sedang kami verifikasi",
           "Mohon unggah ulang surat pengantar RT yang terbaca jelas",
           "Surat {svc} sudah bisa diambil di loket {office} jam 08.00 sampai 15.00",
           "Permohonan sudah diteruskan ke bagian pelayanan untuk persetujuan",
           "Terima kasih, data sudah kami terima dan sedang diproses")  # fmt: skip
NOTES = ("Cek ulang NIK dengan data Disdukcapil", "Pemohon minta dipercepat, sudah telepon",
         "Berkas lengkap, teruskan ke pak lurah", "Alamat pada KK berbeda dengan domisili",
         "Perlu konfirmasi ketua RT {rt}")  # fmt: skip
REJECTS = ("Dokumen tidak sesuai persyaratan", "Data pemohon tidak sesuai KK",
           "Pemohon bukan warga kelurahan ini")  # fmt: skip


@dataclass(frozen=True)
class Size:
    requests: int
    events: int
    days: int = 365


@dataclass
class Office:
    id: int
    code: str
    name: str
    level: OfficeLevel
    parent_id: int | None
    prefix: str


@dataclass
class Service:
    id: int
    code: str
    name: str
    risk: Risk
    level: OfficeLevel
    sla_hours: int


@dataclass
class City:
    """Every row to write, per table, and the people the scenario asks as."""

    now: datetime
    rows: dict[str, list[Row]] = field(default_factory=dict)
    #: office id → (front office, supervisor) user ids
    staff: dict[int, dict[Role, int]] = field(default_factory=dict)
    #: samples the scenario searches for
    numbers: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)


class _Ids:
    def __init__(self, start: int) -> None:
        self.last = start

    def __call__(self) -> int:
        self.last += 1
        return self.last


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _opening(rng: random.Random, days: int, now: datetime) -> datetime:
    """An instant in office hours (Jakarta 08:00–15:00, Monday–Friday) of the last ``days``."""
    while True:
        day = jakarta_today(now) - timedelta(days=rng.randrange(days))
        if day.weekday() < 5:
            break
    hour = rng.uniform(1.0, 8.0)  # 08:00–15:00 WIB is 01:00–08:00 UTC
    at = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(hours=hour)
    return min(at, now - timedelta(minutes=1))


def _path(rng: random.Random, risk: Risk) -> list[str]:
    """The actions a request goes through, from ``submitted`` to where it stops."""
    acts = ["start_verification"]
    if rng.random() < 0.15:
        acts += ["request_documents", "resubmit"]
    if rng.random() < 0.08:
        return [*acts, "reject"]
    acts.append("verify")
    if risk is Risk.high:
        acts.append("staff_verify")
    if rng.random() < 0.05:
        return [*acts, "reject"]
    return [*acts, "approve", "complete"]


ACTOR_ROLE = {
    "start_verification": Role.front_office, "request_documents": Role.front_office,
    "resubmit": Role.citizen, "verify": Role.front_office, "staff_verify": Role.staff,
    "approve": Role.approver, "reject": Role.approver, "complete": Role.front_office,
}  # fmt: skip


class Planner:
    def __init__(
        self,
        size: Size,
        offices: list[Office],
        services: list[Service],
        now: datetime,
        first_user: int = 0,
    ) -> None:
        self.size, self.now, self.rng = size, now, random.Random(20261201)
        self.offices, self.services = offices, services
        self.at_level = {lv: [o for o in offices if o.level is lv] for lv in OfficeLevel}
        self.city = City(now)
        self.user_id, self.ticket_id, self.event_id = _Ids(first_user), _Ids(0), _Ids(0)
        self.rows: dict[str, list[Row]] = {
            t: []
            for t in ("users", "tickets", "ticket_events", "calls", "call_ratings", "ikm_claims",
                      "ikm_responses", "queue_counters")
        }  # fmt: skip
        self.officers: dict[int, dict[Role, Row]] = {}
        self.queue: dict[tuple[int, date], int] = {}

    def user(self, role: Role, name: str, **extra: Any) -> Row:
        row = {"id": self.user_id(), "role": role, "full_name": name, "username": None,
               "phone": None, "password_hash": "!bench", "office_id": None,
               "is_active": True, "created_at": self.now - timedelta(days=400),
               **extra}  # fmt: skip
        self.rows["users"].append(row)
        return row

    def people(self) -> list[Row]:
        for o in self.offices:
            roles = [Role.front_office, Role.staff, Role.approver, Role.supervisor]
            self.officers[o.id] = {
                r: self.user(r, _name(self.rng), username=f"city.{r.value}.{o.id}", office_id=o.id)
                for r in roles
            }
            self.city.staff[o.id] = {r: u["id"] for r, u in self.officers[o.id].items()}
        admin = self.user(Role.admin, "Admin Kota", username="city.admin")
        self.city.staff[0] = {Role.admin: admin["id"]}
        count = max(self.size.requests // 3, 10)
        return [
            self.user(Role.citizen, _name(self.rng), phone=f"62812{i:08d}") for i in range(count)
        ]

    def plan(self) -> City:
        citizens = self.people()
        # events beyond created + transitions: comments and notes, spread over the requests
        extra = max(self.size.events - self.size.requests * 5.4, 0) / max(self.size.requests, 1)
        starts = sorted(
            _opening(self.rng, self.size.days, self.now) for _ in range(self.size.requests)
        )
        for created in starts:
            self.ticket(created, citizens, extra)
        for (office, day), last in self.queue.items():
            self.rows["queue_counters"].append({"office_id": office, "day": day, "last": last})
        self.city.rows = self.rows
        return self.city

    def ticket(self, created: datetime, citizens: list[Row], extra: float) -> None:
        rng = self.rng
        svc = rng.choice(self.services)
        office = rng.choice(self.at_level[svc.level])
        tid = self.ticket_id()
        day = jakarta_today(created)
        no = self.queue[(office.id, day)] = self.queue.get((office.id, day), 0) + 1
        online = rng.random() < 0.7
        applicant = rng.choice(citizens) if online else None
        phone = (
            applicant["phone"]
            if applicant
            else (f"62857{rng.randrange(10**8):08d}" if rng.random() < 0.8 else None)
        )
        number = f"{office.code}-{day:%y%m%d}-{no:03d}"
        due = created + timedelta(hours=svc.sla_hours * 2.5)
        t: Row = {
            "id": tid, "number": number, "office_id": office.id, "service_type_id": svc.id,
            "applicant_id": applicant["id"] if applicant else None,
            "applicant_name": applicant["full_name"] if applicant else _name(rng),
            "applicant_phone": phone, "phone_last4": phone[-4:] if phone else None,
            "channel": "online" if online else "walk_in", "status": S.submitted,
            "risk": svc.risk, "assignee_id": None, "assigned_role": DESK[S.submitted],
            "queue_day": day, "queue_no": no, "queue_label": f"{office.prefix}-{no:03d}",
            "access_code_hash": "!bench", "version": 1, "last_seq": 0,
            "callback_pending": False, "reject_reason": None, "created_at": created,
            "updated_at": created, "due_at": due,
            "at_risk_at": created + (due - created) * 0.8, "at_risk_notified_at": None,
            "breached_notified_at": None, "decided_at": None, "closed_at": None,
        }  # fmt: skip
        self.rows["tickets"].append(t)
        if rng.random() < 0.002:
            self.city.numbers.append(number)
            if phone:
                self.city.phones.append(phone)
        self.timeline(t, office, svc, applicant, extra)

    def timeline(
        self, t: Row, office: Office, svc: Service, applicant: Row | None, extra: float
    ) -> None:
        rng, staff = self.rng, self.officers[office.id]
        who = applicant or {"id": None, "full_name": t["applicant_name"], "role": Role.citizen}
        at: datetime = t["created_at"]
        created_by = who if applicant else staff[Role.front_office]
        opened = {"channel": t["channel"], "service": svc.code, "queue": t["queue_label"]}
        self.event(t, at, "created", created_by, opened)
        acts = _path(rng, svc.risk)
        chat = max(int(rng.expovariate(1 / extra)) if extra > 0 else 0, 0)
        slots = sorted(rng.randrange(len(acts) + 1) for _ in range(chat))
        words = {"svc": svc.name, "office": office.name, "name": t["applicant_name"],
                 "rt": rng.randrange(1, 20)}  # fmt: skip
        for step in range(len(acts) + 1):
            for _ in range(slots.count(step)):
                at += timedelta(minutes=rng.expovariate(1 / 240))
                if at >= self.now:
                    return
                self.chatter(t, at, who, staff, words)
            if step == len(acts):
                break
            action = acts[step]
            at += timedelta(minutes=rng.expovariate(1 / 1440))
            if at >= self.now or rng.random() < 0.01:
                return
            actor = who if ACTOR_ROLE[action] is Role.citizen else staff[ACTOR_ROLE[action]]
            self.move(t, at, action, actor)

    def chatter(self, t: Row, at: datetime, who: Row, staff: dict[Role, Row], words: Row) -> None:
        rng = self.rng
        roll = rng.random()
        if roll < 0.45:
            self.event(t, at, "comment", who, {"body": rng.choice(SAYS).format(**words)})
        elif roll < 0.85:
            body = rng.choice(REPLIES).format(**words)
            self.event(t, at, "comment", staff[Role.front_office], {"body": body})
        else:
            body = rng.choice(NOTES).format(**words)
            self.event(t, at, "internal_note", staff[Role.front_office], {"body": body})

    def move(self, t: Row, at: datetime, action: str, actor: Row) -> None:
        before: TicketStatus = t["status"]
        after = TARGETS[action](before, t["risk"])
        reason = self.rng.choice(REJECTS) if action == "reject" else None
        t.update(status=after, assigned_role=DESK[after], version=t["version"] + 1, updated_at=at)
        if after in (S.approved, S.rejected):
            t["decided_at"] = at
        if after is S.rejected:
            t["reject_reason"] = reason
        if after is S.completed:
            t["closed_at"] = at
            self.survey(t, at)
        change = {"action": action, "from": before.value, "to": after.value, "reason": reason}
        self.event(t, at, "status_changed", actor, change)
        if action == "verify" and self.rng.random() < 0.25:
            self.call(t, at + timedelta(minutes=5), actor)

    def event(self, t: Row, at: datetime, kind: str, actor: Row, payload: Row) -> None:
        t["last_seq"] += 1
        uid = actor["id"]
        self.rows["ticket_events"].append({
            "id": self.event_id(), "ticket_id": t["id"], "seq": t["last_seq"], "kind": kind,
            "actor_id": uid, "actor_key": f"u:{uid}" if uid else f"w:{t['id']}",
            "actor_name": actor["full_name"], "actor_role": str(actor["role"]),
            "client_id": None, "payload": payload, "created_at": at,
        })  # fmt: skip

    def call(self, t: Row, at: datetime, caller: Row) -> None:
        rng = self.rng
        answered = rng.random() < 0.7
        cid = uuid.UUID(int=rng.getrandbits(128)).hex
        callee = f"u:{t['applicant_id']}" if t["applicant_id"] else f"w:{t['id']}"
        ended = at + timedelta(seconds=rng.uniform(60, 600) if answered else 30)
        self.rows["calls"].append({
            "id": cid, "ticket_id": t["id"], "office_id": t["office_id"],
            "caller_id": caller["id"], "caller_name": caller["full_name"],
            "caller_role": str(caller["role"]), "caller_sid": None, "callee_key": callee,
            "callee_user_id": t["applicant_id"], "answered_by_sid": None, "media": "audio",
            "status": "ended", "outcome": "completed" if answered else "missed",
            "live_ticket_id": None, "live_callee_key": None, "awaiting_answer": False,
            "caller_lost_at": None, "callee_lost_at": None, "created_at": at,
            "ring_deadline": at + timedelta(seconds=30),
            "answered_at": at + timedelta(seconds=8) if answered else None, "ended_at": ended,
        })  # fmt: skip
        if answered and rng.random() < 0.5:
            self.rows["call_ratings"].append({"call_id": cid, "office_id": t["office_id"],
                                              "day": jakarta_today(ended),
                                              "rating": rng.choice((3, 4, 4, 2))})  # fmt: skip

    def survey(self, t: Row, at: datetime) -> None:
        if self.rng.random() >= 0.4:
            return
        self.rows["ikm_claims"].append({"ticket_id": t["id"]})
        scores = {f"u{i}": self.rng.choice((2, 3, 3, 4, 4)) for i in range(1, 10)}
        self.rows["ikm_responses"].append({
            "id": len(self.rows["ikm_responses"]) + 1, "office_id": t["office_id"],
            "service_type_id": t["service_type_id"], "day": jakarta_today(at), **scores,
        })  # fmt: skip
