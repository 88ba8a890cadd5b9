"""Small modal dialogs. Each is keyboard driven: Enter picks or saves, Escape cancels."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static
from textual.widgets.option_list import Option

from assistant.tui.screens.once import AnswersOnce
from assistant.tui.widgets.answers import Choice, ChoiceList, numbered

__all__ = ["ChoiceDialog", "LineInput", "TextDialog", "numbered"]


class _Dialog(AnswersOnce[str | None], ModalScreen[str | None]):
    """A small dialog; like every screen that closes with an answer, it answers once (see AnswersOnce)."""

    CSS_PATH = "dialogs.tcss"
    """Parsed when the first dialog opens, not at start-up."""


class LineInput(Input):
    """A line whose Enter answers at once (``on_submit``), so an Escape right behind it cannot overtake it.

    Textual's Input posts a Submitted message, which arrives after an Escape pressed in the
    same instant has already cancelled the dialog.
    """

    def __init__(self, value: str = "", *, on_submit: Callable[[str], object], **kwargs: Any) -> None:
        super().__init__(value, **kwargs)
        self._on_submit = on_submit

    async def action_submit(self) -> None:
        self._on_submit(self.value)


class ChoiceDialog(_Dialog):
    """A question with a short list of answers; Enter or a digit picks, Escape cancels (None)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self, title: str, choices: list[Choice], *, body: str | Content = "", initial: str | None = None
    ) -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.body = body
        self.choices = choices
        self.initial = initial

    FILTER_FROM = 10
    """From this many choices the dialog has a line to type into, which narrows the list."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(Content(self.title_text), classes="dialog-title")
            if self.body:
                body = self.body if isinstance(self.body, Content) else Content(self.body)
                yield Static(body, classes="dialog-body")
            if len(self.choices) >= self.FILTER_FROM:
                # id "prompt": letters typed on the list go here (see answers._redirect_to_prompt)
                yield LineInput(
                    placeholder="Type to narrow the list · ↓ to the list",
                    on_submit=self._filter_enter,
                    id="prompt",
                    classes="dialog-filter",
                )
            yield ChoiceList(self.choices, initial=self.initial, on_pick=self.dismiss, id="dialog-choices")

    def on_mount(self) -> None:
        self.query_one(ChoiceList).focus()

    @on(Input.Changed, ".dialog-filter")
    def _narrow(self, event: Input.Changed) -> None:
        """Keep the choices whose label holds every typed word."""
        event.stop()
        words = event.value.lower().split()
        shown = [c for c in self.choices if all(w in c.label.lower() for w in words)]
        old = self.query_one(ChoiceList)
        old.choices = shown
        old.clear_options()
        old.add_options([Option(c.prompt(), id=c.value) for c in shown])
        old.highlighted = 0 if shown else None

    def _filter_enter(self, _: str) -> None:
        found = self.query_one(ChoiceList)
        if found.choices:
            index = found.highlighted or 0
            self.dismiss(found.choices[index].value)

    def on_key(self, event: events.Key) -> None:
        if event.key == "down" and isinstance(self.focused, Input) and self.focused.has_class("dialog-filter"):
            event.stop()
            self.query_one(ChoiceList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)


class TextDialog(_Dialog):
    """One line of text (a note, a project name); Enter saves, Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, *, body: str = "", value: str = "", placeholder: str = "") -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.body = body
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(Content(self.title_text), classes="dialog-title")
            if self.body:
                yield Static(Content(self.body), classes="dialog-body")
            yield LineInput(self.value, placeholder=self.placeholder, on_submit=self.dismiss, id="dialog-input")
            yield Static(Content("Enter saves · Escape cancels"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
