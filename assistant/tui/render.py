"""Turns of the conversation as widgets: rich turns as Markdown, notes and the user's words as literal text."""

from __future__ import annotations

import re
from collections.abc import Sequence

from textual.content import Content
from textual.widget import Widget

from assistant.tui.text import literal, md_escape
from assistant.tui.widgets.chat import AssistantNote, PaintedTurn, UserTurn
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


_MARKDOWN = re.compile(r"[*_`\[\]<>#\\&|~!=\n\t\r]|  |://|www\.|@|\.\w|^\s|^(?:[-+]|\d+[.)])|\s$")
"""Anything in bank-authored text that Markdown might draw differently from the text itself (kept wide)."""


def plain(authored: Authored) -> bool:
    """Bank-authored Markdown that is plain text: one line, no syntax, nothing a link could be made of."""
    return not _MARKDOWN.search(authored.text)


def painted(turn: Turn) -> Content | None:
    """A rich turn as :class:`PaintedTurn` shows it, as the Markdown widget would: paragraphs apart (``tight``:
    on the next line), the assistant's emphasis, a question's first paragraph in bold. None when it holds
    what only Markdown draws (lists, bank-authored text with any Markdown syntax: :func:`plain`)."""
    pieces: list[str | tuple[str, str]] = []
    first = True  # Markdown's first paragraph: the first block and the tight ones joined to it
    for i, b in enumerate(turn.blocks):
        if isinstance(b, Item) or any(isinstance(p, Authored) and not plain(p) for p in b.parts):
            return None
        if i:
            pieces.append("\n" if b.tight else "\n\n")
        first = i == 0 or (first and b.tight)
        strong = turn.kind == "question" and first
        for p in b.parts:
            styles = ("bold" if strong or isinstance(p, Strong) else "", "italic" if isinstance(p, Em) else "")
            style = " ".join(s for s in styles if s)
            text = _spaced(p if isinstance(p, str) else p.text)
            pieces.append((text, style) if style else text)
    return Content.assemble(*pieces)


def _spaced(raw: str) -> str:
    """``raw`` on one line with its runs of spaces as one, as Markdown shows a paragraph's text."""
    text = " ".join(literal(raw).split())
    lead = " " if raw[:1].isspace() else ""
    tail = " " if raw[-1:].isspace() and text else ""
    return f"{lead}{text}{tail}"


def widget_for(turn: Turn) -> Widget:
    """The widget for ``turn``: a rich turn without Markdown syntax is one Static (:func:`painted`), not the
    Markdown widget, whose blocks are mounted a message later and laid out one by one (the same cells:
    ``tests/tui/test_painted_turns.py``); that also paints a new session's first screen before Markdown loads."""
    classes = " ".join(c for c in (CLASSES.get(turn.kind, ""), turn.tone) if c)
    if turn.speaker == "user":
        return UserTurn(turn.text(), classes=classes)
    if not turn.rich:
        return AssistantNote(content(turn.blocks), classes=classes)
    text = painted(turn)
    if text is not None:
        return PaintedTurn(text, classes=classes)
    from assistant.tui.widgets.turns import AssistantTurn  # Markdown: loaded behind the first frame

    return AssistantTurn(markdown(turn.blocks), classes=classes)
