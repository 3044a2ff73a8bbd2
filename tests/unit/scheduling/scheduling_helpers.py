"""Factories and an independent reference model for the booking-engine tests.

The reference model restates the booking rules from the product brief in the most direct way possible --
wall-clock checks quarter hour by quarter hour with ``zoneinfo``, plain loops, a textbook Edmonds-Karp maximum
flow on the un-aggregated resident -> slot -> therapist-day -> therapist-week network -- and shares no code
with the engine beyond the input dataclasses. The engine is right when every plan passes :func:`check_plan`
and books exactly :func:`reference_max_bookings` residents.

Test data keeps every wall time and instant on quarter hours, so checking each quarter hour of a check-in is
the same as checking every instant of it.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from scheduling.model import (
    Booking,
    ExistingBooking,
    Interval,
    Modality,
    Plan,
    Policy,
    Problem,
    Resident,
    Therapist,
    WeeklyWindow,
)

QUARTER = timedelta(minutes=15)
EVERY_DAY = frozenset(range(7))


# ---------------------------------------------------------------- factories


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An instant given in UTC."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def at(zone: str, year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An instant given as local wall time in ``zone`` (first occurrence if repeated)."""
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(zone))


def weekly(weekday: int, start: str, end: str) -> WeeklyWindow:
    """A weekly window from ``HH:MM`` strings."""
    return WeeklyWindow(weekday, time.fromisoformat(start), time.fromisoformat(end))


def every_day(start: str, end: str) -> tuple[WeeklyWindow, ...]:
    """The same window on all seven weekdays."""
    return tuple(weekly(d, start, end) for d in range(7))


def make_policy(**overrides: object) -> Policy:
    """A New York video policy, every day 08:00-18:00, no notice, 30-minute check-ins, unless overridden."""
    values: dict[str, object] = {
        "program_id": "im",
        "time_zone": "America/New_York",
        "state": "NY",
        "modality": Modality.VIDEO,
        "duration_minutes": 30,
        "buffer_minutes": 0,
        "min_notice_hours": 0,
        "window_days": 7,
        "allowed_weekdays": EVERY_DAY,
        "day_start": time(8),
        "day_end": time(18),
        "slot_step_minutes": 15,
    }
    values.update(overrides)
    return Policy(**values)  # type: ignore[arg-type]


def make_resident(ident: str, start: date, **overrides: object) -> Resident:
    """A PGY-1 resident starting on ``start``."""
    values: dict[str, object] = {"id": ident, "pgy": 1, "start_date": start}
    values.update(overrides)
    return Resident(**values)  # type: ignore[arg-type]


def make_therapist(ident: str, availability: Iterable[WeeklyWindow], **overrides: object) -> Therapist:
    """A therapist in New York, licensed in NY and CA, with no limits, unless overridden."""
    values: dict[str, object] = {
        "id": ident,
        "time_zone": "America/New_York",
        "availability": tuple(availability),
        "licensed_states": frozenset({"NY", "CA"}),
    }
    values.update(overrides)
    return Therapist(**values)  # type: ignore[arg-type]


def make_problem(
    policy: Policy,
    now: datetime,
    residents: Iterable[Resident],
    therapists: Iterable[Therapist],
    bookings: Iterable[ExistingBooking] = (),
) -> Problem:
    """A problem from lists."""
    return Problem(
        policy=policy,
        now=now,
        residents=tuple(residents),
        therapists=tuple(therapists),
        existing_bookings=tuple(bookings),
    )


# ---------------------------------------------------------------- reference rules


def _shows(instant: datetime, zone: ZoneInfo, windows: Iterable[WeeklyWindow]) -> bool:
    """Does a wall clock in ``zone`` show, at ``instant``, a time inside one of the weekly windows?"""
    local = instant.astimezone(zone)
    wall, weekday = local.time().replace(tzinfo=None), local.weekday()
    for w in windows:
        if w.end > w.start:
            if w.weekday == weekday and w.start <= wall < w.end:
                return True
        elif (w.weekday == weekday and wall >= w.start) or (w.weekday == (weekday - 1) % 7 and wall < w.end):
            return True
    return False


def within(start: datetime, end: datetime, zone: ZoneInfo, windows: Iterable[WeeklyWindow]) -> bool:
    """Does every quarter hour of ``[start, end)`` show an allowed wall time?"""
    windows = tuple(windows)
    moment = start
    while moment < end:
        if not _shows(moment, zone, windows):
            return False
        moment += QUARTER
    return True


def overlaps(start: datetime, end: datetime, others: Iterable[Interval]) -> bool:
    """Does ``[start, end)`` overlap any of the intervals?"""
    return any(start < o.end and o.start < end for o in others)


def _add_months(day: date, months: int) -> date:
    total = day.year * 12 + day.month - 1 + months
    return date(total // 12, total % 12 + 1, 1)


@dataclass(frozen=True)
class Due:
    """A resident who is due a check-in, with the instants their window allows."""

    resident: Resident
    opens: datetime
    closes: datetime


def period_of(policy: Policy, day: date) -> tuple[date, date]:
    """The cadence period containing ``day``."""
    year_start = date(day.year if day.month >= 7 else day.year - 1, 7, 1)
    months = 12 // policy.checkins_per_academic_year
    index = ((day.year - year_start.year) * 12 + day.month - 7) // months
    first = _add_months(year_start, index * months)
    return first, _add_months(first, months)


def classify(problem: Problem) -> tuple[list[Due], set[str], set[str]]:
    """Split the roster into (due, already booked, cannot be booked whatever the therapists)."""
    policy = problem.policy
    zone = ZoneInfo(policy.time_zone)
    today = problem.now.astimezone(zone).date()
    earliest = problem.now + timedelta(hours=policy.min_notice_hours)
    due: list[Due] = []
    already: set[str] = set()
    hopeless: set[str] = set()
    for r in problem.residents:
        reference = max(today, r.start_date)
        first_day, end_day = period_of(policy, reference)
        held = r.checkins_this_period + sum(
            1
            for b in problem.existing_bookings
            if b.resident_id == r.id and first_day <= b.start.astimezone(zone).date() < end_day
        )
        if held:
            already.add(r.id)
            continue
        start = max(r.start_date, first_day)
        stop = min(start + timedelta(days=policy.window_days), end_day)
        if r.end_date is not None:
            stop = min(stop, r.end_date + timedelta(days=1))
        opens = max(datetime.combine(start, time(0), tzinfo=zone), earliest)
        closes = datetime.combine(stop, time(0), tzinfo=zone)
        if r.pgy not in policy.pgy_levels or closes - opens < timedelta(minutes=policy.duration_minutes):
            hopeless.add(r.id)
            continue
        due.append(Due(r, opens.astimezone(UTC), closes.astimezone(UTC)))
    return due, already, hopeless


def eligible(policy: Policy, therapist: Therapist) -> bool:
    """May this therapist see the programme's residents (exclusions, licensure for video)?"""
    if policy.program_id in therapist.excluded_programs:
        return False
    return policy.modality is not Modality.VIDEO or policy.state in therapist.licensed_states


def reference_slots(problem: Problem) -> dict[str, list[datetime]]:
    """Each eligible therapist's slots, by the definition: earliest-first packing of feasible starts."""
    policy = problem.policy
    due, _, _ = classify(problem)
    if not due:
        return {}
    horizon_start = problem.now + timedelta(hours=policy.min_notice_hours)
    horizon_end = max(d.closes for d in due)
    duration = timedelta(minutes=policy.duration_minutes)
    buffer = timedelta(minutes=policy.buffer_minutes)
    step = timedelta(minutes=policy.slot_step_minutes)
    programme = ZoneInfo(policy.time_zone)
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    result: dict[str, list[datetime]] = {}
    for t in problem.therapists:
        if not eligible(policy, t):
            continue
        zone = ZoneInfo(t.time_zone)
        blocked = [*t.time_off, *t.busy] + [
            Interval(b.start - buffer, b.end + buffer)
            for b in problem.existing_bookings
            if b.therapist_id == t.id
        ]
        start = epoch + -((epoch - horizon_start) // step) * step  # first grid instant in the horizon
        slots: list[datetime] = []
        while start + duration <= horizon_end:
            end = start + duration
            if (
                (not slots or start >= slots[-1] + duration + buffer)
                and within(start, end, programme, policy.hours())
                and within(start, end, zone, t.availability)
                and not overlaps(start, end, blocked)
            ):
                slots.append(start)
            start += step
        result[t.id] = slots
    return result


def _max_flow(capacity: dict[object, dict[object, int]], source: object, sink: object) -> int:
    """Edmonds-Karp: augment along shortest paths until none is left."""
    residual: dict[object, dict[object, int]] = defaultdict(dict)
    for u, edges in capacity.items():
        for v, c in edges.items():
            residual[u][v] = residual[u].get(v, 0) + c
            residual[v].setdefault(u, 0)
    total = 0
    while True:
        parent: dict[object, object] = {source: source}
        queue = deque([source])
        while queue and sink not in parent:
            u = queue.popleft()
            for v, c in residual[u].items():
                if c > 0 and v not in parent:
                    parent[v] = u
                    queue.append(v)
        if sink not in parent:
            return total
        path, v = [], sink
        while v != source:
            path.append((parent[v], v))
            v = parent[v]
        push = min(residual[u][v] for u, v in path)
        for u, v in path:
            residual[u][v] -= push
            residual[v][u] += push
        total += push


def reference_max_bookings(problem: Problem) -> int:
    """The most residents any plan can book, by maximum flow on the un-aggregated network."""
    policy = problem.policy
    due, _, _ = classify(problem)
    slots = reference_slots(problem)
    duration = timedelta(minutes=policy.duration_minutes)
    therapists = {t.id: t for t in problem.therapists}
    capacity: dict[object, dict[object, int]] = defaultdict(dict)
    for d in due:
        capacity["source"][("resident", d.resident.id)] = 1
        for tid, starts in slots.items():
            for s in starts:
                if (
                    d.opens <= s
                    and s + duration <= d.closes
                    and not overlaps(s, s + duration, d.resident.blackouts)
                ):
                    capacity[("resident", d.resident.id)][("slot", tid, s)] = 1
    for tid, starts in slots.items():
        t = therapists[tid]
        zone = ZoneInfo(t.time_zone)
        existing = [
            b.start.astimezone(zone).date() for b in problem.existing_bookings if b.therapist_id == tid
        ]
        for s in starts:
            day = s.astimezone(zone).date()
            week = day.isocalendar()[:2]
            capacity[("slot", tid, s)][("day", tid, day)] = 1
            day_cap = len(starts) if t.max_per_day is None else t.max_per_day - existing.count(day)
            week_used = sum(1 for e in existing if e.isocalendar()[:2] == week)
            week_cap = len(starts) if t.max_per_week is None else t.max_per_week - week_used
            capacity[("day", tid, day)][("week", tid, week)] = max(0, day_cap)
            capacity[("week", tid, week)]["sink"] = max(0, week_cap)
    return _max_flow(capacity, "source", "sink")


def check_plan(problem: Problem, plan: Plan) -> None:
    """Assert that ``plan`` obeys every booking rule for ``problem`` and accounts for every resident."""
    due, already, hopeless = classify(problem)
    due_ids = {d.resident.id for d in due}
    booked_ids = [b.resident_id for b in plan.bookings]
    unplaced_ids = [u.resident_id for u in plan.unplaced]
    assert len(set(booked_ids)) == len(booked_ids), "a resident is booked twice"
    assert set(plan.already_booked) == already
    assert set(booked_ids) | set(unplaced_ids) == due_ids | hopeless
    assert not set(booked_ids) & set(unplaced_ids)
    assert not set(booked_ids) & hopeless
    assert all(u.reason for u in plan.unplaced)
    check_bookings(problem, plan.bookings)


def check_bookings(problem: Problem, bookings: Iterable[Booking]) -> None:
    """Assert that new ``bookings``, added to the existing ones, obey every booking rule."""
    bookings = tuple(bookings)
    policy = problem.policy
    programme = ZoneInfo(policy.time_zone)
    due, _, _ = classify(problem)
    due_by_id = {d.resident.id: d for d in due}
    therapists = {t.id: t for t in problem.therapists}
    duration = timedelta(minutes=policy.duration_minutes)
    buffer = timedelta(minutes=policy.buffer_minutes)

    for b in bookings:
        d = due_by_id[b.resident_id]
        t = therapists[b.therapist_id]
        zone = ZoneInfo(t.time_zone)
        assert b.end - b.start == duration
        assert b.start.second == 0 and (b.start.hour * 60 + b.start.minute) % policy.slot_step_minutes == 0
        assert d.opens <= b.start and b.end <= d.closes, "outside the window or within the notice"
        assert not overlaps(b.start, b.end, d.resident.blackouts), "on a blackout"
        assert eligible(policy, t), "therapist excluded or not licensed"
        assert within(b.start, b.end, programme, policy.hours()), "outside the programme's hours"
        assert within(b.start, b.end, zone, t.availability), "outside the therapist's availability"
        assert not overlaps(b.start, b.end, [*t.time_off, *t.busy]), "over therapist busy time or time off"

    for tid, t in therapists.items():
        zone = ZoneInfo(t.time_zone)
        new = sorted((b.start, b.end) for b in bookings if b.therapist_id == tid)
        old = [(b.start, b.end) for b in problem.existing_bookings if b.therapist_id == tid]
        for i, (s1, e1) in enumerate(new):
            for s2, e2 in new[i + 1 :] + old:
                assert e1 + buffer <= s2 or e2 + buffer <= s1, f"{tid} double-booked or without buffer"
        days: dict[date, int] = defaultdict(int)
        weeks: dict[tuple[int, int], int] = defaultdict(int)
        for s, _ in new + old:
            local = s.astimezone(zone).date()
            days[local] += 1
            weeks[local.isocalendar()[:2]] += 1
        for s, _ in new:
            local = s.astimezone(zone).date()
            if t.max_per_day is not None:
                assert days[local] <= t.max_per_day, f"{tid} over daily capacity"
            if t.max_per_week is not None:
                assert weeks[local.isocalendar()[:2]] <= t.max_per_week, f"{tid} over weekly capacity"


def _min_cost_max_flow(arcs: list[tuple[object, object, int, int]], source: object, sink: object) -> int:
    """Successive shortest paths (queue-based Bellman-Ford): the cost of a minimum-cost maximum flow."""
    graph: dict[object, list[list[object]]] = defaultdict(list)
    for u, v, cap, cost in arcs:
        forward: list[object] = [v, cap, cost, None]
        backward: list[object] = [u, 0, -cost, forward]
        forward[3] = backward
        graph[u].append(forward)
        graph[v].append(backward)
    total = 0
    while True:
        distance: dict[object, int] = {source: 0}
        via: dict[object, list[object]] = {}
        queue, queued = deque([source]), {source}
        while queue:
            u = queue.popleft()
            queued.discard(u)
            for edge in graph[u]:
                v, cap, cost = edge[0], edge[1], edge[2]
                if cap > 0 and distance[u] + cost < distance.get(v, 1 << 62):  # type: ignore[operator]
                    distance[v] = distance[u] + cost  # type: ignore[operator]
                    via[v] = edge
                    if v not in queued:
                        queued.add(v)
                        queue.append(v)
        if sink not in distance:
            return total
        node = sink
        while node != source:
            edge = via[node]
            edge[1] -= 1  # type: ignore[operator]
            edge[3][1] += 1  # type: ignore[index]
            node = edge[3][0]  # type: ignore[index]
        total += distance[sink]


def balance_of(loads: dict[str, int], existing: dict[str, int]) -> int:
    """The load-balancing measure: a therapist's k-th check-in (after their existing ones) costs k."""
    return sum(existing.get(t, 0) * n + n * (n - 1) // 2 for t, n in loads.items())


def existing_load(problem: Problem) -> dict[str, int]:
    """Existing check-ins per therapist from ``now`` plus notice to the end of the last window."""
    due, _, _ = classify(problem)
    if not due:
        return {}
    start = problem.now + timedelta(hours=problem.policy.min_notice_hours)
    end = max(d.closes for d in due)
    counts: dict[str, int] = defaultdict(int)
    for b in problem.existing_bookings:
        if start <= b.start < end:
            counts[b.therapist_id] += 1
    return counts


def reference_objective(problem: Problem) -> tuple[int, int]:
    """The best (summed programme-local day ordinal, balance) for a maximum plan, lexicographically."""
    policy = problem.policy
    programme = ZoneInfo(policy.time_zone)
    due, _, _ = classify(problem)
    slots = reference_slots(problem)
    duration = timedelta(minutes=policy.duration_minutes)
    therapists = {t.id: t for t in problem.therapists}
    existing = existing_load(problem)
    weight = 10**7  # far above any balance total in these small instances
    base = date(2026, 1, 1).toordinal()
    arcs: list[tuple[object, object, int, int]] = []
    for d in due:
        arcs.append(("source", ("resident", d.resident.id), 1, 0))
        for tid, starts in slots.items():
            for s in starts:
                if (
                    d.opens <= s
                    and s + duration <= d.closes
                    and not overlaps(s, s + duration, d.resident.blackouts)
                ):
                    arcs.append((("resident", d.resident.id), ("slot", tid, s), 1, 0))
    for tid, starts in slots.items():
        t = therapists[tid]
        zone = ZoneInfo(t.time_zone)
        old = [b.start.astimezone(zone).date() for b in problem.existing_bookings if b.therapist_id == tid]
        days_done: set[object] = set()
        for s in starts:
            day = s.astimezone(zone).date()
            week = day.isocalendar()[:2]
            cost = weight * (s.astimezone(programme).date().toordinal() - base)
            arcs.append((("slot", tid, s), ("day", tid, day), 1, cost))
            if day not in days_done:
                days_done.add(day)
                cap = len(starts) if t.max_per_day is None else max(0, t.max_per_day - old.count(day))
                arcs.append((("day", tid, day), ("week", tid, week), cap, 0))
            if week not in days_done:
                days_done.add(week)
                used = sum(1 for e in old if e.isocalendar()[:2] == week)
                cap = len(starts) if t.max_per_week is None else max(0, t.max_per_week - used)
                arcs.append((("week", tid, week), ("therapist", tid), cap, 0))
        for k in range(len(starts)):
            arcs.append((("therapist", tid), "sink", 1, existing.get(tid, 0) + k))
    cost = _min_cost_max_flow(arcs, "source", "sink")
    return divmod(cost, weight)
