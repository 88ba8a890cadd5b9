"""Small text helpers shared by the screens: Markdown escaping, plurals and words for ratings."""

from __future__ import annotations

import re

from assistant.reports.text import clean
from conversation.words import RATING_WORDS, plural

__all__ = ["RATING_WORDS", "literal", "md_escape", "plural"]

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~!&])")
_MD_LEADING_MARK = re.compile(r"^([-+#=>])")
_MD_LEADING_NUMBER = re.compile(r"^(\d+)([.)])")


def md_escape(text: str) -> str:
    """Escape user-provided text so that the Markdown widget shows it literally, on one line."""
    one_line = " ".join(clean(str(text)).split())
    escaped = _MD_SPECIAL.sub(r"\\\1", one_line)
    escaped = _MD_LEADING_MARK.sub(r"\\\1", escaped)
    return _MD_LEADING_NUMBER.sub(r"\1\\\2", escaped)


def literal(text: str) -> str:
    """User text made safe to paint: no terminal escapes or control characters (newlines kept)."""
    return clean(text)
