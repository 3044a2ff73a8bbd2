"""Everything the optimiser, the upper bound and the greedy baseline share: who is due a check-in, when each
resident could attend, and which therapist slots exist.

Aggregation
-----------
A direct model would link every resident to every therapist slot they could take: 10,000 residents times
tens of thousands of slots is hundreds of millions of arcs. Two exact compressions keep it small:

* **Time classes.** Slot start instants that exactly the same residents can attend are interchangeable from
  the residents' side, so they are grouped into one class. Blackouts come from call schedules whose shifts
  start and end at a few standard hours, so a day usually splits into a handful of classes whatever the number
  of residents.
* **Resident groups.** Residents who can attend exactly the same classes are interchangeable from the slots'
  side, so they are grouped too and enter the network as one node with a capacity equal to their number.

A resident can attend one instant of a class if and only if they can attend all of them (that is how classes
are built), and every member of a group has the same classes, so any flow through the compressed network can
be turned back into individual bookings without changing what is feasible or how many are booked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time

import numpy as np
import numpy.typing as npt

from scheduling.model import Modality, Problem, Resident, Unplaced, zone
from scheduling.slots import (
    SlotTable,
    build_slot_table,
    ceil_seconds,
    eligible_therapists,
    floor_seconds,
    local_date,
    wall_to_instant,
)
from scheduling.windows import Window, academic_period, check_in_window, format_day, format_window

__all__ = ["Candidates", "prepare"]

BoolMatrix = npt.NDArray[np.bool_]
#: Cells of the blackout difference array processed at once (4 bytes each).
_BLOCK_CELLS = 8_000_000
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Candidates:
    """The prepared planning problem.

    Attributes:
        problem: The input.
        slots: Every eligible therapist slot in the horizon.
        residents: Residents due a check-in who could be booked, sorted by id.
        windows: Their check-in windows (same order).
        available: ``available[r, t]``: resident ``r`` can attend a check-in starting at ``slots.times[t]``
            (inside their window, after the notice, clear of their blackouts).
        in_window: ``in_window[r]``: some therapist slot lies in resident ``r``'s window, blackouts aside.
        time_class: Class of each slot start instant, or -1 if no resident can attend it.
        group_of: Group of each resident; groups are numbered in order of their first (lowest-id) member.
        group_classes: ``group_classes[g, c]``: group ``g`` can attend class ``c``.
        unplaced: Residents who cannot be booked whatever the therapists' time (not eligible, window passed).
        already_booked: Ids of residents who already have this period's check-in.
    """

    problem: Problem
    slots: SlotTable
    residents: tuple[Resident, ...]
    windows: tuple[Window, ...]
    available: BoolMatrix
    in_window: npt.NDArray[np.bool_]
    time_class: IntArray
    group_of: IntArray
    group_classes: BoolMatrix
    unplaced: tuple[Unplaced, ...]
    already_booked: tuple[str, ...]

    @property
    def class_count(self) -> int:
        """Number of time classes."""
        return int(self.group_classes.shape[1])

    @property
    def group_count(self) -> int:
        """Number of resident groups."""
        return int(self.group_classes.shape[0])

    def capacity_reason(self, index: int) -> str:
        """Say why resident ``index`` was left unplaced by the optimiser, in a coordinator's words."""
        window = format_window(self.windows[index])
        policy = self.problem.policy
        if not self.in_window[index]:
            return (
                f"No therapist has open time in the check-in window ({window}) within the programme's "
                "check-in hours; more therapist availability in that window is needed"
            )
        if not self.available[index].any():
            return (
                f"No therapist time in the check-in window ({window}) falls outside this resident's call "
                "schedule and other blackouts"
            )
        who = (
            f"Every therapist licensed in {policy.state}"
            if policy.modality is Modality.VIDEO
            else "Every therapist"
        )
        return (
            f"{who} with time that fits this resident's schedule is at capacity during the check-in window "
            f"({window}); more therapist hours or capacity in that window would let this resident be booked"
        )


def _no_therapist_reason(problem: Problem) -> str:
    policy = problem.policy
    if not problem.therapists:
        return "No therapists are registered to take check-ins"
    if policy.modality is Modality.VIDEO:
        licensed = [t for t in problem.therapists if policy.state in t.licensed_states]
        if not licensed:
            return f"No therapist is licensed in {policy.state}, which video check-ins require"
        return (
            f"Every therapist licensed in {policy.state} is excluded from this programme (conflict of "
            "interest); video check-ins need a therapist licensed there"
        )
    return "Every therapist is excluded from this programme (conflict of interest)"


def _booking_dates(problem: Problem) -> dict[str, list[date]]:
    """Map each resident id to the programme-local dates of their existing bookings."""
    tz = zone(problem.policy.time_zone)
    dates: dict[str, list[date]] = {}
    for booking in problem.existing_bookings:
        dates.setdefault(booking.resident_id, []).append(local_date(floor_seconds(booking.start), tz))
    return dates


def prepare(problem: Problem) -> Candidates:
    """Sort the roster into already booked, not bookable (with reasons) and due, and lay out their options."""
    policy = problem.policy
    tz = zone(policy.time_zone)
    now = floor_seconds(problem.now)
    earliest = now + policy.min_notice_hours * 3600
    duration = policy.duration_minutes * 60
    today = local_date(now, tz)
    booked_dates = _booking_dates(problem)

    midnight_cache: dict[date, int] = {}

    def midnight(day: date) -> int:
        if day not in midnight_cache:
            midnight_cache[day] = wall_to_instant(day, time(0), tz)
        return midnight_cache[day]

    due: list[tuple[Resident, Window, int, int]] = []
    unplaced: list[Unplaced] = []
    already: list[str] = []
    for resident in sorted(problem.residents, key=lambda r: r.id):
        window = check_in_window(policy, resident, today)
        period_start, period_end = academic_period(
            max(today, resident.start_date), policy.checkins_per_academic_year
        )
        held = resident.checkins_this_period + sum(
            1 for d in booked_dates.get(resident.id, ()) if period_start <= d < period_end
        )
        if held > 0:
            already.append(resident.id)
            continue
        if resident.pgy not in policy.pgy_levels:
            levels = ", ".join(str(p) for p in sorted(policy.pgy_levels))
            unplaced.append(
                Unplaced(
                    resident.id,
                    f"Not eligible: PGY {resident.pgy} is not in the programme's check-in policy "
                    f"(PGY {levels})",
                )
            )
            continue
        if window.is_empty:
            assert resident.end_date is not None  # only a last day can close a window before it opens
            unplaced.append(
                Unplaced(
                    resident.id,
                    f"Leaves the programme on {format_day(resident.end_date, with_year=True)}, before a "
                    "check-in window opens",
                )
            )
            continue
        opens, closes = max(midnight(window.first), earliest), midnight(window.end)
        if closes - opens < duration:
            if now >= midnight(window.end):
                next_period = format_day(window.period[1], with_year=True)
                text = (
                    f"The check-in window for this period ({format_window(window)}) has already passed; the "
                    f"next check-in falls due in the period starting {next_period}"
                )
            else:
                text = (
                    f"The check-in window ({format_window(window)}) closes within the minimum notice of "
                    f"{policy.min_notice_hours} hours, too soon to book a check-in"
                )
            unplaced.append(Unplaced(resident.id, text))
            continue
        due.append((resident, window, opens, closes))

    therapists = eligible_therapists(policy, problem.therapists)
    if due and not therapists:
        reason = _no_therapist_reason(problem)
        unplaced.extend(Unplaced(r.id, reason) for r, _, _, _ in due)
        due = []

    # Slots are packed from the notice boundary, not from the earliest window that happens to be open: that
    # way which residents are due cannot shift a therapist's slots, and re-running a plan with its own
    # bookings added finds exactly the slots that were left.
    horizon_end = max((closes for _, _, _, closes in due), default=earliest)
    slots = build_slot_table(
        policy, therapists, problem.existing_bookings, earliest=earliest, horizon_end=horizon_end
    )
    available, in_window = _availability(due, slots.times, duration)
    time_class, group_of, group_classes = _compress(available)
    return Candidates(
        problem=problem,
        slots=slots,
        residents=tuple(r for r, _, _, _ in due),
        windows=tuple(w for _, w, _, _ in due),
        available=available,
        in_window=in_window,
        time_class=time_class,
        group_of=group_of,
        group_classes=group_classes,
        unplaced=tuple(sorted(unplaced)),
        already_booked=tuple(already),
    )


def _availability(
    due: Sequence[tuple[Resident, Window, int, int]], times: IntArray, duration: int
) -> tuple[BoolMatrix, npt.NDArray[np.bool_]]:
    """Build the resident-by-instant matrix of who can attend a check-in starting when."""
    count, width = len(due), int(times.shape[0])
    if count == 0 or width == 0:
        return np.zeros((count, width), dtype=np.bool_), np.zeros(count, dtype=np.bool_)
    opens = np.array([o for _, _, o, _ in due], dtype=np.int64)
    closes = np.array([c for _, _, _, c in due], dtype=np.int64)
    low = np.searchsorted(times, opens, side="left")
    high = np.searchsorted(times, closes - duration, side="right")
    columns = np.arange(width)
    available = (columns >= low[:, None]) & (columns < high[:, None])
    in_window = high > low

    # Blackouts: a check-in starting at t overlaps [b0, b1) exactly when b0 - duration < t < b1. Mark each
    # blocked run of instants with +1/-1 in a difference array, then a running sum tells which instants any
    # blackout hits.
    owners: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    for row, (resident, _, _, _) in enumerate(due):
        for blackout in resident.blackouts:
            owners.append(row)
            starts.append(floor_seconds(blackout.start))
            ends.append(ceil_seconds(blackout.end))
    if owners:
        owner = np.array(owners, dtype=np.int64)
        first = np.searchsorted(times, np.array(starts, dtype=np.int64) - duration, side="right")
        stop = np.searchsorted(times, np.array(ends, dtype=np.int64), side="left")
        hit = stop > first
        owner, first, stop = owner[hit], first[hit], stop[hit]
        # A block of rows at a time bounds the difference array's memory on long horizons (a year of slot
        # instants for 10,000 residents would otherwise need gigabytes); owners are already in row order.
        rows_per_block = max(1, _BLOCK_CELLS // (width + 1))
        bounds = np.searchsorted(owner, np.arange(0, count + rows_per_block, rows_per_block))
        for block, (lo, hi) in enumerate(zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True)):
            if lo == hi:
                continue
            top = block * rows_per_block
            rows = min(rows_per_block, count - top)
            marks = np.zeros(rows * (width + 1), dtype=np.int32)
            local = (owner[lo:hi] - top) * (width + 1)
            np.add.at(marks, local + first[lo:hi], 1)
            np.add.at(marks, local + stop[lo:hi], -1)
            blocked = np.cumsum(marks.reshape(rows, width + 1), axis=1, dtype=np.int32)[:, :width] > 0
            available[top : top + rows] &= ~blocked
    return available, in_window


def _unique_rows(rows: npt.NDArray[np.uint8]) -> tuple[IntArray, IntArray]:
    """Label identical rows; labels follow the order in which each distinct row first appears.

    Returns ``(label of each row, index of the first row of each label)``.
    """
    if rows.shape[0] == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    packed = np.ascontiguousarray(rows).view(np.dtype((np.void, rows.shape[1] * rows.itemsize))).ravel()
    _, first, inverse = np.unique(packed, return_index=True, return_inverse=True)
    # np.unique orders labels by row content; renumber them by first appearance so the order is meaningful.
    rank = np.empty(first.shape[0], dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(first.shape[0])
    return rank[inverse.ravel()].astype(np.int64), np.sort(first).astype(np.int64)


def _compress(available: BoolMatrix) -> tuple[IntArray, IntArray, BoolMatrix]:
    """Group instants into time classes and residents into groups (see the module docstring)."""
    count, width = available.shape
    if width == 0 or count == 0:
        return (
            np.full(width, -1, dtype=np.int64),
            np.zeros(count, dtype=np.int64),
            np.zeros((count, 0), np.bool_),
        )
    # Columns with the same bit pattern over residents are one class; ones nobody can attend are dropped.
    column_bits = np.packbits(available, axis=0).T
    labels, first_columns = _unique_rows(column_bits)
    usable = available[:, first_columns].any(axis=0)
    keep = np.flatnonzero(usable)
    relabel = np.full(first_columns.shape[0], -1, dtype=np.int64)
    relabel[keep] = np.arange(keep.shape[0])
    time_class = relabel[labels]
    reduced = available[:, first_columns[keep]]
    group_of, first_rows = _unique_rows(np.packbits(reduced, axis=1))
    return time_class, group_of, reduced[first_rows]
