"""Authorization, table-driven: every role × action × ownership."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from hub import policy
from hub.errors import Forbidden, NotFound
from hub.models import Role
from hub.principal import Principal

KEL_A, KEL_B, KEC, KOTA, OTHER_KEC = 11, 12, 10, 1, 20


@dataclass(frozen=True)
class T:
    id: int
    office_id: int
    applicant_id: int | None


OWN = T(id=1, office_id=KEL_A, applicant_id=100)  # citizen 100's ticket at kelurahan A
FOREIGN = T(id=2, office_id=KEL_A, applicant_id=200)
OTHER_OFFICE = T(id=3, office_id=KEL_B, applicant_id=100)
FAR_AWAY = T(id=4, office_id=OTHER_KEC, applicant_id=300)


def officer(role: Role, office: int, scope: set[int]) -> Principal:
    return Principal("s", 50, role, "p", office, frozenset(scope))


P = {
    "citizen": Principal("s", 100, Role.citizen, "warga"),
    "walk_in_1": Principal("s", None, Role.citizen, "tamu", ticket_id=1),
    "fo_a": officer(Role.front_office, KEL_A, {KEL_A}),
    "staff_a": officer(Role.staff, KEL_A, {KEL_A}),
    "approver_a": officer(Role.approver, KEL_A, {KEL_A}),
    "fo_b": officer(Role.front_office, KEL_B, {KEL_B}),
    "spv_kec": officer(Role.supervisor, KEC, {KEC, KEL_A, KEL_B}),
    "spv_kota": officer(Role.supervisor, KOTA, {KOTA, KEC, KEL_A, KEL_B, OTHER_KEC}),
    "admin": officer(Role.admin, KOTA, set()),
}

# (principal, ticket) → (view, comment, call, dispose)
TABLE: list[tuple[str, T, tuple[bool, bool, bool, bool]]] = [
    ("citizen", OWN, (True, True, False, False)),
    ("citizen", FOREIGN, (False, False, False, False)),
    ("citizen", OTHER_OFFICE, (True, True, False, False)),
    ("walk_in_1", OWN, (True, True, False, False)),
    ("walk_in_1", FOREIGN, (False, False, False, False)),
    ("fo_a", OWN, (True, True, True, True)),
    ("fo_a", OTHER_OFFICE, (False, False, False, False)),
    ("staff_a", FOREIGN, (True, True, True, True)),
    ("approver_a", OWN, (True, True, True, True)),
    ("fo_b", OWN, (False, False, False, False)),
    ("fo_b", OTHER_OFFICE, (True, True, True, True)),
    ("spv_kec", OWN, (True, True, False, True)),
    ("spv_kec", OTHER_OFFICE, (True, True, False, True)),
    ("spv_kec", FAR_AWAY, (False, False, False, False)),
    ("spv_kota", FAR_AWAY, (True, True, False, True)),
    ("admin", FAR_AWAY, (True, False, False, False)),
]


@pytest.mark.parametrize(("who", "ticket", "expected"), TABLE)
def test_ticket_rules(who: str, ticket: T, expected: tuple[bool, bool, bool, bool]) -> None:
    p = P[who]
    got = (
        policy.can_view_ticket(p, ticket),
        policy.can_comment(p, ticket),
        policy.can_call(p, ticket),
        policy.can_dispose(p, ticket),
    )
    assert got == expected


@pytest.mark.parametrize(
    ("who", "office", "allowed"),
    [
        ("spv_kec", KEL_A, True),
        ("spv_kec", KEC, True),
        ("spv_kec", OTHER_KEC, False),
        ("spv_kota", OTHER_KEC, True),
        ("fo_a", KEL_A, False),
        ("citizen", KEL_A, False),
        ("admin", KEL_A, True),
    ],
)
def test_supervise(who: str, office: int, allowed: bool) -> None:
    assert policy.can_supervise(P[who], office) is allowed


def test_walk_in_creation_is_front_office_of_the_office() -> None:
    assert policy.can_create_walk_in(P["fo_a"], KEL_A)
    assert not policy.can_create_walk_in(P["fo_a"], KEL_B)
    assert not policy.can_create_walk_in(P["staff_a"], KEL_A)
    assert not policy.can_create_walk_in(P["citizen"], KEL_A)


def test_a_ticket_you_may_not_see_is_not_found_like_a_missing_one() -> None:
    with pytest.raises(NotFound) as missing:
        policy.check_view_ticket(P["citizen"], None)
    with pytest.raises(NotFound) as foreign:
        policy.check_view_ticket(P["citizen"], FOREIGN)
    assert missing.value.to_dict() == foreign.value.to_dict()
    # seeing is not calling: a citizen who may see their ticket still may not call
    with pytest.raises(Forbidden):
        policy.check_call(P["citizen"], OWN)
