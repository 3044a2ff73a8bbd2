"""Plain, immutable inputs and outputs of the booking engine.

Everything the engine needs is described here as frozen dataclasses with no behaviour beyond validating
themselves, so that adapters (the ORM layer, the scenario loader, tests, benchmarks) can build them freely and
the engine can be run and tested without a database.

Conventions that hold for every type in this module:

* Instants are timezone-aware ``datetime`` objects; they are normalised to UTC on construction.
* Rules that people state in wall-clock terms ("weekdays 08:00-18:00", "Tuesdays 13:00-17:00") are kept as
  local wall times (:class:`WeeklyWindow`) together with an IANA zone name, and only turned into instants when
  the engine lays them out on real dates, so daylight-saving time is applied per date.
* Sequences are tuples and sets are frozensets, so a value can be hashed, compared and shared safely.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "Booking",
    "ExistingBooking",
    "Interval",
    "Modality",
    "Plan",
    "Policy",
    "Problem",
    "Resident",
    "Therapist",
    "Unplaced",
    "WeeklyWindow",
    "zone",
]

#: Slot grid steps the engine accepts. Each divides an hour, so grid instants fall on the same wall-clock
#: minutes in every zone whose offset is a whole number of quarter hours (all current IANA zones but a
#: handful of historical ones).
ALLOWED_SLOT_STEPS = (5, 10, 15, 20, 30, 60)


def zone(name: str) -> ZoneInfo:
    """Return the IANA time zone called ``name``; raise ``ValueError`` with a readable message if unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown IANA time zone {name!r}") from exc


def _utc(value: datetime, what: str) -> datetime:
    """Normalise an aware datetime to UTC; naive datetimes are refused because their meaning is a guess."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must carry a time zone offset (got naive {value.isoformat()})")
    return value.astimezone(UTC)


class Modality(StrEnum):
    """How a check-in takes place; a video check-in is care delivered across state lines, so licensure
    applies."""

    VIDEO = "video"
    IN_PERSON = "in_person"


@dataclass(frozen=True, slots=True)
class Interval:
    """A half-open span of time ``[start, end)`` between two instants, stored in UTC."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", _utc(self.start, "interval start"))
        object.__setattr__(self, "end", _utc(self.end, "interval end"))
        if self.end <= self.start:
            raise ValueError(
                f"interval ends ({self.end.isoformat()}) at or before it starts ({self.start.isoformat()})"
            )


@dataclass(frozen=True, slots=True)
class WeeklyWindow:
    """A recurring span of local wall time on one weekday (0 = Monday ... 6 = Sunday).

    ``end`` at or before ``start`` means the window runs past midnight into the next day, so ``22:00-06:00``
    is an overnight window and ``00:00-00:00`` is the whole day (the same convention as call schedules, where
    a shift whose end equals its start lasts 24 hours).
    """

    weekday: int
    start: time
    end: time

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), got {self.weekday}")
        for moment in (self.start, self.end):
            if moment.tzinfo is not None:
                raise ValueError("weekly windows are local wall times and must not carry a time zone")


def _default_weekdays() -> frozenset[int]:
    return frozenset(range(5))


def _default_pgy_levels() -> frozenset[int]:
    return frozenset(range(1, 9))


@dataclass(frozen=True, slots=True)
class Policy:
    """One programme's check-in policy: who is eligible, when and how check-ins may be booked.

    Attributes:
        program_id: The programme's identifier; therapists list the programmes they are excluded from by this
        id.
        time_zone: IANA zone of the programme; allowed hours, protected blocks and the window are read in it.
        state: Two-letter US state of the programme; video check-ins need a therapist licensed there.
        modality: ``video`` or ``in_person``.
        duration_minutes: Length of a check-in, 15 to 60 minutes.
        buffer_minutes: Minimum gap a therapist keeps between two consecutive check-ins (any programme).
        min_notice_hours: No check-in is booked to start sooner than this after ``Problem.now``.
        window_days: A check-in falls on one of the first ``window_days`` days counted from the resident's
        start
            date, or from the start of the current cadence period if the resident started before it.
        checkins_per_academic_year: Cadence. The academic year (from 1 July) is split into this many equal
            periods of whole months, and each resident is due one check-in per period. Must divide 12.
        pgy_levels: PGY levels the policy covers.
        allowed_weekdays, day_start, day_end: Allowed local hours on allowed weekdays (used when there are no
            protected blocks). ``day_end`` at or before ``day_start`` runs past midnight.
        protected_blocks: Recurring protected time; when given it replaces weekdays and hours entirely.
        slot_step_minutes: Check-ins start on instants that are a multiple of this many minutes (UTC), i.e. on
        the
            quarter hours by default. One of 5, 10, 15, 20, 30 or 60.
    """

    program_id: str
    time_zone: str
    state: str
    modality: Modality = Modality.VIDEO
    duration_minutes: int = 30
    buffer_minutes: int = 0
    min_notice_hours: int = 24
    window_days: int = 56
    checkins_per_academic_year: int = 1
    pgy_levels: frozenset[int] = field(default_factory=_default_pgy_levels)
    allowed_weekdays: frozenset[int] = field(default_factory=_default_weekdays)
    day_start: time = time(8, 0)
    day_end: time = time(18, 0)
    protected_blocks: tuple[WeeklyWindow, ...] = ()
    slot_step_minutes: int = 15

    def __post_init__(self) -> None:
        zone(self.time_zone)
        object.__setattr__(self, "modality", Modality(self.modality))
        if len(self.state) != 2 or not self.state.isalpha() or not self.state.isupper():
            raise ValueError(f"state must be a two-letter upper-case code such as 'CA', got {self.state!r}")
        if not 15 <= self.duration_minutes <= 60:
            raise ValueError(f"duration_minutes must be between 15 and 60, got {self.duration_minutes}")
        if not 0 <= self.buffer_minutes <= 240:
            raise ValueError(f"buffer_minutes must be between 0 and 240, got {self.buffer_minutes}")
        if not 0 <= self.min_notice_hours <= 24 * 60:
            raise ValueError(f"min_notice_hours must be between 0 and 1440, got {self.min_notice_hours}")
        if not 1 <= self.window_days <= 366:
            raise ValueError(f"window_days must be between 1 and 366, got {self.window_days}")
        if self.checkins_per_academic_year not in (1, 2, 3, 4, 6, 12):
            raise ValueError(
                "checkins_per_academic_year must divide the year into whole months (1, 2, 3, 4, 6 or 12), "
                f"got {self.checkins_per_academic_year}"
            )
        if not self.pgy_levels or not all(1 <= p <= 8 for p in self.pgy_levels):
            raise ValueError("pgy_levels must be a non-empty set of levels between 1 and 8")
        if not all(0 <= d <= 6 for d in self.allowed_weekdays):
            raise ValueError("allowed_weekdays must be between 0 (Monday) and 6 (Sunday)")
        if self.slot_step_minutes not in ALLOWED_SLOT_STEPS:
            raise ValueError(
                f"slot_step_minutes must be one of {ALLOWED_SLOT_STEPS}, got {self.slot_step_minutes}"
            )

    def hours(self) -> tuple[WeeklyWindow, ...]:
        """Return the programme's allowed local time as weekly windows (protected blocks win over hours)."""
        if self.protected_blocks:
            return self.protected_blocks
        return tuple(WeeklyWindow(d, self.day_start, self.day_end) for d in sorted(self.allowed_weekdays))


@dataclass(frozen=True, slots=True)
class Resident:
    """A resident on the programme's roster.

    Attributes:
        id: Stable identifier (opaque to the engine).
        pgy: Post-graduate year, 1 to 8.
        start_date: First day in the programme.
        end_date: Last day in the programme (inclusive), if known.
        blackouts: Times the resident cannot attend (call, nights, post-call days, vacation), in UTC.
        checkins_this_period: Check-ins the resident already had in the current cadence period that are *not*
            passed as existing bookings (for example kept, no-show or opted-out check-ins whose records no
            longer hold therapist time). Any positive number means the resident is not booked again this
            period.
    """

    id: str
    pgy: int
    start_date: date
    end_date: date | None = None
    blackouts: tuple[Interval, ...] = ()
    checkins_this_period: int = 0

    def __post_init__(self) -> None:
        if not self.id:
            raise ValueError("resident id must not be empty")
        if not 1 <= self.pgy <= 8:
            raise ValueError(f"resident {self.id}: pgy must be between 1 and 8, got {self.pgy}")
        if self.end_date is not None and self.end_date < self.start_date:
            raise ValueError(f"resident {self.id}: end_date is before start_date")
        if self.checkins_this_period < 0:
            raise ValueError(f"resident {self.id}: checkins_this_period must not be negative")


@dataclass(frozen=True, slots=True)
class Therapist:
    """A therapist who can take check-ins.

    Attributes:
        id: Stable identifier (opaque to the engine).
        time_zone: IANA zone in which ``availability`` and the day/week capacities are read.
        availability: Weekly availability in the therapist's own local wall time.
        time_off: Whole periods away, in UTC.
        busy: Other commitments (from their calendar), in UTC.
        max_per_day: Most check-ins on one therapist-local calendar day (``None`` = no limit).
        max_per_week: Most check-ins in one therapist-local ISO week, Monday to Sunday (``None`` = no limit).
        licensed_states: Two-letter states the therapist is licensed in.
        excluded_programs: Programme ids the therapist must not see residents of (teaching, supervision).
    """

    id: str
    time_zone: str
    availability: tuple[WeeklyWindow, ...]
    time_off: tuple[Interval, ...] = ()
    busy: tuple[Interval, ...] = ()
    max_per_day: int | None = None
    max_per_week: int | None = None
    licensed_states: frozenset[str] = frozenset()
    excluded_programs: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if not self.id:
            raise ValueError("therapist id must not be empty")
        zone(self.time_zone)
        for name in ("max_per_day", "max_per_week"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise ValueError(f"therapist {self.id}: {name} must not be negative")


@dataclass(frozen=True, slots=True)
class ExistingBooking:
    """A check-in that is already booked (in this or any programme); it is never moved by the engine.

    It holds the therapist's time (with the policy's buffer around it) and counts towards their daily and
    weekly capacity; for its resident it counts as the check-in of the period it falls in.
    """

    resident_id: str
    therapist_id: str
    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", _utc(self.start, "booking start"))
        object.__setattr__(self, "end", _utc(self.end, "booking end"))
        if self.end <= self.start:
            raise ValueError("an existing booking must end after it starts")


@dataclass(frozen=True, slots=True)
class Problem:
    """Everything one planning run needs: a programme's policy, the clock, its roster, therapists and
    bookings.

    ``existing_bookings`` should hold every active check-in of the listed therapists, including other
    programmes' ones, because they all use the same therapist time and capacity.
    """

    policy: Policy
    now: datetime
    residents: tuple[Resident, ...]
    therapists: tuple[Therapist, ...]
    existing_bookings: tuple[ExistingBooking, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "now", _utc(self.now, "now"))
        _unique((r.id for r in self.residents), "resident")
        _unique((t.id for t in self.therapists), "therapist")


def _unique(ids: Iterable[str], what: str) -> None:
    seen: set[str] = set()
    for ident in ids:
        if ident in seen:
            raise ValueError(f"{what} id {ident!r} appears more than once")
        seen.add(ident)


@dataclass(frozen=True, slots=True, order=True)
class Booking:
    """A check-in the engine proposes: this resident with this therapist over ``[start, end)`` (UTC)."""

    resident_id: str
    therapist_id: str
    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True, order=True)
class Unplaced:
    """A resident the engine could not book, with a reason a residency coordinator can act on.

    The reason speaks only about this resident, the policy and therapist time in general: never about other
    residents.
    """

    resident_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class Plan:
    """The result of a planning run.

    Attributes:
        bookings: New check-ins to create, ordered by start time, then resident id.
        unplaced: Residents due a check-in who could not be booked, ordered by resident id.
        already_booked: Residents who already have their check-in for the current period (and so were neither
            booked nor left unplaced), ordered by id.
    """

    bookings: tuple[Booking, ...]
    unplaced: tuple[Unplaced, ...]
    already_booked: tuple[str, ...] = ()
