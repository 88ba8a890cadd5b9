"""The conversation: a scrolling log of turns anchored to the bottom.

Assistant turns that carry bank text are Markdown; anything that may contain
the user's own words is a Static built from ``Content``, so it is never read as
markup.
"""

from __future__ import annotations

import re

from textual.containers import VerticalScroll
from textual.content import Content
from textual.css.query import NoMatches
from textual.widget import Widget
from textual.widgets import Markdown, Static

from assistant.tui.text import literal


class ChatLog(VerticalScroll):
    """The scrolling transcript; it stays pinned to the newest turn until the user scrolls up.

    Textual lays out every widget in the log on every change, so a log of widgets grows
    slower with each answer (about 5x by the 110th answer of the shipped bank). So only
    the newest turns stay widgets: once there are more than ``KEEP + BATCH``, the oldest
    ``BATCH`` are folded into one plain-text block at the top (:class:`EarlierTurns`),
    still there to scroll back to, and every answer costs the same to draw.
    """

    KEEP = 24
    BATCH = 12

    def on_mount(self) -> None:
        self.anchor()

    async def say(self, *turns: Widget) -> None:
        await self.mount_all(turns)
        await self._fold()
        self.scroll_end(animate=False, immediate=False)

    async def _fold(self) -> None:
        live = [w for w in self.children if w.has_class("turn")]
        if len(live) <= self.KEEP + self.BATCH:
            return
        old = live[: len(live) - self.KEEP]
        try:
            earlier = self.query_one(EarlierTurns)
        except NoMatches:
            earlier = EarlierTurns()
            await self.mount(earlier, before=0)
        earlier.add(old)
        await self.remove_children(old)


def turn_text(turn: Widget) -> str:
    """What a turn says, as plain text (Markdown's emphasis and escapes removed)."""
    if isinstance(turn, Markdown):
        return _ESCAPED.sub(r"\1", turn.source.replace("**", ""))
    if isinstance(turn, Static):
        return str(turn.content)
    return ""


_ESCAPED = re.compile(r"\\([^\w\s])")


class EarlierTurns(Static):
    """The oldest turns of the transcript as one block of text (see :class:`ChatLog`)."""

    def __init__(self) -> None:
        super().__init__("", classes="earlier")
        self._parts: list[Content] = [Content.styled("Earlier in this conversation", "bold")]

    def add(self, turns: list[Widget]) -> None:
        for turn in turns:
            said = literal(turn_text(turn))
            self._parts.append(Content.styled(f"› {said}", "italic") if isinstance(turn, UserTurn) else Content(said))
        self.update(Content("\n\n").join(self._parts))


class AssistantTurn(Markdown):
    """The assistant speaking with bank-authored Markdown (or Markdown with user text escaped)."""

    def __init__(self, markdown: str, *, classes: str = "") -> None:
        super().__init__(markdown, classes=f"turn assistant {classes}".strip(), open_links=False)


class AssistantNote(Static):
    """The assistant speaking plain text that may quote the user (never parsed as markup)."""

    def __init__(self, text: str | Content, *, classes: str = "") -> None:
        content = text if isinstance(text, Content) else Content(literal(text))
        super().__init__(content, classes=f"turn assistant note {classes}".strip())


class UserTurn(Static):
    """What the user answered or typed, shown literally."""

    def __init__(self, text: str, *, classes: str = "") -> None:
        super().__init__(Content(literal(text)), classes=f"turn user {classes}".strip())
