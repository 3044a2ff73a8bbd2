"""Reading a roster CSV: from the bytes a coordinator uploads to validated rows, with no database involved.

What is accepted (PRODUCT.md → Formats): UTF-8 with or without a byte-order mark; comma, semicolon or tab
separated (decided from the heading row); CRLF, LF or CR line ends; headings in any case with common aliases
("First Name", "Email Address", "PGY Level", "Program Start Date", "Employee ID" …); ISO or US month/day/year
dates. Unknown columns are ignored and reported as warnings.

Row numbers in errors are the row numbers a spreadsheet shows for the same file: the heading is row 1 and a
quoted cell spanning two lines still counts as one row.

Nothing here logs: the rows are people's names and addresses.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.csv_input import heading_key
from app.csv_input import records as csv_records
from app.errors import InvalidInput, PayloadTooLarge, UnsupportedMediaType
from app.roster import fields
from app.uploads import RowError, decode_text

# The roster's fields, in the order of the canonical heading, and the headings accepted for each. Headings
# are compared lower-cased with everything but letters and digits dropped ("E-mail Address" → "emailaddress").
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "external_id": (
        "External ID",
        "Employee ID",
        "Employee Number",
        "Resident ID",
        "Person ID",
        "Staff ID",
        "Badge ID",
    ),  # not a bare "ID": exports often carry their own row or record ids next to the employee id
    "first_name": ("First Name", "Given Name", "Forename", "First"),
    "last_name": ("Last Name", "Surname", "Family Name", "Last"),
    "email": ("Email", "Email Address", "E-mail", "E-mail Address", "Work Email", "Institutional Email"),
    "pgy": ("PGY", "PGY Level", "PGY Year", "Training Level", "Postgraduate Year", "Level"),
    "start_date": (
        "Start Date",
        "Program Start Date",
        "Programme Start Date",
        "Training Start Date",
        "Start",
    ),
    "end_date": (
        "End Date",
        "Program End Date",
        "Programme End Date",
        "Training End Date",
        "Expected End Date",
        "Graduation Date",
        "End",
    ),
}
REQUIRED_FIELDS = ("first_name", "last_name", "email", "pgy", "start_date")
CANONICAL_HEADING = {name: aliases[0] for name, aliases in FIELD_ALIASES.items()}
MAX_ERRORS_SHOWN = 1000

_FORMULA_START = ("=", "+", "-", "@")
_EMPTY = "The file is empty. Upload the roster as a CSV file with a heading row."
_EXPORT_ADVICE = (
    "Export the roster from your spreadsheet or residency management system as 'CSV UTF-8' (in a "
    "spreadsheet: File → Save As → 'CSV UTF-8 (comma delimited)') and upload that file."
)


_ALIAS_TO_FIELD: dict[str, str] = {
    heading_key(alias): name for name, aliases in FIELD_ALIASES.items() for alias in (name, *aliases)
}


@dataclass(frozen=True)
class RosterRow:
    """One resident as the file describes them."""

    row: int
    external_id: str | None
    first_name: str
    last_name: str
    email: str
    pgy: int
    start_date: date
    end_date: date | None


@dataclass
class ParsedRoster:
    rows: list[RosterRow]
    warnings: list[str] = field(default_factory=list)
    headings: dict[str, str] = field(default_factory=dict)  # field → heading as written in the file


def invalid_rows(errors: list[RowError]) -> InvalidInput:
    """The 422 for a file with bad rows: every problem (up to a limit); it says that nothing changed."""
    count = len(errors)
    noun = "problem" if count == 1 else "problems"
    shown = sorted(errors, key=lambda e: e.row)[:MAX_ERRORS_SHOWN]
    more = f" The first {MAX_ERRORS_SHOWN} are listed." if count > MAX_ERRORS_SHOWN else ""
    return InvalidInput(
        f"The roster has {count} {noun}; nothing was imported. Fix the rows listed and upload the file again."
        + more,
        errors=[e.as_dict() for e in shown],
    )


def decode(data: bytes) -> str:
    """The file's text; 415 for files that are not text, 422 for empty files and text that is not UTF-8."""
    return decode_text(data, empty=_EMPTY, export_advice=_EXPORT_ADVICE)


def _delimiter(heading_line: str) -> str:
    counts = {d: heading_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _unneutralise(value: str) -> str:
    # Our own exports prefix formula-like text with a quote; reading one back restores the stored value.
    if value.startswith("'") and value[1:].startswith(_FORMULA_START):
        return value[1:]
    return value


def _map_headings(header_row: int, headings: list[str]) -> tuple[dict[str, int], dict[str, str], list[str]]:
    """Field → column index, field → heading as written, and warnings for ignored columns."""
    columns: dict[str, int] = {}
    written: dict[str, str] = {}
    warnings: list[str] = []
    errors: list[RowError] = []
    for index, raw in enumerate(headings):
        heading = raw.strip()
        if not heading:
            continue
        name = _ALIAS_TO_FIELD.get(heading_key(heading))
        if name is None:
            warnings.append(f"Column '{heading[:60]}' is not a roster field and was ignored.")
            continue
        if name in columns:
            errors.append(
                RowError(
                    header_row,
                    heading,
                    f"both '{written[name]}' and '{heading}' give the {CANONICAL_HEADING[name]}; keep one",
                )
            )
            continue
        columns[name] = index
        written[name] = heading
    missing = [name for name in REQUIRED_FIELDS if name not in columns]
    for name in missing:
        accepted = ", ".join(f"'{a}'" for a in FIELD_ALIASES[name])
        errors.append(
            RowError(
                header_row, CANONICAL_HEADING[name], f"required column missing; accepted headings: {accepted}"
            )
        )
    if missing:
        names = ", ".join(CANONICAL_HEADING[n] for n in missing)
        hint = (
            " The first row must name the columns; if it holds a resident instead, add a heading row."
            if not columns
            else ""
        )
        raise InvalidInput(
            f"The roster's heading row (row {header_row}) is missing required columns: {names}. "
            "Headings are matched without regard to case, spaces or punctuation; the accepted headings are "
            "listed for each." + hint,
            errors=[e.as_dict() for e in errors],
        )
    if errors:
        raise invalid_rows(errors)
    return columns, written, warnings


def parse_roster(data: bytes, *, max_bytes: int, max_rows: int) -> ParsedRoster:
    """Validated rows from an uploaded roster file, or the error to answer with.

    Raises PayloadTooLarge (413) for files over ``max_bytes`` or with more than ``max_rows`` residents,
    UnsupportedMediaType (415) for files that are not text, and InvalidInput (422) listing every bad row
    otherwise. In-file duplicates (same e-mail address or same external id) are reported with both rows.
    """
    if len(data) > max_bytes:
        raise PayloadTooLarge(
            f"The file is {len(data) / 1_048_576:.1f} MB; the limit is {max_bytes / 1_048_576:g} MB. "
            "Split the roster into smaller files."
        )
    text = decode(data)
    if text.lstrip().startswith(("{", "[")):
        raise UnsupportedMediaType(
            "This looks like JSON; the roster must be a CSV file with a heading row "
            "(for example: First Name,Last Name,Email,PGY,Start Date)."
        )
    heading_line = next(line for line in text.splitlines() if line.strip())
    records = csv_records(text, _delimiter(heading_line))

    header_row, headings = 0, []
    for row, record in records:
        if any(cell.strip() for cell in record):
            header_row, headings = row, record
            break
    if not header_row:
        raise InvalidInput(_EMPTY)
    columns, written, warnings = _map_headings(header_row, headings)

    rows: list[RosterRow] = []
    errors: list[RowError] = []
    first_row_of_email: dict[str, int] = {}
    first_row_of_external_id: dict[str, int] = {}
    width = len(headings)
    count = 0
    for row, record in records:
        if not any(cell.strip() for cell in record):
            continue  # blank lines, and rows of empty cells that spreadsheets leave at the end
        count += 1
        if count > max_rows:
            raise PayloadTooLarge(
                f"The roster has more than {max_rows:,} residents; the limit is {max_rows:,} rows per file. "
                "Split it into smaller files."
            )
        if any(cell.strip() for cell in record[width:]):
            errors.append(
                RowError(
                    row, f"column {width + 1}", f"this row has more cells than the heading row ({width})"
                )
            )
            continue
        parsed = _parse_row(row, record, columns, written, errors)
        if parsed is None:
            continue
        if (earlier := first_row_of_email.get(parsed.email)) is not None:
            errors.append(
                RowError(
                    row,
                    written["email"],
                    f"the same e-mail address as row {earlier}; rows {earlier} and {row}",
                )
            )
            continue
        if parsed.external_id is not None:
            if (earlier := first_row_of_external_id.get(parsed.external_id)) is not None:
                errors.append(
                    RowError(
                        row,
                        written["external_id"],
                        f"the same external id as row {earlier}; rows {earlier} and {row}",
                    )
                )
                continue
            first_row_of_external_id[parsed.external_id] = row
        first_row_of_email[parsed.email] = row
        rows.append(parsed)
    if errors:
        raise invalid_rows(errors)
    if not rows:
        raise InvalidInput(f"The file has a heading row (row {header_row}) but no residents below it.")
    return ParsedRoster(rows=rows, warnings=warnings, headings=written)


def _parse_row(
    row: int, record: list[str], columns: dict[str, int], written: dict[str, str], errors: list[RowError]
) -> RosterRow | None:
    def cell(name: str) -> str:
        index = columns.get(name)
        if index is None or index >= len(record):
            return ""
        return _unneutralise(record[index].strip())

    values: dict[str, Any] = {}
    failed = False

    def check(name: str, parse: Any, *args: Any, **kwargs: Any) -> None:
        nonlocal failed
        try:
            values[name] = parse(*args, **kwargs)
        except ValueError as exc:
            failed = True
            errors.append(RowError(row, written.get(name, CANONICAL_HEADING[name]), str(exc)))

    check("external_id", fields.clean_external_id, cell("external_id"))
    check("first_name", fields.clean_name, cell("first_name"), what="the first name")
    check("last_name", fields.clean_name, cell("last_name"), what="the last name")
    check("email", fields.clean_email, cell("email"))
    check("pgy", fields.parse_pgy, cell("pgy"))
    check("start_date", fields.parse_date, cell("start_date"), what="the start date")
    end_text = cell("end_date")
    if end_text:
        check("end_date", fields.parse_date, end_text, what="the end date")
    else:
        values["end_date"] = None
    if failed:
        return None
    try:
        fields.check_dates(values["start_date"], values["end_date"])
    except ValueError as exc:
        errors.append(RowError(row, written["end_date"], str(exc)))
        return None
    return RosterRow(row=row, **values)
