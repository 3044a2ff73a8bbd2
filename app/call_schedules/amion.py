"""Reading an Amion-style call schedule (CSV, in the shape of Amion's report 619) into schedule entries.

What is accepted:

- free-text lines (a title, the report number, the date it was generated, empty rows) before the heading
  row; the heading row is the first row that names a Name (or Email, or First/Last Name) column and the Date,
  Start and End columns. Headings are compared without regard to case, spaces or punctuation, and common
  aliases are accepted (see ``COLUMN_ALIASES``). Other columns (Amion's "Name ID", "Backup ID" with its
  ``EPICID:`` prefix, "Team" …) are ignored and listed in a warning;
- comma, semicolon or tab separated; UTF-8 with or without a byte-order mark; CRLF or LF;
- names as "Last, First" or "First Last", with or without diacritics (matching is in ``names``);
- dates as mm-dd-yy (Amion), m/d/yyyy or m/d/yy, mm-dd-yyyy, and ISO yyyy-mm-dd;
- times as 24-hour HHMM (0700, 1930; 700 too, as spreadsheets drop the leading zero) or HH:MM; an end of
  2400 means midnight. Start equal to end is a 24-hour shift; start after end is overnight; a shift that
  starts in the hour skipped when clocks go forward starts as they jump (see ``shifts``), and one the jump
  skips whole (02:30–03:00) is a row error.

Row numbers are those a spreadsheet shows for the file (its first line is row 1). Nothing here logs, and no
message quotes a name or an e-mail address; dates and times are quoted back to help find the cell.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, time
from zoneinfo import ZoneInfo

from app.call_schedules.entries import FIRST_YEAR, LAST_YEAR, Entry, ParsedSchedule, Who
from app.call_schedules.shifts import shift_blackouts
from app.csv_input import heading_key
from app.csv_input import records as csv_records
from app.errors import InvalidInput, PayloadTooLarge
from app.uploads import RowError

COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "name": (
        "Name",
        "Staff Name",
        "Staff",
        "Resident",
        "Resident Name",
        "Physician",
        "Provider",
        "Person",
        "Full Name",
    ),
    "last_name": ("Last Name", "Surname", "Family Name", "Last"),
    "first_name": ("First Name", "Given Name", "First"),
    "email": ("Email", "E-mail", "Email Address", "E-mail Address"),
    "date": ("Date", "Shift Date", "Assignment Date"),
    "start": ("Start", "Start Time", "From", "Begin", "Time In"),
    "end": ("End", "End Time", "To", "Until", "Stop", "Time Out"),
}
CANONICAL = {name: aliases[0] for name, aliases in COLUMN_ALIASES.items()}
MAX_ROWS = 100_000

_DELIMITERS = (",", ";", "\t")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_US_DATE = re.compile(r"(\d{1,2})[-/](\d{1,2})[-/](\d{2}|\d{4})")
_TIME = re.compile(r"(\d{1,2}):?(\d{2})")


_ALIAS_TO_COLUMN = {heading_key(alias): name for name, aliases in COLUMN_ALIASES.items() for alias in aliases}


def parse_date(text: str) -> date:
    """A shift date: mm-dd-yy, m/d/yyyy, m/d/yy, mm-dd-yyyy or ISO yyyy-mm-dd; ValueError otherwise."""
    value = text.strip()
    if not value:
        raise ValueError("the date is required")
    if match := _ISO_DATE.fullmatch(value):
        year, month, day = (int(g) for g in match.groups())
        layout = "year-month-day"
    elif match := _US_DATE.fullmatch(value):
        month, day, year = (int(g) for g in match.groups())
        if len(match.group(3)) == 2:
            year += 2000
        layout = "month-day-year"
    else:
        raise ValueError(
            f"'{value[:20]}' is not a date; write it as 12-01-26 or 12/1/2026 (month, day, year) "
            "or 2026-12-01"
        )
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"'{value}' has the year {year}; only years {FIRST_YEAR}–{LAST_YEAR} are accepted")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"'{value}' is not a real date (read as {layout})") from None


def parse_time(text: str, *, what: str, allow_2400: bool = False) -> time | None:
    """A 24-hour wall time written HHMM or HH:MM; ``None`` for 2400 where allowed; ValueError otherwise."""
    value = text.strip()
    if not value:
        raise ValueError(f"the {what} time is required (24-hour HHMM, such as 0700)")
    match = _TIME.fullmatch(value)
    if match is None:
        raise ValueError(
            f"'{value[:20]}' is not a time; write the {what} time as 24-hour HHMM, such as 0700 or 1930"
        )
    hour, minute = int(match.group(1)), int(match.group(2))
    if allow_2400 and (hour, minute) == (24, 0):
        return None
    if hour > 23 or minute > 59:
        raise ValueError(
            f"'{value}' is not a time of day; hours run 00–23 and minutes 00–59 (24-hour HHMM, such as 1930)"
        )
    return time(hour, minute)


@dataclass(frozen=True)
class _Heading:
    row: int
    columns: dict[str, int]  # column name → index
    written: dict[str, str]  # column name → heading as written
    ignored: list[str]

    @property
    def complete(self) -> bool:
        has_who = (
            "name" in self.columns
            or "email" in self.columns
            or {"first_name", "last_name"} <= set(self.columns)
        )
        return has_who and {"date", "start", "end"} <= set(self.columns)

    @property
    def missing(self) -> list[str]:
        missing = [CANONICAL[c] for c in ("date", "start", "end") if c not in self.columns]
        if not ("name" in self.columns or "email" in self.columns):
            if "last_name" in self.columns:
                missing.insert(0, CANONICAL["first_name"])
            elif "first_name" in self.columns:
                missing.insert(0, CANONICAL["last_name"])
            else:
                missing.insert(0, "Name (or Email)")
        return missing


def _read_heading(row: int, record: list[str]) -> _Heading:
    columns: dict[str, int] = {}
    written: dict[str, str] = {}
    ignored: list[str] = []
    for index, raw in enumerate(record):
        heading = raw.strip()
        if not heading:
            continue
        name = _ALIAS_TO_COLUMN.get(heading_key(heading))
        if name is None or name in columns:
            ignored.append(heading[:60])
            continue
        columns[name] = index
        written[name] = heading
    return _Heading(row, columns, written, ignored)


def _find_heading(text: str) -> tuple[_Heading, Iterator[tuple[int, list[str]]]]:
    best: _Heading | None = None
    for delimiter in _DELIMITERS:
        records = csv_records(text, delimiter)
        for row, record in records:
            if not any(cell.strip() for cell in record):
                continue
            heading = _read_heading(row, record)
            if heading.complete:
                return heading, records
            if len(heading.columns) >= 2 and (best is None or len(heading.columns) > len(best.columns)):
                best = heading
    accepted = "; ".join(
        f"{CANONICAL[c]}: " + ", ".join(f"'{a}'" for a in COLUMN_ALIASES[c])
        for c in ("name", "email", "date", "start", "end")
    )
    if best is not None:
        raise InvalidInput(
            f"Row {best.row} looks like the heading row but lacks the required columns "
            f"{', '.join(best.missing)}. A call schedule needs a Name (or Email) column and the Date, Start "
            f"and End columns. Accepted headings (without regard to case or punctuation) — {accepted}."
        )
    raise InvalidInput(
        "No heading row was found. A call schedule needs a row naming its columns: Name (or Email), Date, "
        "Start and End (lines of text before that row are skipped). Accepted headings (without regard to "
        f"case or punctuation) — {accepted}."
    )


def parse_amion(text: str, *, zone: ZoneInfo) -> ParsedSchedule:
    """Schedule entries from the text of an Amion-style CSV file; wall times are in ``zone``.

    Raises InvalidInput when no heading row is found or the file is not valid CSV, and PayloadTooLarge
    beyond ``MAX_ROWS`` shifts. Problems with single rows are returned in ``errors``, all of them, so the
    import can report every one at once.
    """
    heading, records = _find_heading(text)
    parsed = ParsedSchedule()
    if heading.ignored:
        parsed.warnings.append(
            "These columns are not used and were ignored: "
            + ", ".join(f"'{h}'" for h in heading.ignored)
            + "."
        )
    count = 0
    for row, record in records:
        if not any(cell.strip() for cell in record):
            continue  # blank lines, and rows of empty cells that spreadsheets leave
        count += 1
        if count > MAX_ROWS:
            raise PayloadTooLarge(
                f"The schedule has more than {MAX_ROWS:,} shifts; split it into smaller files (by month)."
            )
        entry = _parse_row(row, record, heading, zone, parsed.errors)
        if entry is not None:
            parsed.entries.append(entry)
    if count == 0:
        raise InvalidInput(f"The file has a heading row (row {heading.row}) but no shifts below it.")
    return parsed


def _parse_row(
    row: int, record: list[str], heading: _Heading, zone: ZoneInfo, errors: list[RowError]
) -> Entry | None:
    def cell(name: str) -> str:
        index = heading.columns.get(name)
        return record[index].strip() if index is not None and index < len(record) else ""

    def column(name: str) -> str:
        return heading.written.get(name, CANONICAL[name])

    failed = False
    name = cell("name")
    if not name and (cell("last_name") or cell("first_name")):
        name = f"{cell('last_name')}, {cell('first_name')}"
    email = cell("email")
    who_column = column("name") if "name" in heading.columns else column("email")
    if "name" not in heading.columns and "email" not in heading.columns:
        who_column = column("last_name")
    if not name and not email:
        failed = True
        errors.append(RowError(row, who_column, "the resident's name (or e-mail address) is required"))
    elif email and "@" not in email:
        failed = True
        errors.append(RowError(row, column("email"), "not a valid e-mail address"))

    try:
        day = parse_date(cell("date"))
    except ValueError as exc:
        failed = True
        errors.append(RowError(row, column("date"), str(exc)))
    try:
        start = parse_time(cell("start"), what="start")
    except ValueError as exc:
        failed = True
        errors.append(RowError(row, column("start"), str(exc)))
    try:
        end = parse_time(cell("end"), what="end", allow_2400=True)
    except ValueError as exc:
        failed = True
        errors.append(RowError(row, column("end"), str(exc)))
    if failed:
        return None
    assert start is not None  # 2400 is refused for a start
    intervals = shift_blackouts(day, start, end, zone)
    if not intervals:
        errors.append(
            RowError(
                row,
                column("start"),
                f"the clocks go forward on {day.isoformat()} ({zone.key}) and skip this whole shift, "
                f"{cell('start')} to {cell('end')}: it never happens; correct its times or remove the row",
            )
        )
        return None
    return Entry(
        row=row,
        who=Who(name=name, email=email.lower(), name_column=who_column, email_column=column("email")),
        day=day,
        intervals=tuple(intervals),
    )
