"""Reading an iCalendar file (RFC 5545) into schedule entries.

- Events (VEVENT) are read with ``icalendar``; repeating ones (RRULE, RDATE, EXDATE, moved occurrences) are
  expanded with ``recurring-ical-events``, from the earliest event in the file up to one year after today or
  after the file's last event, whichever is later (a rule that never ends must stop somewhere). A file that
  expands to more than ``MAX_OCCURRENCES`` occurrences is refused.
- Events marked free (TRANSP:TRANSPARENT) or cancelled (STATUS:CANCELLED) are skipped; tentative ones count.
- Times with a zone (an IANA TZID, a Windows zone name as Outlook writes it, a TZID defined by the file's
  VTIMEZONE, or UTC) are taken as they are; floating times, times whose TZID is unknown and all-day dates
  are wall times in the programme's zone (converted as ``shifts`` says). An unknown TZID is named in a
  warning, with the lines of the events that use it. An all-day event blocks its whole local days.
- An event that starts outside the years 2000–2099 or ends after 2100 (for a repeating event: its first
  occurrence) is skipped, with a warning listing the lines of such events: a feed may well carry old or
  placeholder events, and they are no shifts. A calendar with no other events is refused.
- A timed event lasting 24 hours or more (by the wall clock) is a 24-hour shift: the rest of the day on
  which it ends is blocked as post-call, as for CSV schedules. Events with no duration are skipped.
- Who an event is about is read from its ATTENDEEs (``mailto:`` addresses) and its SUMMARY; the import
  matches them to residents (see ``service``).

A row number is the line on which the event's ``BEGIN:VEVENT`` stands (for an occurrence of a repeating
event, that of the event that defines the series). Nothing here logs, and no message quotes the file's text
but an unknown TZID (a zone's name, never a summary or an attendee).
"""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import recurring_ical_events  # type: ignore[import-untyped]
from dateutil.rrule import rrulestr  # type: ignore[import-untyped]
from icalendar import Calendar, Component, Event
from icalendar.prop import vRecur

from app.call_schedules.entries import FIRST_YEAR, LAST_YEAR, Entry, ParsedSchedule, Who
from app.call_schedules.shifts import CALL, Interval, local_date, post_call, wall_to_utc
from app.errors import InvalidInput, PayloadTooLarge
from app.uploads import RowError

MAX_OCCURRENCES = 50_000
HORIZON = timedelta(days=366)

_MALFORMED = (
    "The calendar file is malformed and could not be read{where}. Export it again from the calendar "
    "application (as an .ics file) and upload that."
)


def looks_like_calendar(text: str) -> bool:
    """Whether ``text`` starts as an iCalendar file does."""
    return text.lstrip().upper().startswith("BEGIN:VCALENDAR")


def _event_lines(text: str) -> list[int]:
    return [n for n, line in enumerate(text.splitlines(), start=1) if line.strip().upper() == "BEGIN:VEVENT"]


def _instant(value: date | datetime, zone: ZoneInfo, *, is_end: bool) -> datetime:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            return value.astimezone(UTC)
        return wall_to_utc(value.date(), value.time(), zone, is_end=is_end)
    return wall_to_utc(value, time(0), zone, is_end=is_end)


def _wall(value: date | datetime, zone: ZoneInfo) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(zone).replace(tzinfo=None) if value.tzinfo is not None else value
    return datetime.combine(value, time(0))


def _attendees(event: Component) -> tuple[str, ...]:
    raw: Any = event.get("ATTENDEE")
    values = raw if isinstance(raw, list) else [raw] if raw is not None else []
    addresses = []
    for value in values:
        text = str(value).strip()
        if text.lower().startswith("mailto:"):
            text = text[len("mailto:") :]
        if "@" in text:
            addresses.append(text.lower())
    return tuple(addresses)


def _read(text: str) -> Calendar:
    if not looks_like_calendar(text):
        raise InvalidInput(
            "This is not an iCalendar file: it does not begin with BEGIN:VCALENDAR. Upload the .ics file "
            "your calendar application exports, or an Amion-style CSV file."
        )
    try:
        return Calendar.from_ical(text)
    except Exception:
        # icalendar raises several types for broken input, and their messages quote the file's text.
        raise InvalidInput(_MALFORMED.format(where="")) from None


def _check_events(events: list[Event], lines: list[int]) -> list[RowError]:
    errors: list[RowError] = []
    for event, line in zip(events, lines, strict=False):
        for prop, _ in getattr(event, "errors", []):
            errors.append(RowError(line, str(prop), "this value could not be read"))
        if "DTSTART" not in event:
            errors.append(RowError(line, "DTSTART", "the event has no start (DTSTART)"))
            continue
        try:
            start, end = event.start, event.end
            if isinstance(start, datetime) != isinstance(end, datetime):
                raise ValueError
            ends_first = end < start
        except Exception:
            if not getattr(event, "errors", []):
                errors.append(RowError(line, "DTSTART", "the event's start or end could not be read"))
            continue
        if ends_first:
            errors.append(RowError(line, "DTEND", "the event ends before it starts"))
    return errors


def _within_years(
    calendar: Calendar, events: list[Event], lines: list[int]
) -> tuple[list[Event], list[int], list[int]]:
    """The events dated within the accepted years and their lines, and the lines of the others.

    The others are taken out of ``calendar`` too, so that expanding it never meets them.
    """
    kept: list[Event] = []
    kept_lines: list[int] = []
    outside: list[int] = []
    for event, line in zip(events, lines, strict=True):
        # An event may end in the year after the last (a night shift on 31 December), no later.
        if FIRST_YEAR <= event.start.year <= LAST_YEAR and event.end.year <= LAST_YEAR + 1:
            kept.append(event)
            kept_lines.append(line)
        else:
            outside.append(line)
    if outside:
        dropped = {id(event) for event in events} - {id(event) for event in kept}
        for component in calendar.walk():
            component.subcomponents[:] = [c for c in component.subcomponents if id(c) not in dropped]
    return kept, kept_lines, outside


def _unknown_zones(events: list[Event], lines: list[int]) -> dict[str, list[int]]:
    """Each TZID that names no known zone (icalendar leaves such times floating), with its events' lines."""
    unknown: dict[str, list[int]] = {}
    for event, line in zip(events, lines, strict=True):
        for name in ("DTSTART", "DTEND"):
            prop: Any = event.get(name)
            value = getattr(prop, "dt", None)
            tzid = getattr(prop, "params", {}).get("TZID")
            if isinstance(value, datetime) and value.tzinfo is None and tzid:
                name_shown = "".join(ch for ch in str(tzid) if ch.isprintable())[:60]
                found = unknown.setdefault(name_shown, [])
                if line not in found:
                    found.append(line)
    return unknown


def _on_lines(lines: list[int], *, most: int = 10) -> str:
    """'event on line 3', 'events on lines 3, 9, 12 and 2 more'; '2 events' when lines are not known."""
    known = sorted({line for line in lines if line})
    if not known:
        return f"{len(lines)} event" if len(lines) == 1 else f"{len(lines)} events"
    if len(known) == 1:
        return f"event on line {known[0]}"
    shown = [str(line) for line in known[:most]]
    last = f"{len(known) - most} more" if len(known) > most else shown.pop()
    return f"events on lines {', '.join(shown)} and {last}"


def _check_size(events: list[Event], lines: list[int], *, window_end: datetime) -> None:
    """PayloadTooLarge before expanding, if the events would expand to more than ``MAX_OCCURRENCES``.

    Expanding is far slower than counting, so each rule is first counted with dateutil, lazily and without
    its UNTIL (the window bounds it anyway), which gives an upper bound at little cost even for a rule
    repeating every second.
    """
    limit = MAX_OCCURRENCES
    total = 0
    for event, line in zip(events, lines, strict=True):
        total += 1
        rules: Any = event.get("RRULE")
        rdates: Any = event.get("RDATE")
        for rdate in rdates if isinstance(rdates, list) else [rdates] if rdates is not None else []:
            total += len(getattr(rdate, "dts", ()))
        start = event.start
        wall_start = (
            start.replace(tzinfo=None) if isinstance(start, datetime) else datetime.combine(start, time(0))
        )
        wall_end = window_end.replace(tzinfo=None) + timedelta(days=1)
        for rule in rules if isinstance(rules, list) else [rules] if rules is not None else []:
            try:
                without_until = vRecur({k: v for k, v in rule.items() if k != "UNTIL"})
                text = without_until.to_ical().decode()  # type: ignore[no-untyped-call]
                for occurrence in rrulestr(text, dtstart=wall_start):
                    if occurrence > wall_end or total > limit:
                        break
                    total += 1
            except Exception:
                raise InvalidInput(
                    _MALFORMED.format(where=": a repeating event's rule (RRULE) could not be read"),
                    errors=[RowError(line, "RRULE", "this rule could not be read").as_dict()],
                ) from None
        if total > limit:
            raise PayloadTooLarge(
                f"The calendar has more than {limit:,} events once its repeating events are expanded "
                "(up to a year ahead); export a shorter period or fewer calendars."
            )


def parse_ics(text: str, *, zone: ZoneInfo, today: date) -> ParsedSchedule:
    """Schedule entries from the text of an iCalendar file; floating and all-day times are in ``zone``.

    Raises InvalidInput for text that is not iCalendar, is malformed, or has no events; PayloadTooLarge when
    repeating events expand beyond ``MAX_OCCURRENCES``. Entries' ``who`` carries attendees and summary.
    """
    calendar = _read(text)
    events = [e for e in calendar.walk("VEVENT") if isinstance(e, Event)]
    if not events:
        raise InvalidInput(
            "The calendar has no events (no VEVENT), so there is nothing to import. Check that the right "
            "calendar and period were exported."
        )
    lines = _event_lines(text)
    if len(lines) != len(events):
        lines = [0] * len(events)  # unusual layout: rows cannot be pointed to
    if errors := _check_events(events, lines):
        raise InvalidInput(
            _MALFORMED.format(where=": some events have values that are not valid iCalendar"),
            errors=[e.as_dict() for e in sorted(set(errors), key=lambda e: (e.row, e.column))],
        )
    events, lines, outside = _within_years(calendar, events, lines)
    if not events:
        raise InvalidInput(
            f"Every event in the calendar is dated before {FIRST_YEAR} or after {LAST_YEAR} "
            f"({_on_lines(outside)}), so there is nothing to import. Check that the right calendar and "
            "period were exported."
        )
    parsed = ParsedSchedule()
    if outside:
        parsed.warnings.append(
            f"{len(outside)} event(s) dated before {FIRST_YEAR} or after {LAST_YEAR} were skipped "
            f"({_on_lines(outside)})."
        )
    for tzid, tz_lines in _unknown_zones(events, lines).items():
        parsed.warnings.append(
            f"The time zone '{tzid}' ({_on_lines(tz_lines)}) is not known; its times were read in the "
            f"programme's time zone ({zone.key})."
        )
    line_of_uid: dict[str, int] = {}
    for event, line in zip(events, lines, strict=True):
        line_of_uid.setdefault(str(event.get("UID", "")), line)

    starts = [_instant(event.start, zone, is_end=False) for event in events]
    window_start = min(starts) - timedelta(days=1)
    window_end = max(max(starts), datetime.combine(today, time(0), tzinfo=UTC)) + HORIZON

    _check_size(events, lines, window_end=window_end)
    try:
        occurrences = recurring_ical_events.of(calendar).between(window_start, window_end)
    except Exception:
        # A repeating rule the expander cannot follow; its messages quote the file's text.
        raise InvalidInput(
            _MALFORMED.format(where=": a repeating event's rule (RRULE/RDATE/EXDATE) could not be expanded")
        ) from None

    skipped = no_duration = 0
    for occurrence in occurrences:
        status = str(occurrence.get("STATUS", "")).strip().upper()
        transparency = str(occurrence.get("TRANSP", "")).strip().upper()
        if status == "CANCELLED" or transparency == "TRANSPARENT":
            skipped += 1
            continue
        starts_at = _instant(occurrence.start, zone, is_end=False)
        ends_at = _instant(occurrence.end, zone, is_end=True)
        if ends_at <= starts_at:
            no_duration += 1
            continue
        intervals = [Interval(starts_at, ends_at, CALL)]
        if (
            isinstance(occurrence.start, datetime)
            and _wall(occurrence.end, zone) >= _wall(occurrence.start, zone) + timedelta(days=1)
            and (after := post_call(ends_at, zone)) is not None
        ):
            intervals.append(after)
        parsed.entries.append(
            Entry(
                row=line_of_uid.get(str(occurrence.get("UID", "")), 0),
                who=Who(
                    attendees=_attendees(occurrence),
                    summary=str(occurrence.get("SUMMARY", "")),
                    is_event=True,
                    name_column="SUMMARY",
                    email_column="ATTENDEE",
                ),
                day=local_date(starts_at, zone),
                intervals=tuple(intervals),
            )
        )
    parsed.entries.sort(key=lambda e: (e.intervals[0].starts_at, e.row))
    if skipped:
        parsed.warnings.append(f"{skipped} event(s) marked free (transparent) or cancelled were skipped.")
    if no_duration:
        parsed.warnings.append(f"{no_duration} event(s) with no duration were skipped.")
    if not parsed.entries:
        raise InvalidInput(
            "The calendar has no events to import: every event is marked free (transparent), cancelled or "
            "has no duration."
        )
    return parsed
