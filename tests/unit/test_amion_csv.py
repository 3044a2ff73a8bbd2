"""Reading Amion-style CSV text into schedule entries: no database involved."""

from datetime import date, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app.call_schedules.amion import parse_amion, parse_date, parse_time
from app.call_schedules.upload import decode
from app.errors import InvalidInput

SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "amion-call-style.csv"
ZONE = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    "text", ["12-01-26", "12/1/2026", "12/01/26", "2026-12-01", "12-01-2026", " 12-1-26 "]
)
def test_accepted_dates(text: str) -> None:
    assert parse_date(text) == date(2026, 12, 1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("13-45-26", "'13-45-26' is not a real date (read as month-day-year)"),
        ("02-30-27", "'02-30-27' is not a real date"),
        ("Dec 1", "'Dec 1' is not a date"),
        ("", "the date is required"),
        ("12-01-1899", "only years 2000–2099"),
        ("12/31/9999", "'12/31/9999' has the year 9999; only years 2000–2099 are accepted"),
        ("0001-01-01", "has the year 1; only years 2000–2099"),
    ],
)
def test_refused_dates(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_date(text)


@pytest.mark.parametrize(
    ("text", "value"), [("0700", time(7)), ("700", time(7)), ("07:00", time(7)), ("2359", time(23, 59))]
)
def test_accepted_times(text: str, value: time) -> None:
    assert parse_time(text, what="start") == value


def test_2400_is_an_end_only() -> None:
    assert parse_time("2400", what="end", allow_2400=True) is None
    with pytest.raises(ValueError, match="not a time of day"):
        parse_time("2400", what="start")


@pytest.mark.parametrize("text", ["2500", "0760", "7:00am", "7", "07:00:00", "noon", ""])
def test_refused_times(text: str) -> None:
    with pytest.raises(ValueError):
        parse_time(text, what="start")


def test_the_sample_reads_into_five_shifts_with_the_heading_on_row_6() -> None:
    parsed = parse_amion(decode(SAMPLE.read_bytes()), zone=ZONE)

    assert parsed.errors == []
    assert [(e.row, e.who.name, e.day) for e in parsed.entries] == [
        (7, "Okafor, Adaeze", date(2026, 12, 1)),
        (8, "Okafor, Adaeze", date(2026, 12, 2)),
        (9, "O'Brien, Siobhan", date(2026, 12, 1)),
        (10, "Nguyen, Thao", date(2026, 12, 3)),
        (11, "Garcia-Lopez, Jose", date(2026, 12, 4)),
    ]
    assert [len(e.intervals) for e in parsed.entries] == [1, 1, 2, 1, 1]


def test_tab_separated_with_a_preamble() -> None:
    text = "Call schedule\tDecember\n\nStaff\tShift Date\tFrom\tTo\nOkafor, Adaeze\t12/1/2026\t0800\t1700\n"
    parsed = parse_amion(text, zone=ZONE)
    assert [(e.row, e.who.name) for e in parsed.entries] == [(4, "Okafor, Adaeze")]


def test_row_problems_are_collected_not_raised() -> None:
    parsed = parse_amion("Name,Date,Start,End\nA B,13-45-26,2500,7:00am\n", zone=ZONE)
    assert [(e.row, e.column) for e in parsed.errors] == [(2, "Date"), (2, "Start"), (2, "End")]
    assert parsed.entries == []


def test_no_heading_row() -> None:
    with pytest.raises(InvalidInput, match="No heading row was found"):
        parse_amion("just,some,text\n1,2,3\n", zone=ZONE)
