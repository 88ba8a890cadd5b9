"""Group mode's pieces that only the full-screen app has: the tally dialog, and the summary's disagreements.

The turn-taking itself is in :mod:`conversation.grouping`, shared with plain mode.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from assistant.tui.screens.dialogs import LineInput
from assistant.tui.screens.once import AnswersOnce
from assistant.tui.text import literal, md_escape
from flows.matching import whole_number
from question_banks.schema import Question

if TYPE_CHECKING:
    from flows.group import Spread


def disagreements_markdown(spreads: Sequence[Spread]) -> str:
    """Where the group disagreed, widest first: the group's answer and who said what."""
    lines = [f"### Where the group disagreed ({len(spreads)})\n"]
    for s in spreads:
        apart = f", {s.spread:g} points apart" if s.spread else ""
        settled = f" The group settled on **{md_escape(s.settled)}**{apart}." if s.settled else ""
        said = "; ".join(f"{md_escape(g.label)}: {', '.join(md_escape(w) for w in g.sources)}" for g in s.groups)
        lines.append(f"- *{md_escape(s.question_id)}* {md_escape(' '.join(s.text.split()))}{settled} ({said})")
    return "\n".join(lines)


class TallyDialog(AnswersOnce[dict[str, int] | None], ModalScreen[dict[str, int] | None]):
    """How many people chose each option; Enter records, Escape cancels (once: see AnswersOnce)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: Question, text: str) -> None:
        super().__init__(classes="dialog")
        self.question = question
        self.text = text

    def compose(self) -> ComposeResult:
        from textual.validation import Integer

        with Vertical(classes="dialog-box"):
            yield Static(Content("A tally: how many chose each answer?"), classes="dialog-title")
            yield Static(Content(" ".join(literal(self.text).split())), classes="dialog-body")
            for i, option in enumerate(self.question.options):
                with Horizontal(classes="tally-row"):
                    yield LineInput(
                        on_submit=self._record,
                        placeholder="0",
                        type="integer",
                        validators=[Integer(minimum=0, maximum=9999)],
                        id=f"tally-{i}",
                        classes="tally-count",
                    )
                    yield Static(Content(literal(option.label)), classes="tally-label")
            yield Static(Content("Tab moves on · Enter records the tally · Escape cancels"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#tally-0", Input).focus()

    def counts(self) -> dict[str, int] | None:
        out: dict[str, int] = {}
        for i, option in enumerate(self.question.options):
            raw = self.query_one(f"#tally-{i}", Input).value.strip()
            if not raw:
                continue
            count = whole_number(raw)
            if count is None:
                return None
            out[option.id] = count
        return out

    def _record(self, _: str) -> None:
        """Enter in any count: record the tally, if it is one."""
        counts = self.counts()
        if counts is None:
            self.notify("Counts are whole numbers (or empty for none).", severity="warning", markup=False)
            return
        if sum(counts.values()) == 0:
            self.notify("Enter at least one count.", severity="warning", markup=False)
            return
        self.dismiss(counts)

    def action_cancel(self) -> None:
        self.dismiss(None)
