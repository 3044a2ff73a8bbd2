"""An upper bound on how many residents can be booked, computed separately from the optimiser.

The bound is the maximum flow of the resident-level network -- one node per resident rather than per group, no
costs, and day and week limits as capacities -- solved with OR-Tools' push-relabel maximum-flow solver instead
of the min-cost-flow solver the engine uses. Any valid plan is a flow in this network, so no plan can book
more; the benchmark reports it next to the engine's count to show the engine reaches it.

It shares slot and window preparation with the engine. The unit tests go further and compare the engine with a
bound computed from first principles on small instances.
"""

from __future__ import annotations

import numpy as np
from ortools.graph.python import max_flow

from scheduling.candidates import prepare
from scheduling.model import Problem

__all__ = ["max_flow_bound"]


def max_flow_bound(problem: Problem) -> int:
    """Return the most residents any plan for ``problem`` could book (those already booked not counted)."""
    candidates = prepare(problem)
    slots = candidates.slots
    residents, classes = len(candidates.residents), candidates.class_count
    if residents == 0 or classes == 0:
        return 0
    live = np.flatnonzero(candidates.time_class[slots.slot_time] >= 0)
    width = int(slots.times.shape[0])
    source, sink = 0, 1
    resident_base = 2
    class_base = resident_base + residents
    time_base = class_base + classes
    day_base = time_base + width
    week_base = day_base + int(slots.day_capacity.shape[0])

    resident_of, class_of = np.nonzero(candidates.group_classes[candidates.group_of])
    live_times = np.unique(slots.slot_time[live])
    per_time = np.bincount(slots.slot_time[live], minlength=width)
    parts = [
        (np.full(residents, source), resident_base + np.arange(residents), np.ones(residents)),
        (resident_base + resident_of, class_base + class_of, np.ones(resident_of.shape[0])),
        (class_base + candidates.time_class[live_times], time_base + live_times, per_time[live_times]),
        (time_base + slots.slot_time[live], day_base + slots.slot_day[live], np.ones(live.shape[0])),
        (day_base + np.arange(slots.day_capacity.shape[0]), week_base + slots.day_week, slots.day_capacity),
        (
            week_base + np.arange(slots.week_capacity.shape[0]),
            np.full(slots.week_capacity.shape[0], sink),
            slots.week_capacity,
        ),
    ]
    network = max_flow.SimpleMaxFlow()
    network.add_arcs_with_capacity(
        np.concatenate([p[0] for p in parts]).astype(np.int32),
        np.concatenate([p[1] for p in parts]).astype(np.int32),
        np.concatenate([p[2] for p in parts]).astype(np.int64),
    )
    status = network.solve(source, sink)
    if status != network.OPTIMAL:
        raise RuntimeError(f"max-flow solver stopped with status {status!r}")
    return int(network.optimal_flow())
