"""The objective's priorities -- most booked, then earlier dates, then even load -- and determinism."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
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

from scheduling.engine import EngineError, _weights, plan
from scheduling.model import ExistingBooking, Interval

MONDAY = date(2026, 7, 6)


def test_booking_the_most_residents_beats_booking_early() -> None:
    # Only one Monday slot. "monday-only" can come on Monday alone; "flexible" could take it too, but then
    # "monday-only" would go unbooked. The earliest-first choice for "flexible" must give way.
    policy = make_policy(window_days=3)
    therapist = make_therapist("t", [weekly(0, "09:00", "09:30"), weekly(2, "09:00", "09:30")])
    tuesday_on = Interval(utc(2026, 7, 7, 4), utc(2026, 7, 9, 4))
    residents = [
        make_resident("flexible", MONDAY),
        make_resident("monday-only", MONDAY, blackouts=(tuesday_on,)),
    ]
    problem = make_problem(policy, utc(2026, 7, 1), residents, [therapist])

    result = plan(problem)

    check_plan(problem, result)
    assert {b.resident_id: b.start.date() for b in result.bookings} == {
        "monday-only": MONDAY,
        "flexible": date(2026, 7, 8),
    }


def test_earlier_dates_are_preferred() -> None:
    policy = make_policy(window_days=14)
    therapist = make_therapist("t", every_day("09:00", "17:00"))
    residents = [make_resident(f"r{i}", MONDAY) for i in range(5)]

    result = plan(make_problem(policy, utc(2026, 7, 1), residents, [therapist]))

    assert {b.start.date() for b in result.bookings} == {MONDAY}


def test_earlier_dates_beat_an_even_load() -> None:
    # "early" has two Monday slots, "late" only Tuesday ones: both residents go to "early" on Monday.
    policy = make_policy(window_days=2)
    early = make_therapist("early", [weekly(0, "09:00", "10:00")])
    late = make_therapist("late", [weekly(1, "09:00", "10:00")])
    residents = [make_resident(f"r{i}", MONDAY) for i in range(2)]

    result = plan(make_problem(policy, utc(2026, 7, 1), residents, [early, late]))

    assert [(b.therapist_id, b.start.date()) for b in result.bookings] == [
        ("early", MONDAY),
        ("early", MONDAY),
    ]


def test_load_is_even_across_therapists_on_the_same_day() -> None:
    policy = make_policy(window_days=1)
    therapists = [make_therapist(name, every_day("09:00", "12:00")) for name in ("a", "b", "c")]
    residents = [make_resident(f"r{i}", MONDAY) for i in range(6)]

    result = plan(make_problem(policy, utc(2026, 7, 1), residents, therapists))

    assert Counter(b.therapist_id for b in result.bookings) == {"a": 2, "b": 2, "c": 2}


def test_existing_check_ins_count_towards_the_load() -> None:
    policy = make_policy(window_days=1)
    therapists = [make_therapist(name, every_day("09:00", "12:00")) for name in ("a", "b")]
    existing = [
        ExistingBooking(f"other{i}", "a", utc(2026, 7, 6, 16 + i), utc(2026, 7, 6, 16 + i, 30))
        for i in range(2)
    ]
    residents = [make_resident(f"r{i}", MONDAY) for i in range(4)]

    result = plan(make_problem(policy, utc(2026, 7, 1), residents, therapists, existing))

    assert Counter(b.therapist_id for b in result.bookings) == {"a": 1, "b": 3}


def test_within_a_day_check_ins_start_at_the_beginning_of_the_therapists_time() -> None:
    policy = make_policy(window_days=1)
    therapist = make_therapist("t", every_day("09:00", "17:00"))
    residents = [make_resident(f"r{i}", MONDAY) for i in range(3)]

    result = plan(make_problem(policy, utc(2026, 7, 1), residents, [therapist]))

    assert [b.start for b in result.bookings] == [
        utc(2026, 7, 6, 13),
        utc(2026, 7, 6, 13, 30),
        utc(2026, 7, 6, 14),
    ]


def test_the_same_input_gives_the_same_plan() -> None:
    policy = make_policy(window_days=5)
    therapists = [make_therapist(f"t{i}", every_day("09:00", "11:00"), max_per_day=2) for i in range(3)]
    residents = [make_resident(f"r{i:02d}", MONDAY) for i in range(40)]
    problem = make_problem(policy, utc(2026, 7, 1), residents, therapists)

    first = plan(problem)

    assert all(plan(problem) == first for _ in range(3))
    reordered = make_problem(policy, utc(2026, 7, 1), reversed(residents), reversed(therapists))
    assert plan(reordered) == first


def test_cost_weights_keep_each_priority_above_the_next_and_fall_back_when_too_large() -> None:
    sizes = {"max_balance": 1_000, "bookings": 100, "max_rank": 40, "max_day": 56, "nodes": 5_000}

    best, fallback = _weights(**sizes)

    # The whole of the lower priorities' worst case is less than one step of the priority above.
    assert best.rank * sizes["bookings"] * sizes["max_rank"] < best.balance
    assert best.balance * sizes["max_balance"] + best.rank * sizes["bookings"] * sizes["max_rank"] < best.day
    assert (fallback.rank, fallback.balance * sizes["max_balance"] < fallback.day) == (0, True)
    assert len(_weights(**{**sizes, "max_balance": 10**9, "bookings": 10**5})) == 1  # time of day dropped
    with pytest.raises(EngineError):
        _weights(**{**sizes, "max_balance": 10**15})
