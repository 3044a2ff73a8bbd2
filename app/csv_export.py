"""The one way the service writes CSV: every file it produces goes through :func:`render_csv`.

Spreadsheets run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some of them, a tab or a
carriage return) as a formula, so a roster cell such as ``=HYPERLINK("http://x")`` typed by anyone upstream
would run on the coordinator's machine when they open an export. Following OWASP's advice on CSV injection,
such text cells are written with a leading single quote, which spreadsheets show as text. The data itself is
stored unchanged; only what leaves the service as CSV is neutralised.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"

Cell = str | int | float | bool | date | datetime | None


def neutralise(text: str) -> str:
    """``text`` prefixed with a single quote if a spreadsheet would read it as a formula."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        # A number is a number: "-3" from an int is not a formula, and quoting it would turn it into text.
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return neutralise(str(value))


def render_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """CSV text (comma-separated, CRLF, quoted where needed) with every text cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_cell(h) for h in header])
    writer.writerows([_cell(value) for value in row] for row in rows)
    return buffer.getvalue()


def encode_csv(text: str) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel shows accented names correctly when opening the file."""
    return text.encode("utf-8-sig")
