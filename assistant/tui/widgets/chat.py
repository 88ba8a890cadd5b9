"""The conversation: a scrolling log of turns anchored to the bottom.

Assistant turns that carry bank text are Markdown; anything that may contain
the user's own words is a Static built from ``Content``, so it is never read as
markup.
"""

from __future__ import annotations

import re
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.css.query import NoMatches
from textual.widget import Widget
from textual.widgets import Static

from assistant.tui.text import literal


class ChatLog(VerticalScroll):
    """The scrolling transcript; it stays pinned to the newest turn until the user scrolls up.

    Textual lays out every widget in the log on every change, so a log of widgets grows
    slower with each answer (5-8x by the 110th answer of the shipped bank; a recap alone
    is dozens of widgets). So only the newest turns stay widgets: once the log holds more
    than ``MOST`` widgets, the oldest turns are folded, down to ``FOLD_TO`` widgets but
    never fewer than ``NEWEST`` turns, into one line at the top (:class:`EarlierTurns`)
    that opens to show them all as text; every answer then costs about the same to draw.
    """

    MOST = 110
    FOLD_TO = 70
    NEWEST = 6

    def on_mount(self) -> None:
        # Anchored before its first layout, the log is scrolled by its unknown height and its first
        # frame is empty (the turns show one frame later); the CSS keeps short content at the bottom
        # meanwhile, where anchoring puts it, so the first frame already shows the newest turn.
        self.call_after_refresh(self.anchor)

    async def say(self, *turns: Widget) -> None:
        await self.mount_all(turns)
        await self._fold()
        self.scroll_end(animate=False, immediate=False)

    async def _fold(self) -> None:
        live = [w for w in self.children if w.has_class("turn")]
        weights = [1 + len(w.walk_children()) for w in live]
        total = sum(weights)
        if total <= self.MOST:
            return
        count = 0
        while total > self.FOLD_TO and len(live) - count > self.NEWEST:
            total -= weights[count]
            count += 1
        old = live[:count]
        try:
            earlier = self.query_one(EarlierTurns)
        except NoMatches:
            earlier = EarlierTurns()
            await self.mount(earlier, before=0)
        earlier.add(old)
        await self.remove_children(old)


def turn_text(turn: Widget) -> str:
    """What a turn says, as plain text (Markdown's emphasis and escapes removed)."""
    source = getattr(turn, "source", None)  # a Markdown turn (not imported here: see PaintedTurn)
    if isinstance(source, str):
        return _ESCAPED.sub(r"\1", source.replace("**", ""))
    if isinstance(turn, Static):
        return str(turn.content)
    return ""


_ESCAPED = re.compile(r"\\([^\w\s])")


class EarlierTurns(Static, can_focus=True):
    """The oldest turns of the transcript, folded (see :class:`ChatLog`): one line until opened.

    Folded, it costs one line of layout whatever its length; opened (a click, or Enter
    when focused), it shows every folded turn as plain text, the user's in italics.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter,space", "fold", "Show or hide", show=False)]

    def __init__(self) -> None:
        super().__init__("", classes="earlier")
        self._parts: list[Content] = []
        self.count = 0
        self.expanded = False

    @property
    def text(self) -> str:
        """Every folded turn, in order, as plain text."""
        return "\n\n".join(str(p) for p in self._parts)

    def add(self, turns: list[Widget]) -> None:
        for turn in turns:
            said = literal(turn_text(turn))
            self._parts.append(Content.styled(f"› {said}", "italic") if isinstance(turn, UserTurn) else Content(said))
        self.count += len(turns)
        self._draw()

    def action_fold(self) -> None:
        self.expanded = not self.expanded
        self._draw()

    def on_click(self) -> None:
        self.action_fold()

    def _draw(self) -> None:
        if not self.expanded:
            self.update(Content.styled(f"▸ {self.count} earlier turns (click or Enter to show them)", "bold"))
            return
        head = Content.styled(f"▾ {self.count} earlier turns (click or Enter to hide them)", "bold")
        self.update(Content("\n\n").join([head, *self._parts]))


class PaintedTurn(Static):
    """An assistant turn without Markdown syntax (see :func:`assistant.tui.render.painted`).

    The assistant's own words with its emphasis, and bank wording that is plain text, drawn as
    :class:`~assistant.tui.widgets.turns.AssistantTurn` draws them, without the Markdown widget: a new
    session's first screen is painted before the Markdown parser is imported (about 20 ms), and each
    answer mounts and lays out one widget for a question, not a Markdown widget and its blocks.
    """

    def __init__(self, text: Content, *, classes: str = "") -> None:
        super().__init__(text, classes=f"turn assistant painted {classes}".strip())


class AssistantNote(Static):
    """The assistant speaking plain text that may quote the user (never parsed as markup)."""

    def __init__(self, text: str | Content, *, classes: str = "") -> None:
        content = text if isinstance(text, Content) else Content(literal(text))
        super().__init__(content, classes=f"turn assistant note {classes}".strip())


class UserTurn(Static):
    """What the user answered or typed, shown literally."""

    def __init__(self, text: str, *, classes: str = "") -> None:
        super().__init__(Content(literal(text)), classes=f"turn user {classes}".strip())
