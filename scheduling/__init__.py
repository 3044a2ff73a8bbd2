"""The booking engine and the scheduler process.

The engine is pure Python over plain dataclasses -- no web framework, no ORM -- so it can be tested
exhaustively and benchmarked at scale without a database. Adapters build a :class:`~scheduling.model.Problem`
and call :func:`~scheduling.engine.plan`::

    from scheduling.engine import plan, release_future_bookings
    from scheduling.model import ExistingBooking, Interval, Policy, Problem, Resident, Therapist, WeeklyWindow

    result = plan(Problem(policy=..., now=..., residents=(...), therapists=(...), existing_bookings=(...)))
    result.bookings        # new check-ins to create (never touching existing ones)
    result.unplaced        # residents who could not be booked, each with a reason for the coordinator
    result.already_booked  # residents who already have this period's check-in

    plan(release_future_bookings(problem))  # a full re-plan of future check-ins

Modules:

* ``model`` -- the input and output types.
* ``windows`` -- cadence periods (academic year from 1 July) and each resident's check-in window.
* ``slots`` -- wall-clock windows to instants across time zones and DST; therapist slots and capacities.
* ``candidates`` -- who is due, who can attend when, and the exact compression that keeps the model small.
* ``engine`` -- the min-cost-flow model and :func:`~scheduling.engine.plan`.
* ``offers`` -- open times to offer a resident who reschedules or opts back in.
* ``scenario`` -- the JSON scenario format (``scenario.schema.json``) behind ``tend plan``.
* ``bounds``, ``greedy`` -- an upper bound and a first-fit baseline for the benchmark.

This module imports nothing on purpose: the scheduler process imports ``scheduling.jobs`` and should not pay
for numpy and OR-Tools until a job actually plans.
"""
