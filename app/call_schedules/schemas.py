"""Call-schedule imports and blackouts as the API shows them. No check-in information, ever."""

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from app.call_schedules.models import BlackoutSource


class BlackoutCounts(BaseModel):
    created: int = Field(description="Blackouts added by this file.")
    unchanged: int = Field(description="Blackouts the file gives that were already stored.")
    removed: int = Field(
        description="Stored blackouts from the same source, on days the file covers, that the file no longer "
        "gives (a swapped call frees the day)."
    )


class CoveredDays(BaseModel):
    """The local dates the file covers: its earliest and latest shift (or event) start."""

    first: date
    last: date


class CallScheduleImportResult(BaseModel):
    dry_run: bool = Field(description="True when nothing was written (a preview).")
    source: BlackoutSource = Field(description="amion_csv or ics: how the file was read.")
    shifts: int = Field(description="Shifts (CSV rows) or event occurrences (ICS) read.")
    residents_matched: int = Field(description="Different residents the file's shifts belong to.")
    blackouts: BlackoutCounts
    covered: CoveredDays
    warnings: list[str] = Field(default_factory=list)


class IcsUrlImport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(
        min_length=1,
        max_length=2000,
        description="An http(s) (or webcal) URL serving an iCalendar file, such as a call-schedule feed.",
    )


class BlackoutOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    resident_id: int
    source: BlackoutSource
    starts_at: datetime
    ends_at: datetime
    label: str


class BlackoutsRemoved(BaseModel):
    removed: int
