"""Report renderers: one summary, several formats. Used by ``run``, ``report`` and the TUI's export.

``render(summary, fmt)`` returns the whole document as text; ``FORMATS`` lists the
formats and ``EXTENSIONS`` the usual file extension of each.
"""

from __future__ import annotations

from collections.abc import Callable

from flows.summary import Summary

FORMATS = ("md", "html", "json", "csv")
EXTENSIONS = {"md": ".md", "html": ".html", "json": ".json", "csv": ".csv"}


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
    raise ValueError(f"unknown report format {fmt!r} (choose from {', '.join(FORMATS)})")


def render(summary: Summary, fmt: str) -> str:
    """Render ``summary`` in ``fmt`` (one of :data:`FORMATS`)."""
    return _renderer(fmt)(summary)
