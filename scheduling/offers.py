"""Times a resident can be offered when they reschedule (or opt back in).

A reschedule moves one resident and nobody else, so it is not an optimisation: every open slot that obeys all
the rules for this resident is a valid offer. The offers are spread over days (the earliest open time of each
day, earliest days first), so the resident sees a real choice rather than five times on one afternoon.
"""

from __future__ import annotations

import numpy as np

from scheduling.candidates import prepare
from scheduling.model import Booking, Problem
from scheduling.slots import from_seconds

__all__ = ["offer_times"]


def offer_times(problem: Problem, resident_id: str, *, limit: int = 5) -> tuple[Booking, ...]:
    """Return up to ``limit`` check-ins ``resident_id`` could take now, on different days, earliest first.

    ``problem`` must describe the situation as if the resident had no check-in this period: the caller leaves
    the resident's current booking out of ``existing_bookings`` (and ``checkins_this_period`` at zero), so
    that its time is offered back too. Every other existing booking stays where it is and keeps its therapist
    time and capacity. Offers lie in the resident's check-in window, respect every rule the engine applies,
    and on each day go to the least-loaded therapist free at the earliest time. An empty result means there is
    no open time (or the resident is not due a check-in).
    """
    candidates = prepare(problem)
    rows = [i for i, r in enumerate(candidates.residents) if r.id == resident_id]
    if not rows or limit <= 0:
        return ()
    slots = candidates.slots
    duration = problem.policy.duration_minutes * 60
    open_slot = (
        candidates.available[rows[0]][slots.slot_time]
        & (slots.day_capacity[slots.slot_day] > 0)
        & (slots.week_capacity[slots.day_week[slots.slot_day]] > 0)
    )
    offers: list[Booking] = []
    seen_days: set[int] = set()
    # Slots are ordered by time, then therapist: take each day's first open time, then its least-loaded
    # therapist.
    for slot in np.flatnonzero(open_slot).tolist():
        t = int(slots.slot_time[slot])
        day = int(slots.time_day_index[t])
        if day in seen_days:
            continue
        seen_days.add(day)
        same_time = np.flatnonzero(open_slot & (slots.slot_time == t)).tolist()
        chosen = min(same_time, key=lambda s: (int(slots.existing_load[slots.slot_therapist[s]]), s))
        start = int(slots.times[t])
        offers.append(
            Booking(
                resident_id,
                slots.therapists[int(slots.slot_therapist[chosen])].id,
                from_seconds(start),
                from_seconds(start + duration),
            )
        )
        if len(offers) == limit:
            break
    return tuple(offers)
