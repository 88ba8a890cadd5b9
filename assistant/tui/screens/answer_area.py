"""The answer area under the conversation: one widget for what is expected now, swapped in place.

A base of :class:`~assistant.tui.screens.chat.ChatScreen`, which owns the conversation and
the keys; this part only draws the list, multi-select or prompt for a :class:`PromptView`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget

from assistant.tui.opening import PromptView
from assistant.tui.text import literal
from assistant.tui.views import prompt_view
from assistant.tui.widgets.answers import ChoiceList, MultiChoice, PromptInput

if TYPE_CHECKING:  # imported once the first screen is painted
    from conversation.core import Conversation


class AnswerArea(Screen[None]):
    conv: Conversation | None
    _choices_widget: Widget | None
    _shown_for: str | None
    """The question the answer widget was drawn for (None: a menu, details, the prompt alone)."""
    _prompt_drawn: int
    """How many times the answer area was drawn: an answer queued on one is never given to another."""
    _prompt_view: PromptView | None

    @property
    def prompt(self) -> PromptInput:
        return self.query_one("#prompt", PromptInput)

    def _toggled(self) -> None:
        """A change to a multi-select: the screen tells the conversation."""

    async def draw_prompt(self) -> None:
        """The answer widget for what the conversation expects now."""
        assert self.conv is not None
        await self._draw_answer_area(prompt_view(self.conv, self.prompt.value))

    async def _draw_answer_area(self, view: PromptView) -> None:
        self._prompt_view = view
        self._prompt_drawn += 1
        answer = self.query_one("#answer", Vertical)
        answer.border_title = Content(f" {literal(view.title)} ") if view.title else None
        answer.set_class(view.turn, "-turn")
        if view.placeholder is not None:
            self.prompt.placeholder = view.placeholder
        if view.value is not None:
            self.prompt.value = view.value
            self.prompt.select_all()  # a recorded answer: Enter keeps it, typing replaces it (not "30" + "409")
        widget: Widget | None = None
        if view.kind == "menu":
            widget = ChoiceList(list(view.choices), classes="choices")
        elif view.kind == "choices":
            initial = view.initial if isinstance(view.initial, str) else None
            widget = ChoiceList(list(view.choices), initial=initial, preselect=False, classes="choices")
        elif view.kind == "multi":
            initial_list = list(view.initial) if isinstance(view.initial, tuple) else None
            widget = MultiChoice(list(view.choices), initial=initial_list, on_toggle=self._toggled, classes="choices")
        await self._replace_choices(widget)

    async def _replace_choices(self, widget: Widget | None) -> None:
        old = self._choices_widget
        self._choices_widget = widget
        self._shown_for = self._question_on_screen()
        # Focus the new widget before the old one goes, so focus never falls back onto the
        # transcript (which would restyle every turn in it).
        typing = self.focused is self.prompt and bool(self.prompt.value)
        if widget is not None:
            await self.query_one("#answer", Vertical).mount(widget, before=self.prompt)
            if not typing:  # never pull the focus away from someone typing ahead
                self.set_focus(widget)
        else:
            self.set_focus(self.prompt)
        if old is not None:
            await old.remove()

    def _question_on_screen(self) -> str | None:
        """The question the conversation asks now (None: a menu, the project's details, nothing yet)."""
        p = self.conv.prompt if self.conv is not None else None
        return p.question.id if p is not None and p.question is not None and p.kind != "menu" else None
