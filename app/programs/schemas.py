"""A programme and its check-in policy (PRODUCT.md → Booking rules)."""

from datetime import datetime, time
from enum import StrEnum
from functools import partial
from itertools import pairwise
from typing import Annotated, Any, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from app.validation import check_plain_text, check_state, check_time_zone

TimeZone = Annotated[str, AfterValidator(check_time_zone)]
StateCode = Annotated[str, AfterValidator(check_state)]
# No control characters: PostgreSQL refuses NUL, and the others are never meant in a name or a place.
ProgramName = Annotated[str, AfterValidator(partial(check_plain_text, what="the name"))]
Location = Annotated[str, AfterValidator(partial(check_plain_text, what="the location"))]


def _check_wall_clock(value: time) -> time:
    # A time with a UTC offset (which is also what a bare number becomes) names no wall-clock time in the
    # programme's zone, and cannot even be compared with one that has none.
    if value.tzinfo is not None:
        raise ValueError(
            "give a wall-clock time such as 08:00 or 17:30, without a UTC offset and not as a number: "
            "policy times are in the programme's time zone"
        )
    return value


WallClock = Annotated[time, AfterValidator(_check_wall_clock)]


class Modality(StrEnum):
    video = "video"
    in_person = "in_person"


class ProtectedBlock(BaseModel):
    """A weekly block of protected time (e.g. Wednesday 13:00–17:00 didactics) in the programme's zone."""

    model_config = ConfigDict(extra="forbid")

    weekday: int = Field(ge=0, le=6, description="0 = Monday … 6 = Sunday")
    start: WallClock
    end: WallClock

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.start >= self.end:
            raise ValueError(
                f"protected block on weekday {self.weekday}: start {self.start} is not before end {self.end}"
            )
        return self


class CheckinPolicy(BaseModel):
    """How a programme's residents are booked. Wall times are in the programme's time zone."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    pgy_levels: list[int] = Field(default=[1], min_length=1, description="PGY levels that get check-ins.")
    checkins_per_academic_year: int = Field(
        default=1, ge=1, le=4, description="Cadence. The academic year starts on 1 July."
    )
    window_days: int = Field(
        default=56, ge=7, le=366, description="Days after a resident's start date within which to book."
    )
    duration_minutes: int = Field(default=30, ge=15, le=60)
    modality: Modality = Modality.video
    location: Location | None = Field(
        default=None, max_length=500, description="The place, for in-person check-ins (required then)."
    )
    allowed_weekdays: list[int] = Field(default=[0, 1, 2, 3, 4], description="0 = Monday … 6 = Sunday.")
    day_start: WallClock = Field(default=time(8, 0))
    day_end: WallClock = Field(default=time(17, 0))
    protected_blocks: list[ProtectedBlock] = Field(
        default=[],
        description="If given, check-ins are booked only inside these blocks (weekdays/hours ignored).",
    )
    min_notice_hours: int = Field(default=72, ge=0, le=24 * 60)
    buffer_minutes: int = Field(
        default=0, ge=0, le=120, description="Gap kept free between a therapist's check-ins."
    )

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if any(not 1 <= p <= 8 for p in self.pgy_levels):
            raise ValueError("pgy_levels must be between 1 and 8")
        if len(set(self.pgy_levels)) != len(self.pgy_levels):
            raise ValueError("pgy_levels lists a level twice")
        if any(not 0 <= d <= 6 for d in self.allowed_weekdays) or len(set(self.allowed_weekdays)) != len(
            self.allowed_weekdays
        ):
            raise ValueError("allowed_weekdays must be distinct numbers from 0 (Monday) to 6 (Sunday)")
        if not self.protected_blocks:
            if not self.allowed_weekdays:
                raise ValueError("give allowed_weekdays or protected_blocks: otherwise no time is bookable")
            if self.day_start >= self.day_end:
                raise ValueError(f"day_start {self.day_start} must be before day_end {self.day_end}")
        blocks = sorted(self.protected_blocks, key=lambda b: (b.weekday, b.start))
        for a, b in pairwise(blocks):
            if a.weekday == b.weekday and b.start < a.end:
                raise ValueError(f"protected blocks on weekday {a.weekday} overlap")
        if self.modality == Modality.in_person and not self.location:
            raise ValueError("in-person check-ins need a location")
        return self


class ProgramCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: ProgramName = Field(min_length=1, max_length=200)
    time_zone: TimeZone
    state: StateCode
    policy: CheckinPolicy = Field(default_factory=CheckinPolicy)


class ProgramUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: ProgramName | None = Field(default=None, min_length=1, max_length=200)
    time_zone: TimeZone | None = None
    state: StateCode | None = None
    policy: dict[str, Any] | None = Field(
        default=None,
        description="Only the policy fields to change; the others keep their values. The result is validated "
        "as a whole (see CheckinPolicy).",
    )


class ProgramOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    time_zone: str
    state: str
    policy: CheckinPolicy
    created_at: datetime
    updated_at: datetime
