"""Counting words for every sentence ceder writes, in the engine, the conversation and the reports."""

from __future__ import annotations


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 blocker``, ``2 blockers``, ``3 evidence gaps``; ``many`` for irregular plurals."""
    return f"{n} {word if n == 1 else many or word + 's'}"
