"""From a shift in local wall time to the blackouts stored for it, in UTC.

Schedules give wall times in the programme's time zone. Each is converted to an instant *on its own date*,
so daylight-saving changes fall where they really are:

- start equal to end is a 24-hour shift: from the start time to the same wall time the next day. Across the
  autumn change that is 25 real hours, across the spring change 23.
- start after end is an overnight shift ending on the next day.
- end "2400" (accepted in CSV files) means midnight at the end of the shift's date.
- A wall time that does not exist (the hour skipped when clocks go forward) is moved forward by the length
  of the skip: 02:30 on the spring-forward day in New York is read as 03:30 EDT.
- A wall time that occurs twice (the hour repeated when clocks go back) is read as its first occurrence for
  a start and its second for an end, so the blackout covers every moment the shift could mean.

The day after a 24-hour shift is blocked too: a *post-call* blackout runs from the end of the shift to the
end of the local calendar day on which the shift ends (with the shift itself, that day is blocked whole).
Shorter shifts, overnight ones included, have no post-call blackout.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

CALL = "call"
POST_CALL = "post-call"
LABELS = (CALL, POST_CALL)


@dataclass(frozen=True)
class Interval:
    """A blocked span in UTC with its neutral label."""

    starts_at: datetime
    ends_at: datetime
    label: str


def wall_to_utc(day: date, at: time, zone: ZoneInfo, *, is_end: bool = False) -> datetime:
    """The UTC instant of wall time ``at`` on ``day`` in ``zone`` (gaps and repeats as the module says)."""
    first = datetime.combine(day, at, tzinfo=zone)
    second = first.replace(fold=1)
    if first.utcoffset() == second.utcoffset():
        return first.astimezone(UTC)
    in_gap = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != first.replace(tzinfo=None)
    if in_gap:
        # fold=0 in a gap reads the time with the offset before the change: the same clock reading, later.
        return first.astimezone(UTC)
    return (second if is_end else first).astimezone(UTC)


def end_of_local_day(instant: datetime, zone: ZoneInfo) -> datetime:
    """Local midnight at the end of the local calendar day that ``instant`` falls on, in UTC.

    An instant exactly at local midnight belongs to the day it begins.
    """
    local_day = instant.astimezone(zone).date()
    return wall_to_utc(local_day + timedelta(days=1), time(0), zone)


def local_date(instant: datetime, zone: ZoneInfo) -> date:
    """The calendar date of ``instant`` in ``zone``."""
    return instant.astimezone(zone).date()


def post_call(shift_end: datetime, zone: ZoneInfo) -> Interval | None:
    """The post-call blackout after a 24-hour shift ending at ``shift_end``."""
    ends_at = end_of_local_day(shift_end, zone)
    return Interval(shift_end, ends_at, POST_CALL) if ends_at > shift_end else None


def shift_blackouts(day: date, start: time, end: time | None, zone: ZoneInfo) -> list[Interval]:
    """The blackouts for one shift on ``day`` from ``start`` to ``end`` (``None`` means 2400).

    Returns the shift itself and, for a 24-hour shift, its post-call blackout.
    """
    starts_at = wall_to_utc(day, start, zone)
    if end is None:
        return [Interval(starts_at, wall_to_utc(day + timedelta(days=1), time(0), zone, is_end=True), CALL)]
    end_day = day if start < end else day + timedelta(days=1)
    ends_at = wall_to_utc(end_day, end, zone, is_end=True)
    if ends_at <= starts_at:
        # Only when a start in the skipped hour moves past the end (02:30–03:15): nothing is left to block.
        return []
    intervals = [Interval(starts_at, ends_at, CALL)]
    if start == end and (after := post_call(ends_at, zone)) is not None:
        intervals.append(after)
    return intervals


def blackout_day(starts_at: datetime, label: str, zone: ZoneInfo) -> date:
    """The schedule date a stored blackout belongs to, for deciding which blackouts a re-import replaces.

    That is the local date on which it starts, except for a post-call blackout, which belongs to the day of
    the 24-hour shift before it.
    """
    day = local_date(starts_at, zone)
    return day - timedelta(days=1) if label == POST_CALL else day
