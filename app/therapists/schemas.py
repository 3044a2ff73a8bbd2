"""What administrators and therapists send and receive about a therapist.

Weekly availability is local wall time in the therapist's own IANA zone (which may differ from the
programme's); time off is a pair of instants, stored in UTC.
"""

import re
from datetime import UTC, datetime, time
from functools import partial
from itertools import pairwise
from typing import Annotated, Any, Self

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    HttpUrl,
    PlainSerializer,
    UrlConstraints,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from app.therapists.models import Therapist, TherapistKind
from app.validation import check_plain_text, check_state, check_time_zone, normalise_email

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MAX_PER_DAY = 48
MAX_PER_WEEK = 7 * MAX_PER_DAY

_HHMM = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")


def _parse_wall_time(value: Any) -> time:
    if isinstance(value, time):
        return value
    if isinstance(value, str) and (match := _HHMM.fullmatch(value.strip())):
        return time(int(match[1]), int(match[2]))
    raise ValueError("give a time of day as HH:MM on the 24-hour clock, for example 09:00 or 17:30")


WallTime = Annotated[
    time,
    BeforeValidator(_parse_wall_time),
    PlainSerializer(lambda t: t.strftime("%H:%M"), return_type=str),
    WithJsonSchema({"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "examples": ["09:00"]}),
]
TimeZone = Annotated[str, AfterValidator(check_time_zone)]


def _normalise_states(codes: list[str]) -> list[str]:
    return sorted({check_state(code) for code in codes})


def _check_email(value: str) -> str:
    # The shared validator quotes the address back; error messages here never repeat personal data.
    try:
        return normalise_email(value)
    except ValueError:
        raise ValueError("is not a valid e-mail address") from None


LicensedStates = Annotated[
    list[str],
    AfterValidator(_normalise_states),
    Field(
        max_length=60,
        description="US state or territory codes where the therapist is licensed; upper-cased and "
        "de-duplicated. Video check-ins go only to therapists licensed in the programme's state.",
        examples=[["MI", "OH"]],
    ),
]
Email = Annotated[str, AfterValidator(_check_email), Field(max_length=320)]
# No control characters: PostgreSQL refuses NUL, and the others are never meant in a name.
Name = Annotated[
    str, Field(min_length=1, max_length=200), AfterValidator(partial(check_plain_text, what="the name"))
]
VideoLink = Annotated[
    HttpUrl, UrlConstraints(max_length=500), Field(description="The therapist's standing video-call link.")
]
PerDay = Annotated[
    int, Field(ge=1, le=MAX_PER_DAY, description="Most check-ins on one local day (at least 1).")
]
PerWeek = Annotated[
    int,
    Field(
        ge=1, le=MAX_PER_WEEK, description="Most check-ins in one week (Monday–Sunday, local); ≥ max_per_day."
    ),
]


def _check_capacity(max_per_day: int | None, max_per_week: int | None) -> None:
    if max_per_day is not None and max_per_week is not None and max_per_week < max_per_day:
        raise ValueError(
            f"max_per_week ({max_per_week}) must be at least max_per_day ({max_per_day}): "
            "a week holds at least one day"
        )


class TherapistCreate(BaseModel):
    """A new therapist. Availability, time off and exclusions are set through their own routes."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: Name
    email: Email
    kind: TherapistKind = Field(description="'volunteer' or 'employed' (by the programme).")
    time_zone: TimeZone = Field(
        description="IANA zone of the therapist's availability, e.g. 'America/Chicago'."
    )
    licensed_states: LicensedStates = []
    max_per_day: PerDay = 4
    # Checked when left out too: a max_per_day above the default max_per_week must not reach the database.
    max_per_week: Annotated[PerWeek, Field(validate_default=True)] = 12
    video_link: VideoLink | None = None

    @field_validator("max_per_week")
    @classmethod
    def _capacity(cls, max_per_week: int, info: ValidationInfo) -> int:
        _check_capacity(info.data.get("max_per_day"), max_per_week)
        return max_per_week


class TherapistUpdate(BaseModel):
    """Change any of these fields; those left out stay as they are.

    Setting ``active`` to false removes the therapist from future scheduling while keeping their record.
    Changing ``time_zone`` keeps the weekly availability as the same wall-clock times in the new zone.
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: Name | None = None
    email: Email | None = None
    kind: TherapistKind | None = None
    time_zone: TimeZone | None = None
    licensed_states: LicensedStates | None = None
    max_per_day: PerDay | None = None
    max_per_week: PerWeek | None = None
    video_link: VideoLink | None = Field(default=None, description="null removes the link.")
    active: bool | None = None

    @field_validator(
        "name", "email", "kind", "time_zone", "licensed_states", "max_per_day", "max_per_week", "active"
    )
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        # Only runs for fields that were sent: an explicit null would otherwise read as "unchanged".
        if value is None:
            raise ValueError("cannot be null; leave the field out to keep its value")
        return value

    @field_validator("max_per_week")
    @classmethod
    def _capacity(cls, max_per_week: int | None, info: ValidationInfo) -> int | None:
        _check_capacity(info.data.get("max_per_day"), max_per_week)
        return max_per_week


class AvailabilityWindowIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    weekday: int = Field(ge=0, le=6, description="0 = Monday … 6 = Sunday")
    start: WallTime
    end: WallTime

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.start >= self.end:
            raise ValueError(
                f"on {WEEKDAYS[self.weekday]} the window's start {self.start:%H:%M} must be before its end "
                f"{self.end:%H:%M} (a window cannot cross midnight: split it in two)"
            )
        return self


class AvailabilityIn(BaseModel):
    """The therapist's whole weekly availability; it replaces what was there. An empty list means none."""

    model_config = ConfigDict(extra="forbid")

    windows: list[AvailabilityWindowIn] = Field(
        max_length=100,
        description="Weekly windows in the therapist's local wall time (their time_zone). Windows on the "
        "same weekday may touch but not overlap.",
    )

    @field_validator("windows")
    @classmethod
    def _no_overlap(cls, windows: list[AvailabilityWindowIn]) -> list[AvailabilityWindowIn]:
        ordered = sorted(windows, key=lambda w: (w.weekday, w.start, w.end))
        clashes = [
            f"{WEEKDAYS[a.weekday]} {a.start:%H:%M}–{a.end:%H:%M} and {b.start:%H:%M}–{b.end:%H:%M}"
            for a, b in pairwise(ordered)
            if a.weekday == b.weekday and b.start < a.end
        ]
        if clashes:
            raise ValueError(f"availability windows overlap: {'; '.join(clashes)}")
        return ordered


# The same sane range as roster dates and calendar events: anything outside it is a typo.
TIME_OFF_EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
TIME_OFF_LATEST = datetime(2101, 1, 1, tzinfo=UTC)


class TimeOffIn(BaseModel):
    """A period the therapist is away, as two instants with an explicit UTC offset.

    Send ISO 8601 date-times with an offset or 'Z', e.g. ``2026-12-24T00:00:00-05:00``; times without an
    offset are refused, because the same wall time means different instants in different zones. To block
    whole local days, send local midnight of the first day and local midnight after the last day, in the
    therapist's zone. The end is exclusive; periods may touch but not overlap the therapist's other time off.
    """

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"starts_at": "2026-12-24T00:00:00-05:00", "ends_at": "2027-01-02T00:00:00-05:00"}]
        },
    )

    starts_at: AwareDatetime = Field(description="First instant away (with offset).")
    ends_at: AwareDatetime = Field(description="First instant back (with offset); after starts_at.")

    @field_validator("starts_at", "ends_at")
    @classmethod
    def _in_utc(cls, instant: datetime) -> datetime:
        try:
            utc = instant.astimezone(UTC)
        except OverflowError:
            raise ValueError("is too far in the past or future") from None
        if not TIME_OFF_EARLIEST <= utc < TIME_OFF_LATEST:
            raise ValueError("must fall between the years 2000 and 2100")
        return utc

    @field_validator("ends_at")
    @classmethod
    def _after_start(cls, ends_at: datetime, info: ValidationInfo) -> datetime:
        starts_at = info.data.get("starts_at")
        if starts_at is not None and ends_at <= starts_at:
            raise ValueError("ends_at must be after starts_at")
        return ends_at


class ExclusionsIn(BaseModel):
    """The whole set of programmes this therapist must never be booked for (conflict of interest)."""

    model_config = ConfigDict(extra="forbid")

    program_ids: list[Annotated[int, Field(ge=1, le=2_147_483_647)]] = Field(
        max_length=1000,
        description="Programmes where the therapist teaches or supervises. Replaces the current set; "
        "an empty list clears it.",
    )


class AvailabilityWindowOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    weekday: int
    start: WallTime
    end: WallTime


class TimeOffOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    starts_at: datetime = Field(description="UTC")
    ends_at: datetime = Field(description="UTC")


class TherapistOut(BaseModel):
    id: int
    name: str
    email: str
    kind: TherapistKind
    time_zone: str
    licensed_states: list[str]
    max_per_day: int
    max_per_week: int
    video_link: str | None
    active: bool
    availability: list[AvailabilityWindowOut] = Field(description="Local wall time in time_zone.")
    time_off: list[TimeOffOut]
    excluded_program_ids: list[int]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, therapist: Therapist) -> "TherapistOut":
        """The response for a therapist whose availability, time off and exclusions are loaded."""
        return cls(
            id=therapist.id,
            name=therapist.name,
            email=therapist.email,
            kind=therapist.kind,
            time_zone=therapist.time_zone,
            licensed_states=therapist.licensed_states,
            max_per_day=therapist.max_per_day,
            max_per_week=therapist.max_per_week,
            video_link=therapist.video_link,
            active=therapist.active,
            availability=[AvailabilityWindowOut.model_validate(w) for w in therapist.availability],
            time_off=[TimeOffOut.model_validate(t) for t in therapist.time_off],
            excluded_program_ids=sorted(e.program_id for e in therapist.exclusions),
            created_at=therapist.created_at,
            updated_at=therapist.updated_at,
        )
