"""Property tests: on random small problems the engine obeys every rule and books exactly the maximum.

The instances are drawn around the US daylight-saving changes and across zones, with overnight and
early-morning windows, so the transitions are exercised on purpose rather than by luck.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scheduling_helpers import (
    balance_of,
    check_plan,
    existing_load,
    make_policy,
    make_problem,
    make_resident,
    make_therapist,
    reference_max_bookings,
    reference_objective,
)

from scheduling import candidates
from scheduling.bounds import max_flow_bound
from scheduling.engine import plan
from scheduling.greedy import greedy_plan
from scheduling.model import ExistingBooking, Interval, Modality, Problem, WeeklyWindow

ZONES = ["America/New_York", "America/Los_Angeles", "America/Phoenix", "Europe/London", "America/Chicago"]
# Mornings just before the US spring-forward and fall-back, and an ordinary summer day.
BASES = [
    datetime(2027, 3, 12, 13, 0, tzinfo=ZoneInfo("UTC")),
    datetime(2026, 10, 30, 13, 0, tzinfo=ZoneInfo("UTC")),
    datetime(2026, 7, 2, 13, 0, tzinfo=ZoneInfo("UTC")),
]


def _quarter(rng: random.Random, low: int = 0, high: int = 96) -> time:
    minutes = 15 * rng.randrange(low, high)
    return time(minutes // 60, minutes % 60)


def _windows(rng: random.Random, count: int) -> tuple[WeeklyWindow, ...]:
    windows = []
    for _ in range(count):
        # Mostly daytime (where programme hours usually are), sometimes at night across a DST change.
        start = _quarter(rng, 24, 64) if rng.random() < 0.7 else _quarter(rng)
        # Mostly ordinary spans, sometimes overnight (end before start) or a whole day (end equal to start).
        length = rng.choice([4, 8, 16, 24, 40, 96])
        total = (start.hour * 60 + start.minute + 15 * length) % (24 * 60)
        for weekday in rng.sample(range(7), rng.choice([1, 3, 5, 7])):
            windows.append(WeeklyWindow(weekday, start, time(total // 60, total % 60)))
    return tuple(windows)


def _interval(rng: random.Random, base: datetime, max_quarters: int) -> Interval:
    start = base + timedelta(minutes=15 * rng.randrange(-48, 4 * 96))
    return Interval(start, start + timedelta(minutes=15 * rng.randint(1, max_quarters)))


@st.composite
def problems(draw: st.DrawFn) -> Problem:
    """A random small problem; a seeded ``random.Random`` keeps the strategy short and still shrinkable."""
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    base = rng.choice(BASES)
    now = base + timedelta(hours=rng.randrange(0, 30))
    programme_zone = rng.choice(ZONES)
    today = now.astimezone(ZoneInfo(programme_zone)).date()
    use_blocks = rng.random() < 0.3
    day_start = _quarter(rng, 0, 48)
    policy = make_policy(
        time_zone=programme_zone,
        state=rng.choice(["NY", "CA"]),
        modality=rng.choice([Modality.VIDEO, Modality.IN_PERSON]),
        duration_minutes=rng.choice([15, 30, 45, 60]),
        buffer_minutes=rng.choice([0, 0, 10, 15, 30]),
        min_notice_hours=rng.choice([0, 0, 12, 24]),
        window_days=rng.randint(1, 4),
        checkins_per_academic_year=rng.choice([1, 1, 2]),
        pgy_levels=frozenset({1, 2}),
        allowed_weekdays=frozenset(rng.sample(range(7), rng.randint(3, 7))),
        day_start=day_start,
        day_end=_quarter(rng, day_start.hour * 4 + 16, 96) if rng.random() < 0.8 else time(0),
        protected_blocks=_windows(rng, rng.randint(1, 4)) if use_blocks else (),
        slot_step_minutes=rng.choice([15, 30]),
    )
    residents = []
    for index in range(rng.randint(1, 8)):
        start = today + timedelta(days=rng.randint(-2, 3))
        if rng.random() < 0.05:
            start = date(2025, 7, 1)  # started long ago: the window opened with the period
        residents.append(
            make_resident(
                f"r{index}",
                start,
                pgy=rng.choice([1, 1, 2, 2, 3]),
                end_date=start + timedelta(days=rng.randint(0, 5)) if rng.random() < 0.15 else None,
                blackouts=tuple(_interval(rng, base, 40) for _ in range(rng.randint(0, 3))),
                checkins_this_period=1 if rng.random() < 0.05 else 0,
            )
        )
    therapists = []
    for index in range(rng.randint(1, 3)):
        therapists.append(
            make_therapist(
                f"t{index}",
                _windows(rng, rng.randint(1, 3)),
                time_zone=rng.choice(ZONES),
                busy=tuple(_interval(rng, base, 8) for _ in range(rng.randint(0, 2))),
                time_off=tuple(_interval(rng, base, 96) for _ in range(rng.random() < 0.2)),
                max_per_day=rng.choice([None, 1, 2, 3]),
                max_per_week=rng.choice([None, None, 2, 4]),
                licensed_states=frozenset(rng.sample(["NY", "CA"], rng.randint(0, 2)))
                | ({policy.state} if rng.random() < 0.7 else set()),
                excluded_programs=frozenset({"im"}) if rng.random() < 0.1 else frozenset(),
            )
        )
    bookings = []
    for _ in range(rng.randint(0, 2)):
        start = base + timedelta(minutes=15 * rng.randrange(0, 4 * 96))
        who = rng.choice([r.id for r in residents] + ["someone-else"])
        bookings.append(ExistingBooking(who, rng.choice(therapists).id, start, start + timedelta(minutes=30)))
    return make_problem(policy, now, residents, therapists, bookings)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_plans_obey_every_rule_and_book_the_maximum(problem: Problem) -> None:
    result = plan(problem)
    check_plan(problem, result)
    assert len(result.bookings) == reference_max_bookings(problem)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(), st.randoms(use_true_random=False))
def test_the_plan_does_not_depend_on_input_order(problem: Problem, shuffler: random.Random) -> None:
    residents, therapists = list(problem.residents), list(problem.therapists)
    shuffler.shuffle(residents)
    shuffler.shuffle(therapists)
    shuffled = make_problem(problem.policy, problem.now, residents, therapists, problem.existing_bookings)
    assert plan(shuffled) == plan(problem)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_planning_again_with_the_plan_booked_adds_nothing(problem: Problem) -> None:
    first = plan(problem)
    booked = [ExistingBooking(b.resident_id, b.therapist_id, b.start, b.end) for b in first.bookings]
    again = plan(
        make_problem(
            problem.policy,
            problem.now,
            problem.residents,
            problem.therapists,
            [*problem.existing_bookings, *booked],
        )
    )
    assert again.bookings == ()
    assert {u.resident_id for u in again.unplaced} == {u.resident_id for u in first.unplaced}


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_the_greedy_baseline_obeys_the_rules_and_never_beats_the_engine(problem: Problem) -> None:
    greedy = greedy_plan(problem)
    check_plan(problem, greedy)
    assert len(greedy.bookings) <= len(plan(problem).bookings) == max_flow_bound(problem)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_blackouts_give_the_same_plan_when_processed_a_few_rows_at_a_time(problem: Problem) -> None:
    expected = plan(problem)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(candidates, "_BLOCK_CELLS", 1)
        assert plan(problem) == expected


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_plans_are_earliest_then_most_even_among_maximum_plans(problem: Problem) -> None:
    result = plan(problem)
    zone = ZoneInfo(problem.policy.time_zone)
    base = date(2026, 1, 1).toordinal()
    days = sum(b.start.astimezone(zone).date().toordinal() - base for b in result.bookings)
    loads: dict[str, int] = {}
    for b in result.bookings:
        loads[b.therapist_id] = loads.get(b.therapist_id, 0) + 1
    assert (days, balance_of(loads, existing_load(problem))) == reference_objective(problem)
