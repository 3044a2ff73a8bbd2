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
