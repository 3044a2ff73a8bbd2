"""Therapists: registered and configured by administrators; each therapist keeps their own availability
and time off up to date.

Messages never repeat a therapist's name or e-mail address: they may end up in screenshots or tickets.
"""

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.booking import service as booking
from app.db import utcnow
from app.errors import Conflict, InvalidInput, NotFound
from app.therapists import repository
from app.therapists.models import AvailabilityWindow, Therapist, TherapistExclusion, TimeOff
from app.therapists.schemas import AvailabilityIn, ExclusionsIn, TherapistCreate, TherapistUpdate, TimeOffIn

_DUPLICATE_EMAIL = "A therapist with this e-mail address already exists."


def get_therapist(session: Session, *, therapist_id: int, for_update: bool = False) -> Therapist:
    """The therapist with availability, time off and exclusions loaded, or NotFound."""
    therapist = repository.get(session, therapist_id=therapist_id, for_update=for_update)
    if therapist is None:
        raise NotFound(f"There is no therapist with id {therapist_id}.")
    return therapist


def list_therapists(session: Session, *, active: bool | None = None) -> list[Therapist]:
    """All therapists (or only active / inactive ones), in the order they were registered."""
    return repository.list_all(session, active=active)


def create_therapist(session: Session, *, data: TherapistCreate) -> Therapist:
    """Register a therapist (no availability, time off or exclusions yet); Conflict if the e-mail is taken."""
    if repository.by_email(session, email=data.email) is not None:
        raise Conflict(_DUPLICATE_EMAIL)
    therapist = Therapist(
        name=data.name,
        email=data.email,
        kind=data.kind,
        time_zone=data.time_zone,
        licensed_states=data.licensed_states,
        max_per_day=data.max_per_day,
        max_per_week=data.max_per_week,
        video_link=str(data.video_link) if data.video_link else None,
        active=True,
        availability=[],
        time_off=[],
        exclusions=[],
    )
    session.add(therapist)
    _flush(session)
    booking.request_auto_booking_everywhere(session, now=utcnow())
    return therapist


def update_therapist(session: Session, *, therapist_id: int, data: TherapistUpdate) -> Therapist:
    """Change the fields that were sent; the others keep their values.

    Deactivating (``active=false``) is how a therapist is removed: the record stays so that past check-ins
    keep their therapist, scheduling no longer offers them, and their future check-ins are freed so that
    the next auto-booking run places those residents with someone else.
    """
    therapist = get_therapist(session, therapist_id=therapist_id)
    sent = data.model_fields_set
    max_per_day = data.max_per_day if data.max_per_day is not None else therapist.max_per_day
    max_per_week = data.max_per_week if data.max_per_week is not None else therapist.max_per_week
    if max_per_week < max_per_day:
        field = "max_per_day" if "max_per_day" in sent else "max_per_week"
        message = (
            f"max_per_week ({max_per_week}) must be at least max_per_day ({max_per_day}); "
            "change both in the same request"
        )
        raise _invalid(field, message)
    if data.email is not None and data.email != therapist.email:
        if repository.by_email(session, email=data.email) is not None:
            raise Conflict(_DUPLICATE_EMAIL)
        therapist.email = data.email
    if data.name is not None:
        therapist.name = data.name
    if data.kind is not None:
        therapist.kind = data.kind
    if data.time_zone is not None:
        therapist.time_zone = data.time_zone
    if data.licensed_states is not None:
        therapist.licensed_states = data.licensed_states
    therapist.max_per_day = max_per_day
    therapist.max_per_week = max_per_week
    if "video_link" in sent:
        therapist.video_link = str(data.video_link) if data.video_link else None
    if data.active is not None:
        therapist.active = data.active
    _flush(session)
    booking.therapist_changed(session, therapist=therapist, now=utcnow())
    return therapist


def set_availability(session: Session, *, therapist_id: int, data: AvailabilityIn) -> Therapist:
    """Replace the therapist's weekly availability with ``data.windows`` (local wall time, their zone)."""
    therapist = get_therapist(session, therapist_id=therapist_id, for_update=True)
    therapist.availability = [
        AvailabilityWindow(weekday=w.weekday, start=w.start, end=w.end)
        for w in sorted(data.windows, key=lambda w: (w.weekday, w.start))
    ]
    therapist.updated_at = utcnow()
    session.flush()
    booking.therapist_changed(session, therapist=therapist, now=utcnow())
    return therapist


def add_time_off(session: Session, *, therapist_id: int, data: TimeOffIn) -> TimeOff:
    """Record a period away, stored in UTC. InvalidInput if it overlaps the therapist's other time off."""
    therapist = get_therapist(session, therapist_id=therapist_id, for_update=True)
    starts_at, ends_at = data.starts_at.astimezone(UTC), data.ends_at.astimezone(UTC)
    clashes = overlapping(therapist.time_off, starts_at=starts_at, ends_at=ends_at)
    if clashes:
        field = "starts_at" if any(t.starts_at <= starts_at < t.ends_at for t in clashes) else "ends_at"
        periods = "; ".join(f"#{t.id} {_utc(t.starts_at)} to {_utc(t.ends_at)}" for t in clashes)
        message = f"overlaps time off already recorded ({periods}); change or delete that one instead"
        raise _invalid(field, message)
    time_off = TimeOff(starts_at=starts_at, ends_at=ends_at)
    therapist.time_off.append(time_off)
    therapist.time_off.sort(key=lambda t: t.starts_at)
    therapist.updated_at = utcnow()
    session.flush()
    booking.therapist_changed(session, therapist=therapist, now=utcnow())
    return time_off


def remove_time_off(session: Session, *, therapist_id: int, time_off_id: int) -> None:
    """Delete one period of the therapist's time off; NotFound if they have none with that id."""
    therapist = get_therapist(session, therapist_id=therapist_id, for_update=True)
    time_off = next((t for t in therapist.time_off if t.id == time_off_id), None)
    if time_off is None:
        raise NotFound(f"This therapist has no time off with id {time_off_id}.")
    therapist.time_off.remove(time_off)
    therapist.updated_at = utcnow()
    session.flush()
    booking.therapist_changed(session, therapist=therapist, now=utcnow())


def set_exclusions(session: Session, *, therapist_id: int, data: ExclusionsIn) -> Therapist:
    """Replace the programmes this therapist must never be booked for; InvalidInput naming unknown ids."""
    therapist = get_therapist(session, therapist_id=therapist_id)
    wanted = set(data.program_ids)
    unknown = sorted(wanted - repository.existing_program_ids(session, program_ids=wanted))
    if unknown:
        message = f"there is no programme with id {', '.join(map(str, unknown))}"
        raise _invalid("program_ids", message)
    kept = [e for e in therapist.exclusions if e.program_id in wanted]
    added = wanted - {e.program_id for e in kept}
    therapist.exclusions = kept + [TherapistExclusion(program_id=p) for p in sorted(added)]
    therapist.updated_at = utcnow()
    session.flush()
    booking.therapist_changed(session, therapist=therapist, now=utcnow())
    return therapist


def overlapping(periods: Iterable[TimeOff], *, starts_at: datetime, ends_at: datetime) -> list[TimeOff]:
    """The periods sharing an instant with [starts_at, ends_at); periods that only touch do not overlap."""
    return [t for t in periods if t.starts_at < ends_at and starts_at < t.ends_at]


def _invalid(field: str, message: str) -> InvalidInput:
    # Shaped like the request-validation errors, so clients handle both the same way.
    return InvalidInput(
        f"The request is not valid — {field}: {message}", errors=[{"field": field, "message": message}]
    )


def _utc(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def _flush(session: Session) -> None:
    # The pre-check above catches the usual duplicate; this catches two requests racing for one address.
    try:
        session.flush()
    except IntegrityError as exc:
        if "email" in str(exc.orig).lower():
            raise Conflict(_DUPLICATE_EMAIL) from exc
        raise
