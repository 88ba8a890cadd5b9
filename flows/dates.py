"""Due dates as people write them, read strictly: ISO dates, UK day-first dates, month names, months and quarters.

Plan answers say "by end of January 2027", "Q1 2027" or "31/01/2027"; the action plan
tracks ISO dates (``2027-01-31``). This reader accepts only forms with one meaning:

- ``2027-01-31`` (ISO; one-digit month and day allowed);
- ``31/01/2027``, ``31.1.2027``, ``31-01-27``: always day first (UK); a US month-first
  date is never guessed (``12/31/2026`` is not a date);
- ``31 Jan 2027``, ``31st January, 2027``, ``31-Jan-2027``, ``January 31, 2027``
  (the month is named, so either order is unambiguous);
- ``March 2027``, ``end of March 2027``: the month's last day; ``mid March 2027``: the 15th;
  ``start of March 2027`` / ``beginning of March 2027``: the 1st;
- ``Q1 2027``, ``2027 Q1``, ``end of Q1 2027``: the quarter's last day (calendar quarters;
  ``start of Q1 2027``: its first);
- ``end of 2027``: 31 December; ``end of 2026/27``, ``FY 2026/27``: the UK financial
  year's last day (31 March 2027).

Anything else is not a date (:func:`read_date` gives None): relative words ("next
spring", "ASAP") depend on when they were written, so they are kept as typed, never guessed.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

MONTHS: dict[str, int] = {}
for _n in range(1, 13):
    MONTHS[calendar.month_name[_n].lower()] = _n
    MONTHS[calendar.month_abbr[_n].lower()] = _n
MONTHS["sept"] = 9
EDGES = {"end": "end", "close": "end", "start": "start", "beginning": "start", "mid": "mid", "middle": "mid"}

_MONTH = r"(?P<{}>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<{}>\d{{1,2}})(?:st|nd|rd|th)?"
_YEAR = r"(?P<{}>\d{{4}})"
_END = r"(?:(?:the\s+)?(?P<{}>end|close|start|beginning|middle|mid)(?:\s+of)?[\s-]*(?:the\s+)?)?"

FORMS = [
    ("iso", rf"{_YEAR.format('y')}-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}})"),
    ("numeric", r"(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4}|\d{2})"),
    ("day_month", rf"{_DAY.format('d')}(?:\s+of)?[\s-]+{_MONTH.format('mon')},?[\s-]+{_YEAR.format('y')}"),
    ("month_day", rf"{_MONTH.format('mon')}\s+{_DAY.format('d')},?\s+{_YEAR.format('y')}"),
    ("financial", r"(?:(?:the\s+)?end\s+of\s+(?:the\s+)?|fy\s*|financial\s+year\s+)(?P<y>\d{4})[/-](?P<y2>\d{2})"),
    ("quarter", rf"{_END.format('edge')}q(?P<q>[1-4])[\s/-]*{_YEAR.format('y')}"),
    ("year_quarter", rf"{_YEAR.format('y')}[\s/-]*q(?P<q>[1-4])"),
    ("month", rf"{_END.format('edge')}{_MONTH.format('mon')},?\s+{_YEAR.format('y')}"),
    ("year_end", rf"(?:the\s+)?end\s+of\s+(?:the\s+)?(?:year\s+)?{_YEAR.format('y')}"),
]
DATE_TEXT = (
    r"(?i)(?<![\w/.-])(?:"
    + "|".join(f"(?P<{name}>{pattern.replace('(?P<', f'(?P<{name}_')})" for name, pattern in FORMS)
    + r")(?![\w/-]|\.\d)"
)
"""Every form :func:`read_date` accepts, to find one inside a longer text (the groups of each form are prefixed).
Kept as text: ``re`` compiles it on first use (about 1 ms), not whenever the module is imported."""


def read_date(text: str) -> date | None:
    """The date ``text`` states, if it is one of the module's forms (surrounding spaces and a final full stop aside)."""
    cleaned = " ".join(text.split()).rstrip(".")
    match = re.fullmatch(DATE_TEXT, cleaned)
    return _date_of(match) if match else None


def find_date(text: str) -> tuple[re.Match[str], date | None] | None:
    """The first date-like phrase in ``text`` and the date it states (None when it names no real day: 31/02/2027)."""
    match = re.search(DATE_TEXT, text)
    return (match, _date_of(match)) if match else None


def _date_of(match: re.Match[str]) -> date | None:
    form = match.lastgroup
    assert form is not None
    g = {k.removeprefix(f"{form}_"): v for k, v in match.groupdict().items() if k.startswith(f"{form}_") and v}
    try:
        if form in ("iso", "numeric", "day_month", "month_day"):
            month = MONTHS[g["mon"].lower()] if "mon" in g else int(g["m"])
            year = int(g["y"]) + (2000 if len(g["y"]) == 2 else 0)
            return date(year, month, int(g["d"]))
        year = int(g["y"])
        if form == "financial":
            return date(year + 1, 3, 31) if int(g["y2"]) == (year + 1) % 100 else None
        edge = EDGES[g.get("edge", "end").lower()]
        if form in ("quarter", "year_quarter"):
            last = int(g["q"]) * 3
            if edge == "mid":
                return None  # the middle of a quarter is no one day: not guessed
            return date(year, last - 2, 1) if edge == "start" else _month_end(year, last)
        if form == "month":
            month = MONTHS[g["mon"].lower()]
            if edge == "start":
                return date(year, month, 1)
            return date(year, month, 15) if edge == "mid" else _month_end(year, month)
        return date(year, 12, 31)  # year_end
    except ValueError:
        return None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def describe_due(due: str, written: str = "") -> str:
    """A due date for people: the ISO date, with the words it was read from; words that are not a date say so."""
    if due and written and written != due:
        return f"{due} (written “{written}”)"
    if due:
        return due
    return f"“{written}” (not a date)" if written else ""
