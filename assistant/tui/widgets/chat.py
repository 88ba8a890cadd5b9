"""The conversation: a scrolling log of turns anchored to the bottom.

Assistant turns that carry bank text are Markdown; anything that may contain
the user's own words is a Static built from ``Content``, so it is never read as
markup.
"""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Markdown, Static

from assistant.tui.text import literal


class ChatLog(VerticalScroll):
    """The scrolling transcript; it stays pinned to the newest turn until the user scrolls up."""

    def on_mount(self) -> None:
        self.anchor()

    async def say(self, *turns: Markdown | Static) -> None:
        await self.mount_all(turns)
        self.scroll_end(animate=False, immediate=False)


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
