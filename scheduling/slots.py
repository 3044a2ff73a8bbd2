"""Turning wall-clock rules into instants, and therapist time into candidate check-in slots.

All arithmetic here is on integer seconds since the Unix epoch (UTC), held in plain ints or numpy ``int64``
arrays: comparing and sorting integers is exact and much faster than ``datetime`` objects, and the engine
handles tens of thousands of intervals per run.

Daylight-saving time
--------------------
Weekly windows (the programme's allowed hours or protected blocks, a therapist's availability) are local wall
times. They are laid out date by date in their own zone, so "09:00-17:00 America/New_York" is 14:00-22:00 UTC
in winter and 13:00-21:00 UTC in summer, and a programme and a therapist in zones that change on different
dates (or not at all) are compared correctly on every date.

The rule is the one a person reading a wall clock would apply: **an instant lies inside a local window exactly
when a clock in that zone shows a time inside the window.** It settles the wall times that do not map to one
instant without special cases:

* Times skipped by a spring-forward never show on the clock. A window of 01:00-04:00 on 14 March 2027 in New
  York lasts two real hours; a window lying wholly inside the skipped hour (02:00-03:00) is empty that day.
* Times repeated by a fall-back show twice, and both occurrences are inside the window. A window of
  01:00-02:00 on 1 November 2026 in New York lasts two real hours (01:00 EDT to 01:00 EST, then to 02:00 EST);
  one of 00:30-01:30 is two separate stretches, 00:30-01:30 EDT and 01:00-01:30 EST, because the clock leaves
  the window at 01:30 EDT and comes back to it at 01:00 EST.

A check-in must lie wholly inside the allowed windows, so every minute of it shows an allowed wall time.
Day boundaries (for daily capacity, weeks and the check-in window) are the instants a local date begins: its
first midnight, or the moment the clocks jump if midnight itself is skipped.

Slots
-----
A check-in may start on any grid instant (a multiple of ``slot_step_minutes`` in UTC) at which the therapist's
usable time -- availability, intersected with the programme's hours, minus time off, busy times and existing
bookings widened by the buffer, and no earlier than ``now`` plus the notice -- holds the whole check-in. Of
those start times, a therapist's *slots* are the earliest-first greedy packing in which consecutive check-ins
are at least duration plus buffer apart. Earliest-first packing gives each therapist the largest possible
number of non-overlapping check-ins, and because the slots of one therapist never overlap, the booking engine
can treat them as independent unit capacities: no overlap and no buffer violation can arise, whichever slots
it fills.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from scheduling.model import ExistingBooking, Interval, Modality, Policy, Therapist, WeeklyWindow, zone

__all__ = [
    "SlotTable",
    "Span",
    "build_slot_table",
    "ceil_seconds",
    "eligible_therapists",
    "floor_seconds",
    "intersect",
    "local_date",
    "local_midnights",
    "pack_slots",
    "subtract",
    "union",
    "wall_to_instant",
    "weekly_spans",
    "window_spans",
]

#: A half-open span ``[start, end)`` in seconds since the epoch.
Span = tuple[int, int]
IntArray = npt.NDArray[np.int64]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_SECOND = timedelta(seconds=1)


def floor_seconds(moment: datetime) -> int:
    """Return ``moment`` (aware) as whole seconds since the epoch, rounding down."""
    return (moment - _EPOCH) // _SECOND


def ceil_seconds(moment: datetime) -> int:
    """Return ``moment`` (aware) as whole seconds since the epoch, rounding up."""
    return -((_EPOCH - moment) // _SECOND)


def from_seconds(seconds: int) -> datetime:
    """Return the UTC datetime for ``seconds`` since the epoch."""
    return _EPOCH + timedelta(seconds=int(seconds))


def _offset_at(seconds: int, tz: ZoneInfo) -> timedelta:
    offset = from_seconds(seconds).astimezone(tz).utcoffset()
    assert offset is not None  # a ZoneInfo always knows its offset for an instant
    return offset


def wall_to_instant(day: date, wall: time, tz: ZoneInfo) -> int:
    """Return the first instant (epoch seconds) at which the wall clock in ``tz`` shows ``wall`` on ``day``.

    A wall time repeated by a fall-back gives its first occurrence. A wall time skipped by a spring-forward
    gives the instant the clocks jumped, which is when the skipped stretch "would have" started: the first
    instant whose wall time is at or after ``wall``.
    """
    naive = datetime.combine(day, wall)
    first = floor_seconds(naive.replace(tzinfo=tz, fold=0))
    second = floor_seconds(naive.replace(tzinfo=tz, fold=1))
    if first <= second:
        # Unambiguous (equal) or repeated by a fall-back (fold=0 is the first occurrence).
        return first
    # Skipped: PEP 495 maps it with the offset after the jump (fold=1, the earlier instant) or before it
    # (fold=0, the later one); the jump lies between. Bisect for it.
    return _transition_between(second, first, tz)


def _transition_between(low: int, high: int, tz: ZoneInfo) -> int:
    """Return the first instant in ``(low, high]`` whose UTC offset differs from the offset at ``low``."""
    before = _offset_at(low, tz)
    while high - low > 1:
        middle = (low + high) // 2
        if _offset_at(middle, tz) == before:
            low = middle
        else:
            high = middle
    return high


def window_spans(day: date, start: time, end: time, tz: ZoneInfo) -> list[Span]:
    """Return the spans in which a clock in ``tz`` shows a time from ``start`` on ``day`` up to ``end``.

    ``end`` at or before ``start`` means ``end`` on the next day. Usually this is one span; a daylight-saving
    change inside the window can shorten it, lengthen it or (at a fall-back) split it in two.
    """
    opening = datetime.combine(day, start)
    closing = datetime.combine(day if end > start else day + timedelta(days=1), end)
    offsets: list[int] = []
    for naive in (opening, closing):
        for fold in (0, 1):
            offset = naive.replace(tzinfo=tz, fold=fold).utcoffset()
            assert offset is not None
            seconds = offset // _SECOND
            if seconds not in offsets:
                offsets.append(seconds)
    wall_open = floor_seconds(opening.replace(tzinfo=UTC))
    wall_close = floor_seconds(closing.replace(tzinfo=UTC))
    if len(offsets) == 1:
        return [(wall_open - offsets[0], wall_close - offsets[0])]
    # One transition inside: on each side of it the offset is constant, and there the instants showing a wall
    # time in [opening, closing) are that wall span shifted by the offset.
    low = wall_open - max(offsets) - 1
    high = wall_close - min(offsets) + 1
    transition = _transition_between(low, high, tz)
    before = _offset_at(low, tz) // _SECOND
    after = _offset_at(transition, tz) // _SECOND
    spans = [
        (wall_open - before, min(wall_close - before, transition)),
        (max(wall_open - after, transition), wall_close - after),
    ]
    return [(a, b) for a, b in spans if a < b]


def local_date(seconds: int, tz: ZoneInfo) -> date:
    """Return the calendar date in ``tz`` at the instant ``seconds``."""
    return from_seconds(seconds).astimezone(tz).date()


def local_midnights(first: date, last: date, tz: ZoneInfo) -> IntArray:
    """Return the instants at which each local date from ``first`` to ``last`` (inclusive) begins in ``tz``.

    With these, ``np.searchsorted(midnights, t, "right") - 1`` maps many instants to local dates at once.
    """
    days = (last - first).days + 1
    return np.array(
        [wall_to_instant(first + timedelta(days=i), time(0), tz) for i in range(days)],
        dtype=np.int64,
    )


def union(spans: Iterable[Span]) -> list[Span]:
    """Merge spans into a sorted list of disjoint spans (touching spans are joined)."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def intersect(first: Sequence[Span], second: Sequence[Span]) -> list[Span]:
    """Intersect two sorted lists of disjoint spans."""
    result: list[Span] = []
    i = j = 0
    while i < len(first) and j < len(second):
        start = max(first[i][0], second[j][0])
        end = min(first[i][1], second[j][1])
        if start < end:
            result.append((start, end))
        if first[i][1] < second[j][1]:
            i += 1
        else:
            j += 1
    return result


def subtract(spans: Sequence[Span], holes: Iterable[Span]) -> list[Span]:
    """Remove ``holes`` (any order, may overlap) from a sorted list of disjoint ``spans``."""
    cut = union(holes)
    result: list[Span] = []
    j = 0
    for start, end in spans:
        current = start
        while j < len(cut) and cut[j][1] <= current:
            j += 1
        k = j
        while k < len(cut) and cut[k][0] < end:
            if cut[k][0] > current:
                result.append((current, cut[k][0]))
            current = max(current, cut[k][1])
            k += 1
        if current < end:
            result.append((current, end))
    return result


def weekly_spans(windows: Sequence[WeeklyWindow], tz: ZoneInfo, first: date, last: date) -> list[Span]:
    """Lay weekly wall-clock windows out on every local date from ``first`` to ``last`` as UTC spans."""
    spans: list[Span] = []
    day = first
    while day <= last:
        for window in windows:
            if window.weekday == day.weekday():
                spans.extend(window_spans(day, window.start, window.end, tz))
        day += timedelta(days=1)
    return union(spans)


def _spans(intervals: Iterable[Interval]) -> list[Span]:
    return [(floor_seconds(i.start), ceil_seconds(i.end)) for i in intervals]


def pack_slots(usable: Sequence[Span], *, duration: int, spacing: int, step: int) -> list[int]:
    """Return the earliest-first packing of check-in starts into ``usable`` time.

    Starts lie on multiples of ``step`` seconds, each check-in of ``duration`` seconds fits wholly inside one
    span, and consecutive starts are at least ``spacing`` (duration plus buffer) apart, also across spans.
    """
    starts: list[int] = []
    earliest = usable[0][0] if usable else 0
    for span_start, span_end in usable:
        t = -(-max(span_start, earliest) // step) * step
        while t + duration <= span_end:
            starts.append(t)
            t = -(-(t + spacing) // step) * step
        # Either the next start the spacing allows, or (if nothing fitted) a bound no later span can undercut.
        earliest = t
    return starts


def eligible_therapists(policy: Policy, therapists: Iterable[Therapist]) -> list[Therapist]:
    """Return the therapists who may see this programme's residents, sorted by id.

    A therapist is left out when excluded from the programme (conflict of interest) or, for video check-ins,
    when not licensed in the programme's state.
    """
    chosen = [
        t
        for t in therapists
        if policy.program_id not in t.excluded_programs
        and (policy.modality is not Modality.VIDEO or policy.state in t.licensed_states)
    ]
    return sorted(chosen, key=lambda t: t.id)


@dataclass(frozen=True, slots=True)
class SlotTable:
    """Every therapist slot in the planning horizon, with the capacities that limit them.

    Slots are sorted by start time, then therapist. Therapist-days are the therapist's local calendar days and
    therapist-weeks their local ISO weeks; capacities are what remains after existing bookings.

    Attributes:
        therapists: Eligible therapists, sorted by id; ``slot_therapist`` indexes into it.
        times: Sorted distinct slot start instants (epoch seconds).
        slot_time: Index into ``times`` of each slot.
        slot_therapist: Index into ``therapists`` of each slot.
        slot_day: Therapist-day of each slot.
        day_capacity: Check-ins each therapist-day can still take.
        day_week: Therapist-week of each therapist-day.
        week_capacity: Check-ins each therapist-week can still take.
        week_therapist: Therapist of each therapist-week.
        existing_load: Existing check-ins of each therapist inside the horizon (for even load).
        time_day_index: Programme-local day of each instant in ``times``, counted from the horizon's first
            day.
        time_rank: Position of each instant in ``times`` among the slot instants of its programme-local day
            (0 for the day's first).
    """

    therapists: tuple[Therapist, ...]
    times: IntArray
    slot_time: IntArray
    slot_therapist: IntArray
    slot_day: IntArray
    day_capacity: IntArray
    day_week: IntArray
    week_capacity: IntArray
    week_therapist: IntArray
    existing_load: IntArray
    time_day_index: IntArray
    time_rank: IntArray

    @property
    def slot_count(self) -> int:
        """Number of slots."""
        return int(self.slot_time.shape[0])


def build_slot_table(
    policy: Policy,
    therapists: Sequence[Therapist],
    bookings: Sequence[ExistingBooking],
    *,
    earliest: int,
    horizon_end: int,
) -> SlotTable:
    """Lay out every eligible therapist's slots between ``earliest`` and ``horizon_end`` (epoch seconds).

    ``therapists`` must already be the eligible ones (see :func:`eligible_therapists`). See the module
    docstring for the definition of a slot.
    """
    program_tz = zone(policy.time_zone)
    duration = policy.duration_minutes * 60
    buffer = policy.buffer_minutes * 60
    step = policy.slot_step_minutes * 60
    # One spare local day on each side: a zone far from the programme's can put a horizon instant on the
    # previous or next local date.
    first_day = local_date(earliest, program_tz) - timedelta(days=1)
    last_day = local_date(horizon_end, program_tz) + timedelta(days=1)
    programme_time = intersect(
        weekly_spans(policy.hours(), program_tz, first_day, last_day), [(earliest, horizon_end)]
    )

    by_therapist: dict[str, list[ExistingBooking]] = {}
    for booking in bookings:
        by_therapist.setdefault(booking.therapist_id, []).append(booking)

    slot_time: list[int] = []
    slot_therapist: list[int] = []
    slot_day: list[int] = []
    day_capacity: list[int] = []
    day_week: list[int] = []
    week_capacity: list[int] = []
    week_therapist: list[int] = []
    existing_load: list[int] = []

    for index, therapist in enumerate(therapists):
        tz = zone(therapist.time_zone)
        own = by_therapist.get(therapist.id, [])
        available = intersect(weekly_spans(therapist.availability, tz, first_day, last_day), programme_time)
        holes = _spans(therapist.time_off) + _spans(therapist.busy)
        # The buffer keeps new check-ins clear of existing ones on both sides.
        holes += [(floor_seconds(b.start) - buffer, ceil_seconds(b.end) + buffer) for b in own]
        usable = subtract(available, holes)
        starts = pack_slots(usable, duration=duration, spacing=duration + buffer, step=step)
        existing_load.append(sum(1 for b in own if earliest <= floor_seconds(b.start) < horizon_end))
        if not starts:
            continue

        # Map slots and existing bookings to the therapist's local days and ISO weeks.
        day0 = local_date(starts[0], tz) - timedelta(days=1)
        midnights = local_midnights(day0, local_date(starts[-1], tz) + timedelta(days=1), tz)
        slot_days = np.searchsorted(midnights, np.array(starts, dtype=np.int64), side="right") - 1
        used_per_day: dict[date, int] = {}
        used_per_week: dict[tuple[int, int], int] = {}
        for booking in own:
            local = local_date(floor_seconds(booking.start), tz)
            used_per_day[local] = used_per_day.get(local, 0) + 1
            week_key = local.isocalendar()[:2]
            used_per_week[week_key] = used_per_week.get(week_key, 0) + 1

        day_ids: dict[int, int] = {}
        week_ids: dict[tuple[int, int], int] = {}
        # No limit means the slots themselves are the only limit; existing bookings then use no capacity.
        unlimited = len(starts) + len(own)
        per_day_limit = therapist.max_per_day if therapist.max_per_day is not None else unlimited
        per_week_limit = therapist.max_per_week if therapist.max_per_week is not None else unlimited
        for start, local_index in zip(starts, slot_days.tolist(), strict=True):
            if local_index not in day_ids:
                local = day0 + timedelta(days=local_index)
                week_key = local.isocalendar()[:2]
                if week_key not in week_ids:
                    week_ids[week_key] = len(week_capacity)
                    week_capacity.append(max(0, per_week_limit - used_per_week.get(week_key, 0)))
                    week_therapist.append(index)
                day_ids[local_index] = len(day_capacity)
                day_capacity.append(max(0, per_day_limit - used_per_day.get(local, 0)))
                day_week.append(week_ids[week_key])
            slot_time.append(start)
            slot_therapist.append(index)
            slot_day.append(day_ids[local_index])

    raw_times = np.array(slot_time, dtype=np.int64)
    times, time_index = np.unique(raw_times, return_inverse=True)
    therapist_arr = np.array(slot_therapist, dtype=np.int64)
    day_arr = np.array(slot_day, dtype=np.int64)
    order = np.lexsort((therapist_arr, time_index))
    program_midnights = local_midnights(first_day, last_day, program_tz)
    horizon_first = int(np.searchsorted(program_midnights, earliest, side="right") - 1)
    time_day_index = np.searchsorted(program_midnights, times, side="right") - 1 - horizon_first
    return SlotTable(
        therapists=tuple(therapists),
        times=times.astype(np.int64),
        slot_time=time_index[order].astype(np.int64),
        slot_therapist=therapist_arr[order],
        slot_day=day_arr[order],
        day_capacity=np.array(day_capacity, dtype=np.int64),
        day_week=np.array(day_week, dtype=np.int64),
        week_capacity=np.array(week_capacity, dtype=np.int64),
        week_therapist=np.array(week_therapist, dtype=np.int64),
        existing_load=np.array(existing_load, dtype=np.int64),
        time_day_index=time_day_index.astype(np.int64),
        time_rank=(np.arange(times.shape[0]) - np.searchsorted(time_day_index, time_day_index)).astype(
            np.int64
        ),
    )
