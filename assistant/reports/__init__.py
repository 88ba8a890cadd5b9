"""Report renderers: one summary, several formats. Used by ``run``, ``report`` and the TUI."""

from __future__ import annotations

from collections.abc import Callable

from flows.summary import Summary

FORMATS = ("md", "json")


def render(summary: Summary, fmt: str) -> str:
    """Render ``summary`` in ``fmt`` (one of :data:`FORMATS`)."""
    renderers: dict[str, Callable[[Summary], str]]
    from assistant.reports import json_report, markdown

    renderers = {"md": markdown.render, "json": json_report.render}
    try:
        return renderers[fmt](summary)
    except KeyError:
        raise ValueError(f"unknown report format {fmt!r} (choose from {', '.join(FORMATS)})") from None
