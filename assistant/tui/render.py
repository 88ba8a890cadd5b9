"""Turns of the conversation as widgets: rich turns as Markdown, notes and the user's words as literal text."""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.widget import Widget

from assistant.tui.text import literal, md_escape
from assistant.tui.widgets.chat import AssistantNote, AssistantTurn, UserTurn
from conversation.turns import Authored, Block, Em, Inline, Item, Strong, Turn

CLASSES = {
    "heading": "dimension",
    "question": "question",
    "recap": "recap",
    "why": "why",
    "help": "help",
    "set_aside": "warning",
    "spread": "spread",
    "facilitator": "facilitator",
    "group": "group",
}
"""Each kind's style class in ceder.tcss."""


def inline_markdown(parts: Sequence[Inline]) -> str:
    out = []
    for p in parts:
        if isinstance(p, Strong):
            out.append(f"**{md_escape(p.text)}**")
        elif isinstance(p, Em):
            out.append(f"*{md_escape(p.text)}*")
        elif isinstance(p, Authored):
            out.append(p.text)
        else:
            out.append(_escaped(p))
    return "".join(out)


def _escaped(text: str) -> str:
    """``text`` escaped for Markdown, keeping the spaces at its ends (it sits between other parts)."""
    if not text.strip():
        return " " if text else ""
    lead = " " if text[0].isspace() else ""
    tail = " " if text[-1].isspace() else ""
    return f"{lead}{md_escape(text)}{tail}"


def markdown(blocks: Sequence[Block]) -> str:
    out: list[str] = []
    previous: Block | None = None
    for b in blocks:
        text = inline_markdown(b.parts)
        if isinstance(b, Item):
            text, sep = f"- {text}", "\n" if isinstance(previous, Item) else "\n\n"
        else:
            sep = "  \n" if b.tight else "\n\n"
        out.append(text if not out else sep + text)
        previous = b
    return "".join(out)


def content(blocks: Sequence[Block]) -> Content:
    """A note's text, literal, with the assistant's emphasis in bold."""
    pieces: list[str | tuple[str, str]] = []
    for i, b in enumerate(blocks):
        if i:
            pieces.append("\n")
        if isinstance(b, Item):
            pieces.append("• ")
        for p in b.parts:
            text = " ".join(literal(p if isinstance(p, str) else p.text).split(" "))
            pieces.append((text, "bold") if isinstance(p, Strong) else text)
    return Content.assemble(*pieces)


def widget_for(turn: Turn) -> Widget:
    classes = " ".join(c for c in (CLASSES.get(turn.kind, ""), turn.tone) if c)
    if turn.speaker == "user":
        return UserTurn(turn.text(), classes=classes)
    if not turn.rich:
        return AssistantNote(content(turn.blocks), classes=classes)
    return AssistantTurn(markdown(turn.blocks), classes=classes)
