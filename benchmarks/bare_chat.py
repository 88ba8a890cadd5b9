"""The baseline for the answer-latency benchmark: a bare Textual chat doing ceder's widget work per answer.

    python benchmarks/bare_chat.py STEPS.json

``STEPS.json`` (written by :mod:`benchmarks.latency`) holds the first question and,
for each step of the same walk ceder is put through, the text of the user's reply and
the next question with its options. On each answer key this app does what a chat
screen must do at the least: append two turns to a scrolling log anchored to its end (the
reply as a ``Static``, the question as ``Markdown``, as ceder shows them), and
replace the answer widget (an ``OptionList`` of the options, or an ``Input`` for a
typed answer). No engine, no saving, no progress panel.

Keys: on a "pick" step a digit answers; on a "multi" step digits are ignored and
Enter answers; on a "typed" step the ``Input`` takes the characters and Enter answers.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Input, Markdown, OptionList, Static


class BareChat(App[None]):
    CSS = """
    #log { height: 1fr; }
    #log > .user { text-align: right; margin: 1 2 0 8; }
    #log > Markdown { margin: 1 8 0 1; }
    #answer { height: auto; max-height: 12; }
    """

    def __init__(self, plan: dict[str, Any]) -> None:
        super().__init__()
        self.first: dict[str, Any] = plan["first"]
        self.steps: list[dict[str, Any]] = plan["steps"]
        self.index = 0
        self.enters = 0
        self.mode = self.first["mode"]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="log"):
            yield Markdown(self.first["text"])
        yield self._answer_widget(self.first)

    def on_mount(self) -> None:
        self.query_one("#log", VerticalScroll).anchor()  # pinned to the newest turn, as a chat log is
        self.query_one("#answer").focus()

    def _answer_widget(self, screen: dict[str, Any]) -> Widget:
        if screen["mode"] == "typed":
            return Input(placeholder="Type an answer", id="answer")
        return OptionList(*[f"{i}  {label}" for i, label in enumerate(screen["options"], 1)], id="answer")

    async def on_key(self, event: events.Key) -> None:
        if self.mode == "pick" and event.character and event.character.isdigit():
            event.stop()
            await self.advance()
        elif self.mode == "multi" and event.key == "enter":
            event.stop()
            self.enters += 1  # as many Enters as the walk types here (two for nothing ticked, as ceder asks)
            if self.index < len(self.steps) and self.enters >= self.steps[self.index]["keys"].count("\r"):
                await self.advance()

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        await self.advance()

    async def advance(self) -> None:
        if self.index >= len(self.steps):
            return
        step = self.steps[self.index]
        self.index += 1
        self.enters = 0
        log = self.query_one("#log", VerticalScroll)
        await log.mount_all([Static(step["echo"], classes="user", markup=False), Markdown(step["text"])])
        log.scroll_end(animate=False, immediate=False)
        await self.query_one("#answer").remove()
        widget = self._answer_widget(step)
        await self.mount(widget)
        widget.focus()
        self.mode = step["mode"]


if __name__ == "__main__":
    BareChat(json.loads(Path(sys.argv[1]).read_text("utf-8"))).run()
