"""Answer widgets: a choice list (Enter or a digit picks), a multi-select, and the prompt line.

Typing a letter or ``/`` on a list moves to the prompt, so a typed answer or a
slash command always works, whatever has focus.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.strip import Strip
from textual.widgets import Input, OptionList, SelectionList
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection


@dataclass(frozen=True)
class Choice:
    """One pickable line: the value it stands for, its label, and the digit that picks it (if any)."""

    value: str
    label: str
    digit: str | None = None
    exclusive: bool = False
    number: str | None = None
    """The number to type for it, when no single digit key picks it (the tenth option: 10)."""

    def prompt(self) -> Content:
        key = self.digit or self.number or ""
        return Content.assemble((f"{key:<2}", "bold"), " ", self.label)


def _digit_key(widget: OptionList, choices: list[Choice], event: events.Key) -> int | None:
    """A digit picks the choice it labels (the index returned); a digit that labels none rings the bell.

    Any other key with a character goes to the prompt line, so typing on the options just works.
    """
    char = event.character
    if char is not None and char.isdigit() and widget.screen.focused is widget:
        event.stop()
        event.prevent_default()
        for index, choice in enumerate(choices):
            if choice.digit == char:
                return index
        widget.app.bell()
        return None
    _redirect_to_prompt(widget, event)
    return None


def _redirect_to_prompt(widget: OptionList, event: events.Key) -> bool:
    """Send a printable key to the prompt line; True if it was sent."""
    moved_on = widget.screen.focused is not widget  # keys queued before focus went to the prompt
    if event.character is None or not event.is_printable or (event.character in " \t" and not moved_on):
        return False
    found = widget.screen.query("#prompt")
    if not found:
        return False
    prompt = found.first(Input)
    event.stop()
    event.prevent_default()
    widget.screen.set_focus(prompt)  # at once, so fast typing or a paste keeps going to the prompt
    prompt.insert_text_at_cursor(event.character)
    return True


def _paste_to_prompt(widget: OptionList, event: events.Paste) -> None:
    found = widget.screen.query("#prompt")
    if found:
        event.stop()
        prompt = found.first(Input)
        widget.screen.set_focus(prompt)
        prompt.insert_text_at_cursor(" ".join(event.text.splitlines()))


class ChoiceList(OptionList):
    """Single choice: Enter picks the highlighted option, a digit picks its option at once."""

    @dataclass
    class Picked(Message):
        choice_list: ChoiceList
        value: str

        @property
        def control(self) -> ChoiceList:
            return self.choice_list

    def __init__(
        self,
        choices: list[Choice],
        *,
        initial: str | None = None,
        preselect: bool = True,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """``preselect=False``: nothing is highlighted until an arrow key moves, so a stray Enter picks nothing."""
        super().__init__(
            *[Option(c.prompt(), id=c.value) for c in choices], id=id, classes=classes, markup=False, compact=True
        )
        self.choices = choices
        found = next((i for i, c in enumerate(choices) if c.value == initial), None)
        self._initial = found if found is not None or not preselect else 0

    def on_mount(self) -> None:
        self.highlighted = self._initial

    def on_key(self, event: events.Key) -> None:
        picked = _digit_key(self, self.choices, event)
        if picked is not None:
            self.highlighted = picked
            self.post_message(self.Picked(self, self.choices[picked].value))

    def on_paste(self, event: events.Paste) -> None:
        _paste_to_prompt(self, event)

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id is not None:
            self.post_message(self.Picked(self, event.option_id))


class MultiChoice(SelectionList[str]):
    """Multi-select: Space or a digit toggles, Enter confirms the selection."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "confirm", "Confirm", show=False)]

    @dataclass
    class Confirmed(Message):
        multi_choice: MultiChoice
        values: list[str]

        @property
        def control(self) -> MultiChoice:
            return self.multi_choice

    def __init__(
        self,
        choices: list[Choice],
        *,
        initial: list[str] | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        chosen = set(initial or [])
        super().__init__(
            *[Selection(c.prompt(), c.value, c.value in chosen) for c in choices],
            id=id,
            classes=classes,
            compact=True,
        )
        self.choices = choices
        self._exclusive = {c.value for c in choices if c.exclusive}

    def on_mount(self) -> None:
        self.highlighted = 0

    def render_line(self, y: int) -> Strip:
        """An unticked box is drawn empty: Textual marks ticks by colour alone, lost in monochrome or print."""
        strip = super().render_line(y)
        segments = list(strip)
        index = self.scroll_offset.y + y
        if (
            index < self.option_count
            and len(segments) > 3  # SelectionList draws: left edge, inner mark, right edge, space, prompt
            and self.get_option_at_index(index).value not in self.selected
        ):
            segments[1] = Segment(" " * segments[1].cell_length, segments[1].style)
            return Strip(segments, strip.cell_length)
        return strip

    def on_key(self, event: events.Key) -> None:
        picked = _digit_key(self, self.choices, event)
        if picked is not None:
            self.highlighted = picked
            self.toggle(self.choices[picked].value)
            self._keep_exclusive(self.choices[picked].value)

    def on_paste(self, event: events.Paste) -> None:
        _paste_to_prompt(self, event)

    def _on_selection_list_selection_toggled(self, event: SelectionList.SelectionToggled[str]) -> None:
        self._keep_exclusive(event.selection.value)

    def _keep_exclusive(self, value: str) -> None:
        """An exclusive option ("none of these") is chosen alone."""
        if value not in self.selected:
            return
        others = [v for v in self.selected if v != value]
        if value in self._exclusive:
            for other in others:
                self.deselect(other)
        else:
            for other in others:
                if other in self._exclusive:
                    self.deselect(other)

    def action_confirm(self) -> None:
        order = [c.value for c in self.choices]
        self.post_message(self.Confirmed(self, sorted(self.selected, key=order.index)))


class PromptInput(Input):
    """The line for typed answers and /commands; Up or Escape returns to the choices.

    It empties itself as it sends, so whatever is typed next is never lost, however busy the app is.
    """

    def __init__(self, *, placeholder: str = "", id: str | None = None) -> None:
        # No select-all on focus: a key typed on the choices is carried over, and must not be replaced.
        super().__init__(placeholder=placeholder, id=id, select_on_focus=False)

    async def action_submit(self) -> None:
        await super().action_submit()
        self.value = ""

    def on_key(self, event: events.Key) -> None:
        if event.key in ("up", "escape") and not self.value:
            found = self.screen.query(".choices")
            target = found.first() if found else None
            if target is not None and target.focusable:
                event.stop()
                event.prevent_default()
                self.screen.set_focus(target)
