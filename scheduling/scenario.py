"""Self-contained planning scenarios: JSON in, plan out, nothing written anywhere.

A scenario describes one programme's policy, the clock, its residents (with blackouts), the therapists (with
availability, time off and busy times) and the check-ins already booked. It is what ``tend plan
SCENARIO.json`` reads to answer capacity questions ("do we have enough therapist hours for 300 interns in
August?") and what the benchmarks generate.

The format is defined once, by the pydantic models below, and published as the JSON Schema in
``scheduling/scenario.schema.json`` (a unit test keeps the two identical; regenerate the file with
``python -m scheduling.scenario > scheduling/scenario.schema.json``); ``scheduling/scenario.example.json``
is a small, complete example. Validating with the models rather than a generic JSON Schema validator gives
the same verdicts and much clearer messages, and is fast enough for scenarios with hundreds of thousands of
blackouts.
"""

from __future__ import annotations

import json
import sys
from datetime import date, datetime, time
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    WithJsonSchema,
    field_validator,
)

from scheduling.engine import plan
from scheduling.model import (
    ExistingBooking,
    Interval,
    Modality,
    Plan,
    Policy,
    Problem,
    Resident,
    Therapist,
    WeeklyWindow,
    zone,
)

__all__ = [
    "SCHEMA_PATH",
    "ScenarioError",
    "load_scenario",
    "load_scenario_file",
    "plan_to_json",
    "run_scenario_file",
    "scenario_json_schema",
]

SCHEMA_PATH = Path(__file__).with_name("scenario.schema.json")
_MAX_ERRORS_SHOWN = 5


class ScenarioError(ValueError):
    """A scenario could not be read; the message says where and what is wrong, in plain words."""


#: A local wall time. Published as ``HH:MM`` (what people write); ``HH:MM:SS`` is accepted too. JSON Schema's
#: own "time" format would demand a UTC offset, which a wall time must not have.
WallTime = Annotated[
    time,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$",
            "description": "Local wall time, HH:MM",
        }
    ),
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WeeklyWindowIn(_Model):
    """A recurring span of local wall time on one weekday."""

    weekday: int = Field(ge=0, le=6, description="0 = Monday ... 6 = Sunday")
    start: WallTime
    end: WallTime = Field(
        description="Local wall time, HH:MM; at or before start means it runs past midnight"
    )


class IntervalIn(_Model):
    """A span between two instants; each must carry a UTC offset (``Z`` or ``+02:00``)."""

    start: AwareDatetime
    end: AwareDatetime


class PolicyIn(_Model):
    """The programme's check-in policy."""

    program_id: str = Field(min_length=1, description="Therapists are excluded from programmes by this id")
    time_zone: str = Field(description="IANA time zone of the programme, e.g. America/New_York")
    state: str = Field(pattern="^[A-Z]{2}$", description="Two-letter US state of the programme")
    modality: Literal["video", "in_person"] = "video"
    duration_minutes: int = Field(30, ge=15, le=60)
    buffer_minutes: int = Field(0, ge=0, le=240, description="Gap a therapist keeps between check-ins")
    min_notice_hours: int = Field(24, ge=0, le=1440)
    window_days: int = Field(56, ge=1, le=366, description="Days from the start date (or period start)")
    checkins_per_academic_year: Literal[1, 2, 3, 4, 6, 12] = 1
    pgy_levels: list[int] = Field(default=[1, 2, 3, 4, 5, 6, 7, 8], min_length=1)
    allowed_weekdays: list[int] = Field(default=[0, 1, 2, 3, 4], description="0 = Monday ... 6 = Sunday")
    day_start: WallTime = time(8, 0)
    day_end: WallTime = time(18, 0)
    protected_blocks: list[WeeklyWindowIn] = Field(
        default=[], description="When given, replaces allowed_weekdays, day_start and day_end"
    )
    slot_step_minutes: Literal[5, 10, 15, 20, 30, 60] = 15

    @field_validator("time_zone")
    @classmethod
    def _zone(cls, value: str) -> str:
        return _check_zone(value)

    @field_validator("pgy_levels")
    @classmethod
    def _levels(cls, value: list[int]) -> list[int]:
        if not all(1 <= p <= 8 for p in value):
            raise ValueError("PGY levels must be between 1 and 8")
        return value

    @field_validator("allowed_weekdays")
    @classmethod
    def _weekdays(cls, value: list[int]) -> list[int]:
        if not all(0 <= d <= 6 for d in value):
            raise ValueError("weekdays must be between 0 (Monday) and 6 (Sunday)")
        return value


class ResidentIn(_Model):
    """A resident on the roster."""

    id: str = Field(min_length=1)
    pgy: int = Field(ge=1, le=8)
    start_date: date
    end_date: date | None = None
    blackouts: list[IntervalIn] = Field(default=[], description="Call, nights, post-call days, vacation")
    checkins_this_period: int = Field(
        0, ge=0, description="Check-ins already had this period that are not listed in existing_bookings"
    )


class TherapistIn(_Model):
    """A therapist who can take check-ins."""

    id: str = Field(min_length=1)
    time_zone: str = Field(description="IANA zone of the availability and of daily/weekly capacity")
    availability: list[WeeklyWindowIn] = Field(
        description="Weekly availability in the therapist's local time"
    )
    time_off: list[IntervalIn] = []
    busy: list[IntervalIn] = []
    max_per_day: int | None = Field(None, ge=0)
    max_per_week: int | None = Field(None, ge=0)
    licensed_states: list[str] = Field(default=[], description="Two-letter states")
    excluded_programs: list[str] = Field(default=[], description="Programme ids (conflict of interest)")

    @field_validator("time_zone")
    @classmethod
    def _zone(cls, value: str) -> str:
        return _check_zone(value)


class BookingIn(_Model):
    """A check-in already booked; it is never moved."""

    resident_id: str = Field(min_length=1)
    therapist_id: str = Field(min_length=1)
    start: AwareDatetime
    end: AwareDatetime


class ScenarioIn(_Model):
    """A self-contained planning scenario for one programme."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        title="Tend planning scenario",
        json_schema_extra={"$schema": "https://json-schema.org/draft/2020-12/schema"},
    )

    version: Literal[1] = 1
    now: AwareDatetime = Field(description="The instant the plan is made; notice counts from here")
    policy: PolicyIn
    residents: list[ResidentIn]
    therapists: list[TherapistIn]
    existing_bookings: list[BookingIn] = []


def _check_zone(value: str) -> str:
    zone(value)  # raises ValueError("unknown IANA time zone ...")
    return value


def scenario_json_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of the scenario format."""
    return ScenarioIn.model_json_schema()


def _location(parts: tuple[int | str, ...]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "scenario"


def _describe(error: ValidationError) -> str:
    lines = []
    for item in error.errors()[:_MAX_ERRORS_SHOWN]:
        message = str(item["msg"]).removeprefix("Value error, ")
        lines.append(f"{_location(tuple(item['loc']))}: {message}")
    more = error.error_count() - _MAX_ERRORS_SHOWN
    if more > 0:
        lines.append(f"... and {more} more problem{'s' if more > 1 else ''}")
    return "The scenario is not valid:\n  " + "\n  ".join(lines)


def _windows(items: list[WeeklyWindowIn]) -> tuple[WeeklyWindow, ...]:
    return tuple(WeeklyWindow(w.weekday, w.start, w.end) for w in items)


def _intervals(items: list[IntervalIn], where: str) -> tuple[Interval, ...]:
    result = []
    for index, item in enumerate(items):
        try:
            result.append(Interval(item.start, item.end))
        except ValueError as exc:
            raise ScenarioError(f"The scenario is not valid:\n  {where}[{index}]: {exc}") from exc
    return tuple(result)


def _build(raw: ScenarioIn) -> Problem:
    p = raw.policy
    try:
        policy = Policy(
            program_id=p.program_id,
            time_zone=p.time_zone,
            state=p.state,
            modality=Modality(p.modality),
            duration_minutes=p.duration_minutes,
            buffer_minutes=p.buffer_minutes,
            min_notice_hours=p.min_notice_hours,
            window_days=p.window_days,
            checkins_per_academic_year=p.checkins_per_academic_year,
            pgy_levels=frozenset(p.pgy_levels),
            allowed_weekdays=frozenset(p.allowed_weekdays),
            day_start=p.day_start,
            day_end=p.day_end,
            protected_blocks=_windows(p.protected_blocks),
            slot_step_minutes=p.slot_step_minutes,
        )
    except ValueError as exc:
        raise ScenarioError(f"The scenario is not valid:\n  policy: {exc}") from exc

    residents = []
    for index, r in enumerate(raw.residents):
        where = f"residents[{index}]"
        try:
            residents.append(
                Resident(
                    id=r.id,
                    pgy=r.pgy,
                    start_date=r.start_date,
                    end_date=r.end_date,
                    blackouts=_intervals(r.blackouts, f"{where}.blackouts"),
                    checkins_this_period=r.checkins_this_period,
                )
            )
        except ValueError as exc:
            if isinstance(exc, ScenarioError):
                raise
            raise ScenarioError(f"The scenario is not valid:\n  {where}: {exc}") from exc

    therapists = []
    for index, t in enumerate(raw.therapists):
        where = f"therapists[{index}]"
        try:
            therapists.append(
                Therapist(
                    id=t.id,
                    time_zone=t.time_zone,
                    availability=_windows(t.availability),
                    time_off=_intervals(t.time_off, f"{where}.time_off"),
                    busy=_intervals(t.busy, f"{where}.busy"),
                    max_per_day=t.max_per_day,
                    max_per_week=t.max_per_week,
                    licensed_states=frozenset(t.licensed_states),
                    excluded_programs=frozenset(t.excluded_programs),
                )
            )
        except ValueError as exc:
            if isinstance(exc, ScenarioError):
                raise
            raise ScenarioError(f"The scenario is not valid:\n  {where}: {exc}") from exc

    bookings = []
    for index, b in enumerate(raw.existing_bookings):
        try:
            bookings.append(ExistingBooking(b.resident_id, b.therapist_id, b.start, b.end))
        except ValueError as exc:
            raise ScenarioError(f"The scenario is not valid:\n  existing_bookings[{index}]: {exc}") from exc

    try:
        return Problem(
            policy=policy,
            now=raw.now,
            residents=tuple(residents),
            therapists=tuple(therapists),
            existing_bookings=tuple(bookings),
        )
    except ValueError as exc:
        raise ScenarioError(f"The scenario is not valid:\n  {exc}") from exc


def load_scenario(data: object) -> Problem:
    """Validate a scenario (already parsed from JSON) and return the engine's :class:`Problem`.

    Raises :class:`ScenarioError` naming the offending field (``residents[3].blackouts[0].end: ...``) when the
    data does not follow ``scenario.schema.json`` or breaks a rule the schema cannot express (unknown time
    zone, an interval that ends before it starts, a duplicated id).
    """
    try:
        raw = ScenarioIn.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(_describe(exc)) from None
    return _build(raw)


def load_scenario_file(path: str | Path) -> Problem:
    """Read a scenario JSON file (UTF-8) and return the engine's :class:`Problem`."""
    source = Path(path)
    try:
        text = source.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ScenarioError(f"Cannot read the scenario file {source}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ScenarioError(f"The scenario file {source} is not UTF-8 text") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ScenarioError(
            f"The scenario file {source} is not valid JSON: {exc.msg} "
            f"at line {exc.lineno}, column {exc.colno}"
        ) from None
    return load_scenario(data)


def _instant(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def plan_to_json(result: Plan) -> dict[str, Any]:
    """Return a plan as a JSON-ready dict: a summary, the bookings and the unplaced residents with reasons."""
    return {
        "summary": {
            "booked": len(result.bookings),
            "unplaced": len(result.unplaced),
            "already_booked": len(result.already_booked),
        },
        "bookings": [
            {
                "resident_id": b.resident_id,
                "therapist_id": b.therapist_id,
                "start": _instant(b.start),
                "end": _instant(b.end),
            }
            for b in result.bookings
        ],
        "unplaced": [{"resident_id": u.resident_id, "reason": u.reason} for u in result.unplaced],
        "already_booked": list(result.already_booked),
    }


def run_scenario_file(path: str | Path) -> dict[str, Any]:
    """Plan the scenario in the JSON file at ``path`` and return the plan as a JSON-ready dict.

    This is the whole of ``tend plan SCENARIO.json``: it reads, validates and plans, and writes nothing.
    Raises :class:`ScenarioError` for a file that cannot be read or a scenario that is not valid.
    """
    return plan_to_json(plan(load_scenario_file(path)))


if __name__ == "__main__":
    json.dump(scenario_json_schema(), sys.stdout, indent=2)
    sys.stdout.write("\n")
