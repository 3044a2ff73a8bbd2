"""The booking engine: an optimal, deterministic assignment of residents to therapist slots.

Why a min-cost flow
-------------------
Every rule in the policy is either a property of a single (resident, slot) pair -- inside the window, after
the notice, clear of the resident's blackouts, in the programme's hours and the therapist's availability -- or
a *count* limit: one check-in per resident, one per slot, at most so many per therapist-day and per
therapist-week. Pair properties decide which arcs exist; count limits are arc capacities along nested paths
(slot -> therapist-day -> therapist-week -> therapist). Overlap and buffers would be pairwise conflicts
between slots, which a flow cannot express, so they are removed before the model is built: each therapist's
slots are packed so that no two of them conflict (see :mod:`scheduling.slots`). What remains is a network
whose maximum flow is exactly the largest number of residents the constraints allow, and because flow networks
have integral optima, the solver's answer is a real assignment -- no rounding, no heuristic.

The network, from source to sink::

    source -> resident group (capacity: its size)
           -> time class      (a group reaches the classes its members can attend)
           -> slot instant    (capacity: the slots that start then)
           -> therapist-day   (one arc per slot, capacity 1, cost: how late the day is)
           -> therapist-week  (capacity: what is left of the daily limit)
           -> therapist       (capacity: what is left of the weekly limit)
           -> sink            (parallel unit arcs of rising cost: the load-balancing term)

Groups and classes compress residents and instants without changing the problem (see
:mod:`scheduling.candidates`): this is what keeps 10,000 residents x 200 therapists x 8 weeks to about a
hundred thousand arcs instead of hundreds of millions.

Why these costs
---------------
The objective is lexicographic: (a) the most residents booked, then (b) earlier dates, then (c) an even load,
and finally (d) earlier times within a day, so that a therapist's check-ins sit together at the start of their
time rather than scattered through it.

(a) ``SolveMaxFlowWithMinCost`` first fixes the flow at its maximum and only then minimises cost, so no cost
    can trade a booking away.
(b) Each slot arc costs ``W_day * d``, where ``d`` is the slot's programme-local day counted from the start of
    the horizon.
(c) A therapist's ``k``-th check-in (counting existing ones in the horizon) costs ``W_balance * k`` on its own
    parallel arc to the sink. These marginal costs rise, so the cheapest way to route ``n`` units is the most
    even spread: the sum of a convex function of each therapist's load.
(d) Each slot arc also costs its rank among the day's slot instants.

Each weight is one more than the largest total the lower priorities could add up to (see :func:`_weights`),
so moving a single check-in one day earlier outweighs any change in balance, and evening out the load by one
check-in outweighs any change in times of day. Should the weights not fit in the solver's 64-bit costs (a
horizon of many months with a very large load), (d) is dropped rather than (b) or (c).

Determinism
-----------
Residents and therapists are sorted by id before anything else, arcs are added in a fixed order, and the
solver is deterministic, so the same input always yields the same plan, whatever order the input lists
came in.

Incremental planning
--------------------
Existing bookings are inputs, never outputs: they block their therapist's time (with the buffer), use up daily
and weekly capacity, and mark their resident as booked for the period. A plan therefore only ever adds
bookings. A full re-plan of future check-ins is the same call on a problem whose future bookings were
released; see :func:`release_future_bookings`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow

from scheduling.candidates import Candidates, prepare
from scheduling.model import Booking, ExistingBooking, Plan, Problem, Unplaced
from scheduling.slots import floor_seconds, from_seconds

__all__ = ["EngineError", "plan", "release_future_bookings"]

IntArray = npt.NDArray[np.int64]

# OR-Tools scales costs by the number of nodes internally; keep the product well inside int64.
_COST_LIMIT = 2**62


class EngineError(RuntimeError):
    """The optimiser could not produce a plan (a defect or an input far beyond the engine's design range)."""


def plan(problem: Problem) -> Plan:
    """Book as many due residents as the constraints allow, as early as possible, with an even therapist load.

    Existing bookings are never moved. Residents who already have this period's check-in are listed in
    ``Plan.already_booked``; every other resident on the roster is either booked or listed in
    ``Plan.unplaced`` with a reason. The module docstring explains the model and the priorities.
    """
    candidates = prepare(problem)
    assignment = solve(candidates)
    duration = problem.policy.duration_minutes * 60
    bookings: list[Booking] = []
    unplaced = list(candidates.unplaced)
    for index, resident in enumerate(candidates.residents):
        placed = assignment.get(index)
        if placed is None:
            unplaced.append(Unplaced(resident.id, candidates.capacity_reason(index)))
            continue
        start, therapist = placed
        bookings.append(
            Booking(
                resident_id=resident.id,
                therapist_id=candidates.slots.therapists[therapist].id,
                start=from_seconds(start),
                end=from_seconds(start + duration),
            )
        )
    bookings.sort(key=lambda b: (b.start, b.resident_id))
    unplaced.sort()
    return Plan(bookings=tuple(bookings), unplaced=tuple(unplaced), already_booked=candidates.already_booked)


def release_future_bookings(problem: Problem) -> Problem:
    """Return ``problem`` without the existing bookings that a full re-plan may move.

    These are the bookings of this programme's residents that start after ``now`` plus the minimum notice: a
    booking that starts sooner is left alone, because moving it would break the notice promise. Other
    programmes' bookings (residents not on this roster) always stay.
    ``plan(release_future_bookings(problem))`` is the full re-plan an administrator can ask for.
    """
    roster = {r.id for r in problem.residents}
    cutoff = floor_seconds(problem.now) + problem.policy.min_notice_hours * 3600
    kept: tuple[ExistingBooking, ...] = tuple(
        b for b in problem.existing_bookings if b.resident_id not in roster or floor_seconds(b.start) < cutoff
    )
    return replace(problem, existing_bookings=kept)


def solve(candidates: Candidates) -> dict[int, tuple[int, int]]:
    """Solve the flow model; return ``{resident index: (start, therapist index)}`` for those booked."""
    slots = candidates.slots
    groups, classes = candidates.group_count, candidates.class_count
    if groups == 0 or classes == 0:
        return {}

    # Only slots some resident can attend enter the model.
    slot_class = candidates.time_class[slots.slot_time]
    live = np.flatnonzero(slot_class >= 0)
    live_times = np.unique(slots.slot_time[live])
    time_node_of = np.full(slots.times.shape[0], -1, dtype=np.int64)

    group_size = np.bincount(candidates.group_of, minlength=groups).astype(np.int64)
    # Node numbering: fixed blocks, in the order the docstring lists the layers.
    source, sink = 0, 1
    group_base = 2
    class_base = group_base + groups
    time_base = class_base + classes
    time_node_of[live_times] = time_base + np.arange(live_times.shape[0])
    day_base = time_base + live_times.shape[0]
    week_base = day_base + slots.day_capacity.shape[0]
    therapist_base = week_base + slots.week_capacity.shape[0]
    node_count = therapist_base + len(slots.therapists)

    tails: list[IntArray] = []
    heads: list[IntArray] = []
    caps: list[IntArray] = []
    # Each arc's cost is kept as its three parts (day index, balance units, time-of-day rank) until the
    # weights that order the priorities are chosen.
    parts: list[tuple[IntArray, IntArray, IntArray]] = []

    def add(
        tail: IntArray,
        head: IntArray,
        cap: IntArray,
        *,
        day: IntArray | int = 0,
        balance: IntArray | int = 0,
        rank: IntArray | int = 0,
    ) -> slice:
        start = sum(len(t) for t in tails)
        tails.append(tail.astype(np.int32))
        heads.append(head.astype(np.int32))
        caps.append(cap.astype(np.int64))

        def part(value: IntArray | int) -> IntArray:
            return np.broadcast_to(np.asarray(value, dtype=np.int64), tail.shape)

        parts.append((part(day), part(balance), part(rank)))
        return slice(start, start + len(tail))

    group_ids = np.arange(groups, dtype=np.int64)
    add(np.full(groups, source), group_base + group_ids, group_size)
    pair_group, pair_class = np.nonzero(candidates.group_classes)
    pair_arcs = add(group_base + pair_group, class_base + pair_class, group_size[pair_group])
    per_time = np.bincount(slots.slot_time[live], minlength=slots.times.shape[0])
    add(
        class_base + candidates.time_class[live_times],
        time_node_of[live_times],
        per_time[live_times].astype(np.int64),
    )
    live_time = slots.slot_time[live]
    slot_arcs = add(
        time_node_of[live_time],
        day_base + slots.slot_day[live],
        np.ones(live.shape[0], dtype=np.int64),
        day=slots.time_day_index[live_time],
        rank=slots.time_rank[live_time],
    )
    add(
        day_base + np.arange(slots.day_capacity.shape[0]),
        week_base + slots.day_week,
        slots.day_capacity,
    )
    add(
        week_base + np.arange(slots.week_capacity.shape[0]),
        therapist_base + slots.week_therapist,
        slots.week_capacity,
    )
    # One unit arc per possible check-in of each therapist; the k-th costs (existing load + k) balance units.
    live_per_therapist = np.bincount(slots.slot_therapist[live], minlength=len(slots.therapists))
    week_cap_per_therapist = np.bincount(
        slots.week_therapist, weights=slots.week_capacity, minlength=len(slots.therapists)
    ).astype(np.int64)
    units = np.minimum(live_per_therapist, week_cap_per_therapist)
    balance_tails: list[int] = []
    balance_units: list[int] = []
    for therapist, count in enumerate(units.tolist()):
        base = int(slots.existing_load[therapist])
        balance_tails.extend([therapist_base + therapist] * count)
        balance_units.extend(range(base, base + count))
    add(
        np.array(balance_tails, dtype=np.int64),
        np.full(len(balance_tails), sink, dtype=np.int64),
        np.ones(len(balance_tails), dtype=np.int64),
        balance=np.array(balance_units, dtype=np.int64),
    )

    all_tails, all_heads, all_caps = np.concatenate(tails), np.concatenate(heads), np.concatenate(caps)
    day_part, balance_part, rank_part = (np.concatenate([p[i] for p in parts]) for i in range(3))
    total = int(group_size.sum())
    status = None
    for weights in _weights(
        max_balance=sum(balance_units),
        bookings=int(units.sum()),
        max_rank=int(slots.time_rank.max(initial=0)),
        max_day=int(slots.time_day_index[live_time].max(initial=0)),
        nodes=node_count,
    ):
        network = min_cost_flow.SimpleMinCostFlow()
        network.add_arcs_with_capacity_and_unit_cost(
            all_tails,
            all_heads,
            all_caps,
            day_part * weights.day + balance_part * weights.balance + rank_part * weights.rank,
        )
        network.set_node_supply(source, total)
        network.set_node_supply(sink, -total)
        status = network.solve_max_flow_with_min_cost()
        if status == network.OPTIMAL:
            flows = network.flows(np.arange(network.num_arcs(), dtype=np.int32)).astype(np.int64)
            return _disaggregate(candidates, flows[pair_arcs], pair_group, pair_class, flows[slot_arcs], live)
        if status != network.BAD_COST_RANGE:
            break
    raise EngineError(f"min-cost flow solver stopped with status {status!r}")


@dataclass(frozen=True, slots=True)
class _Weights:
    day: int
    balance: int
    rank: int


def _weights(*, max_balance: int, bookings: int, max_rank: int, max_day: int, nodes: int) -> list[_Weights]:
    """Return cost weights, best first, under which each priority strictly dominates the ones after it.

    With ``D`` the summed day index of the bookings, ``L`` the summed balance units and ``R`` the summed
    time-of-day ranks, the cost is ``day * D + balance * L + rank * R``. ``R`` never exceeds
    ``bookings * max_rank``, so ``balance`` is one more than that; ``balance * L + R`` never exceeds
    ``balance * max_balance + bookings * max_rank``, so ``day`` is one more than that. The second choice drops
    the time-of-day preference (the least important), for when the first would not fit the solver's 64-bit
    costs, which it scales by the number of nodes.
    """
    rank_total = bookings * max_rank
    choices = [
        _Weights(day=(rank_total + 1) * max_balance + rank_total + 1, balance=rank_total + 1, rank=1),
        _Weights(day=max_balance + 1, balance=1, rank=0),
    ]
    fitting = [w for w in choices if w.day * max(max_day, 1) * (nodes + 1) < _COST_LIMIT]
    if not fitting:
        raise EngineError("planning horizon and load are too large to weigh dates above balance exactly")
    return fitting


def _disaggregate(
    candidates: Candidates,
    pair_flow: IntArray,
    pair_group: IntArray,
    pair_class: IntArray,
    slot_flow: IntArray,
    live: IntArray,
) -> dict[int, tuple[int, int]]:
    """Turn group-to-class and slot flows back into one (start, therapist) per booked resident.

    Within a class every resident can take every slot, so matching them in a fixed order (residents by id,
    slots by time then therapist) is valid and deterministic.
    """
    slots = candidates.slots
    used = live[slot_flow > 0]  # already ordered by time, then therapist
    class_units: list[list[tuple[int, int]]] = [[] for _ in range(candidates.class_count)]
    for slot in used.tolist():
        t = int(slots.slot_time[slot])
        class_units[int(candidates.time_class[t])].append(
            (int(slots.times[t]), int(slots.slot_therapist[slot]))
        )

    members: list[list[int]] = [[] for _ in range(candidates.group_count)]
    for index, group in enumerate(candidates.group_of.tolist()):
        members[group].append(index)
    taken = [0] * candidates.group_count
    class_residents: list[list[int]] = [[] for _ in range(candidates.class_count)]
    for flow, group, cls in zip(pair_flow.tolist(), pair_group.tolist(), pair_class.tolist(), strict=True):
        if flow:
            class_residents[cls].extend(members[group][taken[group] : taken[group] + flow])
            taken[group] += flow

    assignment: dict[int, tuple[int, int]] = {}
    for residents, units in zip(class_residents, class_units, strict=True):
        if len(residents) != len(units):
            raise EngineError("flow is not conserved at a time class")
        for resident, unit in zip(sorted(residents), units, strict=True):
            assignment[resident] = unit
    return assignment
