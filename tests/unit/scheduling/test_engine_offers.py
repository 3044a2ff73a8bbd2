"""Times offered to a resident who reschedules."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from scheduling_helpers import (
    check_bookings,
    every_day,
    make_policy,
    make_problem,
    make_resident,
    make_therapist,
    utc,
)
from test_engine_properties import problems

from scheduling.model import ExistingBooking, Problem
from scheduling.offers import offer_times

MONDAY = date(2026, 7, 6)


def test_offers_are_the_earliest_open_time_on_each_of_several_days() -> None:
    policy = make_policy(window_days=7)
    therapist = make_therapist("t", every_day("09:00", "11:00"), max_per_day=2)
    # Monday is already full with two other check-ins; Tuesday 09:00 is taken.
    taken = [
        ExistingBooking("a", "t", utc(2026, 7, 6, 13), utc(2026, 7, 6, 13, 30)),
        ExistingBooking("b", "t", utc(2026, 7, 6, 14), utc(2026, 7, 6, 14, 30)),
        ExistingBooking("c", "t", utc(2026, 7, 7, 13), utc(2026, 7, 7, 13, 30)),
    ]
    problem = make_problem(policy, utc(2026, 7, 1), [make_resident("r", MONDAY)], [therapist], taken)

    offers = offer_times(problem, "r", limit=3)

    assert [o.start for o in offers] == [utc(2026, 7, 7, 13, 30), utc(2026, 7, 8, 13), utc(2026, 7, 9, 13)]
    assert {o.therapist_id for o in offers} == {"t"}


def test_no_offers_for_a_resident_who_is_not_due() -> None:
    policy = make_policy(pgy_levels=frozenset({1}))
    therapist = make_therapist("t", every_day("09:00", "11:00"))
    problem = make_problem(policy, utc(2026, 7, 1), [make_resident("r", MONDAY, pgy=2)], [therapist])

    assert offer_times(problem, "r") == ()
    assert offer_times(problem, "nobody") == ()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_every_offer_obeys_every_rule(problem: Problem) -> None:
    for resident in problem.residents:
        offers = offer_times(problem, resident.id, limit=3)
        days = {o.start.astimezone(ZoneInfo(problem.policy.time_zone)).date() for o in offers}
        assert len(days) == len(offers) <= 3
        for offer in offers:
            check_bookings(problem, [offer])
