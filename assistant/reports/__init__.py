"""Report renderers: one summary, several formats. Used by ``run``, ``report`` and the TUI's export.

``render(summary, fmt)`` returns the whole document as text; ``FORMATS`` lists the
summary's formats, ``DOCUMENT_FORMATS`` the drafted documents (ATRS record, DPIA), and
``EXTENSIONS`` the usual file name ending of each.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flows.summary import Summary
    from question_banks.documents import DocumentMap

FORMATS = ("md", "html", "json", "csv", "actions-csv")
"""The readiness summary's formats (``actions-csv``: the action plan alone, one row per action)."""
DOCUMENT_FORMATS = ("atrs", "atrs-json", "dpia", "dpia-json")
"""Drafts of other documents, filled by the bank's documents mapping (``bank.documents``)."""
ALL_FORMATS = FORMATS + DOCUMENT_FORMATS
EXTENSIONS = {
    "md": ".md",
    "html": ".html",
    "json": ".json",
    "csv": ".csv",
    "actions-csv": "-actions.csv",
    "atrs": "-atrs.md",
    "atrs-json": "-atrs.json",
    "dpia": "-dpia.md",
    "dpia-json": "-dpia.json",
}


def _document_renderer(fmt: str) -> Callable[[Summary, DocumentMap | None], str]:
    if fmt == "atrs":
        from assistant.reports.atrs import render_md

        return render_md
    if fmt == "atrs-json":
        from assistant.reports.atrs import render_json

        return render_json
    if fmt == "dpia-json":
        from assistant.reports.dpia import render_json as dpia_json

        return dpia_json
    from assistant.reports.dpia import render as dpia

    return dpia


def _renderer(fmt: str) -> Callable[[Summary], str]:
    if fmt == "md":
        from assistant.reports.markdown import render as md

        return md
    if fmt == "html":
        from assistant.reports.html import render as html

        return html
    if fmt == "json":
        from assistant.reports.json_report import render as js

        return js
    if fmt == "csv":
        from assistant.reports.csv_report import render as csv

        return csv
    if fmt == "actions-csv":
        from assistant.reports.actions_csv import render as actions

        return actions
    raise ValueError(f"unknown report format {fmt!r} (choose from {', '.join(ALL_FORMATS)})")


def render(summary: Summary, fmt: str, documents: DocumentMap | None = None) -> str:
    """Render ``summary`` in ``fmt`` (one of :data:`ALL_FORMATS`).

    The document drafts (:data:`DOCUMENT_FORMATS`) are filled by ``documents``, the
    bank's mapping (``bank.documents``); without one every field is left to complete.
    """
    if fmt in DOCUMENT_FORMATS:
        return _document_renderer(fmt)(summary, documents)
    return _renderer(fmt)(summary)
