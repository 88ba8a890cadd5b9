"""Answer widgets: a choice list (Enter or a digit picks), a multi-select, and the prompt line.

Typing a letter or ``/`` on a list moves to the prompt, so a typed answer or a
slash command always works, whatever has focus.

On the conversation screen keys do not reach these widgets through Textual's message
queues: the screen hands each key to the focused widget's :meth:`take_key` in the order
the keys arrived, and finishes whatever the key answered (the next question is drawn)
before it looks at the next key. A burst of keys (type-ahead, a paste of "1\\r2\\r") so
answers each question in turn, never a list that is being replaced (see
:meth:`assistant.tui.screens.chat.ChatScreen.take_key`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, NamedTuple

from rich.segment import Segment
from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.strip import Strip
from textual.widgets import Input, OptionList, SelectionList
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection


class Answered(NamedTuple):
    """What a key amounted to when it answered: a pick, a confirmed selection or a submitted line."""

    value: str | list[str]


Taken = Answered | bool
"""What :meth:`take_key` did with a key: answered, used (True), or left to the key bindings (False)."""

MOVES = {"up": "cursor_up", "down": "cursor_down", "home": "first", "end": "last"}
"""Keys that move the highlight in a list, and the list's action for each."""


class Choice(NamedTuple):
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


def _digit_index(widget: OptionList, choices: list[Choice], char: str) -> int | None:
    """The index of the choice the digit labels; a digit that labels none rings the bell."""
    for index, choice in enumerate(choices):
        if choice.digit == char:
            return index
    widget.app.bell()
    return None


def _digit_key(widget: OptionList, choices: list[Choice], event: events.Key) -> int | None:
    """A digit picks the choice it labels (the index returned); a digit that labels none rings the bell.

    Any other key with a character goes to the prompt line, so typing on the options just works.
    """
    char = event.character
    if char is not None and char.isdigit() and widget.screen.focused is widget:
        event.stop()
        event.prevent_default()
        return _digit_index(widget, choices, char)
    _redirect_to_prompt(widget, event)
    return None


def _move(widget: OptionList, key: str) -> bool:
    """Move the highlight for an arrow, Home or End; True if the key was one of those."""
    action = MOVES.get(key)
    if action is None:
        return False
    getattr(widget, f"action_{action}")()
    return True


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


def numbered(items: list[tuple[str, str]]) -> list[Choice]:
    """Choices numbered 1-9 (later ones are picked with the arrows and Enter)."""
    return [Choice(value, label, str(i) if i <= 9 else None) for i, (value, label) in enumerate(items, 1)]


class ChoiceList(OptionList):
    """Single choice: Enter picks the highlighted option, a digit picks its option at once."""

    class Picked(Message):
        def __init__(self, choice_list: ChoiceList, value: str) -> None:
            super().__init__()
            self.choice_list = choice_list
            self.value = value

        @property
        def control(self) -> ChoiceList:
            return self.choice_list

    def __init__(
        self,
        choices: list[Choice],
        *,
        initial: str | None = None,
        preselect: bool = True,
        on_pick: Callable[[str], object] | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """``preselect=False``: nothing is highlighted until an arrow key moves, so a stray Enter picks nothing.

        ``on_pick``: called at once with the value picked (a dialog closing with it), instead of
        posting :class:`Picked`, which a key right behind (Escape) could overtake.
        """
        super().__init__(
            *[Option(c.prompt(), id=c.value) for c in choices], id=id, classes=classes, markup=False, compact=True
        )
        self.choices = choices
        self._on_pick = on_pick
        found = next((i for i, c in enumerate(choices) if c.value == initial), None)
        self._initial = found if found is not None or not preselect else 0

    def on_mount(self) -> None:
        self.highlighted = self._initial

    def on_key(self, event: events.Key) -> None:
        picked = _digit_key(self, self.choices, event)
        if picked is not None:
            self.highlighted = picked
            self._pick(self.choices[picked].value)

    def _pick(self, value: str) -> None:
        if self._on_pick is not None:
            self._on_pick(value)
        else:
            self.post_message(self.Picked(self, value))

    def action_select(self) -> None:
        """Enter (or a click) picks the highlighted choice."""
        if self.highlighted is not None and self.highlighted < len(self.choices):
            self._pick(self.choices[self.highlighted].value)

    def take_key(self, event: events.Key) -> Taken:
        """A key handled at once (see the module's docstring): a digit or Enter answers; arrows move."""
        char = event.character
        if char is not None and char.isdigit():
            picked = _digit_index(self, self.choices, char)
            if picked is None:
                return True
            self.highlighted = picked
            return Answered(self.choices[picked].value)
        if event.key == "enter":  # nothing highlighted yet (no arrow moved): a stray Enter picks nothing
            return True if self.highlighted is None else Answered(self.choices[self.highlighted].value)
        return _move(self, event.key) or _redirect_to_prompt(self, event)

    def on_paste(self, event: events.Paste) -> None:
        _paste_to_prompt(self, event)


class MultiChoice(SelectionList[str]):
    """Multi-select: Space or a digit toggles, Enter confirms the selection."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "confirm", "Confirm", show=False)]

    class Confirmed(Message):
        def __init__(self, multi_choice: MultiChoice, values: list[str]) -> None:
            super().__init__()
            self.multi_choice = multi_choice
            self.values = values

        @property
        def control(self) -> MultiChoice:
            return self.multi_choice

    def __init__(
        self,
        choices: list[Choice],
        *,
        initial: list[str] | None = None,
        on_toggle: Callable[[], None] | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """``on_toggle``: told at once of each change the person makes (the conversation's ``toggled``)."""
        chosen = set(initial or [])
        super().__init__(
            *[Selection(c.prompt(), c.value, c.value in chosen) for c in choices],
            id=id,
            classes=classes,
            compact=True,
        )
        self.choices = choices
        self._exclusive = {c.value for c in choices if c.exclusive}
        self._on_toggle = on_toggle

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

    def take_key(self, event: events.Key) -> Taken:
        """A key handled at once: a digit or Space toggles, Enter confirms, arrows move."""
        char = event.character
        index: int | None = None
        if char is not None and char.isdigit():
            index = _digit_index(self, self.choices, char)
            if index is None:
                return True
        elif event.key == "space":
            if self.highlighted is None:
                return True
            index = self.highlighted
        elif event.key == "enter":
            order = [c.value for c in self.choices]
            return Answered(sorted(self.selected, key=order.index))
        else:
            return _move(self, event.key) or _redirect_to_prompt(self, event)
        self.highlighted = index
        value = self.choices[index].value
        if value in self.selected:  # select/deselect, not toggle: no message to arrive after the next key
            self.deselect(value)
        else:
            self.select(value)
        self._keep_exclusive(value)
        if self._on_toggle is not None:
            self._on_toggle()
        return True

    def _on_selection_list_selection_toggled(self, event: SelectionList.SelectionToggled[str]) -> None:
        self._keep_exclusive(event.selection.value)
        if self._on_toggle is not None:  # a click
            self._on_toggle()

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
        if event.key in ("up", "escape") and self._back_to_choices():
            event.stop()
            event.prevent_default()

    def _back_to_choices(self) -> bool:
        if self.value:
            return False
        found = self.screen.query(".choices")
        target = found.first() if found else None
        if target is None or not target.focusable:
            return False
        self.screen.set_focus(target)
        return True

    def take_key(self, event: events.Key) -> Taken:
        """A key handled at once: a character is typed, Enter sends the line (and empties it)."""
        if event.is_printable and event.character is not None:
            self.paste_text(event.character)
            return True
        if event.key == "enter":
            line, self.value = self.value, ""
            return Answered(line)
        if event.key in ("up", "escape"):
            return self._back_to_choices()
        return False

    def paste_text(self, text: str) -> None:
        """Type ``text`` at the cursor, over any selection (as Textual's Input does with a key)."""
        selection = self.selection
        if selection.is_empty:
            self.insert_text_at_cursor(text)
        else:
            self.replace(text, *selection)
