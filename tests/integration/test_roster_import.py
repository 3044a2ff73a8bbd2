"""Importing a roster over HTTP: what a coordinator uploads, what they get back, and what is stored."""

import json
import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.auth.models import AuditEvent, Role
from app.config import Settings
from app.main import create_app
from app.programs.models import Program
from app.roster.models import Resident
from tests.factories import Staff, make_program, make_resident, make_staff

SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "roster-export-style.csv"
HEADER = "External ID,First Name,Last Name,Email,PGY,Start Date,End Date"


@dataclass
class Roster:
    program: Program
    coordinator: Staff

    @property
    def url(self) -> str:
        return f"/programs/{self.program.id}/roster"


@pytest.fixture
def roster(db: Session) -> Roster:
    program = make_program(db)
    return Roster(program=program, coordinator=make_staff(db, Role.coordinator, program=program))


def upload(
    client: TestClient,
    roster: Roster,
    content: bytes | str,
    *,
    as_file: bool = False,
    headers: dict[str, str] | None = None,
    **params: Any,
) -> Response:
    data = content.encode() if isinstance(content, str) else content
    query = {k: str(v).lower() for k, v in params.items()}
    if as_file:
        return client.post(
            roster.url,
            headers=roster.coordinator.headers,
            params=query,
            files={"file": ("roster.csv", data, "text/csv")},
        )
    return client.post(
        roster.url,
        headers={**roster.coordinator.headers, "Content-Type": "text/csv", **(headers or {})},
        params=query,
        content=data,
    )


def csv_text(*rows: str, header: str = HEADER, newline: str = "\n") -> str:
    return newline.join([header, *rows]) + newline


def stored(db: Session, program: Program) -> list[Resident]:
    db.expire_all()
    return list(
        db.scalars(select(Resident).where(Resident.program_id == program.id).order_by(Resident.email))
    )


def by_email(db: Session, program: Program) -> dict[str, Resident]:
    return {r.email: r for r in stored(db, program)}


ROW_A = "E1,Ada,Lovelace,ada@hospital.example.org,1,2026-07-01,2029-06-30"
ROW_B = "E2,Grace,Hopper,grace@hospital.example.org,2,2025-07-01,"


# --- the sample, and the variants of the format ---------------------------------------------------------


@pytest.mark.parametrize("as_file", [True, False], ids=["multipart", "text-csv-body"])
def test_the_sample_export_imports_exactly_as_it_is(
    client: TestClient, db: Session, roster: Roster, as_file: bool
) -> None:
    response = upload(client, roster, SAMPLE.read_bytes(), as_file=as_file)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["counts"] == {"created": 12, "updated": 0, "unchanged": 0, "deactivated": 0}
    assert body["warnings"] == []
    assert [e["row"] for e in body["created"]] == list(range(2, 14))
    residents = by_email(db, roster.program)
    assert len(residents) == 12
    okafor = residents["a.okafor@hospital.example.org"]  # capitals and trailing space normalised
    assert (okafor.first_name, okafor.last_name, okafor.external_id) == ("Adaeze", "Okafor", "E10231")
    assert (okafor.pgy, okafor.start_date, okafor.end_date) == (1, date(2026, 7, 1), date(2029, 6, 30))
    assert residents["sobrien@hospital.example.org"].start_date == date(2026, 7, 1)  # 7/1/2026
    assert residents["sobrien@hospital.example.org"].last_name == "O'Brien"
    assert residents["thao.nguyen@hospital.example.org"].first_name == "Thảo"
    assert residents["jgarcia@hospital.example.org"].last_name == "García-López"
    assert residents["john.smith@hospital.example.org"].end_date is None
    smiths = [r for r in residents.values() if (r.first_name, r.last_name) == ("John", "Smith")]
    assert len(smiths) == 2
    assert residents["rpatel@hospital.example.org"].start_date == date(2026, 7, 15)
    assert residents["mallory@hospital.example.org"].last_name == '=HYPERLINK("http://x")'
    assert all(r.active and r.deactivated_at is None for r in residents.values())
    assert {e["resident_id"]: e["external_id"] for e in body["created"]} == {
        r.id: r.external_id for r in residents.values()
    }


def test_re_uploading_the_same_file_changes_nothing(client: TestClient, db: Session, roster: Roster) -> None:
    assert upload(client, roster, SAMPLE.read_bytes()).status_code == 200
    before = {r.id: r.updated_at for r in stored(db, roster.program)}

    response = upload(client, roster, SAMPLE.read_bytes(), as_file=True)

    assert response.status_code == 200
    body = response.json()
    assert body["counts"] == {"created": 0, "updated": 0, "unchanged": 12, "deactivated": 0}
    assert {e["resident_id"] for e in body["unchanged"]} == set(before)
    assert {r.id: r.updated_at for r in stored(db, roster.program)} == before


def _variant(kind: str) -> bytes:
    rows = [ROW_A, ROW_B]
    if kind == "lf-no-bom":
        return csv_text(*rows).encode()
    if kind == "crlf-with-bom":
        return csv_text(*rows, newline="\r\n").encode("utf-8-sig")
    if kind == "cr-only":
        return csv_text(*rows, newline="\r").encode()
    if kind == "semicolon":
        return csv_text(*(r.replace(",", ";") for r in rows), header=HEADER.replace(",", ";")).encode()
    if kind == "tab":
        return csv_text(*(r.replace(",", "\t") for r in rows), header=HEADER.replace(",", "\t")).encode()
    if kind == "aliases-and-case":
        header = "employee id,FIRST NAME,Surname,E-mail Address,pgy level,Program Start Date,Program End Date"
        return csv_text(*rows, header=header).encode()
    if kind == "snake-case":
        return csv_text(
            *rows, header="external_id,first_name,last_name,email,pgy,start_date,end_date"
        ).encode()
    if kind == "columns-reordered":
        header = "Email,Last Name,First Name,PGY,Start Date,End Date,External ID"
        return csv_text(
            "ada@hospital.example.org,Lovelace,Ada,1,2026-07-01,2029-06-30,E1",
            "grace@hospital.example.org,Hopper,Grace,2,2025-07-01,,E2",
            header=header,
        ).encode()
    if kind == "us-dates":
        return csv_text(
            "E1,Ada,Lovelace,ada@hospital.example.org,1,7/1/2026,06/30/2029",
            "E2,Grace,Hopper,grace@hospital.example.org,2,07/01/2025,",
        ).encode()
    if kind == "quoted-cells-and-pgy-prefix":
        return csv_text(
            '"E1","Ada","Lovelace","ada@hospital.example.org","PGY-1","2026-07-01","2029-06-30"',
            '"E2","Grace","Hopper","grace@hospital.example.org","PGY2","2025-07-01",""',
        ).encode()
    if kind == "blank-lines-and-trailing-empty-cells":
        return ("\n" + csv_text(ROW_A + ",,", "", ROW_B + ",", ",,,,,,", "")).encode()
    raise AssertionError(kind)


VARIANTS = [
    "lf-no-bom",
    "crlf-with-bom",
    "cr-only",
    "semicolon",
    "tab",
    "aliases-and-case",
    "snake-case",
    "columns-reordered",
    "us-dates",
    "quoted-cells-and-pgy-prefix",
    "blank-lines-and-trailing-empty-cells",
]


@pytest.mark.parametrize("kind", VARIANTS)
def test_each_format_variant_imports_the_same_residents(
    client: TestClient, db: Session, roster: Roster, kind: str
) -> None:
    response = upload(client, roster, _variant(kind))

    assert response.status_code == 200, response.text
    assert response.json()["counts"]["created"] == 2
    residents = by_email(db, roster.program)
    ada, grace = residents["ada@hospital.example.org"], residents["grace@hospital.example.org"]
    assert (ada.external_id, ada.first_name, ada.last_name, ada.pgy) == ("E1", "Ada", "Lovelace", 1)
    assert (ada.start_date, ada.end_date) == (date(2026, 7, 1), date(2029, 6, 30))
    assert (grace.external_id, grace.pgy, grace.start_date, grace.end_date) == (
        "E2",
        2,
        date(2025, 7, 1),
        None,
    )


def test_external_id_and_end_date_columns_are_optional(
    client: TestClient, db: Session, roster: Roster
) -> None:
    response = upload(
        client,
        roster,
        csv_text("Ada,Lovelace,ada@hospital.example.org,1,2026-07-01", header="First,Last,Email,PGY,Start"),
    )

    assert response.status_code == 200, response.text
    (ada,) = stored(db, roster.program)
    assert (ada.external_id, ada.end_date) == (None, None)


def test_unknown_columns_are_ignored_and_listed(client: TestClient, db: Session, roster: Roster) -> None:
    response = upload(
        client,
        roster,
        csv_text(ROW_A + ",Internal Medicine,x", header=HEADER + ",Specialty,Pager"),
    )

    assert response.status_code == 200
    warnings = response.json()["warnings"]
    assert len(warnings) == 2
    assert "'Specialty'" in warnings[0] and "ignored" in warnings[0]
    assert "'Pager'" in warnings[1]
    assert len(stored(db, roster.program)) == 1


def test_formula_like_cells_are_stored_as_text_unchanged(
    client: TestClient, db: Session, roster: Roster
) -> None:
    response = upload(
        client,
        roster,
        csv_text(
            'E1,=1+2,"=HYPERLINK(""http://x"")",ada@hospital.example.org,1,2026-07-01,',
            "E2,+Grace,-Hopper,grace@hospital.example.org,2,2025-07-01,",
            "@E3,@Alan,Turing,alan@hospital.example.org,3,2024-07-01,",
        ),
    )

    assert response.status_code == 200, response.text
    residents = by_email(db, roster.program)
    assert (
        residents["ada@hospital.example.org"].first_name,
        residents["ada@hospital.example.org"].last_name,
    ) == (
        "=1+2",
        '=HYPERLINK("http://x")',
    )
    assert residents["grace@hospital.example.org"].first_name == "+Grace"
    assert residents["grace@hospital.example.org"].last_name == "-Hopper"
    assert residents["alan@hospital.example.org"].external_id == "@E3"


# --- dry run, updates, matching, replace -------------------------------------------------------------------


def test_a_dry_run_previews_and_writes_nothing(client: TestClient, db: Session, roster: Roster) -> None:
    response = upload(client, roster, SAMPLE.read_bytes(), dry_run=True)

    assert response.status_code == 200
    body = response.json()
    assert body["dry_run"] is True
    assert body["counts"]["created"] == 12
    assert all(e["resident_id"] is None for e in body["created"])
    assert stored(db, roster.program) == []


def test_a_dry_run_previews_updates_and_deactivations_without_applying_them(
    client: TestClient, db: Session, roster: Roster
) -> None:
    ada = make_resident(db, roster.program, external_id="E1", email="ada@hospital.example.org", pgy=1)
    leaver = make_resident(db, roster.program)

    response = upload(
        client,
        roster,
        csv_text("E1,Ada,Lovelace,ada@hospital.example.org,2,2026-07-01,"),
        dry_run=True,
        replace=True,
    )

    assert response.status_code == 200
    body = response.json()
    assert body["counts"] == {"created": 0, "updated": 1, "unchanged": 0, "deactivated": 1}
    assert body["updated"][0]["resident_id"] == ada.id
    assert "pgy" in body["updated"][0]["changes"]
    assert body["deactivated"][0]["resident_id"] == leaver.id
    residents = {r.id: r for r in stored(db, roster.program)}
    assert residents[ada.id].pgy == 1 and residents[ada.id].first_name == "Resident"
    assert residents[leaver.id].active is True


def test_changed_rows_update_the_matching_residents(client: TestClient, db: Session, roster: Roster) -> None:
    ada = make_resident(
        db,
        roster.program,
        external_id="E1",
        first_name="Ada",
        last_name="Byron",
        email="old@hospital.example.org",
    )

    response = upload(client, roster, csv_text(ROW_A, ROW_B))

    assert response.status_code == 200
    body = response.json()
    assert body["counts"] == {"created": 1, "updated": 1, "unchanged": 0, "deactivated": 0}
    assert body["updated"][0]["row"] == 2
    assert body["updated"][0]["changes"] == ["email", "end_date", "last_name"]
    db_ada = by_email(db, roster.program)["ada@hospital.example.org"]
    assert db_ada.id == ada.id
    assert (db_ada.last_name, db_ada.end_date) == ("Lovelace", date(2029, 6, 30))


def test_rows_without_external_id_match_by_email_and_can_add_the_id(
    client: TestClient, db: Session, roster: Roster
) -> None:
    ada = make_resident(
        db,
        roster.program,
        external_id=None,
        first_name="Ada",
        last_name="Lovelace",
        email="ada@hospital.example.org",
        start_date=date(2026, 7, 1),
        end_date=date(2029, 6, 30),
    )

    response = upload(client, roster, csv_text(ROW_A))  # same person, now with the employee id E1

    assert response.status_code == 200
    assert response.json()["updated"][0]["changes"] == ["external_id"]
    assert by_email(db, roster.program)["ada@hospital.example.org"].external_id == "E1"
    assert stored(db, roster.program)[0].id == ada.id


def test_a_blank_external_id_cell_keeps_the_known_id(client: TestClient, db: Session, roster: Roster) -> None:
    make_resident(
        db,
        roster.program,
        external_id="E1",
        first_name="Ada",
        last_name="Lovelace",
        email="ada@hospital.example.org",
        start_date=date(2026, 7, 1),
        end_date=None,
    )

    response = upload(client, roster, csv_text(",Ada,Lovelace,ada@hospital.example.org,1,2026-07-01,"))

    assert response.json()["counts"]["unchanged"] == 1
    assert stored(db, roster.program)[0].external_id == "E1"


def test_a_row_whose_id_and_email_belong_to_two_residents_is_rejected(
    client: TestClient, db: Session, roster: Roster
) -> None:
    make_resident(db, roster.program, external_id="E1", email="first@hospital.example.org")
    make_resident(db, roster.program, external_id="E2", email="second@hospital.example.org")

    response = upload(client, roster, csv_text("E1,Ada,Lovelace,second@hospital.example.org,1,2026-07-01,"))

    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert (error["row"], error["column"]) == (2, "External ID")
    assert "one resident" in error["message"] and "another" in error["message"]
    assert {r.email for r in stored(db, roster.program)} == {
        "first@hospital.example.org",
        "second@hospital.example.org",
    }


def test_a_row_whose_email_belongs_to_a_resident_with_another_id_is_rejected(
    client: TestClient, db: Session, roster: Roster
) -> None:
    make_resident(db, roster.program, external_id="E1", email="ada@hospital.example.org")

    response = upload(client, roster, csv_text("E9,Ada,Lovelace,ada@hospital.example.org,1,2026-07-01,"))

    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert (error["row"], error["column"]) == (2, "Email")
    assert "'E1'" in error["message"]
    assert len(stored(db, roster.program)) == 1


def test_two_rows_matching_one_resident_are_rejected(client: TestClient, db: Session, roster: Roster) -> None:
    make_resident(db, roster.program, external_id="E1", email="ada@hospital.example.org")

    response = upload(
        client,
        roster,
        csv_text(
            "E1,Ada,Lovelace,ada.new@hospital.example.org,1,2026-07-01,",
            ",Ada,Lovelace,ada@hospital.example.org,1,2026-07-01,",
        ),
    )

    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["row"] == 3 and "rows 2 and 3" in error["message"]


def test_replace_deactivates_residents_absent_from_the_file(
    client: TestClient, db: Session, roster: Roster
) -> None:
    leaver = make_resident(db, roster.program)
    already_gone = make_resident(db, roster.program, active=False)
    other_programme = make_resident(db, make_program(db))

    response = upload(client, roster, csv_text(ROW_A), replace=True)

    assert response.status_code == 200
    body = response.json()
    assert body["counts"] == {"created": 1, "updated": 0, "unchanged": 0, "deactivated": 1}
    assert [e["resident_id"] for e in body["deactivated"]] == [leaver.id]
    db.expire_all()
    assert db.get(Resident, leaver.id).active is False  # type: ignore[union-attr]
    assert db.get(Resident, leaver.id).deactivated_at is not None  # type: ignore[union-attr]
    assert db.get(Resident, already_gone.id).deactivated_at is None  # type: ignore[union-attr]
    assert db.get(Resident, other_programme.id).active is True  # type: ignore[union-attr]


def test_without_replace_absent_residents_stay_active(
    client: TestClient, db: Session, roster: Roster
) -> None:
    stayer = make_resident(db, roster.program)

    response = upload(client, roster, csv_text(ROW_A))

    assert response.json()["counts"]["deactivated"] == 0
    db.expire_all()
    assert db.get(Resident, stayer.id).active is True  # type: ignore[union-attr]


def test_a_deactivated_resident_in_the_file_is_reactivated(
    client: TestClient, db: Session, roster: Roster
) -> None:
    assert upload(client, roster, csv_text(ROW_A, ROW_B)).status_code == 200
    assert upload(client, roster, csv_text(ROW_A), replace=True).json()["counts"]["deactivated"] == 1

    response = upload(client, roster, csv_text(ROW_A, ROW_B))

    body = response.json()
    assert body["counts"] == {"created": 0, "updated": 1, "unchanged": 1, "deactivated": 0}
    assert body["updated"][0]["changes"] == ["active"]
    grace = by_email(db, roster.program)["grace@hospital.example.org"]
    assert grace.active is True and grace.deactivated_at is None


# --- bad input: a clear 4xx, nothing written --------------------------------------------------------------


def _errors(response: Response) -> list[tuple[int, str]]:
    return [(e["row"], e["column"]) for e in response.json()["errors"]]


BAD_ROWS: list[tuple[str, str, str, str]] = [
    # (case, row 3 of the file, column, message fragment)
    ("invalid email", "E2,Grace,Hopper,grace.hospital.example.org,2,2025-07-01,", "Email", "e-mail"),
    ("missing email", "E2,Grace,Hopper,,2,2025-07-01,", "Email", "required"),
    ("pgy 0", "E2,Grace,Hopper,grace@hospital.example.org,0,2025-07-01,", "PGY", "from 1 to 8"),
    ("pgy 12", "E2,Grace,Hopper,grace@hospital.example.org,12,2025-07-01,", "PGY", "from 1 to 8"),
    ("pgy not a number", "E2,Grace,Hopper,grace@hospital.example.org,two,2025-07-01,", "PGY", "whole number"),
    (
        "end before start",
        "E2,Grace,Hopper,grace@hospital.example.org,2,2025-07-01,2025-06-30",
        "End Date",
        "before",
    ),
    (
        "impossible iso date",
        "E2,Grace,Hopper,grace@hospital.example.org,2,2026-02-30,",
        "Start Date",
        "real date",
    ),
    (
        "impossible us date",
        "E2,Grace,Hopper,grace@hospital.example.org,2,13/45/2026,",
        "Start Date",
        "real date",
    ),
    ("not a date", "E2,Grace,Hopper,grace@hospital.example.org,2,next July,", "Start Date", "not a date"),
    ("two-digit year", "E2,Grace,Hopper,grace@hospital.example.org,2,7/1/26,", "Start Date", "year in full"),
    ("missing start", "E2,Grace,Hopper,grace@hospital.example.org,2,,", "Start Date", "required"),
    ("missing first name", "E2,,Hopper,grace@hospital.example.org,2,2025-07-01,", "First Name", "required"),
    (
        "name too long",
        "E2,Grace," + "H" * 201 + ",grace@hospital.example.org,2,2025-07-01,",
        "Last Name",
        "200",
    ),
    (
        "id too long",
        "E" * 101 + ",Grace,Hopper,grace@hospital.example.org,2,2025-07-01,",
        "External ID",
        "100",
    ),
    (
        "duplicate external id",
        "E1,Grace,Hopper,grace@hospital.example.org,2,2025-07-01,",
        "External ID",
        "rows 2 and 3",
    ),
    ("duplicate email", "E2,Grace,Hopper,ADA@hospital.example.org,2,2025-07-01,", "Email", "rows 2 and 3"),
    ("more cells than headings", ROW_B + ",surplus", "column 8", "more cells"),
    (
        "line break in a name",
        'E2,"Grace\nHopper",Hopper,grace@hospital.example.org,2,2025-07-01,',
        "First Name",
        "line break",
    ),  # Dates the booking engine could not compute with (year 10000) are refused where they are typed.
    (
        "end date in year 9999",
        "E2,Grace,Hopper,grace@hospital.example.org,2,2025-07-01,12/31/9999",
        "End Date",
        "the end date 9999-12-31 is outside the accepted range; give a date from 1950-01-01 to 2100-12-31",
    ),
    (
        "start date in year 1",
        "E2,Grace,Hopper,grace@hospital.example.org,2,0001-01-01,",
        "Start Date",
        "1950",
    ),
    (
        "start date in 2101",
        "E2,Grace,Hopper,grace@hospital.example.org,2,1/1/2101,",
        "Start Date",
        "2100-12-31",
    ),
    (
        "control character in a name",
        "E2,Grace,Hop\x01per,grace@hospital.example.org,2,2025-07-01,",
        "Last Name",
        "the last name contains a control character (U+0001, character 4)",
    ),
    (
        "tab in an external id",
        "E\t2,Grace,Hopper,grace@hospital.example.org,2,2025-07-01,",
        "External ID",
        "U+0009",
    ),
    ("escape in an email", "E2,Grace,Hopper,grace\x1b@hospital.example.org,2,2025-07-01,", "Email", "U+001B"),
]


@pytest.mark.parametrize(("case", "row", "column", "fragment"), BAD_ROWS, ids=[c[0] for c in BAD_ROWS])
def test_a_bad_row_is_reported_and_nothing_is_imported(
    client: TestClient, db: Session, roster: Roster, case: str, row: str, column: str, fragment: str
) -> None:
    response = upload(
        client, roster, csv_text(ROW_A, row, "E4,Alan,Turing,alan@hospital.example.org,3,2024-07-01,")
    )

    assert response.status_code == 422, response.text
    body = response.json()
    assert "nothing was imported" in body["detail"]
    (error,) = body["errors"]
    assert (error["row"], error["column"]) == (3, column)
    assert fragment in error["message"]
    assert stored(db, roster.program) == []


def test_every_bad_row_is_listed_with_its_spreadsheet_row_number(
    client: TestClient, db: Session, roster: Roster
) -> None:
    text = csv_text(
        'E1,"Ada","Love\nlace",ada@hospital.example.org,1,2026-07-01,',  # one row, two lines: row 2
        "",  # a blank row 3
        "E2,Grace,Hopper,not-an-email,9,2025-07-01,",  # row 4, two errors
        "E3,Alan,Turing,alan@hospital.example.org,3,2024-02-30,",  # row 5
    )

    response = upload(client, roster, text)

    assert response.status_code == 422
    assert _errors(response) == [(2, "Last Name"), (4, "Email"), (4, "PGY"), (5, "Start Date")]


def test_an_invalid_email_error_does_not_repeat_the_address(client: TestClient, roster: Roster) -> None:
    response = upload(
        client, roster, csv_text("E1,Ada,Lovelace,ada.secret@@hospital.example.org,1,2026-07-01,")
    )

    assert response.status_code == 422
    assert "ada.secret" not in response.text


def test_missing_columns_are_named_with_the_accepted_headings(
    client: TestClient, db: Session, roster: Roster
) -> None:
    response = upload(client, roster, csv_text("Ada,Lovelace,1", header="First Name,Surname,Level"))

    assert response.status_code == 422
    body = response.json()
    assert "Email" in body["detail"] and "Start Date" in body["detail"]
    columns = {e["column"]: e["message"] for e in body["errors"]}
    assert set(columns) == {"Email", "Start Date"}
    assert "'Email Address'" in columns["Email"]
    assert "'Program Start Date'" in columns["Start Date"]
    assert all(e["row"] == 1 for e in body["errors"])


def test_a_file_without_a_heading_row_says_to_add_one(client: TestClient, roster: Roster) -> None:
    response = upload(client, roster, ROW_A + "\n" + ROW_B + "\n")

    assert response.status_code == 422
    assert "heading row" in response.json()["detail"]
    assert "ada@" not in response.text


def test_two_columns_for_one_field_are_rejected(client: TestClient, roster: Roster) -> None:
    response = upload(client, roster, csv_text(ROW_A + ",x@y.org", header=HEADER + ",Email Address"))

    assert response.status_code == 422
    assert "'Email' and 'Email Address'" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "empty"),
        (b"\xef\xbb\xbf", "empty"),
        (b"\r\n\r\n  \r\n", "empty"),
        ((HEADER + "\r\n").encode(), "no residents"),
        ((HEADER + "\r\n,,,,,,\r\n").encode(), "no residents"),
    ],
    ids=["zero-bytes", "bom-only", "blank-lines", "heading-only", "heading-and-empty-cells"],
)
def test_an_empty_file_is_a_clear_422(
    client: TestClient, roster: Roster, content: bytes, fragment: str
) -> None:
    response = upload(client, roster, content)

    assert response.status_code == 422
    assert fragment in response.json()["detail"]


XLSX = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + b"\x00" * 64 + b"[Content_Types].xml"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
OTHER_BINARY = b"\x01\x02\x00\x00\xfe\xed\xfa\xce" * 40


@pytest.mark.parametrize(
    ("content", "fragment"),
    [(XLSX, "Excel workbook"), (PNG, "PNG image"), (OTHER_BINARY, "binary data")],
    ids=["xlsx", "png", "other-binary"],
)
@pytest.mark.parametrize("as_file", [True, False], ids=["multipart", "body"])
def test_a_binary_file_is_refused_with_how_to_export_csv(
    client: TestClient, db: Session, roster: Roster, content: bytes, fragment: str, as_file: bool
) -> None:
    response = upload(client, roster, content, as_file=as_file)

    assert response.status_code == 415
    detail = response.json()["detail"]
    assert fragment in detail and "CSV UTF-8" in detail
    assert stored(db, roster.program) == []


@pytest.mark.parametrize(
    "encoding",
    ["latin-1", "cp1252", "utf-16", "utf-16-le"],
    ids=["latin-1", "cp1252", "utf-16", "utf-16-no-bom"],
)
def test_a_file_not_in_utf8_says_to_save_as_csv_utf8(
    client: TestClient, db: Session, roster: Roster, encoding: str
) -> None:
    content = csv_text("E1,José,García,jose@hospital.example.org,1,2026-07-01,").encode(encoding)

    response = upload(client, roster, content, as_file=True)

    assert response.status_code == 422
    assert "CSV UTF-8" in response.json()["detail"]
    assert stored(db, roster.program) == []


def test_a_json_body_is_refused_with_415(client: TestClient, roster: Roster) -> None:
    response = client.post(
        roster.url,
        headers=roster.coordinator.headers,
        json=[{"first_name": "Ada", "email": "ada@hospital.example.org"}],
    )

    assert response.status_code == 415
    assert "CSV" in response.json()["detail"] and "not JSON" in response.json()["detail"]


def test_json_sent_as_text_csv_is_refused_too(client: TestClient, roster: Roster) -> None:
    response = upload(client, roster, '{"first_name": "Ada"}')

    assert response.status_code == 415
    assert "JSON" in response.json()["detail"]


@pytest.mark.parametrize(
    "content_type", ["application/x-www-form-urlencoded", "application/octet-stream", "image/png", None]
)
def test_a_wrong_content_type_is_a_415_saying_how_to_send_the_file(
    client: TestClient, roster: Roster, content_type: str | None
) -> None:
    headers = dict(roster.coordinator.headers)
    if content_type:
        headers["Content-Type"] = content_type
    response = client.post(roster.url, headers=headers, content=csv_text(ROW_A).encode())

    assert response.status_code == 415
    assert "text/csv" in response.json()["detail"] and "'file'" in response.json()["detail"]


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("multipart/form-data; boundary=xyz", b"this is not multipart at all"),
        ("multipart/form-data", b"--xyz\r\n"),
    ],
    ids=["garbage", "no-boundary"],
)
def test_a_malformed_multipart_upload_is_a_400(
    client: TestClient, roster: Roster, content_type: str, body: bytes
) -> None:
    response = client.post(
        roster.url, headers={**roster.coordinator.headers, "Content-Type": content_type}, content=body
    )

    assert response.status_code == 400
    assert "multipart" in response.json()["detail"]


def test_a_multipart_upload_without_the_file_field_is_a_422(client: TestClient, roster: Roster) -> None:
    response = client.post(
        roster.url, headers=roster.coordinator.headers, files={"roster": ("r.csv", csv_text(ROW_A).encode())}
    )

    assert response.status_code == 422
    assert "'file'" in response.json()["detail"]


def test_a_file_over_the_size_limit_is_a_413(
    client: TestClient, db: Session, roster: Roster, settings: Settings
) -> None:
    limit = settings.max_upload_bytes
    row = ROW_A + "\n"
    content = (HEADER + "\n" + row * (limit // len(row) + 1)).encode()
    assert limit < len(content) < limit + 64 * 1024  # past the file limit, within the request limit

    for as_file in (True, False):
        response = upload(client, roster, content, as_file=as_file)
        assert response.status_code == 413
        assert "10 MB" in response.json()["detail"]
    assert stored(db, roster.program) == []


def test_a_roster_over_the_row_limit_is_a_413(
    client: TestClient, db: Session, roster: Roster, settings: Settings
) -> None:
    limit = settings.max_roster_rows
    rows = [f"E{i},First,Last,r{i}@hospital.example.org,1,2026-07-01," for i in range(limit + 1)]

    response = upload(client, roster, csv_text(*rows))

    assert response.status_code == 413
    assert "20,000" in response.json()["detail"]
    assert stored(db, roster.program) == []


def test_limits_come_from_settings(settings: Settings, db: Session) -> None:
    app = create_app(settings.model_copy(update={"max_upload_bytes": 2048, "max_roster_rows": 2}))
    try:
        program = make_program(db)
        coordinator = make_staff(db, Role.coordinator, program=program)
        target = Roster(program=program, coordinator=coordinator)
        with TestClient(app) as client:
            three_rows = csv_text(ROW_A, ROW_B, "E3,Alan,Turing,alan@hospital.example.org,3,2024-07-01,")
            assert upload(client, target, three_rows).status_code == 413
            assert upload(client, target, csv_text(ROW_A, ROW_B)).status_code == 200
            assert upload(client, target, HEADER + "\n" + "x" * 3000).status_code == 413
    finally:
        app.state.engine.dispose()


def test_an_unknown_programme_is_a_404(client: TestClient, db: Session) -> None:
    admin = make_staff(db, Role.admin)
    response = client.post(
        "/programs/999999/roster",
        headers={**admin.headers, "Content-Type": "text/csv"},
        content=csv_text(ROW_A).encode(),
    )

    assert response.status_code == 404


@pytest.mark.parametrize("role", [Role.coordinator, Role.director])
def test_another_programmes_staff_cannot_import(
    client: TestClient, db: Session, roster: Roster, role: Role
) -> None:
    other = make_staff(db, role, program=make_program(db))

    response = client.post(
        roster.url, headers={**other.headers, "Content-Type": "text/csv"}, content=csv_text(ROW_A).encode()
    )

    assert response.status_code == 403
    assert stored(db, roster.program) == []


def test_a_director_of_the_programme_cannot_import(client: TestClient, db: Session, roster: Roster) -> None:
    director = make_staff(db, Role.director, program=roster.program)

    response = client.post(
        roster.url, headers={**director.headers, "Content-Type": "text/csv"}, content=csv_text(ROW_A).encode()
    )

    assert response.status_code == 403


def test_an_administrator_can_import_into_any_programme(
    client: TestClient, db: Session, roster: Roster
) -> None:
    admin = make_staff(db, Role.admin)

    response = client.post(
        roster.url, headers={**admin.headers, "Content-Type": "text/csv"}, content=csv_text(ROW_A).encode()
    )

    assert response.status_code == 200
    assert len(stored(db, roster.program)) == 1


# --- audit and logs ---------------------------------------------------------------------------------


def test_imports_and_previews_are_audited(client: TestClient, db: Session, roster: Roster) -> None:
    upload(client, roster, csv_text(ROW_A), dry_run=True)
    upload(client, roster, csv_text(ROW_A))
    upload(client, roster, csv_text("broken"))  # refused: nothing, not even the audit event, is kept

    events = list(db.scalars(select(AuditEvent).order_by(AuditEvent.id)))
    assert [(e.action, e.record_kind, e.program_id, e.staff_id) for e in events] == [
        ("preview import", "resident", roster.program.id, roster.coordinator.account.id),
        ("import", "resident", roster.program.id, roster.coordinator.account.id),
    ]


def test_logs_never_contain_names_or_emails(
    client: TestClient, roster: Roster, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    upload(client, roster, SAMPLE.read_bytes())
    upload(client, roster, SAMPLE.read_bytes().replace(b"rpatel@", b"rpatel@@"))
    upload(client, roster, csv_text(ROW_A, ROW_A.replace("E1", "E9")))
    upload(client, roster, csv_text(ROW_A).encode("utf-16"))

    logged = json.dumps([{**vars(r), "msg": r.getMessage()} for r in caplog.records], default=str)
    assert "roster import" in logged
    for secret in ("Okafor", "Adaeze", "rpatel", "hospital.example.org", "Lovelace", "HYPERLINK", "E10231"):
        assert secret not in logged


def test_a_database_level_count_matches_the_response(client: TestClient, db: Session, roster: Roster) -> None:
    response = upload(client, roster, SAMPLE.read_bytes())

    count = db.scalar(
        select(func.count()).select_from(Resident).where(Resident.program_id == roster.program.id)
    )
    assert count == response.json()["counts"]["created"] == 12


def test_an_unclosed_quote_is_a_clear_422(client: TestClient, db: Session, roster: Roster) -> None:
    swallowed = 'E1,"Ada,Lovelace,ada@x.org,1,2026-07-01,\n' + ROW_B + "\n"

    short = upload(client, roster, csv_text(ROW_B.replace("E2", "E3").replace("grace", "g3"), swallowed))
    long = upload(
        client, roster, csv_text(swallowed + (ROW_B + "\n") * 4000)
    )  # past csv's 128 KB field limit

    assert short.status_code == 422
    assert "quote" in short.json()["errors"][0]["message"]
    assert long.status_code == 422
    assert "quote marks" in long.json()["detail"]
    assert stored(db, roster.program) == []


def test_a_multipart_upload_with_two_files_is_a_400(client: TestClient, roster: Roster) -> None:
    files = [("file", ("a.csv", csv_text(ROW_A).encode())), ("file", ("b.csv", csv_text(ROW_B).encode()))]

    response = client.post(roster.url, headers=roster.coordinator.headers, files=files)

    assert response.status_code == 400
    assert "Too many files" in response.json()["detail"]
