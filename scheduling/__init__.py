"""The booking engine and the scheduler process.

The engine (``model``, ``slots``, ``windows``, ``candidates``, ``engine``, ``scenario``) is pure Python over
plain dataclasses -- no web framework, no ORM -- so it can be tested exhaustively and benchmarked at scale
without a database. Start with :func:`scheduling.engine.plan` and the types in :mod:`scheduling.model`.

This module imports nothing on purpose: the scheduler process imports ``scheduling.jobs`` and should not pay
for numpy and OR-Tools until a job actually plans.
"""
