"""The summary as JSON: SPEC 3.5, extended only by new keys."""

from __future__ import annotations

from flows.summary import Summary


def render(summary: Summary) -> str:
    return summary.model_dump_json(indent=2) + "\n"
