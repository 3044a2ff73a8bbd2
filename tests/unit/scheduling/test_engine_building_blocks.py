"""Wall-clock windows, cadence periods and slot packing on their own."""

from __future__ import annotations

from datetime import date, time
from zoneinfo import ZoneInfo

import pytest
from scheduling_helpers import utc

from scheduling.slots import floor_seconds, pack_slots, subtract, union, wall_to_instant, window_spans
from scheduling.windows import Window, academic_period, format_window

NEW_YORK = ZoneInfo("America/New_York")


def _hhmm(spans: list[tuple[int, int]]) -> list[tuple[str, str]]:
    start = floor_seconds(utc(1970, 1, 1))
    return [
        (
            f"{(a - start) // 3600 % 24:02d}:{(a - start) // 60 % 60:02d}",
            f"{(b - start) // 3600 % 24:02d}:{(b - start) // 60 % 60:02d}",
        )
        for a, b in spans
    ]


@pytest.mark.parametrize(
    ("day", "start", "end", "expected_utc"),
    [
        (date(2026, 7, 1), time(9), time(17), [("13:00", "21:00")]),
        (date(2026, 12, 1), time(9), time(17), [("14:00", "22:00")]),
        # Spring forward, 14 March 2027: 02:00-03:00 never shows on the clock.
        (date(2027, 3, 14), time(1, 30), time(2, 30), [("06:30", "07:00")]),
        (date(2027, 3, 14), time(2), time(4), [("07:00", "08:00")]),
        (date(2027, 3, 14), time(2), time(3), []),
        # Fall back, 1 November 2026: 01:00-02:00 shows twice.
        (date(2026, 11, 1), time(1), time(2), [("05:00", "06:00"), ("06:00", "07:00")]),
        (date(2026, 11, 1), time(0, 30), time(1, 30), [("04:30", "05:30"), ("06:00", "06:30")]),
        # Overnight across the fall-back: nine real hours.
        (date(2026, 10, 31), time(22), time(6), [("02:00", "06:00"), ("06:00", "11:00")]),
    ],
)
def test_window_spans_are_the_instants_the_clock_shows_the_window(
    day: date, start: time, end: time, expected_utc: list[tuple[str, str]]
) -> None:
    assert _hhmm(window_spans(day, start, end, NEW_YORK)) == expected_utc


def test_wall_to_instant_resolves_skipped_and_repeated_times() -> None:
    assert wall_to_instant(date(2027, 3, 14), time(2, 30), NEW_YORK) == floor_seconds(utc(2027, 3, 14, 7))
    assert wall_to_instant(date(2026, 11, 1), time(1, 30), NEW_YORK) == floor_seconds(utc(2026, 11, 1, 5, 30))


@pytest.mark.parametrize(
    ("day", "per_year", "expected"),
    [
        (date(2026, 7, 1), 1, (date(2026, 7, 1), date(2027, 7, 1))),
        (date(2027, 6, 30), 1, (date(2026, 7, 1), date(2027, 7, 1))),
        (date(2027, 1, 15), 2, (date(2027, 1, 1), date(2027, 7, 1))),
        (date(2026, 9, 30), 4, (date(2026, 7, 1), date(2026, 10, 1))),
        (date(2027, 6, 2), 12, (date(2027, 6, 1), date(2027, 7, 1))),
    ],
)
def test_academic_periods_start_on_1_july(day: date, per_year: int, expected: tuple[date, date]) -> None:
    assert academic_period(day, per_year) == expected


def test_windows_are_written_the_way_coordinators_write_dates() -> None:
    period = (date(2026, 7, 1), date(2027, 7, 1))
    assert format_window(Window(date(2026, 7, 1), date(2026, 8, 26), period)) == "1 Jul–25 Aug 2026"
    assert format_window(Window(date(2026, 12, 30), date(2027, 1, 3), period)) == "30 Dec 2026–2 Jan 2027"


def test_packing_keeps_duration_plus_buffer_between_starts_across_spans() -> None:
    minute = 60
    usable = [(0, 100 * minute), (105 * minute, 200 * minute)]

    starts = pack_slots(usable, duration=30 * minute, spacing=40 * minute, step=15 * minute)

    # 0; then 40 rounded up to the 15-minute grid; the next span opens at 105, past 45 + 40; then 150.
    assert [s // minute for s in starts] == [0, 45, 105, 150]


def test_interval_arithmetic() -> None:
    assert union([(5, 7), (1, 3), (3, 4)]) == [(1, 4), (5, 7)]
    assert subtract([(0, 10), (20, 30)], [(5, 25), (28, 40)]) == [(0, 5), (25, 28)]
