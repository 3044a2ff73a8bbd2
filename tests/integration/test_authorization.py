"""Every route, every role: the expected answer to each, from one table.

The test walks the application's OpenAPI description, so a route added without a row here fails
``test_every_route_has_a_row``. For each route and caller it sends a syntactically valid but empty request;
"ok" means the caller got past authorisation (any answer other than 401/403, and never a 500).
"""

from dataclasses import dataclass
from typing import Literal

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.auth.models import Role
from tests.factories import Staff, make_program, make_resident, make_staff, make_therapist, make_time_off

Caller = Literal[
    "anonymous",
    "admin",
    "coordinator",
    "other_coordinator",
    "director",
    "other_director",
    "therapist",
    "other_therapist",
]
CALLERS: tuple[Caller, ...] = (
    "anonymous",
    "admin",
    "coordinator",
    "other_coordinator",
    "director",
    "other_director",
    "therapist",
    "other_therapist",
)
PUBLIC = {c: "ok" for c in CALLERS}
ANY_STAFF = {**{c: "ok" for c in CALLERS}, "anonymous": 401}
ADMIN = {**{c: 403 for c in CALLERS}, "anonymous": 401, "admin": "ok"}
# Paths name "the" programme and "the" therapist: "other_*" callers belong to a different one.
PROGRAM_STAFF = {**ADMIN, "coordinator": "ok", "director": "ok"}
COORDINATOR = {**ADMIN, "coordinator": "ok"}
THERAPIST_SELF = {**ADMIN, "therapist": "ok"}

# (method, path) -> expected answer per caller. Keep in sync with the routers; the first test enforces it.
EXPECTED: dict[tuple[str, str], dict[Caller, int | str]] = {
    ("GET", "/healthz"): PUBLIC,
    ("GET", "/readyz"): PUBLIC,
    ("GET", "/me"): ANY_STAFF,
    ("POST", "/staff"): ADMIN,
    ("GET", "/staff"): ADMIN,
    ("PATCH", "/staff/{staff_id}"): ADMIN,
    ("POST", "/staff/{staff_id}/tokens"): ADMIN,
    ("GET", "/staff/{staff_id}/tokens"): ADMIN,
    ("DELETE", "/tokens/{token_id}"): ADMIN,
    ("POST", "/programs"): ADMIN,
    ("GET", "/programs"): ANY_STAFF,
    ("GET", "/programs/{program_id}"): PROGRAM_STAFF,
    ("PATCH", "/programs/{program_id}"): ADMIN,
    # Coverage names residents who could not be placed: coordinators and admins; runs on demand: admins.
    ("GET", "/programs/{program_id}/coverage"): COORDINATOR,
    ("POST", "/programs/{program_id}/auto-booking"): ADMIN,
    ("POST", "/programs/{program_id}/auto-booking/replan"): ADMIN,
    # The roster names people: its coordinators and admins only (directors see aggregates, never names).
    ("POST", "/programs/{program_id}/roster"): COORDINATOR,
    ("GET", "/programs/{program_id}/residents"): COORDINATOR,
    ("GET", "/programs/{program_id}/residents.csv"): COORDINATOR,
    ("GET", "/programs/{program_id}/residents/{resident_id}"): COORDINATOR,
    ("PATCH", "/programs/{program_id}/residents/{resident_id}"): COORDINATOR,
    # Call schedules name residents: the programme's coordinators and admins only.
    ("POST", "/programs/{program_id}/call-schedule"): COORDINATOR,
    ("POST", "/programs/{program_id}/call-schedule/ics-url"): COORDINATOR,
    ("GET", "/programs/{program_id}/blackouts"): COORDINATOR,
    ("DELETE", "/programs/{program_id}/blackouts"): COORDINATOR,
    ("POST", "/therapists"): ADMIN,
    ("GET", "/therapists"): ADMIN,
    ("GET", "/therapists/{therapist_id}"): THERAPIST_SELF,
    ("PATCH", "/therapists/{therapist_id}"): ADMIN,
    ("PUT", "/therapists/{therapist_id}/availability"): THERAPIST_SELF,
    ("POST", "/therapists/{therapist_id}/time-off"): THERAPIST_SELF,
    ("DELETE", "/therapists/{therapist_id}/time-off/{time_off_id}"): THERAPIST_SELF,
    ("PUT", "/therapists/{therapist_id}/exclusions"): ADMIN,
}


@dataclass
class World:
    callers: dict[str, Staff]
    params: dict[str, int]


@pytest.fixture
def world(db: Session) -> World:
    program = make_program(db)
    other_program = make_program(db)
    therapist = make_therapist(db)
    other_therapist = make_therapist(db)
    resident = make_resident(db, program)
    callers = {
        "admin": make_staff(db, Role.admin),
        "coordinator": make_staff(db, Role.coordinator, program=program),
        "other_coordinator": make_staff(db, Role.coordinator, program=other_program),
        "director": make_staff(db, Role.director, program=program),
        "other_director": make_staff(db, Role.director, program=other_program),
        "therapist": make_staff(db, Role.therapist, therapist=therapist),
        "other_therapist": make_staff(db, Role.therapist, therapist=other_therapist),
    }
    # A separate account whose token the routes may revoke or change, so callers keep theirs.
    target = make_staff(db, Role.admin)
    from app.auth import repository

    token_id = repository.tokens_of(db, staff_id=target.account.id)[0].id
    params = {
        "program_id": program.id,
        "therapist_id": therapist.id,
        "resident_id": resident.id,
        "staff_id": target.account.id,
        "token_id": token_id,
        "time_off_id": make_time_off(db, therapist).id,
    }
    return World(callers=callers, params=params)


def _routes(app: FastAPI) -> set[tuple[str, str]]:
    return {
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        for method in operations
        if method in {"get", "post", "put", "patch", "delete"}
    }


def test_every_route_has_a_row(app: FastAPI) -> None:
    routes = _routes(app)
    assert routes - EXPECTED.keys() == set(), "new routes need a row in EXPECTED"
    assert EXPECTED.keys() - routes == set(), "EXPECTED names routes that no longer exist"


@pytest.mark.parametrize("caller", CALLERS)
def test_each_caller_gets_the_expected_answer_on_every_route(
    app: FastAPI, client: TestClient, world: World, caller: Caller
) -> None:
    headers = world.callers[caller].headers if caller != "anonymous" else {}
    failures = []
    for method, path in sorted(_routes(app)):
        url = path.format(**world.params)
        body = {"json": {}} if method in {"POST", "PUT", "PATCH"} else {}
        response = client.request(method, url, headers=headers, **body)
        expected = EXPECTED[(method, path)][caller]
        got = response.status_code
        allowed = got not in (401, 403) and got < 500
        if (expected == "ok" and not allowed) or (expected != "ok" and got != expected):
            failures.append(f"{method} {path}: expected {expected}, got {got} {response.text[:120]}")
    assert failures == []
