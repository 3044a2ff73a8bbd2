"""From a shift in local wall time to the blackouts stored for it, in UTC.

Schedules give wall times in the programme's time zone. Each is converted to an instant *on its own date*,
so daylight-saving changes fall where they really are:

- start equal to end is a 24-hour shift: from the start time to the same wall time the next day. Across the
  autumn change that is 25 real hours, across the spring change 23.
- start after end is an overnight shift ending on the next day.
- end "2400" (accepted in CSV files) means midnight at the end of the shift's date.
- A wall time that does not exist (the hour skipped when clocks go forward) is, for a shift's *start*, the
  moment the clocks jump over it: a shift written 02:30–03:30 on the spring-forward day in New York runs
  from 03:00 to 03:30 EDT — it really happens, from the first moment the clock has passed its start. For an
  *end* (and for any time ``wall_to_utc`` reads, as RFC 5545 reads iCalendar times) it is moved forward by
  the length of the skip: an end of 02:30 that day is 03:30 EDT. A shift from a skipped time to the end of
  the skip (02:30–03:00) never happens: it has no blackout, and the CSV reader reports its row.
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
    if _skipped(first):
        # fold=0 in a gap reads the time with the offset before the change: the same clock reading, later.
        return first.astimezone(UTC)
    return (second if is_end else first).astimezone(UTC)


def start_to_utc(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant a shift starting at wall time ``at`` on ``day`` starts (a skipped time: the jump)."""
    first = datetime.combine(day, at, tzinfo=zone)
    readings = sorted({first.astimezone(UTC), first.replace(fold=1).astimezone(UTC)})
    if len(readings) == 1 or not _skipped(first):
        return wall_to_utc(day, at, zone)
    # The two readings of a skipped time straddle the jump: find it, to the second, where the offset changes.
    low, high = readings[0], readings[-1]
    offset_before = low.astimezone(zone).utcoffset()
    while high - low > _SECOND:
        middle = low + timedelta(seconds=(high - low) // _SECOND // 2)
        if middle.astimezone(zone).utcoffset() == offset_before:
            low = middle
        else:
            high = middle
    return high


_SECOND = timedelta(seconds=1)


def _skipped(wall: datetime) -> bool:
    """Whether the aware wall time ``wall`` (fold 0) is one the clocks skip."""
    return wall.astimezone(UTC).astimezone(wall.tzinfo).replace(tzinfo=None) != wall.replace(tzinfo=None)


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

    Returns the shift itself and, for a 24-hour shift, its post-call blackout; nothing for a shift that never
    happens (wholly in the hour skipped when clocks go forward, ending as they jump).
    """
    starts_at = start_to_utc(day, start, zone)
    if end is None:
        return [Interval(starts_at, wall_to_utc(day + timedelta(days=1), time(0), zone, is_end=True), CALL)]
    end_day = day if start < end else day + timedelta(days=1)
    ends_at = wall_to_utc(end_day, end, zone, is_end=True)
    if ends_at <= starts_at:
        # Only a shift from the skipped hour to the jump (02:30–03:00): the clocks skip all of it.
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
