"""The summary as CSV: one row per question asked, for spreadsheets and audit trails.

Columns: dimension, id, question, answer, points, max, flags, note. Written with the
csv module (RFC 4180 quoting), preceded by a UTF-8 byte-order mark so Excel reads
accented text correctly; cells that a spreadsheet would run as a formula are
prefixed with a single quote.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from assistant.reports.text import csv_cell, num
from conversation.turns import unmarked
from flows.summary import Summary

COLUMNS = ("dimension", "id", "question", "answer", "points", "max", "flags", "note")
BOM = "\ufeff"


def table(columns: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A spreadsheet-safe CSV document: BOM, header row, CRLF line ends (cells already guarded)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return BOM + buf.getvalue()


def render(summary: Summary) -> str:
    return table(
        COLUMNS,
        (
            [
                csv_cell(a.dimension),
                csv_cell(a.question_id),
                csv_cell(unmarked(a.asked_as or a.text)),
                csv_cell(a.answer_label),
                "" if a.points is None else num(a.points),
                "" if a.max_points is None else num(a.max_points),
                ";".join(a.flags),
                csv_cell(a.note),
            ]
            for a in summary.answers
        ),
    )
