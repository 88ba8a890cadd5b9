"""The action plan as CSV, one row per action, for tracking in a spreadsheet.

Columns: project, id, priority, theme, dimension, questions, action, owner, due, status.
``id`` is the action's stable id (the key the session keeps the user's edits under, and
the same gap's id in a re-assessment); ``due`` is an ISO date; ``status`` is open,
in_progress or done. Same encoding and formula guard as the summary CSV.
"""

from __future__ import annotations

from assistant.reports.csv_report import table
from assistant.reports.text import csv_cell, one_line
from flows.summary import Summary
from flows.tracking import action_id

COLUMNS = ("project", "id", "priority", "theme", "dimension", "questions", "action", "owner", "due", "status")


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
                csv_cell(str(getattr(a, "theme", ""))),
                csv_cell(a.dimension),
                csv_cell(";".join(questions)),
                csv_cell(one_line(a.action)),
                csv_cell(one_line(a.owner)),
                csv_cell(a.due),
                a.status,
            ]
        )
    return table(COLUMNS, rows)
