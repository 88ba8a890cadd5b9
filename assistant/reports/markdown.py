"""The summary as Markdown that reads well in common viewers (GitHub, VS Code, pandoc) and as plain text.

Every piece of user or bank text is escaped (see :mod:`assistant.reports.text`):
no note can add a link, an image, raw HTML, emphasis or a table cell.
"""

from __future__ import annotations

from assistant.reports.templating import md_env, version
from assistant.reports.text import MdSafe
from assistant.reports.view import ReportView, build_view
from flows.summary import Summary


def bar(percent: float | None, cells: int = 10) -> MdSafe:
    """A text bar such as ``██████░░░░`` for a 0-100 share."""
    if percent is None:
        return MdSafe("░" * cells)
    full = round(max(0.0, min(100.0, percent)) / 100 * cells)
    return MdSafe("█" * full + "░" * (cells - full))


def draft_text(view: ReportView) -> str:
    text = "This assessment is not finished"
    if view.not_reached:
        n = view.not_reached
        text += (
            f": {n} question{'s' if n != 1 else ''} not yet reached {'are' if n != 1 else 'is'} counted as unanswered"
        )
    return text + ". Finish it before relying on the verdict."


def render(summary: Summary) -> str:
    view = build_view(summary)
    text = (
        md_env()
        .get_template("report.md.j2")
        .render(
            v=view,
            bars={d.id: bar(d.percent) for d in view.dimensions},
            draft_text=draft_text(view),
            version=version(),
        )
    )
    # Collapse the blank-line runs that template control flow leaves behind.
    lines: list[str] = []
    for line in text.splitlines():
        if not line.strip() and lines and not lines[-1].strip():
            continue
        lines.append(line.rstrip() if not line.endswith("  ") or not line.strip() else line)
    return "\n".join(lines).strip() + "\n"
