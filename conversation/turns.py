"""What the assistant says, as plain data: turns made of paragraphs and list items of inline text.

A front end renders a :class:`Turn` as it likes (the TUI as Markdown or a plain note,
plain mode as lines of text); it never decides *what* to say. Inline parts keep the
difference between the assistant's emphasis (:class:`Strong`, :class:`Em`), text that
may quote the user or a bank (``str``, always shown literally) and bank-authored
Markdown (:class:`Authored`), so every front end can escape correctly.

New kinds of turn are added to :data:`TurnKind`; a front end that does not know a kind
renders it as an ordinary assistant turn.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

TurnKind = Literal[
    "welcome",
    "notice",
    "heading",
    "question",
    "facilitator",
    "user",
    "acknowledgement",
    "recap",
    "why",
    "help",
    "commands",
    "set_aside",
    "restored",
    "undone",
    "inconsistency",
    "summary",
    "actions",
    "finished",
    "group",
    "spread",
    "error",
]
"""Every kind of turn. ``user`` echoes what the person typed; ``acknowledgement`` is the answer as recorded."""


@dataclass(frozen=True)
class Strong:
    """Text the assistant stresses (shown in bold where the front end can)."""

    text: str


@dataclass(frozen=True)
class Em:
    """A quiet aside (italic where the front end can)."""

    text: str


@dataclass(frozen=True)
class Authored:
    """Markdown written by the bank's authors (question wording, section intros, help)."""

    text: str


Inline = str | Strong | Em | Authored


@dataclass(frozen=True)
class Para:
    """A paragraph; ``tight`` joins it to the one before with a line break instead of a blank line."""

    parts: tuple[Inline, ...]
    tight: bool = False


@dataclass(frozen=True)
class Item:
    """One entry of a bulleted list (consecutive items form one list)."""

    parts: tuple[Inline, ...]


Block = Para | Item


def para(*parts: Inline, tight: bool = False) -> Para:
    return Para(tuple(p for p in parts if p != ""), tight)


def item(*parts: Inline) -> Item:
    return Item(tuple(p for p in parts if p != ""))


@dataclass(frozen=True)
class Turn:
    """One thing the assistant (or, echoed, the user) says."""

    kind: TurnKind
    blocks: tuple[Block, ...] = ()
    rich: bool = True
    """Rich turns may hold bank Markdown and lists; others are one short note (may quote the user)."""
    tone: str = ""
    """A style hint: ``warning``, ``group``, ``participant``..."""
    question_id: str | None = None
    undo: bool = False
    """The turn offers to undo what just happened (a set-aside notice)."""
    final: bool = False
    """For ``summary``: the assessment is finished (not a provisional summary)."""
    extra: dict[str, object] = field(default_factory=dict)
    """Kind-specific data for front ends that show more (e.g. the follow-ups an answer brings)."""

    @property
    def speaker(self) -> Literal["assistant", "user"]:
        return "user" if self.kind in ("user", "acknowledgement") else "assistant"

    def text(self) -> str:
        """The turn as plain text: emphasis dropped, list items as ``- ``; for logs, tests and plain mode."""
        return plain_text(self.blocks)


def inline_text(parts: Sequence[Inline]) -> str:
    return "".join(unmarked(p.text) if isinstance(p, Authored) else p if isinstance(p, str) else p.text for p in parts)


_MARKS = (
    re.compile(r"(?<!\w)(\*\*|__)(?=\S)(.+?)(?<=\S)\1(?!\w)"),
    re.compile(r"(?<![\w*])(\*)(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])"),
    re.compile(r"(?<!\w)(_)(?=[^\s_])(.+?)(?<=[^\s_])_(?!\w)"),
    re.compile(r"(`)([^`\n]+)`"),
)


def unmarked(markdown: str) -> str:
    """Bank Markdown as plain text: emphasis and code marks dropped (``**Ethics** covers`` → ``Ethics covers``)."""
    for pattern in _MARKS:
        markdown = pattern.sub(r"\2", markdown)
    return markdown


def plain_text(blocks: Sequence[Block]) -> str:
    out: list[str] = []
    for b in blocks:
        if isinstance(b, Item):
            text, sep = f"- {inline_text(b.parts)}", "\n"
        else:
            text, sep = inline_text(b.parts), "\n" if b.tight else "\n\n"
        out.append(text if not out else sep + text)
    return "".join(out)


def note(kind: TurnKind, *parts: Inline, tone: str = "", question_id: str | None = None) -> Turn:
    """A one-paragraph plain note."""
    return Turn(kind, (para(*parts),), rich=False, tone=tone, question_id=question_id)


def said(text: str, tone: str = "") -> Turn:
    """What the user typed or chose, echoed."""
    return Turn("user", (para(text),), rich=False, tone=tone)
