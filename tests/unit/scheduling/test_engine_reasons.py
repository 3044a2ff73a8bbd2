"""Reasons for residents left unplaced: specific, actionable, and about nobody else."""

from __future__ import annotations

from datetime import date

from scheduling_helpers import (
    every_day,
    make_policy,
    make_problem,
    make_resident,
    make_therapist,
    utc,
    weekly,
)

from scheduling.engine import plan
from scheduling.model import Interval

MONDAY = date(2026, 7, 6)


def _reasons(result: object) -> dict[str, str]:
    return {u.resident_id: u.reason for u in result.unplaced}  # type: ignore[attr-defined]


def test_a_call_schedule_that_covers_all_therapist_time_is_named() -> None:
    policy = make_policy(window_days=7)
    therapist = make_therapist("t", every_day("09:00", "10:00"))
    on_call_all_week = Interval(utc(2026, 7, 6, 4), utc(2026, 7, 13, 4))
    resident = make_resident("r", MONDAY, blackouts=(on_call_all_week,))

    result = plan(make_problem(policy, utc(2026, 7, 1), [resident], [therapist]))

    assert _reasons(result) == {
        "r": "No therapist time in the check-in window (6 Jul–12 Jul 2026) falls outside this resident's "
        "call schedule and other blackouts"
    }


def test_no_therapist_time_in_the_window_is_named() -> None:
    policy = make_policy(window_days=5)
    therapist = make_therapist("t", [weekly(5, "09:00", "17:00")])  # Saturdays only

    result = plan(make_problem(policy, utc(2026, 7, 1), [make_resident("r", MONDAY)], [therapist]))

    assert _reasons(result)["r"].startswith(
        "No therapist has open time in the check-in window (6 Jul–10 Jul 2026)"
    )


def test_capacity_shortfall_names_licensure_and_the_window_but_no_other_resident() -> None:
    policy = make_policy(window_days=1)
    therapist = make_therapist("t", every_day("09:00", "09:30"))
    residents = [make_resident("anna", MONDAY), make_resident("ben", MONDAY)]

    result = plan(make_problem(policy, utc(2026, 7, 1), residents, [therapist]))

    (reason,) = _reasons(result).values()
    assert reason.startswith("Every therapist licensed in NY with time that fits this resident's schedule")
    assert "(6 Jul 2026)" in reason
    assert "anna" not in reason and "ben" not in reason


def test_all_therapists_excluded_is_named() -> None:
    policy = make_policy()
    therapist = make_therapist("t", every_day("09:00", "17:00"), excluded_programs=frozenset({"im"}))

    result = plan(make_problem(policy, utc(2026, 7, 1), [make_resident("r", MONDAY)], [therapist]))

    assert "excluded from this programme" in _reasons(result)["r"]


def test_every_resident_is_accounted_for_exactly_once() -> None:
    policy = make_policy(window_days=2, pgy_levels=frozenset({1}))
    therapist = make_therapist("t", every_day("09:00", "10:00"))
    residents = [make_resident(f"r{i}", MONDAY, pgy=1 + i % 2) for i in range(10)]

    result = plan(make_problem(policy, utc(2026, 7, 1), residents, [therapist]))

    ids = [b.resident_id for b in result.bookings] + [u.resident_id for u in result.unplaced]
    assert sorted(ids) == sorted(r.id for r in residents)
    assert len(result.bookings) == 4
