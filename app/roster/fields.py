"""The rules for one roster value, shared by the CSV importer and the correction form.

Each function takes what a person typed and returns the clean value, or raises ValueError with a message
that says what is wrong and what would be right. Messages quote dates and numbers back (they help find the
cell) but never a name or an e-mail address.
"""

import re
from datetime import date
from functools import lru_cache

from email_validator import EmailNotValidError

from app.validation import check_plain_text, normalise_email

NAME_MAX = 200
EMAIL_MAX = 320
EXTERNAL_ID_MAX = 100
PGY_MIN, PGY_MAX = 1, 8
# Start and end dates outside these are typing slips (9999-12-31 as "no end"), and the booking engine
# computes windows and academic years from them, which a date near the end of the calendar overflows.
DATE_MIN, DATE_MAX = date(1950, 1, 1), date(2100, 12, 31)

_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_US_SHORT_YEAR = re.compile(r"\d{1,2}/\d{1,2}/\d{2}")
_PGY = re.compile(r"(?:pgy[\s\-]*)?(\d{1,3})(?:\.0+)?", re.IGNORECASE)


def _single_line(value: str, what: str) -> str:
    # A line break in a cell is most likely a quote mark left open in the row above.
    if "\n" in value or "\r" in value:
        raise ValueError(f'{what} contains a line break (is a quote mark (") left open in the row above?)')
    return check_plain_text(value, what=what)


def clean_name(raw: str, *, what: str = "the name") -> str:
    """A first or last name, trimmed; required. Otherwise kept exactly as given, formula-like text too."""
    value = _single_line(raw.strip(), what)
    if not value:
        raise ValueError(f"{what} is required")
    if len(value) > NAME_MAX:
        raise ValueError(f"{what} is longer than {NAME_MAX} characters")
    return value


# The shape of nearly every hospital address: a plain ASCII dot-atom local part. Such an address is
# normalised by lower-casing it and normalising its domain, which is the same for every row of a roster, so
# the domain is validated once (by email_validator, through normalise_email) rather than 10,000 times.
# Anything else takes the full path. tests/unit/test_roster_csv.py checks both paths agree.
_PLAIN_ADDRESS = re.compile(r"([A-Za-z0-9_+\-]+(?:\.[A-Za-z0-9_+\-]+)*)@([A-Za-z0-9.\-]+)")


@lru_cache(maxsize=256)
def _normalised_domain(domain: str) -> str:
    return normalise_email("x@" + domain).rpartition("@")[2]


def _fast_normalise(value: str) -> str:
    match = _PLAIN_ADDRESS.fullmatch(value)
    if match is None or len(match.group(1)) > 64 or len(value) > 254:
        return normalise_email(value)
    return f"{match.group(1).lower()}@{_normalised_domain(match.group(2))}"


def clean_email(raw: str) -> str:
    """A valid e-mail address, trimmed and lower-cased (as app.validation.normalise_email does it)."""
    value = _single_line(raw.strip(), "the e-mail address")
    if not value:
        raise ValueError("an e-mail address is required")
    try:
        email = _fast_normalise(value)
    except ValueError as exc:
        # normalise_email's message quotes the address; say why without repeating it.
        reason = str(exc.__cause__) if isinstance(exc.__cause__, EmailNotValidError) else ""
        raise ValueError(f"not a valid e-mail address. {reason}".strip()) from None
    if len(email) > EMAIL_MAX:
        raise ValueError(f"the e-mail address is longer than {EMAIL_MAX} characters")
    return email


def clean_external_id(raw: str | None) -> str | None:
    """The identifier in the residency management system (e.g. an employee ID); blank means none."""
    if raw is None:
        return None
    value = _single_line(raw.strip(), "the external id")
    if not value:
        return None
    if len(value) > EXTERNAL_ID_MAX:
        raise ValueError(f"the external id is longer than {EXTERNAL_ID_MAX} characters")
    return value


def parse_pgy(raw: str | int) -> int:
    """A PGY level from 1 to 8; accepts "3", "PGY3", "PGY-3" and "3.0" (as spreadsheets may write it)."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        level = raw
    else:
        text = str(raw).strip()
        if not text:
            raise ValueError("the PGY level is required (a whole number from 1 to 8)")
        match = _PGY.fullmatch(text)
        if match is None:
            raise ValueError(f"'{text[:20]}' is not a PGY level; give a whole number from 1 to 8")
        level = int(match.group(1))
    if not PGY_MIN <= level <= PGY_MAX:
        raise ValueError(f"PGY {level} is out of range; it must be from {PGY_MIN} to {PGY_MAX}")
    return level


def parse_date(raw: str | date, *, what: str = "the date") -> date:
    """A date written as ISO (2026-07-01) or US month/day/year (7/1/2026 or 07/01/2026), within
    ``DATE_MIN``–``DATE_MAX``."""
    if isinstance(raw, date):
        return check_date_range(raw, what=what)
    text = raw.strip()
    if not text:
        raise ValueError(f"{what} is required")
    if match := _ISO_DATE.fullmatch(text):
        year, month, day = (int(g) for g in match.groups())
        layout = "year-month-day"
    elif match := _US_DATE.fullmatch(text):
        month, day, year = (int(g) for g in match.groups())
        layout = "month/day/year"
    elif _US_SHORT_YEAR.fullmatch(text):
        raise ValueError(f"'{text}' has a two-digit year; write the year in full, as in 7/1/2026")
    else:
        raise ValueError(f"'{text[:20]}' is not a date; write 2026-07-01 or 7/1/2026 (month/day/year)")
    try:
        value = date(year, month, day)
    except ValueError:
        raise ValueError(f"'{text}' is not a real date (read as {layout})") from None
    return check_date_range(value, what=what)


def check_date_range(value: date, *, what: str = "the date") -> date:
    """``value`` if it lies within ``DATE_MIN``–``DATE_MAX``; ValueError otherwise."""
    if not DATE_MIN <= value <= DATE_MAX:
        raise ValueError(
            f"{what} {value.isoformat()} is outside the accepted range; give a date from "
            f"{DATE_MIN.isoformat()} to {DATE_MAX.isoformat()}"
        )
    return value


def check_dates(start: date, end: date | None) -> None:
    """An end date, when there is one, is not before the start date."""
    if end is not None and end < start:
        raise ValueError(f"the end date {end.isoformat()} is before the start date {start.isoformat()}")
