"""Each booking rule on its own, with small hand-made cases (2026-07-06 is a Monday)."""

from __future__ import annotations

from datetime import date, time, timedelta

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

from scheduling.engine import plan, release_future_bookings
from scheduling.model import ExistingBooking, Interval, Modality

MONDAY = date(2026, 7, 6)


def test_daily_capacity_spreads_check_ins_over_days() -> None:
    policy = make_policy(window_days=3)
    therapist = make_therapist("t", every_day("09:00", "13:00"), max_per_day=2)
    residents = [make_resident(f"r{i}", MONDAY) for i in range(7)]
    problem = make_problem(policy, utc(2026, 7, 1), residents, [therapist])

    result = plan(problem)

    check_plan(problem, result)
    per_day: dict[date, int] = {}
    for b in result.bookings:
        day = b.start.date()
        per_day[day] = per_day.get(day, 0) + 1
    assert per_day == {MONDAY: 2, MONDAY + timedelta(days=1): 2, MONDAY + timedelta(days=2): 2}
    assert len(result.unplaced) == 1


def test_weekly_capacity_is_per_iso_week_and_counts_existing_check_ins() -> None:
    policy = make_policy(window_days=14)
    therapist = make_therapist("t", every_day("09:00", "13:00"), max_per_week=3)
    # One check-in already booked (another programme) in the first week.
    existing = ExistingBooking("elsewhere", "t", utc(2026, 7, 7, 13), utc(2026, 7, 7, 13, 30))
    residents = [make_resident(f"r{i}", MONDAY) for i in range(6)]
    problem = make_problem(policy, utc(2026, 7, 1), residents, [therapist], [existing])

    result = plan(problem)

    check_plan(problem, result)
    weeks = sorted(b.start.isocalendar()[1] for b in result.bookings)
    assert weeks == [28, 28, 29, 29, 29]


def test_no_therapist_is_double_booked_and_buffers_are_kept() -> None:
    policy = make_policy(window_days=1, buffer_minutes=15)
    therapist = make_therapist("t", [weekly(0, "09:00", "11:00")])
    # An existing check-in 10:00-10:30 leaves 09:00-09:45 and 10:45-11:00 usable.
    existing = ExistingBooking("elsewhere", "t", utc(2026, 7, 6, 14), utc(2026, 7, 6, 14, 30))
    residents = [make_resident(f"r{i}", MONDAY) for i in range(4)]
    problem = make_problem(policy, utc(2026, 7, 1), residents, [therapist], [existing])

    result = plan(problem)

    check_plan(problem, result)
    assert [b.start for b in result.bookings] == [utc(2026, 7, 6, 13)]  # 09:00; 09:45 would end too late


def test_busy_time_and_time_off_are_never_booked() -> None:
    policy = make_policy(window_days=2)
    therapist = make_therapist(
        "t",
        every_day("09:00", "10:00"),
        busy=(Interval(utc(2026, 7, 6, 13), utc(2026, 7, 6, 13, 45)),),  # Monday 09:00-09:45
        time_off=(Interval(utc(2026, 7, 7, 4), utc(2026, 7, 8, 4)),),  # all of Tuesday
    )
    residents = [make_resident(f"r{i}", MONDAY) for i in range(3)]
    problem = make_problem(policy, utc(2026, 7, 1), residents, [therapist])

    result = plan(problem)

    check_plan(problem, result)
    assert [b.start for b in result.bookings] == []  # 09:45-10:15 does not fit before 10:00


def test_excluded_therapists_are_not_used() -> None:
    policy = make_policy(window_days=1)
    teaches_here = make_therapist("a", every_day("09:00", "17:00"), excluded_programs=frozenset({"im"}))
    teaches_elsewhere = make_therapist(
        "b", every_day("09:00", "09:30"), excluded_programs=frozenset({"surgery"})
    )
    residents = [make_resident(f"r{i}", MONDAY) for i in range(2)]
    problem = make_problem(policy, utc(2026, 7, 1), residents, [teaches_here, teaches_elsewhere])

    result = plan(problem)

    check_plan(problem, result)
    assert {b.therapist_id for b in result.bookings} == {"b"}
    assert len(result.unplaced) == 1


def test_video_check_ins_need_a_therapist_licensed_in_the_programmes_state() -> None:
    california_only = make_therapist("t", every_day("09:00", "17:00"), licensed_states=frozenset({"CA"}))
    resident = make_resident("r", MONDAY)

    video = plan(make_problem(make_policy(), utc(2026, 7, 1), [resident], [california_only]))
    in_person = plan(
        make_problem(make_policy(modality=Modality.IN_PERSON), utc(2026, 7, 1), [resident], [california_only])
    )

    assert video.bookings == ()
    assert video.unplaced[0].reason == "No therapist is licensed in NY, which video check-ins require"
    assert [b.therapist_id for b in in_person.bookings] == ["t"]


def test_minimum_notice_is_respected() -> None:
    policy = make_policy(window_days=7, min_notice_hours=48)
    therapist = make_therapist("t", every_day("09:00", "09:30"))
    now = utc(2026, 7, 6, 12)  # Monday 08:00 in New York
    problem = make_problem(policy, now, [make_resident("r", MONDAY)], [therapist])

    result = plan(problem)

    check_plan(problem, result)
    assert [b.start for b in result.bookings] == [utc(2026, 7, 8, 13)]  # Wednesday 09:00


def test_check_ins_fall_inside_the_window_after_the_start_date() -> None:
    policy = make_policy(window_days=3)
    therapist = make_therapist("t", [weekly(0, "09:00", "09:30"), weekly(3, "09:00", "17:00")])
    # Starts Tuesday: the window is Tuesday to Thursday, and Thursday is the only therapist day in it.
    problem = make_problem(policy, utc(2026, 7, 1), [make_resident("r", date(2026, 7, 7))], [therapist])

    result = plan(problem)

    check_plan(problem, result)
    assert [b.start.date() for b in result.bookings] == [date(2026, 7, 9)]


def test_a_resident_who_started_earlier_has_the_window_from_the_start_of_the_academic_year() -> None:
    therapist = make_therapist("t", every_day("09:00", "17:00"))
    resident = make_resident("r", date(2024, 7, 1), pgy=3)
    policy = make_policy(window_days=10, pgy_levels=frozenset({1, 2, 3}))

    on_time = plan(make_problem(policy, utc(2026, 7, 2), [resident], [therapist]))
    too_late = plan(make_problem(policy, utc(2026, 7, 20), [resident], [therapist]))

    assert [b.start.date() for b in on_time.bookings] == [date(2026, 7, 2)]
    assert too_late.bookings == ()
    assert too_late.unplaced[0].reason == (
        "The check-in window for this period (1 Jul–10 Jul 2026) has already passed; the next check-in falls "
        "due in the period starting 1 Jul 2027"
    )


def test_an_incoming_intern_is_planned_for_the_year_they_start_in() -> None:
    policy = make_policy(window_days=5)
    therapist = make_therapist("t", every_day("09:00", "17:00"))
    # Booked last academic year as a medical student? Irrelevant: the plan is for the year starting 1 July.
    old = ExistingBooking("r", "t", utc(2026, 3, 2, 14), utc(2026, 3, 2, 14, 30))
    problem = make_problem(
        policy, utc(2026, 6, 15), [make_resident("r", date(2026, 7, 1))], [therapist], [old]
    )

    result = plan(problem)

    assert [b.start.date() for b in result.bookings] == [date(2026, 7, 1)]


def test_blackouts_are_avoided_even_when_they_begin_before_the_window() -> None:
    policy = make_policy(window_days=7)
    therapist = make_therapist("t", every_day("09:00", "09:30"))
    vacation = Interval(utc(2026, 6, 27), utc(2026, 7, 9, 4))  # until Wednesday night in New York
    call = Interval(utc(2026, 7, 9, 11), utc(2026, 7, 10, 11))  # Thursday 07:00 to Friday 07:00
    post_call = Interval(utc(2026, 7, 10, 11), utc(2026, 7, 11, 4))  # rest of Friday
    resident = make_resident("r", MONDAY, blackouts=(vacation, call, post_call))
    problem = make_problem(policy, utc(2026, 7, 1), [resident], [therapist])

    result = plan(problem)

    check_plan(problem, result)
    assert [b.start.date() for b in result.bookings] == [date(2026, 7, 11)]  # Saturday


def test_a_resident_leaving_before_the_window_is_reported() -> None:
    policy = make_policy(window_days=7)
    therapist = make_therapist("t", every_day("09:00", "17:00"))
    resident = make_resident("r", date(2026, 7, 1), end_date=date(2026, 7, 3))
    problem = make_problem(policy, utc(2026, 7, 5), [resident], [therapist])

    result = plan(problem)

    assert result.bookings == ()
    assert "has already passed" in result.unplaced[0].reason


def test_protected_blocks_replace_weekdays_and_hours() -> None:
    block = weekly(2, "13:00", "14:00")  # Wednesday afternoon teaching block
    policy = make_policy(window_days=7, protected_blocks=(block,))
    therapist = make_therapist("t", every_day("08:00", "18:00"))
    residents = [make_resident(f"r{i}", MONDAY) for i in range(3)]
    problem = make_problem(policy, utc(2026, 7, 1), residents, [therapist])

    result = plan(problem)

    check_plan(problem, result)
    assert [b.start for b in result.bookings] == [utc(2026, 7, 8, 17), utc(2026, 7, 8, 17, 30)]


def test_residents_with_a_check_in_this_period_are_already_booked_and_not_moved() -> None:
    policy = make_policy(window_days=7)
    therapist = make_therapist("t", every_day("09:00", "17:00"))
    held = ExistingBooking("has-one", "t", utc(2026, 7, 10, 13), utc(2026, 7, 10, 13, 30))
    residents = [
        make_resident("has-one", MONDAY),
        make_resident("opted-out", MONDAY, checkins_this_period=1),
        make_resident("new", MONDAY),
    ]
    problem = make_problem(policy, utc(2026, 7, 1), residents, [therapist], [held])

    result = plan(problem)

    check_plan(problem, result)
    assert result.already_booked == ("has-one", "opted-out")
    assert [b.resident_id for b in result.bookings] == ["new"]
    assert result.unplaced == ()


def test_cadence_twice_a_year_makes_a_resident_due_again_in_the_second_half() -> None:
    policy = make_policy(window_days=7, checkins_per_academic_year=2, pgy_levels=frozenset({2}))
    therapist = make_therapist("t", every_day("09:00", "17:00"))
    autumn = ExistingBooking("r", "t", utc(2026, 7, 6, 13), utc(2026, 7, 6, 13, 30))
    resident = make_resident("r", date(2025, 7, 1), pgy=2)

    october = plan(make_problem(policy, utc(2026, 10, 1), [resident], [therapist], [autumn]))
    january = plan(make_problem(policy, utc(2027, 1, 1, 12), [resident], [therapist], [autumn]))

    assert october.already_booked == ("r",)
    assert [b.start.date() for b in january.bookings] == [date(2027, 1, 1)]


def test_a_full_re_plan_may_move_future_bookings_but_not_imminent_or_other_programmes_ones() -> None:
    policy = make_policy(window_days=7, min_notice_hours=24)
    therapist = make_therapist("t", every_day("09:00", "17:00"))
    now = utc(2026, 7, 6, 12)
    tomorrow = ExistingBooking("soon", "t", utc(2026, 7, 7, 11, 30), utc(2026, 7, 7, 12))  # within notice
    later = ExistingBooking("later", "t", utc(2026, 7, 10, 13), utc(2026, 7, 10, 13, 30))
    elsewhere = ExistingBooking("other-programme", "t", utc(2026, 7, 10, 14), utc(2026, 7, 10, 14, 30))
    residents = [make_resident("soon", MONDAY), make_resident("later", MONDAY)]
    problem = make_problem(policy, now, residents, [therapist], [tomorrow, later, elsewhere])

    released = release_future_bookings(problem)
    result = plan(released)

    assert released.existing_bookings == (tomorrow, elsewhere)
    assert plan(problem).bookings == ()  # an ordinary run moves nothing
    assert [b.resident_id for b in result.bookings] == ["later"]
    assert result.bookings[0].start < later.start  # re-planned earlier


def test_pgy_levels_outside_the_policy_are_not_eligible() -> None:
    policy = make_policy(pgy_levels=frozenset({1, 2}))
    therapist = make_therapist("t", every_day("09:00", "17:00"))
    problem = make_problem(policy, utc(2026, 7, 1), [make_resident("r", MONDAY, pgy=4)], [therapist])

    result = plan(problem)

    assert (
        result.unplaced[0].reason
        == "Not eligible: PGY 4 is not in the programme's check-in policy (PGY 1, 2)"
    )


def test_programme_hours_limit_therapist_availability() -> None:
    policy = make_policy(window_days=1, day_start=time(12), day_end=time(13))
    therapist = make_therapist("t", every_day("08:00", "20:00"))
    residents = [make_resident(f"r{i}", MONDAY) for i in range(3)]
    problem = make_problem(policy, utc(2026, 7, 1), residents, [therapist])

    result = plan(problem)

    check_plan(problem, result)
    assert [b.start for b in result.bookings] == [utc(2026, 7, 6, 16), utc(2026, 7, 6, 16, 30)]
