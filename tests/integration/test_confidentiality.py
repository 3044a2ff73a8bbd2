"""PRODUCT.md → Confidentiality, as tests that fail if someone breaks a rule.

- The check-in record holds who, with whom, when and one status — nothing else.
- Coordinators and directors see no individual check-in: no time, therapist or status, from any endpoint.
- Wording is neutral: a "check-in", never therapy or a mental-health appointment.
(Logs: tests/integration/test_logs.py. Audit of staff access: the roster tests. Coverage never changing
after an opt-out or a resident's own booking: tests/integration/test_auto_booking.py.)
"""

from datetime import UTC, date, datetime, timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import inspect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.auth.models import Role
from app.booking.models import RunKind
from app.booking.service import run_auto_booking
from app.checkins.models import CheckIn, CheckInStatus
from tests.factories import make_program, make_resident, make_staff, make_therapist

ALLOWED_CHECKIN_COLUMNS = {
    # who, with whom, when, one status
    "resident_id",
    "therapist_id",
    "starts_at",
    "ends_at",
    "status",
    # mechanics: identity, programme, calendar UID and SEQUENCE, cadence period, row timestamps
    "id",
    "program_id",
    "uid",
    "sequence",
    "period_start",
    "created_at",
    "updated_at",
}


def test_the_checkin_record_holds_nothing_but_who_with_whom_when_and_status(engine: Engine) -> None:
    columns = {c["name"] for c in inspect(engine).get_columns("checkin")}
    assert columns == ALLOWED_CHECKIN_COLUMNS
    assert {s.value for s in CheckInStatus} == {"booked", "kept", "no_show", "opted_out", "cancelled"}


def test_coordinators_and_directors_never_see_an_individual_checkin(
    app: FastAPI, client: TestClient, db: Session
) -> None:
    program = make_program(db)
    residents = [make_resident(db, program) for _ in range(5)]
    therapist = make_therapist(db, name="Dr Quillon Verity", email="qverity@clinic.example.org")
    # One check-in in every status, at instants that appear nowhere else in the data.
    first = datetime(2026, 9, 17, 14, 45, tzinfo=UTC)
    for n, (resident, status) in enumerate(zip(residents, CheckInStatus, strict=True)):
        start = first + timedelta(days=n)
        db.add(
            CheckIn(
                uid=f"secret-uid-{n}@tend",
                program_id=program.id,
                resident_id=resident.id,
                therapist_id=therapist.id,
                starts_at=start,
                ends_at=start + timedelta(minutes=30),
                period_start=date(2026, 7, 1),
                status=status,
            )
        )
    db.commit()
    run_auto_booking(db, program_id=program.id, kind=RunKind.nightly, now=first - timedelta(days=30))
    db.commit()
    callers = [
        make_staff(db, Role.coordinator, program=program),
        make_staff(db, Role.director, program=program),
    ]
    forbidden = [
        "Quillon",
        "qverity",
        "secret-uid",
        "opted_out",
        "no_show",
        "kept",
        *(f"2026-09-{17 + n}" for n in range(5)),
        *(f"{date(2026, 9, 17 + n):%m/%d/%Y}" for n in range(5)),
    ]
    params = {"program_id": program.id, "resident_id": residents[0].id, "therapist_id": therapist.id}
    seen = 0
    for path, operations in app.openapi()["paths"].items():
        if "get" not in operations:
            continue
        url = path.format(**{k: params.get(k, 1) for k in params} | _other_params(path))
        for caller in callers:
            response = client.get(url, headers=caller.headers)
            seen += 1
            body = response.text
            leaked = [word for word in forbidden if word in body]
            assert leaked == [], f"GET {path} as {caller.account.role.value} shows {leaked}"
    assert seen > 10


def _other_params(path: str) -> dict[str, int]:
    names = {part[1:-1] for part in path.split("/") if part.startswith("{")}
    return {name: 1 for name in names if name not in {"program_id", "resident_id", "therapist_id"}}


def test_wording_is_neutral_everywhere_the_api_describes_itself(app: FastAPI) -> None:
    text = str(app.openapi()).lower()
    for word in ("therapy", "mental health", "mental-health", "psychiatr", "diagnos", "counsel"):
        assert word not in text, word
