"""The summary as JSON: SPEC 3.5, extended only by new keys."""

from __future__ import annotations

from flows.persistence import json_text
from flows.summary import Summary


def render(summary: Summary) -> str:
    return json_text(summary) + "\n"
