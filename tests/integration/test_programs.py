"""Programmes and their check-in policy, as an administrator configures them."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.auth.models import Role
from tests.factories import make_program, make_staff


def _create(client: TestClient, headers: dict[str, str], **fields: Any) -> Any:
    body = {"name": "Family Medicine", "time_zone": "America/Chicago", "state": "il", **fields}
    return client.post("/programs", headers=headers, json=body)


def test_admin_creates_a_programme_with_the_default_policy(client: TestClient, db: Session) -> None:
    admin = make_staff(db, Role.admin)
    response = _create(client, admin.headers)
    assert response.status_code == 201, response.text
    program = response.json()
    assert program["state"] == "IL"
    assert program["policy"]["checkins_per_academic_year"] == 1
    assert program["policy"]["duration_minutes"] == 30
    assert client.get(f"/programs/{program['id']}", headers=admin.headers).json() == program


@pytest.mark.parametrize(
    ("fields", "fragment"),
    [
        ({"time_zone": "Mars/Olympus"}, "IANA time zone"),
        ({"time_zone": "localtime"}, "IANA time zone"),
        ({"state": "ZZ"}, "US state"),
        ({"policy": {"duration_minutes": 10}}, "duration_minutes"),
        ({"policy": {"duration_minutes": 90}}, "duration_minutes"),
        ({"policy": {"pgy_levels": [0]}}, "between 1 and 8"),
        ({"policy": {"pgy_levels": []}}, "pgy_levels"),
        ({"policy": {"allowed_weekdays": [7]}}, "0 (Monday) to 6"),
        ({"policy": {"day_start": "17:00", "day_end": "09:00"}}, "before day_end"),
        ({"policy": {"modality": "in_person"}}, "location"),
        ({"policy": {"modality": "carrier pigeon"}}, "modality"),
        ({"policy": {"protected_blocks": [{"weekday": 2, "start": "14:00", "end": "13:00"}]}}, "not before"),
        (
            {
                "policy": {
                    "protected_blocks": [
                        {"weekday": 2, "start": "13:00", "end": "15:00"},
                        {"weekday": 2, "start": "14:00", "end": "16:00"},
                    ]
                }
            },
            "overlap",
        ),
        ({"policy": {"window_days": 0}}, "window_days"),
        ({"policy": {"min_notice_hours": -1}}, "min_notice_hours"),
        ({"policy": {"surprise": True}}, "surprise"),
        # PostgreSQL refuses NUL: it must be a clear 422 here, not "a number is out of range" there.
        ({"name": "Family\u0000Medicine"}, "control character (U+0000, character 7)"),
        ({"name": "Family\tMedicine"}, "control character (U+0009"),
        ({"name": "   "}, "name: String should have at least 1 character"),
        ({"policy": {"modality": "in_person", "location": "   "}}, "in-person check-ins need a location"),
        ({"policy": {"modality": "in_person", "location": "Room\u00002"}}, "the location contains a control"),
        # A time with an offset (or a number, which is read as one) cannot be compared with a wall time.
        ({"policy": {"day_start": "08:00Z"}}, "day_start: Value error, give a wall-clock time"),
        ({"policy": {"day_end": "17:00:00+05:00"}}, "day_end: Value error, give a wall-clock time"),
        ({"policy": {"day_start": 0}}, "without a UTC offset and not as a number"),
        (
            {"policy": {"day_start": "08:00-05:00", "day_end": "17:00-05:00"}},
            "policy times are in the programme's time zone",
        ),
        (
            {"policy": {"protected_blocks": [{"weekday": 2, "start": "13:00Z", "end": "17:00"}]}},
            "protected_blocks.0.start: Value error, give a wall-clock time",
        ),
    ],
)
def test_invalid_programmes_are_refused_with_a_clear_message(
    client: TestClient, db: Session, fields: dict[str, Any], fragment: str
) -> None:
    admin = make_staff(db, Role.admin)
    response = _create(client, admin.headers, **fields)
    assert response.status_code == 422
    assert fragment in response.text
    assert client.get("/programs", headers=admin.headers).json() == []


def test_protected_blocks_replace_weekday_hours(client: TestClient, db: Session) -> None:
    admin = make_staff(db, Role.admin)
    policy = {"allowed_weekdays": [], "protected_blocks": [{"weekday": 2, "start": "13:00", "end": "17:00"}]}
    response = _create(client, admin.headers, policy=policy)
    assert response.status_code == 201, response.text
    assert response.json()["policy"]["protected_blocks"] == [
        {"weekday": 2, "start": "13:00:00", "end": "17:00:00"}
    ]


def test_admin_updates_policy_and_duplicate_names_conflict(client: TestClient, db: Session) -> None:
    admin = make_staff(db, Role.admin)
    first = make_program(db, name="Surgery")
    second = make_program(db, name="Paediatrics")
    updated = client.patch(
        f"/programs/{first.id}",
        headers=admin.headers,
        json={"policy": {"pgy_levels": [1, 2], "window_days": 28}},
    )
    assert updated.status_code == 200
    assert updated.json()["policy"]["window_days"] == 28
    clash = client.patch(f"/programs/{second.id}", headers=admin.headers, json={"name": "Surgery"})
    assert clash.status_code == 409
    assert client.patch("/programs/999999", headers=admin.headers, json={"name": "X"}).status_code == 404


def test_a_rename_with_a_control_character_is_refused(client: TestClient, db: Session) -> None:
    admin = make_staff(db, Role.admin)
    program = make_program(db, name="Surgery")

    response = client.patch(f"/programs/{program.id}", headers=admin.headers, json={"name": "Surg\u0000ery"})

    assert response.status_code == 422
    assert "name: Value error, the name contains a control character (U+0000" in response.json()["detail"]
    assert client.get(f"/programs/{program.id}", headers=admin.headers).json()["name"] == "Surgery"


def test_coordinators_and_directors_see_only_their_own_programme(client: TestClient, db: Session) -> None:
    mine = make_program(db)
    make_program(db)
    for role in (Role.coordinator, Role.director):
        staff = make_staff(db, role, program=mine)
        listed = client.get("/programs", headers=staff.headers).json()
        assert [p["id"] for p in listed] == [mine.id]
