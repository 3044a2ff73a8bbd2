"""Every CSV the service writes neutralises cells a spreadsheet would run as formulas."""

import csv
import io
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.csv_export import encode_csv, neutralise, render_csv


def parse(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize(
    "text", ["=1+2", '=HYPERLINK("http://x")', "+1", "-1", "@SUM(A1)", "\tx", "\rx", "=", "-"]
)
def test_formula_like_text_gets_a_leading_quote(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["", "Ada", "O'Brien", "García-López", " =1", "1-2", "a@b.org", "'=x"])
def test_other_text_is_left_alone(text: str) -> None:
    assert neutralise(text) == text


def test_render_neutralises_text_cells_and_keeps_numbers_and_dates() -> None:
    text = render_csv(
        ["Name", "=Header", "Count", "When", "Missing", "Flag"],
        [["=cmd|' /C calc'!A0", "-x", -3, date(2026, 7, 1), None, True]],
    )

    assert parse(text) == [
        ["Name", "'=Header", "Count", "When", "Missing", "Flag"],
        ["'=cmd|' /C calc'!A0", "'-x", "-3", "2026-07-01", "", "true"],
    ]
    assert text.endswith("\r\n")


def test_render_quotes_separators_quotes_and_line_breaks() -> None:
    text = render_csv(["a"], [["Smith, John"], ['say "hi"'], ["two\nlines"]])

    assert parse(text)[1:] == [["Smith, John"], ['say "hi"'], ["two\nlines"]]


def test_encoded_csv_has_a_byte_order_mark_for_excel() -> None:
    assert encode_csv("a,b\r\n") == b"\xef\xbb\xbfa,b\r\n"


@given(st.lists(st.lists(st.text(max_size=12), min_size=1, max_size=4), min_size=1, max_size=5))
def test_no_rendered_cell_ever_starts_a_formula(rows: list[list[str]]) -> None:
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    for row in parse(render_csv(["h"] * width, rows)):
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
