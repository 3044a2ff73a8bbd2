"""A greedy first-fit baseline, used only by the benchmark to show what the optimiser adds.

Residents are taken one by one in id order, and each gets the earliest open therapist slot that fits them --
the way a coordinator filling a calendar by hand would work. It obeys every constraint (it shares the slot and
window preparation with the engine) but makes no attempt to leave room for residents whose schedules are
harder to fit, so when capacity is tight it books fewer residents than the optimum.
"""

from __future__ import annotations

import numpy as np

from scheduling.candidates import prepare
from scheduling.model import Booking, Plan, Problem, Unplaced
from scheduling.slots import from_seconds

__all__ = ["greedy_plan"]


def greedy_plan(problem: Problem) -> Plan:
    """Book residents first-fit in id order: each takes the earliest open slot that fits them."""
    candidates = prepare(problem)
    slots = candidates.slots
    duration = problem.policy.duration_minutes * 60
    width = int(slots.times.shape[0])
    first_slot = np.searchsorted(slots.slot_time, np.arange(width + 1), side="left").tolist()
    day_left = slots.day_capacity.copy()
    week_left = slots.week_capacity.copy()
    is_open = (day_left[slots.slot_day] > 0) & (week_left[slots.day_week[slots.slot_day]] > 0)
    open_at = np.bincount(slots.slot_time[is_open], minlength=width).astype(np.int64)

    day_slots: list[list[int]] = [[] for _ in range(day_left.shape[0])]
    for slot, day in enumerate(slots.slot_day.tolist()):
        day_slots[day].append(slot)
    week_days: list[list[int]] = [[] for _ in range(week_left.shape[0])]
    for day, week in enumerate(slots.day_week.tolist()):
        week_days[week].append(day)

    def close(day: int) -> None:
        for slot in day_slots[day]:
            if is_open[slot]:
                is_open[slot] = False
                open_at[slots.slot_time[slot]] -= 1

    bookings: list[Booking] = []
    unplaced = list(candidates.unplaced)
    for index, resident in enumerate(candidates.residents):
        fits = candidates.available[index] & (open_at > 0)
        if not fits.any():
            unplaced.append(Unplaced(resident.id, candidates.capacity_reason(index)))
            continue
        t = int(np.argmax(fits))
        slot = next(s for s in range(first_slot[t], first_slot[t + 1]) if is_open[s])
        is_open[slot] = False
        open_at[t] -= 1
        day = int(slots.slot_day[slot])
        week = int(slots.day_week[day])
        day_left[day] -= 1
        week_left[week] -= 1
        if day_left[day] == 0:
            close(day)
        if week_left[week] == 0:
            for other in week_days[week]:
                close(other)
        start = int(slots.times[t])
        bookings.append(
            Booking(
                resident.id,
                slots.therapists[int(slots.slot_therapist[slot])].id,
                from_seconds(start),
                from_seconds(start + duration),
            )
        )
    bookings.sort(key=lambda b: (b.start, b.resident_id))
    unplaced.sort()
    return Plan(bookings=tuple(bookings), unplaced=tuple(unplaced), already_booked=candidates.already_booked)
