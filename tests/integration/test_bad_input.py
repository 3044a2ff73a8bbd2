"""Malformed, hostile and oversized requests get a clear 4xx, never a 500, and change nothing."""

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.auth.models import Role
from tests.factories import make_program, make_resident, make_staff, make_therapist


def test_malformed_json_is_a_clear_422(client: TestClient, db: Session) -> None:
    admin = make_staff(db, Role.admin)
    response = client.post(
        "/programs", headers={**admin.headers, "Content-Type": "application/json"}, content=b'{"name": '
    )
    assert response.status_code == 422
    assert "JSON" in response.json()["detail"]


def test_validation_errors_do_not_echo_submitted_values(client: TestClient, db: Session) -> None:
    admin = make_staff(db, Role.admin)
    response = client.post(
        "/staff",
        headers=admin.headers,
        json={"name": "Secret Person", "email": "secret.person@x", "role": "admin"},
    )
    assert response.status_code == 422
    assert "Secret Person" not in response.text


def test_oversized_bodies_are_refused_before_reading(client: TestClient, db: Session) -> None:
    admin = make_staff(db, Role.admin)
    big = b"x" * (11 * 1024 * 1024)
    response = client.post(
        "/programs", headers={**admin.headers, "Content-Type": "application/json"}, content=big
    )
    assert response.status_code == 413
    assert "MB" in response.json()["detail"]


def test_non_numeric_ids_are_422_not_500(client: TestClient, db: Session) -> None:
    admin = make_staff(db, Role.admin)
    assert client.get("/programs/abc", headers=admin.headers).status_code == 422
    assert client.get("/programs/99999999999999999999999", headers=admin.headers).status_code in (404, 422)


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        # Each of these was a 500: pydantic-core raises UnicodeEncodeError on a lone surrogate in a str field.
        ("POST", "/staff", {"name": "A", "email": "\ud800", "role": "admin"}, "email"),
        ("POST", "/programs", {"name": "P", "time_zone": "America/\udc00", "state": "MI"}, "time_zone"),
        ("POST", "/programs", {"name": "P", "time_zone": "UTC", "state": "\ud800"}, "state"),
        ("PATCH", "/programs/{program}/residents/{resident}", {"pgy": "\ud800"}, "pgy"),
        (
            "PATCH",
            "/programs/{program}/residents/{resident}",
            {"start_date": "2026-07-0\ud800"},
            "start_date",
        ),
        # Inside the free-form policy object, and as an object key.
        ("PATCH", "/programs/{program}", {"policy": {"location": "Room \ud800"}}, "policy.location"),
        ("PATCH", "/programs/{program}", {"policy": {"\ud800": 1}}, "policy"),
        (
            "PUT",
            "/therapists/{therapist}/availability",
            {"windows": [{"weekday": 0, "start": "09:00", "end": "1\udfff:00"}]},
            "windows.0.end",
        ),
    ],
)
def test_an_unpaired_surrogate_is_a_422_naming_the_field(
    client: TestClient, db: Session, method: str, path: str, body: dict[str, Any], field: str
) -> None:
    admin = make_staff(db, Role.admin)
    program = make_program(db)
    resident = make_resident(db, program)
    therapist = make_therapist(db)
    url = path.format(program=program.id, resident=resident.id, therapist=therapist.id)
    before = client.get(f"/programs/{program.id}", headers=admin.headers).json()

    response = client.request(
        method,
        url,
        headers={**admin.headers, "Content-Type": "application/json"},
        content=json.dumps(body).encode(),  # ASCII: the surrogate travels as a \u escape
    )

    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == field
    assert "unpaired surrogate (U+D" in response.json()["detail"]
    assert client.get(f"/programs/{program.id}", headers=admin.headers).json() == before


def test_a_surrogate_pair_is_ordinary_text(client: TestClient, db: Session) -> None:
    admin = make_staff(db, Role.admin)
    response = client.post(
        "/programs",
        headers={**admin.headers, "Content-Type": "application/json"},
        content=json.dumps({"name": "Wellness \U0001f600", "time_zone": "UTC", "state": "MI"}).encode(),
    )
    assert response.status_code == 201, response.text
    assert response.json()["name"] == "Wellness \U0001f600"


def test_ids_inside_bodies_are_bounded_with_a_clear_message(client: TestClient, db: Session) -> None:
    admin = make_staff(db, Role.admin)
    body = {"name": "X", "email": "x@example.org", "role": "director", "program_id": 10**20}
    response = client.post("/staff", headers=admin.headers, json=body)
    assert response.status_code == 422
    assert "program_id" in response.json()["detail"]


def test_time_off_outside_a_sane_range_is_refused(client: TestClient, db: Session) -> None:
    from tests.factories import make_therapist

    admin = make_staff(db, Role.admin)
    therapist = make_therapist(db)
    for starts, ends in (
        ("0001-01-01T00:00:00Z", "0001-01-02T00:00:00Z"),
        ("2026-12-01T00:00:00Z", "9999-12-31T00:00:00Z"),
    ):
        response = client.post(
            f"/therapists/{therapist.id}/time-off",
            headers=admin.headers,
            json={"starts_at": starts, "ends_at": ends},
        )
        assert response.status_code == 422
        assert "2000 and 2100" in response.text
