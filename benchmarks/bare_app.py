"""The baseline for the start-up benchmark: the smallest Textual app that shows a line of text.

A minimal :class:`textual.app.App` whose screen holds one ``Static``; the
benchmark stops the clock when its text appears in the terminal, as it does
for ceder's first question.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Static

MARKER = "Bare Textual app: first frame"


class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Static(MARKER)


if __name__ == "__main__":
    BareApp().run()
