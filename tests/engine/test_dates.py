"""Due dates as people write them: strict reading, UK day first, never a guessed US date."""

from __future__ import annotations

import calendar
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows.dates import describe_due, find_date, read_date
from flows.owners import owner_and_due
from flows.plan import due_of

DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


def month_end(d: date) -> date:
    return date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])


def spellings(d: date) -> list[str]:
    """Every way the module promises to read a day."""
    full, abbr = calendar.month_name[d.month], calendar.month_abbr[d.month]
    th = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}.get(d.day, "th")
    return [
        d.isoformat(),
        f"{d.year}-{d.month}-{d.day}",
        f"{d.day:02d}/{d.month:02d}/{d.year}",
        f"{d.day}/{d.month}/{d.year}",
        f"{d.day}.{d.month}.{d.year}",
        f"{d.day}-{d.month:02d}-{d.year % 100:02d}",
        f"{d.day} {full} {d.year}",
        f"{d.day}{th} {abbr} {d.year}",
        f"{d.day}{th} of {full}, {d.year}",
        f"{d.day}-{abbr}-{d.year}",
        f"{full} {d.day}, {d.year}",
        f"{abbr.upper()} {d.day}{th} {d.year}",
    ]


@given(DAYS)
def test_every_spelling_of_a_day_reads_back_as_that_day(d: date) -> None:
    for text in spellings(d):
        assert read_date(text) == d, text
        assert read_date(f"  {text}. ") == d, text


@given(DAYS)
def test_a_named_month_or_quarter_is_its_last_day(d: date) -> None:
    full, abbr = calendar.month_name[d.month], calendar.month_abbr[d.month]
    for text in (f"{full} {d.year}", f"end of {abbr} {d.year}", f"the end of {full}, {d.year}", f"end-{full} {d.year}"):
        assert read_date(text) == month_end(d), text
    assert read_date(f"start of {full} {d.year}") == d.replace(day=1)
    assert read_date(f"mid-{full} {d.year}") == d.replace(day=15)
    quarter = (d.month - 1) // 3 + 1
    last = month_end(date(d.year, quarter * 3, 1))
    for text in (f"Q{quarter} {d.year}", f"q{quarter}-{d.year}", f"{d.year} Q{quarter}", f"end of Q{quarter} {d.year}"):
        assert read_date(text) == last, text
    assert read_date(f"start of Q{quarter} {d.year}") == date(d.year, quarter * 3 - 2, 1)


@given(DAYS)
def test_day_first_is_never_swapped_and_month_first_never_guessed(d: date) -> None:
    uk = f"{d.day:02d}/{d.month:02d}/{d.year}"
    assert read_date(uk) == d
    us = f"{d.month:02d}/{d.day:02d}/{d.year}"
    if d.day > 12:
        assert read_date(us) is None  # the 13th month or later: not a date, and not turned around
    elif d.day != d.month:
        assert read_date(us) == date(d.year, d.day, d.month)  # read day first, as a UK reader would


@given(DAYS, st.sampled_from(["DPO", "Head of Legal (J. Smith)", "force solicitor"]))
def test_a_date_is_found_inside_a_plan_answer_and_the_owner_is_what_is_left(d: date, owner: str) -> None:
    for text in spellings(d):
        got_owner, written = owner_and_due(f"{owner}, by {text}.")
        assert got_owner == owner and due_of(written) == (d.isoformat(), "" if written == d.isoformat() else written)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("end of 2027", "2027-12-31"),
        ("end of 2026/27", "2027-03-31"),
        ("FY 2026/27", "2027-03-31"),
        ("financial year 2026-27", "2027-03-31"),
        ("Feb 2028", "2028-02-29"),
        ("close of Q4 2026", "2026-12-31"),
        ("1 Sept. 2027", "2027-09-01"),
    ],
)
def test_year_ends_financial_years_and_leap_days(text: str, iso: str) -> None:
    assert read_date(text) == date.fromisoformat(iso)


@pytest.mark.parametrize(
    "text",
    ["12/31/2026", "31/02/2027", "2026-13-01", "next spring", "ASAP", "2027", "31 January", "Q5 2027",
     "Q1 2027/28", "end of 2026/28", "mid Q2 2027", "March", "soon, by the summer"],
)  # fmt: skip
def test_what_is_not_one_day_is_not_a_date(text: str) -> None:
    assert read_date(text) is None


def test_words_that_look_like_a_date_but_are_not_one_are_kept_as_typed() -> None:
    owner, written = owner_and_due("Legal services, before 31/02/2027")
    assert owner == "Legal services" and due_of(written) == ("", "31/02/2027")
    assert describe_due(*due_of(written)) == "“31/02/2027” (not a date)"
    assert describe_due(*due_of("end of January 2027")) == "2027-01-31 (written “end of January 2027”)"
    assert describe_due(*due_of("2027-01-31")) == "2027-01-31" and describe_due("", "") == ""
    assert owner_and_due("Head of IT, by next spring") == ("Head of IT", "by next spring")
    assert describe_due(*due_of("by next spring")) == "“by next spring” (not a date)"


def test_only_whole_dates_are_found() -> None:
    assert find_date("version 1.2.3 ships") is None
    assert find_date("ref 2027-01-31x") is None
    found = find_date("owner: DPO by Q1 2027; review after")
    assert found is not None and found[0].group() == "Q1 2027" and found[1] == date(2027, 3, 31)
