"""Shifts in wall time to UTC blackouts, across daylight-saving changes: no database involved."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.call_schedules.shifts import (
    CALL,
    POST_CALL,
    Interval,
    blackout_day,
    end_of_local_day,
    shift_blackouts,
    start_to_utc,
    wall_to_utc,
)

NEW_YORK = ZoneInfo("America/New_York")
FALL_BACK = date(2026, 11, 1)
SPRING_FORWARD = date(2027, 3, 14)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_an_ordinary_wall_time() -> None:
    assert wall_to_utc(date(2026, 12, 1), time(7), NEW_YORK) == utc("2026-12-01T12:00")
    assert wall_to_utc(date(2026, 7, 1), time(7), NEW_YORK) == utc("2026-07-01T11:00")


def test_a_skipped_wall_time_moves_forward_for_starts_and_ends() -> None:
    for is_end in (False, True):
        assert wall_to_utc(SPRING_FORWARD, time(2, 30), NEW_YORK, is_end=is_end) == utc("2027-03-14T07:30")


def test_a_repeated_wall_time_is_the_first_for_a_start_and_the_second_for_an_end() -> None:
    assert wall_to_utc(FALL_BACK, time(1, 30), NEW_YORK) == utc("2026-11-01T05:30")
    assert wall_to_utc(FALL_BACK, time(1, 30), NEW_YORK, is_end=True) == utc("2026-11-01T06:30")


def test_a_day_shift() -> None:
    assert shift_blackouts(date(2026, 12, 1), time(8), time(17), NEW_YORK) == [
        Interval(utc("2026-12-01T13:00"), utc("2026-12-01T22:00"), CALL)
    ]


def test_an_overnight_shift_ends_the_next_day() -> None:
    assert shift_blackouts(date(2026, 12, 1), time(19), time(7), NEW_YORK) == [
        Interval(utc("2026-12-02T00:00"), utc("2026-12-02T12:00"), CALL)
    ]


@pytest.mark.parametrize(
    ("day", "hours"),
    [(date(2026, 10, 31), 25), (date(2026, 11, 1), 24), (date(2027, 3, 13), 23), (SPRING_FORWARD, 24)],
)
def test_a_24_hour_shift_keeps_its_wall_times_so_its_real_length_follows_the_clock(
    day: date, hours: int
) -> None:
    call, post = shift_blackouts(day, time(7), time(7), NEW_YORK)
    assert call.ends_at - call.starts_at == timedelta(hours=hours)
    assert (call.label, post.label) == (CALL, POST_CALL)
    assert post.starts_at == call.ends_at
    assert post.ends_at.astimezone(NEW_YORK).time() == time(0)
    assert post.ends_at.astimezone(NEW_YORK).date() == day + timedelta(days=2)


def test_an_end_of_2400_is_midnight() -> None:
    assert shift_blackouts(date(2026, 12, 1), time(16), None, NEW_YORK) == [
        Interval(utc("2026-12-01T21:00"), utc("2026-12-02T05:00"), CALL)
    ]


def test_a_skipped_start_is_the_moment_the_clocks_jump() -> None:
    assert start_to_utc(SPRING_FORWARD, time(2, 30), NEW_YORK) == utc("2027-03-14T07:00")  # 03:00 EDT
    assert start_to_utc(SPRING_FORWARD, time(2, 0), NEW_YORK) == utc("2027-03-14T07:00")
    assert start_to_utc(SPRING_FORWARD, time(3, 0), NEW_YORK) == utc("2027-03-14T07:00")
    assert start_to_utc(SPRING_FORWARD, time(1, 59), NEW_YORK) == utc("2027-03-14T06:59")
    assert start_to_utc(FALL_BACK, time(1, 30), NEW_YORK) == utc("2026-11-01T05:30")  # as wall_to_utc


@pytest.mark.parametrize(
    ("zone", "day", "at", "jump"),
    [
        ("Australia/Lord_Howe", date(2027, 10, 3), time(2, 10), "2027-10-02T15:30"),  # a half-hour skip
        ("Pacific/Apia", date(2011, 12, 30), time(12), "2011-12-30T10:00"),  # Samoa skipped a whole day
        ("Europe/London", date(2027, 3, 28), time(1, 30), "2027-03-28T01:00"),
    ],
)
def test_the_jump_is_found_for_any_length_of_skip(zone: str, day: date, at: time, jump: str) -> None:
    assert start_to_utc(day, at, ZoneInfo(zone)) == utc(jump)


def test_a_shift_starting_in_the_skipped_hour_runs_from_the_jump_to_its_end() -> None:
    assert shift_blackouts(SPRING_FORWARD, time(2, 30), time(3, 30), NEW_YORK) == [
        Interval(utc("2027-03-14T07:00"), utc("2027-03-14T07:30"), CALL)  # 03:00–03:30 EDT
    ]


def test_a_shift_inside_the_skipped_hour_starts_at_the_jump_and_its_end_moves_forward() -> None:
    assert shift_blackouts(SPRING_FORWARD, time(2, 10), time(2, 50), NEW_YORK) == [
        Interval(utc("2027-03-14T07:00"), utc("2027-03-14T07:50"), CALL)  # 03:00–03:50 EDT
    ]


@pytest.mark.parametrize("start", [time(2), time(2, 30), time(2, 59)])
def test_a_shift_the_clocks_skip_whole_blocks_nothing(start: time) -> None:
    assert shift_blackouts(SPRING_FORWARD, start, time(3), NEW_YORK) == []


def test_a_24_hour_shift_starting_in_the_skipped_hour_has_its_post_call_day() -> None:
    call, post = shift_blackouts(SPRING_FORWARD, time(2, 30), time(2, 30), NEW_YORK)
    assert call == Interval(utc("2027-03-14T07:00"), utc("2027-03-15T06:30"), CALL)
    assert post == Interval(utc("2027-03-15T06:30"), utc("2027-03-16T04:00"), POST_CALL)


def test_end_of_local_day() -> None:
    assert end_of_local_day(utc("2026-12-02T12:00"), NEW_YORK) == utc("2026-12-03T05:00")
    assert end_of_local_day(utc("2026-12-02T05:00"), NEW_YORK) == utc("2026-12-03T05:00")  # at midnight
    assert end_of_local_day(utc("2026-11-01T12:00"), NEW_YORK) == utc("2026-11-02T05:00")


def test_a_post_call_blackout_belongs_to_the_day_of_its_shift() -> None:
    call, post = shift_blackouts(date(2026, 12, 1), time(7), time(7), NEW_YORK)
    assert blackout_day(call.starts_at, call.label, NEW_YORK) == date(2026, 12, 1)
    assert blackout_day(post.starts_at, post.label, NEW_YORK) == date(2026, 12, 1)
