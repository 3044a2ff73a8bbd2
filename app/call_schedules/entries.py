"""What the CSV and ICS readers hand to the import: schedule entries and per-row problems.

An entry is one shift or one event occurrence, already turned into UTC blackouts, with what the file says
about *who* (a written name, an e-mail address, an event's attendees and summary). Matching the who to a
resident is the import's job (``service``), because it needs the roster.
"""

from dataclasses import dataclass, field
from datetime import date

from app.call_schedules.shifts import Interval
from app.errors import InvalidInput
from app.uploads import RowError

MAX_ERRORS_SHOWN = 1000
# The years a schedule's shifts may fall in. Others are typing slips or placeholders (9999-12-31), and
# reading them into UTC instants and expansion windows would overflow the calendar's range.
FIRST_YEAR, LAST_YEAR = 2000, 2099


@dataclass(frozen=True)
class Who:
    """Who an entry is about, as the file says it. Matching rules are in ``service``."""

    name: str = ""
    email: str = ""
    attendees: tuple[str, ...] = ()
    summary: str = ""
    is_event: bool = False  # an ICS event (attendees and summary) rather than a CSV row (name, email)
    name_column: str = "Name"  # where to point a problem with the name (or, for events, the summary)
    email_column: str = "Email"


@dataclass(frozen=True)
class Entry:
    """One shift (CSV row) or one occurrence of an event (ICS), with its blackouts."""

    row: int
    who: Who
    day: date  # the local date it starts on: which days a file covers is decided from these
    intervals: tuple[Interval, ...]


@dataclass
class ParsedSchedule:
    """A file read into entries, with the problems found and the warnings to show."""

    entries: list[Entry] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def invalid_rows(errors: list[RowError]) -> InvalidInput:
    """The 422 for a schedule with problems: every one (up to a limit), and that nothing changed."""
    unique = sorted(set(errors), key=lambda e: (e.row, e.column, e.message))
    count = len(unique)
    noun = "problem" if count == 1 else "problems"
    more = f" The first {MAX_ERRORS_SHOWN} are listed." if count > MAX_ERRORS_SHOWN else ""
    return InvalidInput(
        f"The call schedule has {count} {noun}; nothing was imported. Fix the rows listed and upload it "
        "again. Rows are numbered as a spreadsheet shows the CSV file; for a calendar, a row is the line on "
        "which the event begins (BEGIN:VEVENT)." + more,
        errors=[e.as_dict() for e in unique[:MAX_ERRORS_SHOWN]],
    )
