"""The action plan as CSV, one row per action, for tracking in a spreadsheet.

Columns: project, id, priority, priority_in_words, theme, dimension, questions, action, owner, due, due_as_written, status.
``priority`` is the fixed id (as in the JSON); ``priority_in_words`` names its gate as the
report does ("Condition of continued use" for a live tool). ``id`` is the action's stable id (the key the session keeps the user's edits under, and
the same gap's id in a re-assessment); ``due`` is an ISO date (a spreadsheet sorts and
filters it), empty when none was given or the words given are not a date;
``due_as_written`` is what the plan answer said ("end of January 2027", "next spring"),
when that is not the ISO date itself. ``status`` is open, in_progress or done. Same
encoding and formula guard as the summary CSV.
"""

from __future__ import annotations

from assistant.reports.csv_report import table
from assistant.reports.text import csv_cell, one_line
from flows.gates import priority_label
from flows.summary import Summary
from flows.tracking import action_id

COLUMNS = (
    "project",
    "id",
    "priority",
    "priority_in_words",
    "theme",
    "dimension",
    "questions",
    "action",
    "owner",
    "due",
    "due_as_written",
    "status",
)


def render(summary: Summary) -> str:
    project = one_line(summary.project.name)
    rows = []
    for a in summary.actions:
        questions = list(getattr(a, "question_ids", []) or [a.question_id])
        rows.append(
            [
                csv_cell(project),
                csv_cell(action_id(a)),
                a.priority,
                csv_cell(priority_label(a.priority, summary.gate, summary.gate_label, a.gate)),
                csv_cell(str(getattr(a, "theme", ""))),
                csv_cell(a.dimension),
                csv_cell(";".join(questions)),
                csv_cell(one_line(a.action)),
                csv_cell(one_line(a.owner)),
                csv_cell(a.due),
                csv_cell(one_line(a.due_written)),
                a.status,
            ]
        )
    return table(COLUMNS, rows)
