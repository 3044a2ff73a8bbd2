"""The therapist rules that need no database: what a valid therapist, week or period away looks like."""

from datetime import UTC, datetime, time, timedelta, timezone
from typing import Any

import pytest
from pydantic import ValidationError

from app.therapists.models import TimeOff
from app.therapists.schemas import (
    AvailabilityIn,
    AvailabilityWindowOut,
    ExclusionsIn,
    TherapistCreate,
    TherapistUpdate,
    TimeOffIn,
)
from app.therapists.service import overlapping


def _therapist(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "A Therapist",
        "email": "a.therapist@clinic.example.org",
        "kind": "employed",
        "time_zone": "America/New_York",
        **overrides,
    }


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, str]:
    return {".".join(str(p) for p in e["loc"]): e["msg"] for e in exc.value.errors()}


def test_states_are_upper_cased_de_duplicated_and_sorted() -> None:
    therapist = TherapistCreate(**_therapist(licensed_states=["oh", " MI", "mi", "Oh", "dc"]))
    assert therapist.licensed_states == ["DC", "MI", "OH"]


def test_email_is_trimmed_and_lower_cased() -> None:
    assert TherapistCreate(**_therapist(email=" A.Therapist@Clinic.Example.ORG ")).email == (
        "a.therapist@clinic.example.org"
    )


@pytest.mark.parametrize("zone", ["America/Chicago", "Europe/London", "Asia/Kolkata", "UTC"])
def test_iana_zones_are_accepted(zone: str) -> None:
    assert TherapistCreate(**_therapist(time_zone=zone)).time_zone == zone


@pytest.mark.parametrize("zone", ["Central", "CST", "America/Chicag", "", "localtime", "+05:00"])
def test_other_zone_names_are_refused(zone: str) -> None:
    with pytest.raises(ValidationError) as exc:
        TherapistCreate(**_therapist(time_zone=zone))
    assert "time_zone" in _errors(exc)


@pytest.mark.parametrize(
    ("day", "week", "field"),
    [(0, 5, "max_per_day"), (3, 0, "max_per_week"), (-1, 5, "max_per_day"), (5, 4, "max_per_week")],
)
def test_capacities_are_positive_and_a_week_holds_a_day(day: int, week: int, field: str) -> None:
    with pytest.raises(ValidationError) as exc:
        TherapistCreate(**_therapist(max_per_day=day, max_per_week=week))
    assert field in _errors(exc)


def test_equal_day_and_week_capacity_is_fine() -> None:
    therapist = TherapistCreate(**_therapist(max_per_day=2, max_per_week=2))
    assert (therapist.max_per_day, therapist.max_per_week) == (2, 2)


def test_an_update_checks_capacity_only_when_both_are_sent() -> None:
    assert TherapistUpdate(max_per_week=1).max_per_week == 1  # the service checks it against the stored day
    with pytest.raises(ValidationError) as exc:
        TherapistUpdate(max_per_day=3, max_per_week=2)
    assert "max_per_week" in _errors(exc)


def test_an_update_knows_which_fields_were_sent() -> None:
    update = TherapistUpdate.model_validate({"video_link": None})
    assert update.model_fields_set == {"video_link"}
    with pytest.raises(ValidationError) as exc:
        TherapistUpdate.model_validate({"time_zone": None})
    assert _errors(exc) == {"time_zone": "Value error, cannot be null; leave the field out to keep its value"}


def test_wall_times_read_and_write_as_hh_mm() -> None:
    week = AvailabilityIn.model_validate({"windows": [{"weekday": 0, "start": "07:05", "end": "23:59"}]})
    assert (week.windows[0].start, week.windows[0].end) == (time(7, 5), time(23, 59))
    out = AvailabilityWindowOut(weekday=0, start=time(7, 5), end=time(23, 59))
    assert out.model_dump(mode="json") == {"weekday": 0, "start": "07:05", "end": "23:59"}


@pytest.mark.parametrize(
    "value", ["7:05", "07:5", "24:00", "12:60", "07:05:00", "0705", "", 705, None, "noon"]
)
def test_other_time_spellings_are_refused(value: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        AvailabilityIn.model_validate({"windows": [{"weekday": 0, "start": value, "end": "23:00"}]})
    assert "windows.0.start" in _errors(exc)


def test_windows_come_back_in_week_order() -> None:
    week = AvailabilityIn.model_validate(
        {
            "windows": [
                {"weekday": 4, "start": "09:00", "end": "10:00"},
                {"weekday": 0, "start": "14:00", "end": "15:00"},
                {"weekday": 0, "start": "09:00", "end": "10:00"},
            ]
        }
    )
    assert [(w.weekday, w.start.hour) for w in week.windows] == [(0, 9), (0, 14), (4, 9)]


def test_every_overlap_is_reported_by_weekday() -> None:
    with pytest.raises(ValidationError) as exc:
        AvailabilityIn.model_validate(
            {
                "windows": [
                    {"weekday": 0, "start": "09:00", "end": "11:00"},
                    {"weekday": 0, "start": "10:00", "end": "12:00"},
                    {"weekday": 6, "start": "09:00", "end": "11:00"},
                    {"weekday": 6, "start": "10:59", "end": "11:30"},
                ]
            }
        )
    message = _errors(exc)["windows"]
    assert "Monday 09:00–11:00 and 10:00–12:00" in message
    assert "Sunday 09:00–11:00 and 10:59–11:30" in message


def test_the_same_hours_on_different_days_do_not_overlap() -> None:
    windows = [{"weekday": d, "start": "09:00", "end": "17:00"} for d in range(7)]
    assert len(AvailabilityIn.model_validate({"windows": windows}).windows) == 7


def test_a_window_across_midnight_is_refused_with_advice() -> None:
    with pytest.raises(ValidationError) as exc:
        AvailabilityIn.model_validate({"windows": [{"weekday": 4, "start": "22:00", "end": "02:00"}]})
    assert "split it in two" in _errors(exc)["windows.0"]


def test_time_off_is_normalised_to_utc() -> None:
    period = TimeOffIn.model_validate(
        {"starts_at": "2027-03-14T01:00:00-05:00", "ends_at": "2027-03-14T03:00:00-04:00"}
    )
    assert period.starts_at == datetime(2027, 3, 14, 6, tzinfo=UTC)
    assert period.ends_at == datetime(2027, 3, 14, 7, tzinfo=UTC)
    assert period.starts_at.tzinfo == UTC


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"starts_at": "2027-01-01T00:00:00", "ends_at": "2027-01-02T00:00:00Z"}, "starts_at"),
        ({"starts_at": "2027-01-02T00:00:00Z", "ends_at": "2027-01-01T00:00:00Z"}, "ends_at"),
        ({"starts_at": "0001-01-01T00:00:00+05:00", "ends_at": "2027-01-01T00:00:00Z"}, "starts_at"),
        ({"starts_at": "2027-01-01T00:00:00Z", "ends_at": "9999-12-31T23:00:00-05:00"}, "ends_at"),
    ],
)
def test_time_off_needs_an_offset_and_a_positive_length(body: dict[str, str], field: str) -> None:
    with pytest.raises(ValidationError) as exc:
        TimeOffIn.model_validate(body)
    assert field in _errors(exc)


def _period(start_hour: int, end_hour: int) -> TimeOff:
    base = datetime(2027, 1, 1, tzinfo=UTC)
    return TimeOff(starts_at=base + timedelta(hours=start_hour), ends_at=base + timedelta(hours=end_hour))


@pytest.mark.parametrize(
    ("start", "end", "clash"),
    [
        (0, 10, False),
        (20, 30, False),
        (5, 11, True),
        (19, 25, True),
        (12, 13, True),
        (0, 30, True),
        (10, 20, True),
    ],
)
def test_periods_overlap_only_when_they_share_an_instant(start: int, end: int, clash: bool) -> None:
    existing = _period(10, 20)
    candidate = _period(start, end)
    # The candidate is written in another offset: instants are compared, not wall times.
    eastern = timezone(timedelta(hours=-5))
    starts_at, ends_at = candidate.starts_at.astimezone(eastern), candidate.ends_at.astimezone(eastern)
    assert bool(overlapping([existing], starts_at=starts_at, ends_at=ends_at)) is clash


@pytest.mark.parametrize("ids", [[0], [-3], [2**31], ["one"]])
def test_exclusions_are_positive_programme_ids(ids: list[Any]) -> None:
    with pytest.raises(ValidationError):
        ExclusionsIn(program_ids=ids)
