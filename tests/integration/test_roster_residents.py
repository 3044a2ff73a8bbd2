"""Listing, exporting and correcting a programme's residents."""

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import AuditEvent, Role
from app.programs.models import Program
from app.roster.models import Resident
from tests.factories import Staff, make_program, make_resident, make_staff, make_therapist

SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "roster-export-style.csv"


@pytest.fixture
def program(db: Session) -> Program:
    return make_program(db)


@pytest.fixture
def coordinator(db: Session, program: Program) -> Staff:
    return make_staff(db, Role.coordinator, program=program)


def fresh(db: Session, resident: Resident) -> Resident:
    db.expire_all()
    found = db.get(Resident, resident.id)
    assert found is not None
    return found


def audit_actions(db: Session) -> list[tuple[str, str, int | None]]:
    return [
        (e.action, e.record_kind, e.program_id)
        for e in db.scalars(select(AuditEvent).order_by(AuditEvent.id))
    ]


# --- list -------------------------------------------------------------------------------------------------


def test_the_list_shows_the_programmes_residents_by_name(
    client: TestClient, db: Session, program: Program, coordinator: Staff
) -> None:
    b = make_resident(db, program, first_name="Ada", last_name="Byron")
    a = make_resident(db, program, first_name="Alan", last_name="Apple")
    make_resident(db, make_program(db))  # another programme's

    response = client.get(f"/programs/{program.id}/residents", headers=coordinator.headers)

    assert response.status_code == 200
    body = response.json()
    assert [r["id"] for r in body] == [a.id, b.id]
    assert body[0]["first_name"] == "Alan" and body[0]["active"] is True
    assert set(body[0]) >= {"external_id", "email", "pgy", "start_date", "end_date", "deactivated_at"}
    assert audit_actions(db) == [("list", "resident", program.id)]


def test_the_list_filters_active_and_deactivated_residents(
    client: TestClient, db: Session, program: Program, coordinator: Staff
) -> None:
    active = make_resident(db, program)
    gone = make_resident(db, program, active=False)
    url = f"/programs/{program.id}/residents"

    assert [
        r["id"] for r in client.get(url, params={"active": "true"}, headers=coordinator.headers).json()
    ] == [active.id]
    assert [
        r["id"] for r in client.get(url, params={"active": "false"}, headers=coordinator.headers).json()
    ] == [gone.id]
    assert len(client.get(url, headers=coordinator.headers).json()) == 2


def test_the_list_of_an_unknown_programme_is_a_404(client: TestClient, db: Session) -> None:
    admin = make_staff(db, Role.admin)

    assert client.get("/programs/999999/residents", headers=admin.headers).status_code == 404
    assert client.get("/programs/999999/residents.csv", headers=admin.headers).status_code == 404


@pytest.mark.parametrize("role", [Role.director, Role.therapist])
def test_directors_and_therapists_cannot_see_the_roster(
    client: TestClient, db: Session, program: Program, role: Role
) -> None:
    staff = (
        make_staff(db, role, program=program)
        if role == Role.director
        else make_staff(db, role, therapist=make_therapist(db))
    )
    resident = make_resident(db, program)

    for url in (
        f"/programs/{program.id}/residents",
        f"/programs/{program.id}/residents.csv",
        f"/programs/{program.id}/residents/{resident.id}",
    ):
        assert client.get(url, headers=staff.headers).status_code == 403


# --- export -----------------------------------------------------------------------------------------------


def test_the_export_is_csv_in_the_import_format_with_formulas_neutralised(
    client: TestClient, db: Session, program: Program, coordinator: Staff
) -> None:
    make_resident(
        db,
        program,
        external_id="E1",
        first_name="Mallory",
        last_name='=HYPERLINK("http://x")',
        email="mallory@hospital.example.org",
        pgy=2,
        start_date=date(2026, 7, 1),
        end_date=date(2029, 6, 30),
    )
    make_resident(
        db,
        program,
        external_id="@2",
        first_name="+Eve",
        last_name="-Smith",
        email="eve@hospital.example.org",
        end_date=None,
    )

    response = client.get(f"/programs/{program.id}/residents.csv", headers=coordinator.headers)

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["content-disposition"]
    assert response.headers["cache-control"] == "no-store"
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["External ID", "First Name", "Last Name", "Email", "PGY", "Start Date", "End Date"]
    assert rows[1] == ["'@2", "'+Eve", "'-Smith", "eve@hospital.example.org", "1", "2026-07-01", ""]
    assert rows[2] == [
        "E1",
        "Mallory",
        '\'=HYPERLINK("http://x")',
        "mallory@hospital.example.org",
        "2",
        "2026-07-01",
        "2029-06-30",
    ]
    assert audit_actions(db) == [("export", "resident", program.id)]


def test_no_cell_of_an_export_starts_a_formula(
    client: TestClient, db: Session, program: Program, coordinator: Staff
) -> None:
    for i, text in enumerate(["=cmd|' /C calc'!A0", "+1", "-1", "@SUM(A1)", "\tTab", "\rReturn"]):
        make_resident(db, program, first_name=text, last_name=text, email=f"r{i}@hospital.example.org")

    body = client.get(f"/programs/{program.id}/residents.csv", headers=coordinator.headers).content

    for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))):
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_re_importing_an_export_changes_nothing(
    client: TestClient, db: Session, program: Program, coordinator: Staff
) -> None:
    sample = SAMPLE.read_bytes()
    url = f"/programs/{program.id}/roster"
    assert client.post(
        url, headers={**coordinator.headers, "Content-Type": "text/csv"}, content=sample
    ).is_success

    exported = client.get(f"/programs/{program.id}/residents.csv", headers=coordinator.headers).content
    response = client.post(
        url, headers=coordinator.headers, files={"file": ("export.csv", exported, "text/csv")}
    )

    assert response.status_code == 200
    assert response.json()["counts"] == {"created": 0, "updated": 0, "unchanged": 12, "deactivated": 0}


def test_the_export_lists_active_residents_unless_asked_for_deactivated_ones(
    client: TestClient, db: Session, program: Program, coordinator: Staff
) -> None:
    make_resident(db, program, email="here@hospital.example.org")
    make_resident(db, program, email="gone@hospital.example.org", active=False)
    url = f"/programs/{program.id}/residents.csv"

    assert "here@" in client.get(url, headers=coordinator.headers).text
    assert "gone@" not in client.get(url, headers=coordinator.headers).text
    deactivated = client.get(url, params={"active": "false"}, headers=coordinator.headers).text
    assert "gone@" in deactivated and "here@" not in deactivated


# --- one resident, and corrections -------------------------------------------------------------------------


def test_a_coordinator_views_one_resident(
    client: TestClient, db: Session, program: Program, coordinator: Staff
) -> None:
    resident = make_resident(db, program)

    response = client.get(f"/programs/{program.id}/residents/{resident.id}", headers=coordinator.headers)

    assert response.status_code == 200
    assert response.json()["email"] == resident.email
    assert audit_actions(db) == [("view", "resident", program.id)]


def test_a_resident_of_another_programme_is_not_found(
    client: TestClient, db: Session, program: Program, coordinator: Staff
) -> None:
    elsewhere = make_resident(db, make_program(db))
    url = f"/programs/{program.id}/residents/{elsewhere.id}"

    assert client.get(url, headers=coordinator.headers).status_code == 404
    assert client.patch(url, headers=coordinator.headers, json={"first_name": "X"}).status_code == 404
    assert fresh(db, elsewhere).first_name == elsewhere.first_name
    assert (
        client.get(f"/programs/{program.id}/residents/999999", headers=coordinator.headers).status_code == 404
    )


def test_a_coordinator_corrects_a_resident(
    client: TestClient, db: Session, program: Program, coordinator: Staff
) -> None:
    resident = make_resident(db, program, start_date=date(2026, 7, 1))

    response = client.patch(
        f"/programs/{program.id}/residents/{resident.id}",
        headers=coordinator.headers,
        json={
            "first_name": " Ada ",
            "last_name": "Lovelace",
            "email": " Ada.Lovelace@Hospital.example.org",
            "pgy": 2,
            "start_date": "7/15/2026",
            "end_date": "2029-06-30",
            "external_id": "E77",
        },
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["first_name"], body["last_name"], body["email"]) == (
        "Ada",
        "Lovelace",
        "ada.lovelace@hospital.example.org",
    )
    stored = fresh(db, resident)
    assert (stored.pgy, stored.start_date, stored.end_date, stored.external_id) == (
        2,
        date(2026, 7, 15),
        date(2029, 6, 30),
        "E77",
    )
    assert audit_actions(db) == [("update", "resident", program.id)]


def test_a_correction_can_clear_the_end_date_and_external_id(
    client: TestClient, db: Session, program: Program, coordinator: Staff
) -> None:
    resident = make_resident(db, program, end_date=date(2029, 6, 30))

    response = client.patch(
        f"/programs/{program.id}/residents/{resident.id}",
        headers=coordinator.headers,
        json={"end_date": None, "external_id": None},
    )

    assert response.status_code == 200
    stored = fresh(db, resident)
    assert (stored.end_date, stored.external_id) == (None, None)


def test_an_empty_correction_changes_nothing(
    client: TestClient, db: Session, program: Program, coordinator: Staff
) -> None:
    resident = make_resident(db, program)

    response = client.patch(
        f"/programs/{program.id}/residents/{resident.id}", headers=coordinator.headers, json={}
    )

    assert response.status_code == 200
    assert response.json()["email"] == resident.email


BAD_CORRECTIONS = [
    ({"pgy": 0}, "from 1 to 8"),
    ({"pgy": 12}, "from 1 to 8"),
    ({"email": "not-an-email"}, "e-mail"),
    ({"start_date": "2026-02-30"}, "real date"),
    ({"start_date": "13/45/2026"}, "real date"),
    ({"end_date": "2026-06-30"}, "before the start date"),  # the stored start is 2026-07-01
    ({"start_date": "2026-07-01", "end_date": "2026-06-01"}, "before the start date"),
    ({"first_name": ""}, "required"),
    ({"first_name": None}, "cannot be empty"),
    ({"last_name": "x" * 201}, "200"),
    ({"external_id": "E" * 101}, "100"),
    ({"active": False}, "Extra inputs"),
    ({"start_date": "9999-12-30"}, "9999-12-30 is outside the accepted range"),
    ({"end_date": "12/31/9999"}, "from 1950-01-01 to 2100-12-31"),
    ({"start_date": "1949-12-31"}, "outside the accepted range"),
    ({"end_date": 253_402_214_400_000}, "outside the accepted range"),  # 9999-12-31 in ms since 1970
    ({"first_name": "Ada\u0000"}, "control character (U+0000, character 4)"),
    ({"last_name": "Love\tlace"}, "control character (U+0009"),
    ({"email": "ada\u0000@hospital.example.org"}, "control character"),
    ({"external_id": "E\u007f1"}, "control character (U+007F"),
]


@pytest.mark.parametrize(
    ("change", "fragment"), BAD_CORRECTIONS, ids=[str(c[0])[:40] for c in BAD_CORRECTIONS]
)
def test_a_correction_is_validated_like_an_import(
    client: TestClient,
    db: Session,
    program: Program,
    coordinator: Staff,
    change: dict[str, object],
    fragment: str,
) -> None:
    resident = make_resident(db, program, start_date=date(2026, 7, 1), end_date=None)

    response = client.patch(
        f"/programs/{program.id}/residents/{resident.id}", headers=coordinator.headers, json=change
    )

    assert response.status_code == 422, response.text
    assert fragment in response.text
    stored = fresh(db, resident)
    assert (stored.pgy, stored.email, stored.start_date, stored.end_date) == (
        resident.pgy,
        resident.email,
        resident.start_date,
        resident.end_date,
    )


def test_a_name_with_an_unpaired_surrogate_is_refused_not_a_server_error(
    client: TestClient, db: Session, program: Program, coordinator: Staff
) -> None:
    resident = make_resident(db, program)

    response = client.patch(
        f"/programs/{program.id}/residents/{resident.id}",
        headers={**coordinator.headers, "Content-Type": "application/json"},
        content=b'{"first_name": "Ada\\ud800"}',  # valid JSON; no UTF-8 text can hold the character
    )

    assert response.status_code == 422
    assert "unpaired surrogate" in response.json()["detail"]
    assert fresh(db, resident).first_name == resident.first_name


@pytest.mark.parametrize("field", ["email", "external_id"])
def test_a_correction_cannot_take_another_residents_email_or_id(
    client: TestClient, db: Session, program: Program, coordinator: Staff, field: str
) -> None:
    resident = make_resident(db, program)
    other = make_resident(db, program)

    response = client.patch(
        f"/programs/{program.id}/residents/{resident.id}",
        headers=coordinator.headers,
        json={field: getattr(other, field)},
    )

    assert response.status_code == 409
    assert getattr(fresh(db, resident), field) == getattr(resident, field)


def test_an_email_used_in_another_programme_is_fine(
    client: TestClient, db: Session, program: Program, coordinator: Staff
) -> None:
    resident = make_resident(db, program)
    elsewhere = make_resident(db, make_program(db))

    response = client.patch(
        f"/programs/{program.id}/residents/{resident.id}",
        headers=coordinator.headers,
        json={"email": elsewhere.email},
    )

    assert response.status_code == 200


def test_another_programmes_coordinator_cannot_correct(
    client: TestClient, db: Session, program: Program
) -> None:
    resident = make_resident(db, program)
    other = make_staff(db, Role.coordinator, program=make_program(db))

    response = client.patch(
        f"/programs/{program.id}/residents/{resident.id}", headers=other.headers, json={"first_name": "X"}
    )

    assert response.status_code == 403
    assert fresh(db, resident).first_name == resident.first_name
