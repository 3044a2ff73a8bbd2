"""Daylight-saving changes and programmes and therapists in different zones."""

from __future__ import annotations

from datetime import date, time
from zoneinfo import ZoneInfo

from scheduling_helpers import (
    check_plan,
    every_day,
    make_policy,
    make_problem,
    make_resident,
    make_therapist,
    utc,
    weekly,
)

from scheduling.engine import plan

NEW_YORK = ZoneInfo("America/New_York")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")


def _starts(result: object) -> dict[str, object]:
    return {b.resident_id: b.start for b in result.bookings}  # type: ignore[attr-defined]


def test_new_york_programme_and_los_angeles_therapist_keep_their_wall_times_across_spring_forward() -> None:
    # 06:00-06:30 in Los Angeles is 09:00-09:30 in New York all year, but a different UTC time before and
    # after 14 March 2027.
    policy = make_policy(window_days=1)
    therapist = make_therapist("t", every_day("06:00", "06:30"), time_zone="America/Los_Angeles")
    residents = [make_resident(f"r{day}", date(2027, 3, day)) for day in (13, 14, 15)]
    problem = make_problem(policy, utc(2027, 3, 1), residents, [therapist])

    result = plan(problem)

    check_plan(problem, result)
    assert _starts(result) == {
        "r13": utc(2027, 3, 13, 14),  # EST / PST
        "r14": utc(2027, 3, 14, 13),  # EDT / PDT (both zones changed at 02:00 local, before 06:00)
        "r15": utc(2027, 3, 15, 13),
    }
    for booking in result.bookings:
        assert booking.start.astimezone(NEW_YORK).hour == 9
        assert booking.start.astimezone(LOS_ANGELES).hour == 6


def test_a_therapist_in_a_zone_without_daylight_saving_loses_an_hour_of_overlap_after_spring_forward() -> (
    None
):
    # Phoenix stays on UTC-7. 07:00-09:00 Phoenix is 09:00-11:00 New York in winter, 10:00-12:00 in summer;
    # with programme hours ending at 11:00 the overlap shrinks from two hours to one.
    policy = make_policy(window_days=1, day_start=time(8), day_end=time(11))
    therapist = make_therapist("t", every_day("07:00", "09:00"), time_zone="America/Phoenix")
    before = [make_resident(f"before{i}", date(2027, 3, 12)) for i in range(5)]
    after = [make_resident(f"after{i}", date(2027, 3, 15)) for i in range(5)]
    problem = make_problem(policy, utc(2027, 3, 1), before + after, [therapist])

    result = plan(problem)

    check_plan(problem, result)
    booked = {b.resident_id for b in result.bookings}
    assert len(booked & {r.id for r in before}) == 4  # 09:00-11:00 New York: four 30-minute check-ins
    assert len(booked & {r.id for r in after}) == 2  # 10:00-11:00 New York: two


def test_a_window_across_the_skipped_hour_holds_only_the_real_time() -> None:
    # 01:00-04:00 on 14 March 2027 in New York lasts two real hours: 02:00-03:00 never happens.
    policy = make_policy(window_days=1, day_start=time(0), day_end=time(0))
    therapist = make_therapist("t", [weekly(6, "01:00", "04:00")])
    residents = [make_resident(f"r{i}", date(2027, 3, 14)) for i in range(5)]
    problem = make_problem(policy, utc(2027, 3, 1), residents, [therapist])

    result = plan(problem)

    check_plan(problem, result)
    assert sorted(b.start for b in result.bookings) == [
        utc(2027, 3, 14, 6),  # 01:00 EST
        utc(2027, 3, 14, 6, 30),  # 01:30 EST
        utc(2027, 3, 14, 7),  # 03:00 EDT, the moment the clocks jumped
        utc(2027, 3, 14, 7, 30),  # 03:30 EDT
    ]
    assert len(result.unplaced) == 1


def test_a_window_inside_the_skipped_hour_is_empty_that_day() -> None:
    policy = make_policy(window_days=1, day_start=time(0), day_end=time(0))
    therapist = make_therapist("t", [weekly(6, "02:00", "03:00")])
    problem = make_problem(policy, utc(2027, 3, 1), [make_resident("r", date(2027, 3, 14))], [therapist])

    result = plan(problem)

    assert result.bookings == ()
    assert "No therapist has open time" in result.unplaced[0].reason


def test_a_window_across_the_repeated_hour_holds_both_occurrences() -> None:
    # 01:00-02:00 on 1 November 2026 in New York happens twice: 05:00-06:00 UTC (EDT) and 06:00-07:00 UTC
    # (EST).
    policy = make_policy(window_days=1, day_start=time(0), day_end=time(0))
    therapist = make_therapist("t", [weekly(6, "01:00", "02:00")])
    residents = [make_resident(f"r{i}", date(2026, 11, 1)) for i in range(5)]
    problem = make_problem(policy, utc(2026, 10, 20), residents, [therapist])

    result = plan(problem)

    check_plan(problem, result)
    assert sorted(b.start for b in result.bookings) == [
        utc(2026, 11, 1, 5),
        utc(2026, 11, 1, 5, 30),
        utc(2026, 11, 1, 6),
        utc(2026, 11, 1, 6, 30),
    ]
    for booking in result.bookings:
        assert booking.start.astimezone(NEW_YORK).hour == 1


def test_zones_that_change_on_different_dates_are_compared_date_by_date() -> None:
    # London changes on 28 March 2027, New York on 14 March: for two weeks the gap is four hours, not five.
    # 14:00-15:00 London is 09:00-10:00 New York before 14 March and 10:00-11:00 between the two changes; the
    # programme only allows 09:00-10:00, so only the first date can be booked.
    policy = make_policy(window_days=1, day_start=time(9), day_end=time(10))
    therapist = make_therapist("t", every_day("14:00", "15:00"), time_zone="Europe/London")
    residents = [make_resident("march-12", date(2027, 3, 12)), make_resident("march-16", date(2027, 3, 16))]
    problem = make_problem(policy, utc(2027, 3, 1), residents, [therapist])

    result = plan(problem)

    check_plan(problem, result)
    assert set(_starts(result)) == {"march-12"}
    assert [u.resident_id for u in result.unplaced] == ["march-16"]


def test_daily_capacity_counts_the_therapists_own_calendar_day() -> None:
    # A therapist in Tokyo available 08:00-10:00 Tokyo time, which is the evening before in New York. With one
    # check-in per (Tokyo) day, two programme days of evening hours are two Tokyo days.
    policy = make_policy(window_days=2, day_start=time(18), day_end=time(21))
    therapist = make_therapist("t", every_day("08:00", "10:00"), time_zone="Asia/Tokyo", max_per_day=1)
    residents = [make_resident(f"r{i}", date(2026, 7, 6)) for i in range(4)]
    problem = make_problem(policy, utc(2026, 7, 1), residents, [therapist])

    result = plan(problem)

    check_plan(problem, result)
    assert len(result.bookings) == 2
    tokyo_days = {b.start.astimezone(ZoneInfo("Asia/Tokyo")).date() for b in result.bookings}
    assert tokyo_days == {date(2026, 7, 7), date(2026, 7, 8)}
