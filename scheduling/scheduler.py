"""The one scheduler process (`tend scheduler`): APScheduler 3 running Tend's jobs, never inside web workers.

A second scheduler started by mistake must not double-run jobs. The processes compete for a lease row
(``job_lease``, name "scheduler"): only the holder runs jobs, renewing the lease each time; the others stay on
standby and take over once the lease has expired (the holder died). The lease works the same on SQLite and
PostgreSQL; auto-booking runs are additionally serialised by a database lock (see app.booking.repository).
"""

import logging
import os
import socket
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.orm import Session, sessionmaker

from app.booking import repository as booking_repository
from app.config import Settings
from app.db import transaction
from scheduling import jobs

log = logging.getLogger("tend.scheduler")

LEASE_NAME = "scheduler"
LEASE_TTL = timedelta(seconds=90)
POLL_SECONDS = 30


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Lease:
    """This process's claim to be the one scheduler that runs jobs."""

    def __init__(self, factory: sessionmaker[Session], clock: Callable[[], datetime] = _utcnow) -> None:
        self.factory = factory
        self.clock = clock
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

    def acquire(self) -> bool:
        """Take or renew the lease; False while another live scheduler holds it."""
        now = self.clock()
        with transaction(self.factory) as session:
            return booking_repository.take_lease(
                session, name=LEASE_NAME, holder=self.holder, now=now, until=now + LEASE_TTL
            )

    def release(self) -> None:
        with transaction(self.factory) as session:
            booking_repository.release_lease(session, name=LEASE_NAME, holder=self.holder)


def guarded(lease: Lease, name: str, job: Callable[[], object]) -> Callable[[], None]:
    """Wrap ``job`` so that it runs only while this process holds the lease."""

    def run() -> None:
        if not lease.acquire():
            log.info("standby: another scheduler holds the lease", extra={"job": name})
            return
        job()

    run.__name__ = name
    return run


def add_jobs(
    scheduler: BaseScheduler, settings: Settings, factory: sessionmaker[Session], lease: Lease
) -> None:
    """Register Tend's jobs on ``scheduler``. Later features add their jobs here."""
    delay = timedelta(seconds=settings.booking_delay_seconds)
    scheduler.add_job(
        guarded(lease, "nightly_auto_booking", lambda: jobs.nightly_auto_booking(factory, _utcnow)),
        CronTrigger(hour=settings.nightly_booking_hour_utc, minute=0, timezone=UTC),
        id="nightly_auto_booking",
    )
    scheduler.add_job(
        guarded(
            lease,
            "requested_auto_booking",
            lambda: jobs.requested_auto_booking(factory, _utcnow, delay=delay),
        ),
        IntervalTrigger(seconds=POLL_SECONDS, timezone=UTC),
        id="requested_auto_booking",
    )


def build_scheduler(
    settings: Settings, factory: sessionmaker[Session], *, background: bool = False
) -> tuple[BaseScheduler, Lease]:
    """A configured scheduler: blocking for `tend scheduler`, background for the embedded demo."""
    job_defaults = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 600}
    cls = BackgroundScheduler if background else BlockingScheduler
    scheduler = cls(timezone=UTC, job_defaults=job_defaults)
    lease = Lease(factory)
    add_jobs(scheduler, settings, factory, lease)
    return scheduler, lease


def run_forever(settings: Settings, factory: sessionmaker[Session]) -> None:
    """Run the scheduler in this process until interrupted; release the lease on the way out."""
    scheduler, lease = build_scheduler(settings, factory)
    log.info("scheduler starting", extra={"jobs": [job.id for job in scheduler.get_jobs()]})
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        lease.release()
