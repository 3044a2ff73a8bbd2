"""Small validators shared by several domains: plain text, e-mail addresses, IANA time zones, US states."""

import re
from functools import lru_cache
from zoneinfo import available_timezones

from email_validator import EmailNotValidError, validate_email

US_STATES = frozenset(
    {
        *(
            "AL",
            "AK",
            "AZ",
            "AR",
            "CA",
            "CO",
            "CT",
            "DE",
            "FL",
            "GA",
            "HI",
            "ID",
            "IL",
            "IN",
            "IA",
            "KS",
            "KY",
        ),
        *(
            "LA",
            "ME",
            "MD",
            "MA",
            "MI",
            "MN",
            "MS",
            "MO",
            "MT",
            "NE",
            "NV",
            "NH",
            "NJ",
            "NM",
            "NY",
            "NC",
            "ND",
        ),
        *("OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY"),
        *("DC", "PR", "GU", "VI", "AS", "MP"),
    }
)


def check_plain_text(value: str, *, what: str = "the text") -> str:
    """``value`` if it holds no control character (NUL, tab, line break, escape …); ValueError otherwise.

    Such characters are never part of a name, an address or an identifier: they come from a damaged file or a
    careless paste, and PostgreSQL refuses NUL outright. Unpaired surrogates (which no UTF-8 text can hold)
    are refused with them. The message names the character's position, not the text.
    """
    if (found := _NOT_PLAIN.search(value)) is not None:
        code, position = ord(found.group()), found.start() + 1
        kind = "an unpaired surrogate" if 0xD800 <= code <= 0xDFFF else "a control character"
        raise ValueError(f"{what} contains {kind} (U+{code:04X}, character {position}); remove it")
    return value


# Unicode's control characters (category Cc: C0, DEL and C1) and surrogates (Cs).
_NOT_PLAIN = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def normalise_email(raw: str) -> str:
    """A syntactically valid address, trimmed and lower-cased; ValueError with a readable reason otherwise.

    Lower-casing the local part is technically lossy, but every hospital mail system we target is
    case-insensitive, and one person must not become two residents because an export changed case.
    """
    candidate = raw.strip()
    if not candidate:
        raise ValueError("an e-mail address is required")
    try:
        result = validate_email(candidate, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValueError(f"'{candidate}' is not a valid e-mail address") from exc
    return result.normalized.lower()


@lru_cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def check_time_zone(name: str) -> str:
    """An IANA zone name such as 'America/Chicago'; ValueError otherwise."""
    if name not in _zones() or name in {"localtime", "Factory"}:
        raise ValueError(f"'{name}' is not an IANA time zone name (for example 'America/Chicago')")
    return name


def check_state(code: str) -> str:
    """A two-letter US state or territory code, upper-cased; ValueError otherwise."""
    upper = code.strip().upper()
    if upper not in US_STATES:
        raise ValueError(f"'{code}' is not a US state code (two letters, for example 'MI')")
    return upper
