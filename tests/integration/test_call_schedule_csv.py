"""Importing an Amion-style call schedule over HTTP: what a coordinator sends, gets back, and what is kept."""

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.auth.models import AuditEvent, Role
from app.call_schedules.models import Blackout, BlackoutSource
from app.programs.models import Program
from app.roster.models import Resident
from tests.factories import (
    Schedule,
    make_program,
    make_resident,
    make_staff,
    make_therapist,
)

SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "amion-call-style.csv"
HEADER = "Name,Date,Start,End"


def upload(
    client: TestClient,
    schedule: Schedule,
    content: bytes | str,
    *,
    as_file: bool = False,
    content_type: str = "text/csv",
    filename: str = "schedule.csv",
    headers: dict[str, str] | None = None,
    **params: Any,
) -> Response:
    data = content.encode() if isinstance(content, str) else content
    query = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in params.items()}
    if as_file:
        return client.post(
            schedule.url,
            headers={**schedule.coordinator.headers, **(headers or {})},
            params=query,
            files={"file": (filename, data, content_type)},
        )
    return client.post(
        schedule.url,
        headers={**schedule.coordinator.headers, "Content-Type": content_type, **(headers or {})},
        params=query,
        content=data,
    )


def csv_text(*rows: str, header: str = HEADER) -> str:
    return "\r\n".join([header, *rows]) + "\r\n"


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def stored(db: Session, program: Program) -> list[tuple[int, datetime, datetime, str, str]]:
    db.expire_all()
    rows = db.execute(
        select(Blackout.resident_id, Blackout.starts_at, Blackout.ends_at, Blackout.label, Blackout.source)
        .join(Resident, Resident.id == Blackout.resident_id)
        .where(Resident.program_id == program.id)
        .order_by(Blackout.resident_id, Blackout.starts_at)
    )
    return [(r, s, e, label, str(source)) for r, s, e, label, source in rows]


def spans_of(db: Session, schedule: Schedule, email: str) -> list[tuple[datetime, datetime, str]]:
    return [(s, e, label) for r, s, e, label, _ in stored(db, schedule.program) if r == schedule.id_of(email)]


OKAFOR = "a.okafor@hospital.example.org"
OBRIEN = "sobrien@hospital.example.org"
NGUYEN = "thao.nguyen@hospital.example.org"
GARCIA = "jgarcia@hospital.example.org"
SMITH_1 = "john.smith@hospital.example.org"
SMITH_2 = "john.smith2@hospital.example.org"


# --- the sample ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("as_file", [True, False], ids=["multipart", "text-csv-body"])
def test_the_sample_schedule_imports_exactly_as_it_is(
    client: TestClient, db: Session, schedule: Schedule, as_file: bool
) -> None:
    response = upload(client, schedule, SAMPLE.read_bytes(), as_file=as_file)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["dry_run"] is False
    assert body["source"] == "amion_csv"
    assert body["shifts"] == 5
    assert body["residents_matched"] == 4
    assert body["blackouts"] == {"created": 6, "unchanged": 0, "removed": 0}
    assert body["covered"] == {"first": "2026-12-01", "last": "2026-12-04"}
    assert body["warnings"] == [
        "These columns are not used and were ignored: 'Name ID', 'Backup ID', 'Team', 'Team ID', "
        "'Team Backup ID'."
    ]
    # New York is UTC-5 in December. 1900–0700 is overnight; 0700–0700 is 24 hours plus the post-call day.
    assert spans_of(db, schedule, OKAFOR) == [
        (utc("2026-12-02T00:00"), utc("2026-12-02T12:00"), "call"),
        (utc("2026-12-03T00:00"), utc("2026-12-03T12:00"), "call"),
    ]
    assert spans_of(db, schedule, OBRIEN) == [
        (utc("2026-12-01T12:00"), utc("2026-12-02T12:00"), "call"),
        (utc("2026-12-02T12:00"), utc("2026-12-03T05:00"), "post-call"),  # until local midnight
    ]
    # "Nguyen, Thao" is the roster's "Nguyễn Thảo"; "Garcia-Lopez, Jose" is "García-López José".
    assert spans_of(db, schedule, NGUYEN) == [(utc("2026-12-03T12:00"), utc("2026-12-03T23:00"), "call")]
    assert spans_of(db, schedule, GARCIA) == [(utc("2026-12-04T13:00"), utc("2026-12-04T22:00"), "call")]
    assert {source for *_, source in stored(db, schedule.program)} == {"amion_csv"}


def test_the_answer_holds_counts_and_warnings_only(client: TestClient, schedule: Schedule) -> None:
    body = upload(client, schedule, SAMPLE.read_bytes()).json()

    assert set(body) == {
        "dry_run",
        "source",
        "shifts",
        "residents_matched",
        "blackouts",
        "covered",
        "warnings",
    }
    assert "Okafor" not in str(body) and "@" not in str(body)


def test_an_import_is_recorded_in_the_audit_log(client: TestClient, db: Session, schedule: Schedule) -> None:
    assert upload(client, schedule, SAMPLE.read_bytes()).status_code == 200

    events = db.scalars(select(AuditEvent).where(AuditEvent.record_kind == "blackout")).all()
    assert [(e.staff_id, e.action, e.program_id) for e in events] == [
        (schedule.coordinator.account.id, "import", schedule.program.id)
    ]


def test_an_administrator_may_import_too(client: TestClient, db: Session, schedule: Schedule) -> None:
    admin = make_staff(db, Role.admin)
    response = client.post(
        schedule.url,
        headers={**admin.headers, "Content-Type": "text/csv"},
        content=SAMPLE.read_bytes(),
    )
    assert response.status_code == 200, response.text


# --- re-importing ---------------------------------------------------------------------------------------


def test_re_importing_the_same_file_changes_nothing(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    assert upload(client, schedule, SAMPLE.read_bytes()).status_code == 200
    ids_before = set(db.scalars(select(Blackout.id)))

    response = upload(client, schedule, SAMPLE.read_bytes(), as_file=True)

    assert response.status_code == 200
    assert response.json()["blackouts"] == {"created": 0, "unchanged": 6, "removed": 0}
    db.expire_all()
    assert set(db.scalars(select(Blackout.id))) == ids_before


def test_a_swapped_call_frees_the_day_and_keeps_the_rest(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    assert upload(client, schedule, SAMPLE.read_bytes()).status_code == 200
    # An earlier month, imported before: outside the new file's days, so it stays.
    november = csv_text('"Okafor, Adaeze",11-10-26,0800,1700')
    assert upload(client, schedule, november).json()["blackouts"]["created"] == 1
    swapped = SAMPLE.read_text(encoding="utf-8").replace('"O\'Brien, Siobhan"', '"Nguyen, Thao"')

    response = upload(client, schedule, swapped)

    assert response.status_code == 200, response.text
    assert response.json()["blackouts"] == {"created": 2, "unchanged": 4, "removed": 2}
    assert spans_of(db, schedule, OBRIEN) == []
    assert spans_of(db, schedule, NGUYEN) == [
        (utc("2026-12-01T12:00"), utc("2026-12-02T12:00"), "call"),
        (utc("2026-12-02T12:00"), utc("2026-12-03T05:00"), "post-call"),
        (utc("2026-12-03T12:00"), utc("2026-12-03T23:00"), "call"),
    ]
    assert (utc("2026-11-10T13:00"), utc("2026-11-10T22:00"), "call") in spans_of(db, schedule, OKAFOR)


def test_a_shift_removed_from_the_last_day_takes_its_post_call_day_with_it(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    first = csv_text('"Okafor, Adaeze",12-01-26,0800,1700', '"O\'Brien, Siobhan",12-05-26,0700,0700')
    assert upload(client, schedule, first).json()["blackouts"]["created"] == 3
    second = csv_text('"Okafor, Adaeze",12-01-26,0800,1700', '"Okafor, Adaeze",12-05-26,0800,1200')

    response = upload(client, schedule, second)

    assert response.json()["blackouts"] == {"created": 1, "unchanged": 1, "removed": 2}
    assert spans_of(db, schedule, OBRIEN) == []


def test_a_csv_import_leaves_calendar_blackouts_alone(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    db.add(
        Blackout(
            resident_id=schedule.id_of(OKAFOR),
            source=BlackoutSource.ics,
            starts_at=utc("2026-12-02T15:00"),
            ends_at=utc("2026-12-02T16:00"),
            label="call",
        )
    )
    db.commit()

    assert upload(client, schedule, SAMPLE.read_bytes()).json()["blackouts"]["removed"] == 0
    assert upload(client, schedule, SAMPLE.read_bytes()).json()["blackouts"]["removed"] == 0
    assert (utc("2026-12-02T15:00"), utc("2026-12-02T16:00"), "call") in spans_of(db, schedule, OKAFOR)


def test_a_dry_run_previews_and_writes_nothing(client: TestClient, db: Session, schedule: Schedule) -> None:
    response = upload(client, schedule, SAMPLE.read_bytes(), dry_run=True)

    assert response.status_code == 200
    body = response.json()
    assert body["dry_run"] is True
    assert body["blackouts"] == {"created": 6, "unchanged": 0, "removed": 0}
    assert stored(db, schedule.program) == []


def test_a_dry_run_of_an_update_shows_what_would_be_removed(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    upload(client, schedule, SAMPLE.read_bytes())
    before = stored(db, schedule.program)
    swapped = SAMPLE.read_text(encoding="utf-8").replace('"O\'Brien, Siobhan"', '"Nguyen, Thao"')

    body = upload(client, schedule, swapped, dry_run=True).json()

    assert body["blackouts"] == {"created": 2, "unchanged": 4, "removed": 2}
    assert stored(db, schedule.program) == before


def test_the_same_shift_twice_in_a_file_is_stored_once(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    text = csv_text('"Okafor, Adaeze",12-01-26,0800,1700', "Adaeze Okafor,12/1/2026,800,17:00")

    response = upload(client, schedule, text)

    assert response.json()["blackouts"] == {"created": 1, "unchanged": 0, "removed": 0}
    assert len(spans_of(db, schedule, OKAFOR)) == 1


# --- wall times, overnight, 24-hour shifts and daylight saving (America/New_York) -------------------------


def _single(
    client: TestClient, db: Session, schedule: Schedule, row: str
) -> list[tuple[datetime, datetime, str]]:
    response = upload(client, schedule, csv_text(row))
    assert response.status_code == 200, response.text
    return spans_of(db, schedule, OKAFOR)


def test_a_24_hour_call_across_the_autumn_change_is_25_hours(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    # Clocks go back at 02:00 on Sunday 1 November 2026.
    spans = _single(client, db, schedule, '"Okafor, Adaeze",10-31-26,0700,0700')

    call, post = spans
    assert call == (utc("2026-10-31T11:00"), utc("2026-11-01T12:00"), "call")  # 0700 EDT → 0700 EST
    assert call[1] - call[0] == timedelta(hours=25)
    assert post == (utc("2026-11-01T12:00"), utc("2026-11-02T05:00"), "post-call")


def test_an_overnight_shift_across_the_autumn_change(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    spans = _single(client, db, schedule, '"Okafor, Adaeze",10-31-26,1900,0700')

    assert spans == [(utc("2026-10-31T23:00"), utc("2026-11-01T12:00"), "call")]  # 13 real hours


def test_a_24_hour_call_into_the_spring_change_is_23_hours(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    # Clocks go forward at 02:00 on Sunday 14 March 2027.
    call, post = _single(client, db, schedule, '"Okafor, Adaeze",03-13-27,0700,0700')

    assert call == (utc("2027-03-13T12:00"), utc("2027-03-14T11:00"), "call")
    assert call[1] - call[0] == timedelta(hours=23)
    assert post == (utc("2027-03-14T11:00"), utc("2027-03-15T04:00"), "post-call")  # EDT midnight


def test_a_0700_start_on_the_spring_forward_day_is_fine(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    call, post = _single(client, db, schedule, '"Okafor, Adaeze",03-14-27,0700,0700')

    assert call == (utc("2027-03-14T11:00"), utc("2027-03-15T11:00"), "call")
    assert post == (utc("2027-03-15T11:00"), utc("2027-03-16T04:00"), "post-call")


def test_a_shift_starting_in_the_skipped_hour_starts_as_the_clocks_jump(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    # 02:30 does not exist on 14 March 2027 in New York: clocks go from 02:00 EST to 03:00 EDT (07:00 UTC).
    # The shift really happens, from the jump to its end: 03:00–03:30 EDT, not an empty blackout.
    response = upload(client, schedule, csv_text('"Okafor, Adaeze",03-14-27,0230,0330'))

    assert response.status_code == 200, response.text
    assert response.json()["blackouts"]["created"] == 1
    assert response.json()["warnings"] == []
    assert spans_of(db, schedule, OKAFOR) == [(utc("2027-03-14T07:00"), utc("2027-03-14T07:30"), "call")]


def test_a_skipped_start_before_a_later_end_starts_as_the_clocks_jump(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    spans = _single(client, db, schedule, '"Okafor, Adaeze",03-14-27,0230,0800')

    assert spans == [(utc("2027-03-14T07:00"), utc("2027-03-14T12:00"), "call")]


def test_an_end_in_the_skipped_hour_moves_forward(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    # An overnight shift written to end at 02:30 ends at 03:30 EDT: the reading that blocks more.
    spans = _single(client, db, schedule, '"Okafor, Adaeze",03-13-27,2200,0230')

    assert spans == [(utc("2027-03-14T03:00"), utc("2027-03-14T07:30"), "call")]


def test_a_shift_the_clocks_skip_whole_is_a_row_error(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    text = csv_text('"Okafor, Adaeze",03-14-27,0800,1700', '"Okafor, Adaeze",03-14-27,0230,0300')

    body = _refused(client, db, schedule, text, 422)

    assert body["errors"] == [
        {
            "row": 3,
            "column": "Start",
            "message": "the clocks go forward on 2027-03-14 (America/New_York) and skip this whole shift, "
            "0230 to 0300: it never happens; correct its times or remove the row",
        }
    ]


def test_a_repeated_hour_blocks_every_moment_the_shift_could_mean(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    # 01:30 happens twice on 1 November 2026: a start takes the first, an end the second.
    spans = _single(client, db, schedule, '"Okafor, Adaeze",10-31-26,2000,0130')
    assert spans == [(utc("2026-11-01T00:00"), utc("2026-11-01T06:30"), "call")]


def test_an_end_of_2400_means_midnight(client: TestClient, db: Session, schedule: Schedule) -> None:
    spans = _single(client, db, schedule, '"Okafor, Adaeze",12-01-26,1600,2400')

    assert spans == [(utc("2026-12-01T21:00"), utc("2026-12-02T05:00"), "call")]


def test_a_midnight_to_midnight_call_blocks_the_whole_next_day(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    spans = _single(client, db, schedule, '"Okafor, Adaeze",12-01-26,0000,0000')

    assert spans == [
        (utc("2026-12-01T05:00"), utc("2026-12-02T05:00"), "call"),
        (utc("2026-12-02T05:00"), utc("2026-12-03T05:00"), "post-call"),
    ]


def test_times_are_read_in_the_programme_time_zone(client: TestClient, db: Session) -> None:
    program = make_program(db, time_zone="America/Los_Angeles", state="CA")
    coordinator = make_staff(db, Role.coordinator, program=program)
    resident = make_resident(db, program, first_name="Wei", last_name="Chen")
    response = client.post(
        f"/programs/{program.id}/call-schedule",
        headers={**coordinator.headers, "Content-Type": "text/csv"},
        content=csv_text('"Chen, Wei",12-01-26,0800,1700'),
    )
    assert response.status_code == 200, response.text
    db.expire_all()
    spans = [(b.starts_at, b.ends_at) for b in db.scalars(select(Blackout))]
    assert spans == [(utc("2026-12-01T16:00"), utc("2026-12-02T01:00"))]
    assert all(b.resident_id == resident.id for b in db.scalars(select(Blackout)))


# --- accepted variants ------------------------------------------------------------------------------------


@pytest.mark.parametrize("day", ["12-01-26", "12/1/2026", "12/01/26", "2026-12-01", "12-01-2026"])
@pytest.mark.parametrize(("start", "end"), [("0800", "1700"), ("800", "1700"), ("08:00", "17:00")])
def test_dates_and_times_in_the_accepted_layouts(
    client: TestClient, db: Session, schedule: Schedule, day: str, start: str, end: str
) -> None:
    spans = _single(client, db, schedule, f'"Okafor, Adaeze",{day},{start},{end}')

    assert spans == [(utc("2026-12-01T13:00"), utc("2026-12-01T22:00"), "call")]


@pytest.mark.parametrize(
    "name",
    ["Okafor, Adaeze", "Adaeze Okafor", "OKAFOR, ADAEZE", "  okafor ,  adaeze ", "Okafor,Adaeze"],
)
def test_names_in_either_order_and_any_case(
    client: TestClient, db: Session, schedule: Schedule, name: str
) -> None:
    assert _single(client, db, schedule, f'"{name}",12-01-26,0800,1700')


@pytest.mark.parametrize(
    ("written", "email"),
    [
        ("Nguyen, Thao", NGUYEN),
        ("Thao Nguyen", NGUYEN),
        ("Garcia Lopez, Jose", GARCIA),
        ("Jose Garcia-Lopez", GARCIA),
        ("OBrien, Siobhan", OBRIEN),
        ("O’Brien, Siobhan", OBRIEN),
        ("Kowalczyk, Malgorzata", "mkowalczyk@hospital.example.org"),
    ],
)
def test_names_without_diacritics_or_punctuation_match(
    client: TestClient, db: Session, schedule: Schedule, written: str, email: str
) -> None:
    response = upload(client, schedule, csv_text(f'"{written}",12-01-26,0800,1700'))

    assert response.status_code == 200, response.text
    assert spans_of(db, schedule, email) == [(utc("2026-12-01T13:00"), utc("2026-12-01T22:00"), "call")]


def test_a_file_with_an_email_column_matches_by_email(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    text = csv_text(
        f"Smith John,{SMITH_2.upper()},12-01-26,0800,1700",
        f",{SMITH_1},12-02-26,0800,1700",
        header="Name,Email,Date,Start,End",
    )

    response = upload(client, schedule, text)

    assert response.status_code == 200, response.text
    assert [s[0] for s in spans_of(db, schedule, SMITH_2)] == [utc("2026-12-01T13:00")]
    assert [s[0] for s in spans_of(db, schedule, SMITH_1)] == [utc("2026-12-02T13:00")]


def test_an_unknown_email_falls_back_to_the_name_with_a_warning(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    text = csv_text(
        '"Okafor, Adaeze",adaeze@gmail.example.com,12-01-26,0800,1700', header="Name,Email,Date,Start,End"
    )

    response = upload(client, schedule, text)

    assert response.status_code == 200, response.text
    assert any("matched by name" in w for w in response.json()["warnings"])
    assert len(spans_of(db, schedule, OKAFOR)) == 1


def test_separate_first_and_last_name_columns_and_semicolons(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    text = "Last Name;First Name;Shift Date;Start Time;End Time\nNguyen;Thao;12/3/2026;0700;1800\n"

    response = upload(client, schedule, text.encode("utf-8-sig"))

    assert response.status_code == 200, response.text
    assert spans_of(db, schedule, NGUYEN) == [(utc("2026-12-03T12:00"), utc("2026-12-03T23:00"), "call")]


# --- bad input: a clear 4xx, nothing written --------------------------------------------------------------


def _refused(
    client: TestClient, db: Session, schedule: Schedule, content: bytes | str, status: int, **kwargs: Any
) -> dict[str, Any]:
    response = upload(client, schedule, content, **kwargs)
    assert response.status_code == status, response.text
    assert stored(db, schedule.program) == []
    body: dict[str, Any] = response.json()
    return body


def test_a_file_with_one_bad_row_imports_nothing(client: TestClient, db: Session, schedule: Schedule) -> None:
    text = csv_text(
        '"Okafor, Adaeze",12-01-26,0800,1700',
        '"Nguyen, Thao",13-45-26,0800,1700',
        '"Chen, Wei",12-02-26,2500,1700',
        '"Patel, Rohan",12-02-26,0800,7:00am',
        '"Nobody, Known",12-02-26,0800,1700',
        '"Smith, John",12-02-26,0800,1700',
    )

    body = _refused(client, db, schedule, text, 422)

    assert "nothing was imported" in body["detail"]
    errors = {(e["row"], e["column"]): e["message"] for e in body["errors"]}
    assert set(errors) == {(3, "Date"), (4, "Start"), (5, "End"), (6, "Name"), (7, "Name")}
    assert "'13-45-26' is not a real date" in errors[(3, "Date")]
    assert "'2500' is not a time of day" in errors[(4, "Start")]
    assert "'7:00am' is not a time" in errors[(5, "End")]
    assert "no active resident of this programme has this name" in errors[(6, "Name")]
    assert errors[(7, "Name")].startswith("ambiguous: 2 active residents")
    assert "Smith" not in str(body) and "Nobody" not in str(body)


def test_the_sample_fails_as_a_whole_when_a_name_is_unknown(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    text = SAMPLE.read_text(encoding="utf-8") + '"Doe, Jane",101,,Clinic,9,,12-05-26,0800,1700\r\n'

    body = _refused(client, db, schedule, text, 422)

    assert body["errors"] == [
        {"row": 12, "column": "Name", "message": "no active resident of this programme has this name"}
    ]


def test_skip_unmatched_skips_unknown_names_with_a_warning(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    text = csv_text('"Okafor, Adaeze",12-01-26,0800,1700', '"Doe, Jane",12-01-26,0800,1700')

    response = upload(client, schedule, text, skip_unmatched=True)

    assert response.status_code == 200, response.text
    assert response.json()["blackouts"]["created"] == 1
    assert any("skipped" in w for w in response.json()["warnings"])


def test_skip_unmatched_still_refuses_ambiguous_names(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    body = _refused(
        client, db, schedule, csv_text('"Smith, John",12-01-26,0800,1700'), 422, skip_unmatched=True
    )
    assert body["errors"][0]["message"].startswith("ambiguous")


def test_inactive_residents_and_other_programmes_residents_do_not_match(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    other = make_program(db)
    make_resident(db, other, first_name="Grace", last_name="Hopper")
    make_resident(db, schedule.program, first_name="Ada", last_name="Lovelace", active=False)
    text = csv_text('"Hopper, Grace",12-01-26,0800,1700', '"Lovelace, Ada",12-01-26,0800,1700')

    body = _refused(client, db, schedule, text, 422)

    assert [(e["row"], e["column"]) for e in body["errors"]] == [(2, "Name"), (3, "Name")]


def test_an_unknown_email_without_a_name_is_a_row_error(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    text = csv_text(",nobody@hospital.example.org,12-01-26,0800,1700", header="Name,Email,Date,Start,End")

    body = _refused(client, db, schedule, text, 422)

    assert body["errors"] == [
        {
            "row": 2,
            "column": "Email",
            "message": "no active resident of this programme has this e-mail address",
        }
    ]


def test_a_row_without_name_or_date_is_a_row_error(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    body = _refused(client, db, schedule, csv_text(",12-01-26,0800,1700", '"Okafor, Adaeze",,0800,1700'), 422)

    assert [(e["row"], e["column"]) for e in body["errors"]] == [(2, "Name"), (3, "Date")]


@pytest.mark.parametrize("content", [b"", b"   \r\n\r\n"], ids=["zero-bytes", "blank-lines"])
def test_an_empty_file_is_refused(
    client: TestClient, db: Session, schedule: Schedule, content: bytes
) -> None:
    body = _refused(client, db, schedule, content, 422)
    assert "empty" in body["detail"]


def test_a_binary_file_is_refused(client: TestClient, db: Session, schedule: Schedule) -> None:
    body = _refused(
        client, db, schedule, b"PK\x03\x04" + b"\x00" * 64, 415, as_file=True, filename="call.xlsx"
    )
    assert "not text" in body["detail"]


def test_a_file_with_nul_bytes_is_refused(client: TestClient, db: Session, schedule: Schedule) -> None:
    _refused(client, db, schedule, b"Name,Date,Start,End\n\x00\x01\x02\x03binary", 415)


def test_a_file_in_the_wrong_encoding_is_refused(client: TestClient, db: Session, schedule: Schedule) -> None:
    latin1 = csv_text('"García-López, José",12-01-26,0800,1700').encode("latin-1")

    body = _refused(client, db, schedule, latin1, 422)

    assert "UTF-8" in body["detail"]


def test_a_utf16_file_is_refused(client: TestClient, db: Session, schedule: Schedule) -> None:
    body = _refused(
        client, db, schedule, csv_text('"Okafor, Adaeze",12-01-26,0800,1700').encode("utf-16"), 422
    )
    assert "UTF-16" in body["detail"]


def test_a_file_without_a_heading_row_says_which_columns_are_needed(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    text = 'Schedule for December\r\n"Okafor, Adaeze",12-01-26,0800,1700\r\n'

    body = _refused(client, db, schedule, text, 422)

    assert "No heading row was found" in body["detail"]
    for column in ("Name (or Email)", "Date", "Start", "End"):
        assert column in body["detail"]


def test_a_heading_row_missing_a_column_is_named(client: TestClient, db: Session, schedule: Schedule) -> None:
    body = _refused(client, db, schedule, "Name,Date,Start,Finish\nOkafor Adaeze,12-01-26,0800,1700\n", 422)
    assert "Row 1 looks like the heading row but lacks the required columns End" in body["detail"]


def test_a_heading_row_with_no_shifts_is_refused(client: TestClient, db: Session, schedule: Schedule) -> None:
    body = _refused(client, db, schedule, "Report 619\nName,Date,Start,End\n,,,\n", 422)
    assert "no shifts" in body["detail"]


def test_unpaired_quotes_are_refused(client: TestClient, db: Session, schedule: Schedule) -> None:
    _refused(client, db, schedule, 'Name,Date,Start,End\n"Okafor, Adaeze,12-01-26,0800,1700\n', 422)


def test_an_oversized_file_is_413(client: TestClient, db: Session, schedule: Schedule) -> None:
    big = csv_text(*['"Okafor, Adaeze",12-01-26,0800,1700'] * 400_000)
    assert len(big) > 10 * 1024 * 1024

    _refused(client, db, schedule, big, 413)
    _refused(client, db, schedule, big, 413, as_file=True)


def test_json_is_refused_with_how_to_send(client: TestClient, db: Session, schedule: Schedule) -> None:
    body = _refused(client, db, schedule, '{"url": "x"}', 415, content_type="application/json")
    assert "ics-url" in body["detail"]


def test_a_multipart_upload_without_the_file_field_is_refused(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    response = client.post(
        schedule.url, headers=schedule.coordinator.headers, files={"other": ("x.csv", b"a", "text/csv")}
    )
    assert response.status_code == 422
    assert "'file'" in response.json()["detail"]


def test_resident_id_is_for_calendars_only(client: TestClient, db: Session, schedule: Schedule) -> None:
    _refused(client, db, schedule, SAMPLE.read_bytes(), 422, resident_id=schedule.id_of(OKAFOR))


def test_an_unknown_programme_is_404(client: TestClient, db: Session) -> None:
    admin = make_staff(db, Role.admin)
    response = client.post(
        "/programs/999999/call-schedule",
        headers={**admin.headers, "Content-Type": "text/csv"},
        content=SAMPLE.read_bytes(),
    )
    assert response.status_code == 404


@pytest.mark.parametrize("caller", ["other_coordinator", "director", "therapist"])
def test_other_staff_are_refused_before_the_file_is_read(
    client: TestClient, db: Session, schedule: Schedule, caller: str
) -> None:
    staff = {
        "other_coordinator": lambda: make_staff(db, Role.coordinator, program=make_program(db)),
        "director": lambda: make_staff(db, Role.director, program=schedule.program),
        "therapist": lambda: make_staff(db, Role.therapist, therapist=make_therapist(db)),
    }[caller]()
    response = client.post(
        schedule.url, headers={**staff.headers, "Content-Type": "text/csv"}, content=SAMPLE.read_bytes()
    )
    assert response.status_code == 403
    assert stored(db, schedule.program) == []


# --- listing and removing blackouts ----------------------------------------------------------------------


def test_coordinators_list_blackouts_by_resident_and_source(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    upload(client, schedule, SAMPLE.read_bytes())
    url = f"/programs/{schedule.program.id}/blackouts"

    everything = client.get(url, headers=schedule.coordinator.headers)
    one = client.get(
        url, headers=schedule.coordinator.headers, params={"resident_id": schedule.id_of(OBRIEN)}
    )
    from_ics = client.get(url, headers=schedule.coordinator.headers, params={"source": "ics"})

    assert everything.status_code == 200
    assert len(everything.json()) == 6
    assert one.json() == [
        {
            "id": one.json()[0]["id"],
            "resident_id": schedule.id_of(OBRIEN),
            "source": "amion_csv",
            "starts_at": "2026-12-01T12:00:00Z",
            "ends_at": "2026-12-02T12:00:00Z",
            "label": "call",
        },
        {
            "id": one.json()[1]["id"],
            "resident_id": schedule.id_of(OBRIEN),
            "source": "amion_csv",
            "starts_at": "2026-12-02T12:00:00Z",
            "ends_at": "2026-12-03T05:00:00Z",
            "label": "post-call",
        },
    ]
    assert from_ics.json() == []
    count = db.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "list"))
    assert count == 3


def test_listing_a_resident_of_another_programme_is_404(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    stranger = make_resident(db, make_program(db))
    response = client.get(
        f"/programs/{schedule.program.id}/blackouts",
        headers=schedule.coordinator.headers,
        params={"resident_id": stranger.id},
    )
    assert response.status_code == 404


def test_coordinators_remove_the_blackouts_of_one_source(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    upload(client, schedule, SAMPLE.read_bytes())
    url = f"/programs/{schedule.program.id}/blackouts"

    none = client.delete(url, headers=schedule.coordinator.headers, params={"source": "ics"})
    some = client.delete(
        url,
        headers=schedule.coordinator.headers,
        params={"source": "amion_csv", "resident_id": schedule.id_of(OBRIEN)},
    )
    rest = client.delete(url, headers=schedule.coordinator.headers, params={"source": "amion_csv"})
    missing = client.delete(url, headers=schedule.coordinator.headers)

    assert (none.json(), some.json(), rest.json()) == ({"removed": 0}, {"removed": 2}, {"removed": 4})
    assert missing.status_code == 422
    assert stored(db, schedule.program) == []


def test_an_import_that_changes_blackouts_asks_for_an_auto_booking_run(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    from app.booking.models import BookingRequest

    upload(client, schedule, SAMPLE.read_bytes(), dry_run=True)
    db.expire_all()
    assert db.get(BookingRequest, schedule.program.id) is None

    upload(client, schedule, SAMPLE.read_bytes())
    db.expire_all()
    assert db.get(BookingRequest, schedule.program.id) is not None


def test_a_shift_that_coincides_with_a_post_call_day_is_stored_once_as_call(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    both = csv_text('"Okafor, Adaeze",12-01-26,0700,0700', '"Okafor, Adaeze",12-02-26,0700,2400')
    only_the_call = csv_text('"Okafor, Adaeze",12-01-26,0700,0700', '"Okafor, Adaeze",12-02-26,0800,0900')

    first = upload(client, schedule, both)
    after_first = spans_of(db, schedule, OKAFOR)
    second = upload(client, schedule, only_the_call)

    assert first.json()["blackouts"] == {"created": 2, "unchanged": 0, "removed": 0}
    assert after_first == [
        (utc("2026-12-01T12:00"), utc("2026-12-02T12:00"), "call"),
        (utc("2026-12-02T12:00"), utc("2026-12-03T05:00"), "call"),
    ]
    # The 12-02 shift changed; the span is now only the post-call day, kept and relabelled.
    assert second.json()["blackouts"] == {"created": 1, "unchanged": 2, "removed": 0}
    assert spans_of(db, schedule, OKAFOR) == [
        (utc("2026-12-01T12:00"), utc("2026-12-02T12:00"), "call"),
        (utc("2026-12-02T12:00"), utc("2026-12-03T05:00"), "post-call"),
        (utc("2026-12-02T13:00"), utc("2026-12-02T14:00"), "call"),
    ]
