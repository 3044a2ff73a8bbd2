"""Reading roster files and matching them to a roster, with no database: the rules one by one."""

from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.errors import InvalidInput, PayloadTooLarge, UnsupportedMediaType
from app.roster import fields
from app.roster.csv_import import FIELD_ALIASES, RosterRow, parse_roster
from app.roster.reconcile import ExistingResident, plan_import
from app.validation import normalise_email

LIMITS = {"max_bytes": 10 * 1024 * 1024, "max_rows": 20_000}


def parse(text: str | bytes) -> list[RosterRow]:
    data = text.encode() if isinstance(text, str) else text
    return parse_roster(data, **LIMITS).rows


# --- one value at a time -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-07-01", date(2026, 7, 1)),
        ("2026-7-1", date(2026, 7, 1)),
        ("07/01/2026", date(2026, 7, 1)),
        ("7/1/2026", date(2026, 7, 1)),
        (" 12/31/2025 ", date(2025, 12, 31)),
        ("2/29/2028", date(2028, 2, 29)),
    ],
)
def test_dates_are_iso_or_us_month_day_year(text: str, expected: date) -> None:
    assert fields.parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("2026-02-30", "not a real date"),
        ("13/45/2026", "not a real date"),
        ("2/29/2027", "not a real date"),
        ("31/12/2025", "not a real date"),  # day/month: read as month 31
        ("7/1/26", "year in full"),
        ("July 1, 2026", "not a date"),
        ("2026.07.01", "not a date"),
        ("", "required"),
    ],
)
def test_impossible_or_unreadable_dates_are_refused(text: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        fields.parse_date(text)


@pytest.mark.parametrize(
    ("text", "level"), [("1", 1), ("8", 8), ("PGY-3", 3), ("pgy 2", 2), ("PGY4", 4), ("5.0", 5)]
)
def test_pgy_levels(text: str, level: int) -> None:
    assert fields.parse_pgy(text) == level


@pytest.mark.parametrize("text", ["0", "9", "12", "-1", "one", "1.5", ""])
def test_pgy_outside_one_to_eight_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        fields.parse_pgy(text)


def test_emails_are_trimmed_and_lower_cased() -> None:
    assert fields.clean_email(" A.Okafor@Hospital.example.org ") == "a.okafor@hospital.example.org"


@pytest.mark.parametrize("text", ["no-at-sign", "two@@signs.org", "a@", "@b.org", "a b@c.org"])
def test_invalid_emails_are_refused_without_quoting_them(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        fields.clean_email(text)
    assert text not in str(caught.value)


@pytest.mark.parametrize("text", ["1950-01-01", "1/1/1950", "2100-12-31", "12/31/2100"])
def test_dates_from_1950_to_2100_are_accepted(text: str) -> None:
    assert fields.DATE_MIN <= fields.parse_date(text) <= fields.DATE_MAX


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("12/31/9999", "9999-12-31"),
        ("9999-12-30", "9999-12-30"),
        ("0001-01-01", "0001-01-01"),
        ("12/31/1949", "1949-12-31"),
        ("2101-01-01", "2101-01-01"),
        (date(9999, 12, 31), "9999-12-31"),
    ],
)
def test_dates_outside_1950_to_2100_are_refused(raw: str | date, shown: str) -> None:
    with pytest.raises(ValueError) as caught:
        fields.parse_date(raw, what="the end date")
    assert str(caught.value) == (
        f"the end date {shown} is outside the accepted range; give a date from 1950-01-01 to 2100-12-31"
    )


@pytest.mark.parametrize("char", ["\x00", "\x01", "\t", "\x1b", "\x7f", "\x85", "\x9f"])
def test_control_characters_are_refused_in_names_emails_and_ids(char: str) -> None:
    with pytest.raises(ValueError, match="the first name contains a control character"):
        fields.clean_name(f"Ada{char}Mae", what="the first name")
    with pytest.raises(ValueError, match="the e-mail address contains a control character"):
        fields.clean_email(f"ada{char}@hospital.example.org")
    with pytest.raises(ValueError, match="the external id contains a control character"):
        fields.clean_external_id(f"E{char}1")


def test_a_control_character_is_named_by_code_and_position_not_by_the_text() -> None:
    with pytest.raises(ValueError) as caught:
        fields.clean_name("Secret\x00Name")
    assert str(caught.value) == "the name contains a control character (U+0000, character 7); remove it"


def test_names_in_any_script_with_inner_spaces_and_punctuation_are_plain_text() -> None:
    assert fields.clean_name(" Nguyễn Thị-Thảo O'Brien 名 ") == "Nguyễn Thị-Thảo O'Brien 名"


def test_end_dates_may_not_precede_start_dates() -> None:
    fields.check_dates(date(2026, 7, 1), None)
    fields.check_dates(date(2026, 7, 1), date(2026, 7, 1))
    with pytest.raises(ValueError, match="before the start date"):
        fields.check_dates(date(2026, 7, 1), date(2026, 6, 30))


# --- whole files -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "alias"), [(name, alias) for name, aliases in FIELD_ALIASES.items() for alias in aliases]
)
def test_every_documented_heading_alias_is_understood(name: str, alias: str) -> None:
    headings = {
        "external_id": "External ID",
        "first_name": "First Name",
        "last_name": "Last Name",
        "email": "Email",
        "pgy": "PGY",
        "start_date": "Start Date",
        "end_date": "End Date",
    }
    values = {
        "external_id": "E1",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "ada@hospital.example.org",
        "pgy": "1",
        "start_date": "2026-07-01",
        "end_date": "2029-06-30",
    }
    headings[name] = alias.upper()
    text = ",".join(headings.values()) + "\n" + ",".join(values.values()) + "\n"

    (row,) = parse(text)

    assert getattr(row, name) == {
        "pgy": 1,
        "start_date": date(2026, 7, 1),
        "end_date": date(2029, 6, 30),
    }.get(name, values[name])


def test_row_numbers_are_the_rows_a_spreadsheet_shows() -> None:
    text = (
        "First Name,Last Name,Email,PGY,Start Date,Notes\n"
        'Ada,Lovelace,ada@x.org,1,2026-07-01,"two\nlines"\n'  # row 2 spans two lines
        "\n"  # row 3 is blank
        "Alan,Turing,alan@x.org,1,2026-07-01,\n"  # row 4
    )

    assert [r.row for r in parse(text)] == [2, 4]


def test_a_formula_prefix_quote_from_our_own_export_is_removed() -> None:
    text = "First Name,Last Name,Email,PGY,Start Date\n'=Ada,'+Love,ada@x.org,1,2026-07-01\n"

    (row,) = parse(text)

    assert (row.first_name, row.last_name) == ("=Ada", "+Love")


def test_apostrophes_that_are_not_a_formula_prefix_stay() -> None:
    (row,) = parse("First Name,Last Name,Email,PGY,Start Date\n'Akamai,O'Brien,a@x.org,1,2026-07-01\n")

    assert (row.first_name, row.last_name) == ("'Akamai", "O'Brien")


def test_duplicates_report_both_rows() -> None:
    text = (
        "External ID,First Name,Last Name,Email,PGY,Start Date\n"
        "E1,Ada,Lovelace,ada@x.org,1,2026-07-01\n"
        "E2,Ada,Lovelace,ADA@x.org,1,2026-07-01\n"
        "E1,Alan,Turing,alan@x.org,1,2026-07-01\n"
    )

    with pytest.raises(InvalidInput) as caught:
        parse(text)

    assert [(e["row"], e["column"]) for e in caught.value.errors or []] == [(3, "Email"), (4, "External ID")]
    assert all("rows 2 and" in e["message"] for e in caught.value.errors or [])


def test_the_row_limit_is_counted_without_blank_rows() -> None:
    header = "First Name,Last Name,Email,PGY,Start Date\n"
    rows = "".join(f"A,B,r{i}@x.org,1,2026-07-01\n\n" for i in range(3))

    assert len(parse_roster((header + rows).encode(), max_bytes=10_000, max_rows=3).rows) == 3
    with pytest.raises(PayloadTooLarge, match="more than 2 residents"):
        parse_roster((header + rows).encode(), max_bytes=10_000, max_rows=2)


def test_the_byte_limit_is_checked_first() -> None:
    with pytest.raises(PayloadTooLarge):
        parse_roster(b"x" * 101, max_bytes=100, max_rows=10)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"PK\x03\x04rest-of-a-zip", UnsupportedMediaType),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", UnsupportedMediaType),
        (b"%PDF-1.7", UnsupportedMediaType),
        ("First Name\nJosé\n".encode("latin-1"), InvalidInput),
        ("First Name\nAda\n".encode("utf-16"), InvalidInput),
        ("First Name\nAda\n".encode("utf-16-be"), InvalidInput),
    ],
    ids=["zip", "xls", "pdf", "latin-1", "utf-16", "utf-16-be"],
)
def test_files_that_are_not_utf8_text_are_refused(data: bytes, error: type[Exception]) -> None:
    with pytest.raises(error, match="CSV UTF-8"):
        parse_roster(data, **LIMITS)


def test_a_latin1_error_names_the_line() -> None:
    data = "First Name,Last Name\nAda,Lovelace\nJosé,García\n".encode("latin-1")

    with pytest.raises(InvalidInput, match="line 3"):
        parse_roster(data, **LIMITS)


# --- matching to the roster --------------------------------------------------------------------------------


def row(n: int, email: str, external_id: str | None = None, **overrides: object) -> RosterRow:
    values: dict[str, object] = {
        "row": n,
        "external_id": external_id,
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": email,
        "pgy": 1,
        "start_date": date(2026, 7, 1),
        "end_date": None,
    }
    values.update(overrides)
    return RosterRow(**values)  # type: ignore[arg-type]


def resident(rid: int, email: str, external_id: str | None = None, **overrides: object) -> ExistingResident:
    values: dict[str, object] = {
        "id": rid,
        "external_id": external_id,
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": email,
        "pgy": 1,
        "start_date": date(2026, 7, 1),
        "end_date": None,
        "active": True,
    }
    values.update(overrides)
    return ExistingResident(**values)  # type: ignore[arg-type]


def test_rows_match_by_external_id_before_email() -> None:
    plan = plan_import([row(2, "new@x.org", "E1")], [resident(1, "old@x.org", "E1")], replace=False)

    assert [(u.resident.id, u.changes) for u in plan.update] == [(1, {"email": "new@x.org"})]


def test_rows_without_external_id_match_by_email() -> None:
    plan = plan_import([row(2, "a@x.org", pgy=2)], [resident(1, "a@x.org", "E1")], replace=False)

    assert [(u.resident.id, u.changes) for u in plan.update] == [(1, {"pgy": 2})]


def test_unmatched_rows_are_created_and_identical_ones_unchanged() -> None:
    plan = plan_import([row(2, "a@x.org"), row(3, "b@x.org")], [resident(1, "a@x.org")], replace=False)

    assert [r.row for r in plan.create] == [3]
    assert [(r.row, e.id) for r, e in plan.unchanged] == [(2, 1)]


def test_an_id_and_an_email_of_two_different_residents_are_rejected() -> None:
    existing = [resident(1, "a@x.org", "E1"), resident(2, "b@x.org", "E2")]

    with pytest.raises(InvalidInput) as caught:
        plan_import([row(2, "b@x.org", "E1")], existing, replace=False)

    assert (caught.value.errors or [])[0]["row"] == 2


def test_replace_deactivates_only_active_residents_absent_from_the_file() -> None:
    existing = [resident(1, "a@x.org"), resident(2, "b@x.org"), resident(3, "c@x.org", active=False)]

    assert [r.id for r in plan_import([row(2, "a@x.org")], existing, replace=True).deactivate] == [2]
    assert plan_import([row(2, "a@x.org")], existing, replace=False).deactivate == []


def test_a_deactivated_resident_in_the_file_is_reactivated() -> None:
    plan = plan_import([row(2, "a@x.org")], [resident(1, "a@x.org", active=False)], replace=False)

    assert [u.changes for u in plan.update] == [{"active": True}]


def test_end_dates_are_left_alone_when_the_file_has_no_end_date_column() -> None:
    existing = [resident(1, "a@x.org", end_date=date(2029, 6, 30))]
    headings = {
        "first_name": "First",
        "last_name": "Last",
        "email": "Email",
        "pgy": "PGY",
        "start_date": "Start",
    }

    plan = plan_import([row(2, "a@x.org")], existing, replace=False, headings=headings)

    assert plan.update == [] and len(plan.unchanged) == 1
    cleared = plan_import([row(2, "a@x.org")], existing, replace=False)
    assert [u.changes for u in cleared.update] == [{"end_date": None}]


@given(
    st.from_regex(r"[A-Za-z0-9_+.\-]{1,70}@[A-Za-z0-9.\-]{1,30}", fullmatch=True)
    | st.emails()
    | st.text(max_size=40)
)
@settings(max_examples=500)
def test_the_roster_email_fast_path_agrees_with_normalise_email(address: str) -> None:
    def outcome(normalise: Callable[[str], str]) -> str:
        try:
            return normalise(address)
        except ValueError:
            return "invalid"

    expected = (
        outcome(normalise_email) if address.strip() and "\n" not in address and "\r" not in address else None
    )
    if expected is not None:
        assert outcome(fields.clean_email) == expected


def test_the_separator_is_read_from_the_heading_row_even_after_blank_lines() -> None:
    (row,) = parse(
        "\n \nFirst Name;Last Name;Email;PGY;Start Date\nAda;Lovelace, Countess;a@x.org;1;2026-07-01\n"
    )

    assert (row.row, row.last_name) == (4, "Lovelace, Countess")


def test_a_bare_id_column_is_ignored_next_to_the_employee_id() -> None:
    parsed = parse_roster(
        b"ID,Employee ID,First Name,Last Name,Email,PGY,Start Date\n1,E7,Ada,Lovelace,a@x.org,1,2026-07-01\n",
        **LIMITS,
    )

    assert parsed.rows[0].external_id == "E7"
    assert parsed.warnings == ["Column 'ID' is not a roster field and was ignored."]
