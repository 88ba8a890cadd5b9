"""The summary as CSV: one row per question asked, for spreadsheets and audit trails.

Columns: dimension, id, question, answer, points, max, flags, note. Written with the
csv module (RFC 4180 quoting), preceded by a UTF-8 byte-order mark so Excel reads
accented text correctly; cells that a spreadsheet would run as a formula are
prefixed with a single quote.
"""

from __future__ import annotations

import csv
import io

from assistant.reports.text import csv_cell, num
from flows.summary import Summary

COLUMNS = ("dimension", "id", "question", "answer", "points", "max", "flags", "note")
BOM = "\ufeff"


def render(summary: Summary) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for a in summary.answers:
        writer.writerow(
            [
                csv_cell(a.dimension),
                csv_cell(a.question_id),
                csv_cell(a.asked_as or a.text),
                csv_cell(a.answer_label),
                "" if a.points is None else num(a.points),
                "" if a.max_points is None else num(a.max_points),
                ";".join(a.flags),
                csv_cell(a.note),
            ]
        )
    return BOM + buf.getvalue()
