"""Reading iCalendar text, and checking calendar URLs: no database, no network."""

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from app.call_schedules.fetch import check_url, refused_address
from app.call_schedules.ics import MAX_OCCURRENCES, parse_ics
from app.errors import InvalidInput, PayloadTooLarge

ZONE = ZoneInfo("America/New_York")
TODAY = date(2026, 11, 22)


def calendar(*lines: str) -> str:
    return "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", *lines, "END:VCALENDAR"]) + "\r\n"


def test_events_carry_attendees_summary_and_their_line() -> None:
    text = calendar(
        "BEGIN:VEVENT",
        "UID:1",
        "DTSTART:20261201T130000Z",
        "DTEND:20261201T140000Z",
        "SUMMARY:Call",
        "ATTENDEE;CN=A:MAILTO:A.Okafor@Hospital.example.org",
        "ATTENDEE:mailto:b@hospital.example.org",
        "END:VEVENT",
    )
    [entry] = parse_ics(text, zone=ZONE, today=TODAY).entries
    assert entry.row == 3
    assert entry.who.attendees == ("a.okafor@hospital.example.org", "b@hospital.example.org")
    assert entry.who.summary == "Call"
    assert entry.day == date(2026, 12, 1)


def test_an_event_with_no_duration_is_skipped_with_a_warning() -> None:
    text = calendar(
        "BEGIN:VEVENT", "UID:1", "DTSTART:20261201T130000Z", "END:VEVENT",
        "BEGIN:VEVENT", "UID:2", "DTSTART:20261202T130000Z", "DURATION:PT1H", "END:VEVENT",
    )  # fmt: skip
    parsed = parse_ics(text, zone=ZONE, today=TODAY)
    assert len(parsed.entries) == 1
    assert parsed.warnings == ["1 event(s) with no duration were skipped."]


@pytest.mark.parametrize(
    "dates",
    [
        ("DTSTART:99991231T130000Z", "DTEND:99991231T140000Z"),
        ("DTSTART;VALUE=DATE:99991230",),
        ("DTSTART:00010101T000000", "DTEND:00010101T010000"),
        ("DTSTART;TZID=Asia/Tokyo:00010101T000000", "DTEND;TZID=Asia/Tokyo:00010101T010000"),
        ("DTSTART:19991231T130000Z", "DTEND:19991231T140000Z"),
        ("DTSTART:20261201T130000Z", "DTEND:21010101T000000Z"),
    ],
    ids=["year-9999", "all-day-9999", "floating-year-1", "tokyo-year-1", "1999", "ends-2101"],
)
def test_an_event_outside_2000_to_2099_is_skipped_with_its_line(dates: tuple[str, ...]) -> None:
    text = calendar(
        "BEGIN:VEVENT", "UID:1", "DTSTART:20261201T130000Z", "DTEND:20261201T140000Z", "END:VEVENT",
        "BEGIN:VEVENT", "UID:2", *dates, "SUMMARY:Call", "END:VEVENT",
    )  # fmt: skip
    parsed = parse_ics(text, zone=ZONE, today=TODAY)
    assert [entry.row for entry in parsed.entries] == [3]
    assert parsed.warnings == ["1 event(s) dated before 2000 or after 2099 were skipped (event on line 8)."]


def test_a_night_shift_on_the_last_day_of_2099_is_kept() -> None:
    text = calendar(
        "BEGIN:VEVENT", "UID:1", "DTSTART:20991231T220000", "DTEND:21000101T070000", "END:VEVENT"
    )  # fmt: skip
    [entry] = parse_ics(text, zone=ZONE, today=TODAY).entries
    assert entry.day == date(2099, 12, 31)


def test_a_calendar_dated_only_outside_2000_to_2099_is_refused_naming_the_lines() -> None:
    text = calendar(
        "BEGIN:VEVENT", "UID:1", "DTSTART:99991231T130000Z", "DTEND:99991231T140000Z", "END:VEVENT",
        "BEGIN:VEVENT", "UID:2", "DTSTART:00010101T130000Z", "DTEND:00010101T140000Z", "END:VEVENT",
    )  # fmt: skip
    with pytest.raises(InvalidInput) as raised:
        parse_ics(text, zone=ZONE, today=TODAY)
    assert raised.value.message.startswith(
        "Every event in the calendar is dated before 2000 or after 2099 (events on lines 3 and 8), so there "
        "is nothing to import."
    )


def test_an_unknown_tzid_is_read_in_the_programme_zone_with_a_warning_naming_it() -> None:
    text = calendar(
        "BEGIN:VEVENT", "UID:1", "DTSTART;TZID=Mars/Olympus:20261201T080000",
        "DTEND;TZID=Mars/Olympus:20261201T090000", "SUMMARY:Okafor call",
        "ATTENDEE:mailto:a.okafor@hospital.example.org", "END:VEVENT",
        "BEGIN:VEVENT", "UID:2", "DTSTART;TZID=Mars/Olympus:20261202T080000", "DURATION:PT1H", "END:VEVENT",
        "BEGIN:VEVENT", "UID:3", "DTSTART;TZID=Europe/Paris:20261203T080000", "DURATION:PT1H", "END:VEVENT",
    )  # fmt: skip
    parsed = parse_ics(text, zone=ZONE, today=TODAY)
    assert parsed.warnings == [
        "The time zone 'Mars/Olympus' (events on lines 3 and 10) is not known; its times were read in the "
        "programme's time zone (America/New_York)."
    ]
    first = parsed.entries[0].intervals[0]
    assert (first.starts_at.hour, first.ends_at.hour) == (13, 14)  # 08:00–09:00 EST


def test_a_rule_repeating_every_second_is_refused_quickly() -> None:
    text = calendar(
        "BEGIN:VEVENT", "UID:1", "DTSTART:20261201T000000Z", "DURATION:PT1S", "RRULE:FREQ=SECONDLY",
        "END:VEVENT",
    )  # fmt: skip
    with pytest.raises(PayloadTooLarge, match=f"{MAX_OCCURRENCES:,}"):
        parse_ics(text, zone=ZONE, today=TODAY)


@pytest.mark.parametrize("text", ["", "Name,Date\n", "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n"])
def test_not_a_calendar(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_ics(text, zone=ZONE, today=TODAY)


@pytest.mark.parametrize(
    ("raw", "fetched"),
    [
        ("https://cal.example.org/feed.ics", "https://cal.example.org/feed.ics"),
        ("http://127.0.0.1:8080/x.ics", "http://127.0.0.1:8080/x.ics"),
        ("webcal://cal.example.org/feed.ics?t=1", "https://cal.example.org/feed.ics?t=1"),
        (" HTTPS://cal.example.org/a ", "https://cal.example.org/a"),
    ],
)
def test_http_urls_are_fetched_and_webcal_is_read_as_https(raw: str, fetched: str) -> None:
    assert str(check_url(raw)) == fetched


@pytest.mark.parametrize(
    "raw", ["file:///etc/passwd", "ftp://x/y", "javascript:alert(1)", "cal.example.org/feed.ics", "https://"]
)
def test_other_urls_are_refused(raw: str) -> None:
    with pytest.raises(InvalidInput):
        check_url(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://[fe80::1]/x.ics",
        "http://[::ffff:169.254.169.254]/x.ics",
        "http://0.0.0.0:8000/x.ics",
        "http://224.0.0.1/x.ics",
    ],
)
def test_link_local_multicast_and_unspecified_addresses_are_refused(raw: str) -> None:
    with pytest.raises(InvalidInput, match="may not point to"):
        check_url(raw)


@pytest.mark.parametrize("host", ["127.0.0.1", "10.1.2.3", "192.168.0.10", "::1", "calendar.example.org"])
def test_loopback_private_addresses_and_names_are_allowed(host: str) -> None:
    assert not refused_address(host)


def test_an_event_ending_before_it_starts_is_reported_by_line() -> None:
    text = calendar(
        "BEGIN:VEVENT", "UID:1", "DTSTART:20261201T130000Z", "DTEND:20261201T120000Z", "END:VEVENT"
    )
    with pytest.raises(InvalidInput) as raised:
        parse_ics(text, zone=ZONE, today=TODAY)
    assert raised.value.errors == [
        {"row": 3, "column": "DTEND", "message": "the event ends before it starts"}
    ]
