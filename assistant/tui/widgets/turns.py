"""The assistant's turns that carry Markdown (bank-authored text, lists): imported once the first frame is up."""

from __future__ import annotations

from textual.widgets import Markdown


class AssistantTurn(Markdown):
    """The assistant speaking with bank-authored Markdown (or Markdown with user text escaped)."""

    def __init__(self, markdown: str, *, classes: str = "") -> None:
        super().__init__(markdown, classes=f"turn assistant {classes}".strip(), open_links=False)
