"""The scheduler's jobs. Each opens its own transaction per programme, so one failure stays local.

This module is the adapter between the scheduler process and the service layer; the engine itself
(scheduling.engine) stays free of any database or web import.
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from app.booking import repository as booking_repository
from app.booking.models import RunKind
from app.booking.service import run_auto_booking
from app.db import transaction
from app.errors import DomainError
from app.programs import repository as programs_repository

log = logging.getLogger("tend.jobs")

Clock = Callable[[], datetime]


def _run_programs(
    factory: sessionmaker[Session], program_ids: list[int], kind: RunKind, now: datetime
) -> int:
    done = 0
    for program_id in program_ids:
        try:
            with transaction(factory) as session:
                run = run_auto_booking(session, program_id=program_id, kind=kind, now=now)
                log.info(
                    "auto-booking run",
                    extra={"program_id": program_id, "kind": kind.value, "placed": run.placed,
                           "not_placed": run.not_placed},
                )  # fmt: skip
            done += 1
        except DomainError as exc:
            log.warning("auto-booking skipped", extra={"program_id": program_id, "reason": exc.message})
        except Exception as exc:  # one programme's failure must not stop the others
            log.error(
                "auto-booking failed", extra={"program_id": program_id, "error_type": type(exc).__name__}
            )
            # Drop the request (its run rolled back with it), so a failing programme is retried by the
            # nightly run or the next change, not every 30 seconds.
            with transaction(factory) as session:
                booking_repository.clear_request(session, program_id=program_id)
    return done


def nightly_auto_booking(factory: sessionmaker[Session], clock: Clock) -> int:
    """Run auto-booking for every programme; returns how many runs completed."""
    with transaction(factory) as session:
        program_ids = [p.id for p in programs_repository.list_all(session)]
    return _run_programs(factory, program_ids, RunKind.nightly, clock())


def requested_auto_booking(factory: sessionmaker[Session], clock: Clock, *, delay: timedelta) -> int:
    """Run auto-booking for programmes whose roster or therapists changed at least ``delay`` ago."""
    now = clock()
    with transaction(factory) as session:
        program_ids = booking_repository.pending_requests(session, before=now - delay)
    return _run_programs(factory, program_ids, RunKind.triggered, now)
