"""Importing a call schedule from an iCalendar file over HTTP."""

from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import Role
from app.call_schedules.models import Blackout
from tests.factories import Schedule, make_program, make_sample_roster, make_staff

OKAFOR = "a.okafor@hospital.example.org"
OBRIEN = "sobrien@hospital.example.org"
NGUYEN = "thao.nguyen@hospital.example.org"
SMITH_1 = "john.smith@hospital.example.org"


def event(*lines: str, uid: str | None = None) -> str:
    head = [f"UID:{uid}"] if uid else []
    return "\r\n".join(["BEGIN:VEVENT", *head, "DTSTAMP:20261101T000000Z", *lines, "END:VEVENT"])


def calendar(*events: str) -> str:
    return (
        "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Tend tests//EN", *events, "END:VCALENDAR"])
        + "\r\n"
    )


def attendee(email: str) -> str:
    return f"ATTENDEE;CN=Someone;ROLE=REQ-PARTICIPANT:mailto:{email}"


def send(
    client: TestClient,
    schedule: Schedule,
    text: str | bytes,
    *,
    as_file: bool = False,
    filename: str = "call.ics",
    content_type: str = "text/calendar",
    **params: Any,
) -> Response:
    data = text.encode() if isinstance(text, str) else text
    query = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in params.items()}
    if as_file:
        return client.post(
            schedule.url,
            headers=schedule.coordinator.headers,
            params=query,
            files={"file": (filename, data, content_type)},
        )
    return client.post(
        schedule.url,
        headers={**schedule.coordinator.headers, "Content-Type": content_type},
        params=query,
        content=data,
    )


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def spans(db: Session, resident_id: int) -> list[tuple[datetime, datetime, str]]:
    db.expire_all()
    rows = db.execute(
        select(Blackout.starts_at, Blackout.ends_at, Blackout.label)
        .where(Blackout.resident_id == resident_id)
        .order_by(Blackout.starts_at)
    )
    return [(s, e, label) for s, e, label in rows]


def all_blackouts(db: Session) -> list[Blackout]:
    db.expire_all()
    return list(db.scalars(select(Blackout)))


MICU = event(
    "DTSTART;TZID=America/New_York:20261201T070000",
    "DTEND;TZID=America/New_York:20261201T190000",
    "SUMMARY:MICU day",
    attendee(OKAFOR.upper()),
    uid="micu-1",
)


@pytest.mark.parametrize(
    ("as_file", "content_type", "filename"),
    [
        (False, "text/calendar", ""),
        (True, "text/calendar", "call.ics"),
        (True, "application/octet-stream", "call.ics"),
        (False, "text/plain", ""),
    ],
    ids=["text-calendar-body", "multipart-ics", "multipart-ics-by-name", "sniffed"],
)
def test_an_event_is_matched_by_attendee_email(
    client: TestClient, db: Session, schedule: Schedule, as_file: bool, content_type: str, filename: str
) -> None:
    response = send(
        client, schedule, calendar(MICU), as_file=as_file, content_type=content_type, filename=filename
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["source"] == "ics"
    assert (body["shifts"], body["residents_matched"]) == (1, 1)
    assert body["blackouts"] == {"created": 1, "unchanged": 0, "removed": 0}
    assert body["covered"] == {"first": "2026-12-01", "last": "2026-12-01"}
    assert spans(db, schedule.id_of(OKAFOR)) == [(utc("2026-12-01T12:00"), utc("2026-12-02T00:00"), "call")]


def test_a_group_event_blocks_every_resident_attending(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    text = calendar(
        event(
            "DTSTART:20261202T140000Z",
            "DTEND:20261202T160000Z",
            "SUMMARY:Simulation lab",
            attendee(OKAFOR),
            attendee(NGUYEN),
            attendee("attending@hospital.example.org"),
            uid="sim",
        )
    )

    response = send(client, schedule, text)

    assert response.status_code == 200, response.text
    assert response.json()["residents_matched"] == 2
    for email in (OKAFOR, NGUYEN):
        assert spans(db, schedule.id_of(email)) == [
            (utc("2026-12-02T14:00"), utc("2026-12-02T16:00"), "call")
        ]


@pytest.mark.parametrize(
    ("summary", "email"),
    [
        ("Night float – Nguyen, Thao", NGUYEN),
        ("Thao Nguyen: wards", NGUYEN),
        ("Call O'Brien Siobhan", OBRIEN),
        (f"Call ({SMITH_1})", SMITH_1),
    ],
)
def test_an_event_without_resident_attendees_is_matched_by_its_summary(
    client: TestClient, db: Session, schedule: Schedule, summary: str, email: str
) -> None:
    text = calendar(
        event(
            "DTSTART:20261203T000000Z",
            "DTEND:20261203T120000Z",
            f"SUMMARY:{summary}",
            attendee("attending@hospital.example.org"),
            uid="s1",
        )
    )

    response = send(client, schedule, text)

    assert response.status_code == 200, response.text
    assert spans(db, schedule.id_of(email)) == [(utc("2026-12-03T00:00"), utc("2026-12-03T12:00"), "call")]


def test_a_weekly_event_across_the_autumn_change_keeps_its_wall_time(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    text = calendar(
        event(
            "DTSTART;TZID=America/New_York:20261024T070000",
            "DTEND;TZID=America/New_York:20261024T190000",
            "RRULE:FREQ=WEEKLY;COUNT=4",
            "EXDATE;TZID=America/New_York:20261107T070000",
            attendee(OKAFOR),
            "SUMMARY:Weekend days",
            uid="weekly",
        )
    )

    response = send(client, schedule, text)

    assert response.status_code == 200, response.text
    assert response.json()["shifts"] == 3
    assert spans(db, schedule.id_of(OKAFOR)) == [
        (utc("2026-10-24T11:00"), utc("2026-10-24T23:00"), "call"),
        (utc("2026-10-31T11:00"), utc("2026-10-31T23:00"), "call"),
        (utc("2026-11-14T12:00"), utc("2026-11-15T00:00"), "call"),  # EST after the change
    ]


def test_a_moved_occurrence_of_a_repeating_event_is_taken_where_it_moved(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    text = calendar(
        event(
            "DTSTART:20261201T130000Z",
            "DTEND:20261201T140000Z",
            "RRULE:FREQ=DAILY;COUNT=2",
            attendee(OKAFOR),
            uid="daily",
        ),
        event(
            "RECURRENCE-ID:20261202T130000Z",
            "DTSTART:20261202T170000Z",
            "DTEND:20261202T180000Z",
            attendee(OKAFOR),
            uid="daily",
        ),
    )

    assert send(client, schedule, text).status_code == 200
    assert [s[0] for s in spans(db, schedule.id_of(OKAFOR))] == [
        utc("2026-12-01T13:00"),
        utc("2026-12-02T17:00"),
    ]


def test_free_and_cancelled_events_are_skipped_and_tentative_ones_kept(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    text = calendar(
        event(
            "DTSTART:20261201T130000Z",
            "DTEND:20261201T140000Z",
            "TRANSP:TRANSPARENT",
            attendee(OKAFOR),
            uid="a",
        ),
        event(
            "DTSTART:20261202T130000Z",
            "DTEND:20261202T140000Z",
            "STATUS:CANCELLED",
            attendee(OKAFOR),
            uid="b",
        ),
        event(
            "DTSTART:20261203T130000Z",
            "DTEND:20261203T140000Z",
            "STATUS:TENTATIVE",
            attendee(OKAFOR),
            uid="c",
        ),
    )

    response = send(client, schedule, text)

    assert response.status_code == 200, response.text
    assert response.json()["warnings"] == ["2 event(s) marked free (transparent) or cancelled were skipped."]
    assert [s[0] for s in spans(db, schedule.id_of(OKAFOR))] == [utc("2026-12-03T13:00")]


def test_a_24_hour_event_blocks_the_rest_of_the_day_it_ends(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    text = calendar(
        event(
            "DTSTART;TZID=America/New_York:20261031T070000",
            "DTEND;TZID=America/New_York:20261101T070000",
            attendee(OKAFOR),
            uid="24h",
        )
    )

    assert send(client, schedule, text).status_code == 200
    assert spans(db, schedule.id_of(OKAFOR)) == [
        (utc("2026-10-31T11:00"), utc("2026-11-01T12:00"), "call"),  # 25 real hours
        (utc("2026-11-01T12:00"), utc("2026-11-02T05:00"), "post-call"),
    ]


def test_all_day_and_floating_events_are_in_the_programme_time_zone(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    text = calendar(
        event("DTSTART;VALUE=DATE:20261224", "DTEND;VALUE=DATE:20261226", attendee(OKAFOR), uid="vacation"),
        event("DTSTART:20261228T080000", "DURATION:PT9H", attendee(OKAFOR), uid="floating"),
    )

    assert send(client, schedule, text).status_code == 200
    assert spans(db, schedule.id_of(OKAFOR)) == [
        (utc("2026-12-24T05:00"), utc("2026-12-26T05:00"), "call"),
        (utc("2026-12-28T13:00"), utc("2026-12-28T22:00"), "call"),
    ]


def test_re_importing_a_calendar_changes_nothing_and_an_update_frees_removed_events(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    day_one = event("DTSTART:20261201T130000Z", "DTEND:20261201T220000Z", attendee(OKAFOR), uid="1")
    day_two = event("DTSTART:20261202T130000Z", "DTEND:20261202T220000Z", attendee(OKAFOR), uid="2")
    day_three = event("DTSTART:20261203T130000Z", "DTEND:20261203T220000Z", attendee(OKAFOR), uid="3")
    assert send(client, schedule, calendar(day_one, day_two, day_three)).status_code == 200

    again = send(client, schedule, calendar(day_one, day_two, day_three)).json()
    updated = send(client, schedule, calendar(day_one, day_three)).json()

    assert again["blackouts"] == {"created": 0, "unchanged": 3, "removed": 0}
    assert updated["blackouts"] == {"created": 0, "unchanged": 2, "removed": 1}
    assert [s[0].day for s in spans(db, schedule.id_of(OKAFOR))] == [1, 3]


def test_one_residents_feed_with_resident_id(client: TestClient, db: Session, schedule: Schedule) -> None:
    # A personal feed: no attendees, summaries without names.
    text = calendar(
        event("DTSTART:20261201T130000Z", "DTEND:20261201T220000Z", "SUMMARY:Clinic", uid="1"),
        event("DTSTART:20261202T130000Z", "DTEND:20261202T220000Z", "SUMMARY:Wards", uid="2"),
    )
    other_text = calendar(
        event("DTSTART:20261201T130000Z", "DTEND:20261201T220000Z", "SUMMARY:Clinic", uid="1")
    )

    first = send(client, schedule, text, resident_id=schedule.id_of(OKAFOR))
    second = send(client, schedule, other_text, resident_id=schedule.id_of(NGUYEN))

    assert first.status_code == 200, first.text
    assert second.json()["blackouts"] == {"created": 1, "unchanged": 0, "removed": 0}  # Okafor's stay
    assert len(spans(db, schedule.id_of(OKAFOR))) == 2
    assert len(spans(db, schedule.id_of(NGUYEN))) == 1


def test_resident_id_must_be_an_active_resident_of_the_programme(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    from tests.factories import make_resident

    stranger = make_resident(db, make_program(db))
    inactive = make_resident(db, schedule.program, active=False)
    text = calendar(MICU)

    assert send(client, schedule, text, resident_id=stranger.id).status_code == 404
    assert send(client, schedule, text, resident_id=inactive.id).status_code == 422
    assert all_blackouts(db) == []


# --- bad calendars -----------------------------------------------------------------------------------------


def test_an_event_matching_nobody_fails_the_file_with_its_line(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    text = calendar(
        MICU,
        event("DTSTART:20261202T130000Z", "DTEND:20261202T140000Z", "SUMMARY:Grand rounds", uid="gr"),
        event("DTSTART:20261203T130000Z", "DTEND:20261203T140000Z", "SUMMARY:Call John Smith", uid="js"),
        event(
            "DTSTART:20261204T130000Z",
            "DTEND:20261204T140000Z",
            "SUMMARY:Okafor Adaeze / Nguyen Thao",
            uid="2",
        ),
    )

    response = send(client, schedule, text)

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(12, "ATTENDEE"), (19, "SUMMARY"), (26, "SUMMARY")]
    assert "no attendee of this event is an active resident" in errors[0]["message"]
    assert "2 active residents of this programme have the name" in errors[1]["message"]
    assert "names more than one resident" in errors[2]["message"]
    assert all_blackouts(db) == []


def test_skip_unmatched_imports_the_rest_of_a_shared_calendar(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    text = calendar(
        MICU, event("DTSTART:20261202T130000Z", "DTEND:20261202T140000Z", "SUMMARY:Rounds", uid="x")
    )

    response = send(client, schedule, text, skip_unmatched=True)

    assert response.status_code == 200
    assert response.json()["blackouts"]["created"] == 1
    assert "1 shift(s) or event(s) match no active resident" in response.json()["warnings"][0]


@pytest.mark.parametrize(
    "text",
    [
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTART:20261201T130000Z\r\n",  # cut short
        "BEGIN:VCALENDAR\r\nthis is not a content line\r\nEND:VCALENDAR\r\n",
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VCALENDAR\r\nEND:VEVENT\r\n",
    ],
    ids=["truncated", "garbage-line", "misnested"],
)
def test_a_malformed_calendar_is_refused(
    client: TestClient, db: Session, schedule: Schedule, text: str
) -> None:
    response = send(client, schedule, text)

    assert response.status_code == 422, response.text
    assert "malformed" in response.json()["detail"]
    assert all_blackouts(db) == []


def test_bad_values_in_events_are_listed_by_line(client: TestClient, db: Session, schedule: Schedule) -> None:
    text = calendar(
        MICU,
        event("DTSTART:2026120GARBAGE", "DTEND:20261202T140000Z", attendee(OKAFOR), uid="bad-start"),
        event("DTEND:20261202T140000Z", attendee(OKAFOR), uid="no-start"),
        event("DTSTART:20261202T130000Z", "RRULE:FREQ=WEEKLY;BYDAY=XX", attendee(OKAFOR), uid="bad-rule"),
    )

    response = send(client, schedule, text)

    assert response.status_code == 422, response.text
    assert "malformed" in response.json()["detail"]
    assert [(e["row"], e["column"]) for e in response.json()["errors"]] == [
        (12, "DTSTART"),
        (19, "DTSTART"),
        (25, "RRULE"),
    ]
    assert "GARBAGE" not in response.text
    assert all_blackouts(db) == []


def test_a_calendar_without_events_is_refused(client: TestClient, db: Session, schedule: Schedule) -> None:
    response = send(client, schedule, calendar())

    assert response.status_code == 422
    assert "no events" in response.json()["detail"]


def test_a_calendar_of_only_free_events_is_refused(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    text = calendar(
        event("DTSTART:20261201T130000Z", "DTEND:20261201T140000Z", "TRANSP:TRANSPARENT", uid="a")
    )

    response = send(client, schedule, text)

    assert response.status_code == 422
    assert "no events to import" in response.json()["detail"]


def test_a_file_declared_as_calendar_that_is_not_one_is_refused(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    response = send(client, schedule, "Name,Date,Start,End\nOkafor Adaeze,12-01-26,0800,1700\n")

    assert response.status_code == 422
    assert "not an iCalendar file" in response.json()["detail"]


def test_a_never_ending_rule_is_expanded_for_a_year_only(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    today = datetime.now(UTC).date()
    start = today.strftime("%Y%m%d")
    text = calendar(
        event(
            f"DTSTART:{start}T130000Z",
            f"DTEND:{start}T140000Z",
            "RRULE:FREQ=DAILY",
            attendee(OKAFOR),
            uid="d",
        )
    )

    response = send(client, schedule, text)

    assert response.status_code == 200, response.text
    assert 366 <= response.json()["shifts"] <= 368


def test_a_rule_expanding_beyond_the_limit_is_413(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    text = calendar(
        event(
            "DTSTART:20261201T000000Z",
            "DTEND:20261201T000030Z",
            "RRULE:FREQ=MINUTELY",
            attendee(OKAFOR),
            uid="m",
        )
    )

    response = send(client, schedule, text)

    assert response.status_code == 413
    assert all_blackouts(db) == []


OUTLOOK_ZONE = "\r\n".join(
    [
        "BEGIN:VTIMEZONE",
        "TZID:Eastern Standard Time",
        "BEGIN:STANDARD",
        "DTSTART:16011104T020000",
        "RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11",
        "TZOFFSETFROM:-0400",
        "TZOFFSETTO:-0500",
        "END:STANDARD",
        "BEGIN:DAYLIGHT",
        "DTSTART:16010311T020000",
        "RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3",
        "TZOFFSETFROM:-0500",
        "TZOFFSETTO:-0400",
        "END:DAYLIGHT",
        "END:VTIMEZONE",
    ]
)


def test_an_outlook_export_with_a_windows_zone_name(client: TestClient, db: Session) -> None:
    # The programme is in Chicago; the events carry Outlook's own zone, which wins.
    program = make_program(db, time_zone="America/Chicago", state="IL")
    coordinator = make_staff(db, Role.coordinator, program=program)
    residents = make_sample_roster(db, program)
    text = calendar(
        OUTLOOK_ZONE,
        event(
            "DTSTART;TZID=Eastern Standard Time:20261031T070000",
            "DTEND;TZID=Eastern Standard Time:20261101T070000",
            attendee(OKAFOR),
            uid="outlook",
        ),
    )

    response = client.post(
        f"/programs/{program.id}/call-schedule",
        headers={**coordinator.headers, "Content-Type": "text/calendar"},
        content=text.encode(),
    )

    assert response.status_code == 200, response.text
    assert spans(db, residents[OKAFOR].id) == [
        (utc("2026-10-31T11:00"), utc("2026-11-01T12:00"), "call"),
        (utc("2026-11-01T12:00"), utc("2026-11-02T06:00"), "post-call"),  # midnight in Chicago
    ]


def test_a_file_matching_nobody_clears_nothing_even_with_skip_unmatched(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    assert send(client, schedule, calendar(MICU)).status_code == 200
    nobody = calendar(event("DTSTART:20261201T130000Z", "DTEND:20261201T140000Z", "SUMMARY:Rounds", uid="r"))

    response = send(client, schedule, nobody, skip_unmatched=True)

    assert response.status_code == 422
    assert "None of the file's shifts belongs to an active resident" in response.json()["detail"]
    assert len(all_blackouts(db)) == 1


def test_an_event_dated_in_year_9999_is_skipped_with_a_warning_not_a_number_error(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    text = calendar(
        MICU,
        event("DTSTART:99991231T130000Z", "DTEND:99991231T140000Z", attendee(OKAFOR), uid="far"),
        event("DTSTART;VALUE=DATE:00010101", attendee(OKAFOR), uid="near"),
    )

    response = send(client, schedule, text)

    assert response.status_code == 200, response.text
    assert response.json()["warnings"] == [
        "2 event(s) dated before 2000 or after 2099 were skipped (events on lines 12 and 19)."
    ]
    assert spans(db, schedule.id_of(OKAFOR)) == [(utc("2026-12-01T12:00"), utc("2026-12-02T00:00"), "call")]


def test_a_calendar_dated_only_in_year_9999_is_refused_naming_the_event(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    text = calendar(event("DTSTART:99991231T130000Z", "DTEND:99991231T140000Z", attendee(OKAFOR), uid="far"))

    response = send(client, schedule, text)

    assert response.status_code == 422
    assert response.json()["detail"].startswith(
        "Every event in the calendar is dated before 2000 or after 2099 (event on line 4)"
    )
    assert all_blackouts(db) == []


def test_an_unknown_tzid_is_read_in_the_programme_zone_and_named_in_a_warning(
    client: TestClient, db: Session, schedule: Schedule
) -> None:
    text = calendar(
        event(
            "DTSTART;TZID=Hospital Local Time:20261201T070000",
            "DTEND;TZID=Hospital Local Time:20261201T190000",
            "SUMMARY:MICU day Okafor",
            attendee(OKAFOR),
            uid="local",
        )
    )

    response = send(client, schedule, text)

    assert response.status_code == 200, response.text
    assert response.json()["warnings"] == [
        "The time zone 'Hospital Local Time' (event on line 4) is not known; its times were read in the "
        "programme's time zone (America/New_York)."
    ]
    assert "okafor" not in response.text.lower()
    assert spans(db, schedule.id_of(OKAFOR)) == [(utc("2026-12-01T12:00"), utc("2026-12-02T00:00"), "call")]
