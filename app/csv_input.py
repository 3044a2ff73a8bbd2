"""Reading CSV text that people export from spreadsheets and scheduling systems: shared by every CSV import.

Row numbers are those a spreadsheet shows for the same file: its first line is row 1, blank lines count, and a
quoted cell spanning two lines is still one row.
"""

import csv
import io
import re
from collections.abc import Iterator

from app.errors import InvalidInput


def heading_key(heading: str) -> str:
    """A heading as it is compared: lower-cased, everything but letters and digits dropped."""
    return re.sub(r"[^0-9a-z]", "", heading.lower())


def records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Each record with its spreadsheet row number; InvalidInput, naming the row, for text that is not CSV."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    row = 0
    try:
        for record in reader:
            row += 1
            yield row, record
    except csv.Error as exc:
        raise InvalidInput(
            f"The file is not valid CSV near row {row + 1} ({exc}). Check that quote marks are paired."
        ) from None
