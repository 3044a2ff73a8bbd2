"""Therapists over HTTP: administrators register and configure them; a therapist keeps their own
availability and time off, and nothing else."""

import logging
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.auth.models import Role
from app.logging import JsonFormatter
from app.therapists.models import Therapist
from tests.factories import Staff, make_program, make_staff, make_therapist, make_time_off


@pytest.fixture
def admin(db: Session) -> Staff:
    return make_staff(db, Role.admin)


def _body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Dana Whitfield",
        "email": "dana.whitfield@clinic.example.org",
        "kind": "volunteer",
        "time_zone": "America/Chicago",
        "licensed_states": ["MI"],
        "max_per_day": 3,
        "max_per_week": 10,
        "video_link": "https://video.example.org/dana",
    }
    body.update(overrides)
    return body


def _fields(response: Any) -> list[str]:
    return [e["field"] for e in response.json()["errors"]]


def _therapist_staff(db: Session, therapist: Therapist | None = None) -> tuple[Therapist, Staff]:
    therapist = therapist or make_therapist(db)
    return therapist, make_staff(db, Role.therapist, therapist=therapist)


# --- registering and reading ---------------------------------------------------------------------------


def test_admin_registers_a_therapist_and_reads_it_back(client: TestClient, admin: Staff) -> None:
    created = client.post(
        "/therapists",
        headers=admin.headers,
        json=_body(email="  Dana.Whitfield@Clinic.Example.org ", licensed_states=[" oh", "mi", "MI"]),
    )
    assert created.status_code == 201, created.text
    therapist = created.json()
    assert therapist["email"] == "dana.whitfield@clinic.example.org"
    assert therapist["licensed_states"] == ["MI", "OH"]
    assert therapist["kind"] == "volunteer"
    assert therapist["time_zone"] == "America/Chicago"
    assert (therapist["max_per_day"], therapist["max_per_week"]) == (3, 10)
    assert therapist["video_link"] == "https://video.example.org/dana"
    assert therapist["active"] is True
    assert therapist["availability"] == therapist["time_off"] == therapist["excluded_program_ids"] == []

    fetched = client.get(f"/therapists/{therapist['id']}", headers=admin.headers)
    assert fetched.status_code == 200
    assert fetched.json() == therapist
    listed = client.get("/therapists", headers=admin.headers).json()
    assert [t["id"] for t in listed] == [therapist["id"]]


def test_defaults_apply_when_capacity_and_states_are_left_out(client: TestClient, admin: Staff) -> None:
    body = _body()
    for field in ("licensed_states", "max_per_day", "max_per_week", "video_link"):
        del body[field]
    response = client.post("/therapists", headers=admin.headers, json=body)
    assert response.status_code == 201, response.text
    therapist = response.json()
    assert therapist["licensed_states"] == []
    assert (therapist["max_per_day"], therapist["max_per_week"]) == (4, 12)
    assert therapist["video_link"] is None


def test_the_list_can_be_filtered_by_active(client: TestClient, db: Session, admin: Staff) -> None:
    current = make_therapist(db)
    removed = make_therapist(db, active=False)
    everyone = client.get("/therapists", headers=admin.headers).json()
    assert [t["id"] for t in everyone] == [current.id, removed.id]
    active = client.get("/therapists?active=true", headers=admin.headers).json()
    assert [t["id"] for t in active] == [current.id]
    inactive = client.get("/therapists?active=false", headers=admin.headers).json()
    assert [t["id"] for t in inactive] == [removed.id]
    # The list shows what a single record shows, availability included.
    assert everyone[0]["availability"] == [{"weekday": 1, "start": "09:00", "end": "12:00"}]


def test_a_duplicate_email_is_a_conflict_whatever_its_case(client: TestClient, admin: Staff) -> None:
    assert client.post("/therapists", headers=admin.headers, json=_body()).status_code == 201
    again = client.post(
        "/therapists", headers=admin.headers, json=_body(email="DANA.WHITFIELD@clinic.example.org")
    )
    assert again.status_code == 409
    assert "dana" not in again.text.lower()
    assert len(client.get("/therapists", headers=admin.headers).json()) == 1


def test_changing_email_to_one_in_use_is_a_conflict(client: TestClient, db: Session, admin: Staff) -> None:
    first = make_therapist(db)
    second = make_therapist(db)
    response = client.patch(
        f"/therapists/{second.id}", headers=admin.headers, json={"email": first.email.upper()}
    )
    assert response.status_code == 409
    assert client.get(f"/therapists/{second.id}", headers=admin.headers).json()["email"] == second.email
    # Re-sending one's own address is not a conflict.
    same = client.patch(f"/therapists/{second.id}", headers=admin.headers, json={"email": second.email})
    assert same.status_code == 200


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        ({"time_zone": "EST5EDT-ish"}, "time_zone"),
        ({"licensed_states": ["MI", "XX"]}, "licensed_states"),
        ({"licensed_states": ["Michigan"]}, "licensed_states"),
        ({"licensed_states": "MI"}, "licensed_states"),
        ({"max_per_day": 0}, "max_per_day"),
        ({"max_per_day": -2}, "max_per_day"),
        ({"max_per_week": 0}, "max_per_week"),
        ({"max_per_day": 5, "max_per_week": 4}, "max_per_week"),
        ({"max_per_day": 1000}, "max_per_day"),
        ({"kind": "contractor"}, "kind"),
        ({"email": "not-an-address"}, "email"),
        ({"name": "   "}, "name"),
        ({"name": "Dana\u0000Whitfield"}, "name"),  # PostgreSQL refuses NUL: a clear 422 here
        ({"name": "Dana\nWhitfield"}, "name"),
        ({"video_link": "ftp://video.example.org/x"}, "video_link"),
        ({"video_link": "not a link"}, "video_link"),
        ({"nickname": "D"}, "nickname"),
    ],
)
def test_invalid_therapists_are_refused_with_the_field_named(
    client: TestClient, admin: Staff, overrides: dict[str, Any], field: str
) -> None:
    response = client.post("/therapists", headers=admin.headers, json=_body(**overrides))
    assert response.status_code == 422, response.text
    assert field in _fields(response)
    assert all(e["message"] for e in response.json()["errors"])
    assert client.get("/therapists", headers=admin.headers).json() == []


def test_required_fields_are_named_when_missing(client: TestClient, admin: Staff) -> None:
    response = client.post("/therapists", headers=admin.headers, json={})
    assert response.status_code == 422
    assert {"name", "email", "kind", "time_zone"} <= set(_fields(response))


def test_capacity_message_says_what_to_do(client: TestClient, admin: Staff) -> None:
    response = client.post("/therapists", headers=admin.headers, json=_body(max_per_day=5, max_per_week=4))
    assert "max_per_week (4) must be at least max_per_day (5)" in response.json()["detail"]


def test_a_max_per_day_above_the_default_max_per_week_is_refused(client: TestClient, admin: Staff) -> None:
    body = _body(max_per_day=42)
    del body["max_per_week"]  # the default, 12, is less than 42

    response = client.post("/therapists", headers=admin.headers, json=body)

    assert response.status_code == 422, response.text
    assert _fields(response) == ["max_per_week"]
    assert "max_per_week (12) must be at least max_per_day (42)" in response.json()["detail"]
    assert client.get("/therapists", headers=admin.headers).json() == []


def test_an_invalid_email_is_not_echoed(client: TestClient, admin: Staff) -> None:
    response = client.post("/therapists", headers=admin.headers, json=_body(email="dana.whitfield@"))
    assert response.status_code == 422
    assert "dana.whitfield" not in response.text


def test_malformed_json_is_a_422_not_a_500(client: TestClient, db: Session, admin: Staff) -> None:
    therapist = make_therapist(db)
    headers = {**admin.headers, "Content-Type": "application/json"}
    for method, url in [
        ("POST", "/therapists"),
        ("PATCH", f"/therapists/{therapist.id}"),
        ("PUT", f"/therapists/{therapist.id}/availability"),
        ("POST", f"/therapists/{therapist.id}/time-off"),
        ("PUT", f"/therapists/{therapist.id}/exclusions"),
    ]:
        response = client.request(method, url, headers=headers, content=b'{"windows": [')
        assert response.status_code == 422, f"{method} {url}: {response.status_code}"
        assert "JSON" in response.json()["detail"]


def test_unknown_therapists_are_404(client: TestClient, admin: Staff) -> None:
    missing = 987654
    requests: list[tuple[str, str, dict[str, Any] | None]] = [
        ("GET", f"/therapists/{missing}", None),
        ("PATCH", f"/therapists/{missing}", {"name": "X"}),
        ("PUT", f"/therapists/{missing}/availability", {"windows": []}),
        (
            "POST",
            f"/therapists/{missing}/time-off",
            {"starts_at": "2027-01-01T00:00:00Z", "ends_at": "2027-01-02T00:00:00Z"},
        ),
        ("DELETE", f"/therapists/{missing}/time-off/1", None),
        ("PUT", f"/therapists/{missing}/exclusions", {"program_ids": []}),
    ]
    for method, url, body in requests:
        response = client.request(method, url, headers=admin.headers, json=body)
        assert response.status_code == 404, f"{method} {url}: {response.status_code}"
        assert "therapist" in response.json()["detail"]


def test_non_numeric_ids_are_422(client: TestClient, admin: Staff) -> None:
    assert client.get("/therapists/abc", headers=admin.headers).status_code == 422
    assert client.delete("/therapists/1/time-off/abc", headers=admin.headers).status_code == 422
    assert client.get("/therapists/99999999999999999999", headers=admin.headers).status_code == 422
    assert client.patch("/therapists/0", headers=admin.headers, json={}).status_code == 422


# --- changing a therapist -----------------------------------------------------------------------------


def test_admin_changes_every_field(client: TestClient, db: Session, admin: Staff) -> None:
    therapist = make_therapist(db)
    change = {
        "name": "Renamed Person",
        "email": "renamed@clinic.example.org",
        "kind": "employed",
        "time_zone": "Europe/Berlin",
        "licensed_states": ["ny", "CA"],
        "max_per_day": 6,
        "max_per_week": 20,
        "video_link": "https://video.example.org/renamed",
        "active": False,
    }
    response = client.patch(f"/therapists/{therapist.id}", headers=admin.headers, json=change)
    assert response.status_code == 200, response.text
    expected = {**change, "licensed_states": ["CA", "NY"]}
    fetched = client.get(f"/therapists/{therapist.id}", headers=admin.headers).json()
    assert {k: fetched[k] for k in change} == expected
    # Fields left out keep their values; the availability is untouched.
    assert fetched["availability"] == [{"weekday": 1, "start": "09:00", "end": "12:00"}]


def test_a_partial_change_keeps_the_other_fields(client: TestClient, db: Session, admin: Staff) -> None:
    therapist = make_therapist(db, video_link="https://video.example.org/keep")
    before = client.get(f"/therapists/{therapist.id}", headers=admin.headers).json()
    response = client.patch(f"/therapists/{therapist.id}", headers=admin.headers, json={"max_per_week": 30})
    after = response.json()
    assert after["max_per_week"] == 30
    assert {k: v for k, v in after.items() if k not in ("max_per_week", "updated_at")} == {
        k: v for k, v in before.items() if k not in ("max_per_week", "updated_at")
    }


def test_null_removes_the_video_link_but_not_a_required_field(
    client: TestClient, db: Session, admin: Staff
) -> None:
    therapist = make_therapist(db, video_link="https://video.example.org/old")
    cleared = client.patch(f"/therapists/{therapist.id}", headers=admin.headers, json={"video_link": None})
    assert cleared.status_code == 200
    assert cleared.json()["video_link"] is None
    for field in ("name", "email", "time_zone", "max_per_day", "licensed_states", "active"):
        response = client.patch(f"/therapists/{therapist.id}", headers=admin.headers, json={field: None})
        assert response.status_code == 422, field
        assert _fields(response) == [field]


def test_a_capacity_change_is_checked_against_the_stored_capacity(
    client: TestClient, db: Session, admin: Staff
) -> None:
    therapist = make_therapist(db, max_per_day=4, max_per_week=12)
    too_many = client.patch(f"/therapists/{therapist.id}", headers=admin.headers, json={"max_per_day": 13})
    assert too_many.status_code == 422
    assert _fields(too_many) == ["max_per_day"]
    too_few = client.patch(f"/therapists/{therapist.id}", headers=admin.headers, json={"max_per_week": 3})
    assert too_few.status_code == 422
    assert _fields(too_few) == ["max_per_week"]
    unchanged = client.get(f"/therapists/{therapist.id}", headers=admin.headers).json()
    assert (unchanged["max_per_day"], unchanged["max_per_week"]) == (4, 12)
    both = client.patch(
        f"/therapists/{therapist.id}", headers=admin.headers, json={"max_per_day": 13, "max_per_week": 40}
    )
    assert both.status_code == 200
    assert (both.json()["max_per_day"], both.json()["max_per_week"]) == (13, 40)


@pytest.mark.parametrize(
    "change",
    [
        {"time_zone": "Nowhere/Town"},
        {"licensed_states": ["ZZ"]},
        {"max_per_day": 0},
        {"kind": "intern"},
        {"name": "Valid", "unknown": 1},
        {"name": "Valid", "active": "perhaps"},
        {"name": "Dana\u0000Whitfield"},
    ],
)
def test_an_invalid_change_changes_nothing(
    client: TestClient, db: Session, admin: Staff, change: dict[str, Any]
) -> None:
    therapist = make_therapist(db)
    before = client.get(f"/therapists/{therapist.id}", headers=admin.headers).json()
    response = client.patch(f"/therapists/{therapist.id}", headers=admin.headers, json=change)
    assert response.status_code == 422
    assert client.get(f"/therapists/{therapist.id}", headers=admin.headers).json() == before


def test_deactivating_keeps_the_record_and_can_be_undone(
    client: TestClient, db: Session, admin: Staff
) -> None:
    therapist = make_therapist(db)
    off = client.patch(f"/therapists/{therapist.id}", headers=admin.headers, json={"active": False})
    assert off.json()["active"] is False
    assert client.get("/therapists?active=true", headers=admin.headers).json() == []
    on = client.patch(f"/therapists/{therapist.id}", headers=admin.headers, json={"active": True})
    assert on.json()["active"] is True


# --- weekly availability ------------------------------------------------------------------------------


def test_availability_round_trip_in_the_therapists_wall_time(
    client: TestClient, db: Session, admin: Staff
) -> None:
    therapist = make_therapist(db, time_zone="America/Los_Angeles")
    windows = [
        {"weekday": 3, "start": "13:00", "end": "17:30"},
        {"weekday": 0, "start": "12:00", "end": "13:00"},
        {"weekday": 0, "start": "08:00", "end": "12:00"},  # touching the next window is fine
        {"weekday": 6, "start": "00:00", "end": "23:59"},
    ]
    response = client.put(
        f"/therapists/{therapist.id}/availability", headers=admin.headers, json={"windows": windows}
    )
    assert response.status_code == 200, response.text
    expected = sorted(windows, key=lambda w: (w["weekday"], w["start"]))
    assert response.json()["availability"] == expected
    assert response.json()["time_zone"] == "America/Los_Angeles"
    fetched = client.get(f"/therapists/{therapist.id}", headers=admin.headers).json()
    assert fetched["availability"] == expected


def test_availability_is_replaced_not_added_to(client: TestClient, db: Session, admin: Staff) -> None:
    therapist = make_therapist(db)
    url = f"/therapists/{therapist.id}/availability"
    client.put(
        url, headers=admin.headers, json={"windows": [{"weekday": 4, "start": "10:00", "end": "11:00"}]}
    )
    fetched = client.get(f"/therapists/{therapist.id}", headers=admin.headers).json()
    assert fetched["availability"] == [{"weekday": 4, "start": "10:00", "end": "11:00"}]
    cleared = client.put(url, headers=admin.headers, json={"windows": []})
    assert cleared.status_code == 200
    assert client.get(f"/therapists/{therapist.id}", headers=admin.headers).json()["availability"] == []


def test_changing_the_zone_keeps_the_wall_times(client: TestClient, db: Session, admin: Staff) -> None:
    therapist = make_therapist(db, time_zone="America/Detroit")
    response = client.patch(
        f"/therapists/{therapist.id}", headers=admin.headers, json={"time_zone": "Pacific/Honolulu"}
    )
    assert response.json()["availability"] == [{"weekday": 1, "start": "09:00", "end": "12:00"}]
    assert response.json()["time_zone"] == "Pacific/Honolulu"


@pytest.mark.parametrize(
    ("windows", "field", "words"),
    [
        (
            [
                {"weekday": 2, "start": "09:00", "end": "12:00"},
                {"weekday": 2, "start": "11:30", "end": "14:00"},
            ],
            "windows",
            "Wednesday 09:00–12:00 and 11:30–14:00",
        ),
        (
            [
                {"weekday": 2, "start": "09:00", "end": "17:00"},
                {"weekday": 2, "start": "10:00", "end": "11:00"},
            ],
            "windows",
            "overlap",
        ),
        (
            [
                {"weekday": 5, "start": "09:00", "end": "10:00"},
                {"weekday": 5, "start": "09:00", "end": "10:00"},
            ],
            "windows",
            "Saturday",
        ),
        ([{"weekday": 1, "start": "17:00", "end": "09:00"}], "windows.0", "before its end"),
        ([{"weekday": 1, "start": "09:00", "end": "09:00"}], "windows.0", "before its end"),
        ([{"weekday": 7, "start": "09:00", "end": "10:00"}], "windows.0.weekday", ""),
        ([{"weekday": -1, "start": "09:00", "end": "10:00"}], "windows.0.weekday", ""),
        ([{"weekday": 1, "start": "9am", "end": "10:00"}], "windows.0.start", "HH:MM"),
        ([{"weekday": 1, "start": "09:00", "end": "24:00"}], "windows.0.end", "HH:MM"),
        ([{"weekday": 1, "start": "09:00:30", "end": "10:00"}], "windows.0.start", "HH:MM"),
        ([{"weekday": 1, "start": 900, "end": "10:00"}], "windows.0.start", "HH:MM"),
        ([{"weekday": 1, "start": "09:00"}], "windows.0.end", ""),
        ([{"weekday": 1, "start": "09:00", "end": "10:00", "room": "A"}], "windows.0.room", ""),
    ],
)
def test_invalid_availability_is_refused_and_the_old_one_kept(
    client: TestClient, db: Session, admin: Staff, windows: list[dict[str, Any]], field: str, words: str
) -> None:
    therapist = make_therapist(db)
    response = client.put(
        f"/therapists/{therapist.id}/availability", headers=admin.headers, json={"windows": windows}
    )
    assert response.status_code == 422, response.text
    assert field in _fields(response)
    assert words in response.json()["detail"]
    kept = client.get(f"/therapists/{therapist.id}", headers=admin.headers).json()["availability"]
    assert kept == [{"weekday": 1, "start": "09:00", "end": "12:00"}]


def test_availability_must_be_an_object_with_windows(client: TestClient, db: Session, admin: Staff) -> None:
    therapist = make_therapist(db)
    url = f"/therapists/{therapist.id}/availability"
    assert client.put(url, headers=admin.headers, json=[]).status_code == 422
    assert client.put(url, headers=admin.headers, json={}).status_code == 422
    assert client.put(url, headers=admin.headers, json={"windows": [], "extra": 1}).status_code == 422


# --- time off -----------------------------------------------------------------------------------------


def test_time_off_is_stored_as_utc_instants(client: TestClient, db: Session, admin: Staff) -> None:
    therapist = make_therapist(db)
    response = client.post(
        f"/therapists/{therapist.id}/time-off",
        headers=admin.headers,
        json={"starts_at": "2026-12-24T00:00:00-05:00", "ends_at": "2027-01-02T00:00:00-05:00"},
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["starts_at"] == "2026-12-24T05:00:00Z"
    assert created["ends_at"] == "2027-01-02T05:00:00Z"
    fetched = client.get(f"/therapists/{therapist.id}", headers=admin.headers).json()
    assert fetched["time_off"] == [created]


def test_time_off_is_listed_in_time_order(client: TestClient, db: Session, admin: Staff) -> None:
    therapist = make_therapist(db)
    url = f"/therapists/{therapist.id}/time-off"
    later = client.post(
        url, headers=admin.headers, json={"starts_at": "2027-03-01T00:00Z", "ends_at": "2027-03-02T00:00Z"}
    )
    sooner = client.post(
        url, headers=admin.headers, json={"starts_at": "2027-02-01T00:00Z", "ends_at": "2027-02-02T00:00Z"}
    )
    fetched = client.get(f"/therapists/{therapist.id}", headers=admin.headers).json()
    assert [t["id"] for t in fetched["time_off"]] == [sooner.json()["id"], later.json()["id"]]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"starts_at": "2027-01-01T09:00:00", "ends_at": "2027-01-02T09:00:00Z"}, "starts_at"),
        ({"starts_at": "2027-01-01T09:00:00Z", "ends_at": "2027-01-02T09:00:00"}, "ends_at"),
        ({"starts_at": "2027-01-02T00:00:00Z", "ends_at": "2027-01-01T00:00:00Z"}, "ends_at"),
        ({"starts_at": "2027-01-01T00:00:00Z", "ends_at": "2027-01-01T00:00:00Z"}, "ends_at"),
        # The same instant written in two offsets is still an empty period.
        ({"starts_at": "2027-01-01T05:00:00Z", "ends_at": "2027-01-01T00:00:00-05:00"}, "ends_at"),
        ({"starts_at": "2027-02-30T00:00:00Z", "ends_at": "2027-03-02T00:00:00Z"}, "starts_at"),
        ({"starts_at": "next monday", "ends_at": "2027-03-02T00:00:00Z"}, "starts_at"),
        ({"starts_at": "2027-01-01T00:00:00Z"}, "ends_at"),
        ({"starts_at": "2027-01-01T00:00Z", "ends_at": "2027-01-02T00:00Z", "reason": "x"}, "reason"),
        ({"start_date": "2027-01-01", "end_date": "2027-01-02"}, "start_date"),
    ],
)
def test_invalid_time_off_is_refused(
    client: TestClient, db: Session, admin: Staff, body: dict[str, Any], field: str
) -> None:
    therapist = make_therapist(db)
    response = client.post(f"/therapists/{therapist.id}/time-off", headers=admin.headers, json=body)
    assert response.status_code == 422, response.text
    assert field in _fields(response)
    assert client.get(f"/therapists/{therapist.id}", headers=admin.headers).json()["time_off"] == []


def test_naive_datetimes_are_refused_with_a_clear_reason(
    client: TestClient, db: Session, admin: Staff
) -> None:
    therapist = make_therapist(db)
    response = client.post(
        f"/therapists/{therapist.id}/time-off",
        headers=admin.headers,
        json={"starts_at": "2027-01-01T09:00:00", "ends_at": "2027-01-01T17:00:00"},
    )
    assert response.status_code == 422
    assert "timezone" in response.json()["detail"]


@pytest.mark.parametrize(
    ("starts_at", "ends_at", "field"),
    [
        ("2027-01-10T12:00:00Z", "2027-01-12T00:00:00Z", "starts_at"),  # starts inside
        ("2027-01-09T00:00:00Z", "2027-01-10T00:00:01Z", "ends_at"),  # ends inside
        ("2027-01-09T00:00:00Z", "2027-01-20T00:00:00Z", "ends_at"),  # encloses
        ("2027-01-10T06:00:00Z", "2027-01-10T07:00:00Z", "starts_at"),  # inside
        ("2027-01-10T00:00:00Z", "2027-01-11T00:00:00Z", "starts_at"),  # the same period again
        ("2027-01-10T08:00:00+05:00", "2027-01-12T00:00:00+05:00", "starts_at"),  # other offset
    ],
)
def test_time_off_may_not_overlap_other_time_off(
    client: TestClient, db: Session, admin: Staff, starts_at: str, ends_at: str, field: str
) -> None:
    therapist = make_therapist(db)
    url = f"/therapists/{therapist.id}/time-off"
    existing = {"starts_at": "2027-01-10T00:00:00Z", "ends_at": "2027-01-11T00:00:00Z"}
    assert client.post(url, headers=admin.headers, json=existing).status_code == 201
    response = client.post(url, headers=admin.headers, json={"starts_at": starts_at, "ends_at": ends_at})
    assert response.status_code == 422, response.text
    assert _fields(response) == [field]
    assert "2027-01-10T00:00Z to 2027-01-11T00:00Z" in response.json()["detail"]
    assert len(client.get(f"/therapists/{therapist.id}", headers=admin.headers).json()["time_off"]) == 1


def test_time_off_may_touch_other_time_off(client: TestClient, db: Session, admin: Staff) -> None:
    therapist = make_therapist(db)
    url = f"/therapists/{therapist.id}/time-off"
    first = {"starts_at": "2027-01-10T00:00:00Z", "ends_at": "2027-01-11T00:00:00Z"}
    before = {"starts_at": "2027-01-09T00:00:00Z", "ends_at": "2027-01-10T00:00:00Z"}
    after = {"starts_at": "2027-01-10T19:00:00-05:00", "ends_at": "2027-01-12T00:00:00Z"}
    for body in (first, before, after):
        assert client.post(url, headers=admin.headers, json=body).status_code == 201
    # Another therapist's time off never clashes with this one's.
    other = make_therapist(db)
    assert (
        client.post(f"/therapists/{other.id}/time-off", headers=admin.headers, json=first).status_code == 201
    )


def test_time_off_is_deleted_once(client: TestClient, db: Session, admin: Staff) -> None:
    therapist = make_therapist(db)
    keep = make_time_off(db, therapist, days_from_now=10)
    drop = make_time_off(db, therapist, days_from_now=40)
    url = f"/therapists/{therapist.id}/time-off/{drop.id}"
    deleted = client.delete(url, headers=admin.headers)
    assert deleted.status_code == 204
    assert deleted.content == b""
    remaining = client.get(f"/therapists/{therapist.id}", headers=admin.headers).json()["time_off"]
    assert [t["id"] for t in remaining] == [keep.id]
    again = client.delete(url, headers=admin.headers)
    assert again.status_code == 404
    assert "time off" in again.json()["detail"]


def test_another_therapists_time_off_cannot_be_deleted_through_ones_own_path(
    client: TestClient, db: Session
) -> None:
    mine, me = _therapist_staff(db)
    theirs = make_therapist(db)
    their_time_off = make_time_off(db, theirs)
    response = client.delete(f"/therapists/{mine.id}/time-off/{their_time_off.id}", headers=me.headers)
    assert response.status_code == 404
    admin = make_staff(db, Role.admin)
    assert len(client.get(f"/therapists/{theirs.id}", headers=admin.headers).json()["time_off"]) == 1


# --- exclusions (conflict of interest) ----------------------------------------------------------------


def test_exclusions_round_trip_and_replace(client: TestClient, db: Session, admin: Staff) -> None:
    therapist = make_therapist(db)
    a, b, c = make_program(db), make_program(db), make_program(db)
    url = f"/therapists/{therapist.id}/exclusions"
    first = client.put(url, headers=admin.headers, json={"program_ids": [c.id, a.id, c.id]})
    assert first.status_code == 200, first.text
    assert first.json()["excluded_program_ids"] == sorted([a.id, c.id])
    second = client.put(url, headers=admin.headers, json={"program_ids": [b.id, c.id]})
    assert second.json()["excluded_program_ids"] == sorted([b.id, c.id])
    fetched = client.get(f"/therapists/{therapist.id}", headers=admin.headers).json()
    assert fetched["excluded_program_ids"] == sorted([b.id, c.id])
    cleared = client.put(url, headers=admin.headers, json={"program_ids": []})
    assert cleared.json()["excluded_program_ids"] == []


def test_unknown_programmes_are_named_and_nothing_changes(
    client: TestClient, db: Session, admin: Staff
) -> None:
    therapist = make_therapist(db)
    program = make_program(db)
    url = f"/therapists/{therapist.id}/exclusions"
    client.put(url, headers=admin.headers, json={"program_ids": [program.id]})
    response = client.put(url, headers=admin.headers, json={"program_ids": [program.id, 999_001, 999_002]})
    assert response.status_code == 422
    assert _fields(response) == ["program_ids"]
    assert "999001, 999002" in response.json()["detail"]
    fetched = client.get(f"/therapists/{therapist.id}", headers=admin.headers).json()
    assert fetched["excluded_program_ids"] == [program.id]


@pytest.mark.parametrize(
    "body", [{"program_ids": ["first"]}, {"program_ids": 3}, {}, {"program_ids": [], "x": 1}]
)
def test_malformed_exclusions_are_422(
    client: TestClient, db: Session, admin: Staff, body: dict[str, Any]
) -> None:
    therapist = make_therapist(db)
    response = client.put(f"/therapists/{therapist.id}/exclusions", headers=admin.headers, json=body)
    assert response.status_code == 422


# --- what a therapist may do for themselves -----------------------------------------------------------


def test_a_therapist_reads_their_own_record_only(client: TestClient, db: Session) -> None:
    mine, me = _therapist_staff(db)
    theirs = make_therapist(db)
    own = client.get(f"/therapists/{mine.id}", headers=me.headers)
    assert own.status_code == 200
    assert own.json()["email"] == mine.email
    assert client.get(f"/therapists/{theirs.id}", headers=me.headers).status_code == 403
    assert client.get("/therapists", headers=me.headers).status_code == 403


def test_a_therapist_keeps_their_own_availability_and_time_off(client: TestClient, db: Session) -> None:
    mine, me = _therapist_staff(db)
    windows = [{"weekday": 2, "start": "07:30", "end": "09:00"}]
    put = client.put(f"/therapists/{mine.id}/availability", headers=me.headers, json={"windows": windows})
    assert put.status_code == 200
    assert put.json()["availability"] == windows
    added = client.post(
        f"/therapists/{mine.id}/time-off",
        headers=me.headers,
        json={"starts_at": "2027-07-01T00:00:00-04:00", "ends_at": "2027-07-08T00:00:00-04:00"},
    )
    assert added.status_code == 201
    deleted = client.delete(f"/therapists/{mine.id}/time-off/{added.json()['id']}", headers=me.headers)
    assert deleted.status_code == 204


def test_a_therapist_cannot_touch_another_therapist(client: TestClient, db: Session) -> None:
    _, me = _therapist_staff(db)
    theirs = make_therapist(db)
    their_time_off = make_time_off(db, theirs)
    base = f"/therapists/{theirs.id}"
    attempts = [
        client.put(f"{base}/availability", headers=me.headers, json={"windows": []}),
        client.post(
            f"{base}/time-off",
            headers=me.headers,
            json={"starts_at": "2027-01-01T00:00Z", "ends_at": "2027-01-02T00:00Z"},
        ),
        client.delete(f"{base}/time-off/{their_time_off.id}", headers=me.headers),
        client.patch(base, headers=me.headers, json={"name": "Taken Over"}),
    ]
    assert [r.status_code for r in attempts] == [403, 403, 403, 403]
    admin = make_staff(db, Role.admin)
    after = client.get(base, headers=admin.headers).json()
    assert after["availability"] == [{"weekday": 1, "start": "09:00", "end": "12:00"}]
    assert [t["id"] for t in after["time_off"]] == [their_time_off.id]
    assert after["name"] == theirs.name


def test_a_therapist_cannot_change_their_own_capacity_details_or_exclusions(
    client: TestClient, db: Session
) -> None:
    mine, me = _therapist_staff(db)
    program = make_program(db)
    for change in ({"max_per_day": 8, "max_per_week": 40}, {"licensed_states": ["CA"]}, {"active": False}):
        assert client.patch(f"/therapists/{mine.id}", headers=me.headers, json=change).status_code == 403
    excluded = client.put(
        f"/therapists/{mine.id}/exclusions", headers=me.headers, json={"program_ids": [program.id]}
    )
    assert excluded.status_code == 403
    own = client.get(f"/therapists/{mine.id}", headers=me.headers).json()
    assert (own["max_per_day"], own["max_per_week"]) == (mine.max_per_day, mine.max_per_week)
    assert own["licensed_states"] == ["MI"]
    assert own["active"] is True
    assert own["excluded_program_ids"] == []


@pytest.mark.parametrize("role", [Role.coordinator, Role.director])
def test_programme_staff_see_no_therapist(client: TestClient, db: Session, role: Role) -> None:
    program = make_program(db)
    therapist = make_therapist(db)
    staff = make_staff(db, role, program=program)
    assert client.get("/therapists", headers=staff.headers).status_code == 403
    assert client.get(f"/therapists/{therapist.id}", headers=staff.headers).status_code == 403


# --- the whole record, and what is logged about it ----------------------------------------------------


def test_the_record_shows_everything_that_was_set(client: TestClient, db: Session, admin: Staff) -> None:
    program = make_program(db)
    therapist = client.post(
        "/therapists", headers=admin.headers, json=_body(licensed_states=["mi", "oh"])
    ).json()
    base = f"/therapists/{therapist['id']}"
    windows = [
        {"weekday": 0, "start": "09:00", "end": "12:00"},
        {"weekday": 3, "start": "14:00", "end": "18:00"},
    ]
    client.put(f"{base}/availability", headers=admin.headers, json={"windows": windows})
    period = client.post(
        f"{base}/time-off",
        headers=admin.headers,
        json={"starts_at": "2027-08-02T00:00:00-05:00", "ends_at": "2027-08-09T00:00:00-05:00"},
    ).json()
    client.put(f"{base}/exclusions", headers=admin.headers, json={"program_ids": [program.id]})
    client.patch(base, headers=admin.headers, json={"max_per_day": 2, "max_per_week": 6})

    record = client.get(base, headers=admin.headers).json()
    assert record["availability"] == windows
    assert record["time_off"] == [
        {"id": period["id"], "starts_at": "2027-08-02T05:00:00Z", "ends_at": "2027-08-09T05:00:00Z"}
    ]
    assert record["excluded_program_ids"] == [program.id]
    assert (record["max_per_day"], record["max_per_week"]) == (2, 6)
    assert record["licensed_states"] == ["MI", "OH"]
    assert client.get("/therapists", headers=admin.headers).json() == [record]


def test_no_name_or_email_is_logged(
    client: TestClient, admin: Staff, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    name, email = "Philippa Odegaard-Nkemelu", "philippa.odegaard@clinic.example.org"
    created = client.post("/therapists", headers=admin.headers, json=_body(name=name, email=email))
    client.post("/therapists", headers=admin.headers, json=_body(name=name, email=email))  # 409
    client.post(
        "/therapists", headers=admin.headers, json=_body(name=name, email="philippa.odegaard@")
    )  # 422
    client.patch(f"/therapists/{created.json()['id']}", headers=admin.headers, json={"name": name + " II"})
    client.get(f"/therapists/{created.json()['id']}", headers=admin.headers)
    logged = "\n".join(JsonFormatter().format(record) for record in caplog.records)
    assert '"tend.request"' in logged
    for secret in ("Philippa", "Odegaard", "philippa", "odegaard"):
        assert secret not in logged
