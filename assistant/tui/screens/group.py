"""Group mode in the full-screen app: each participant's answer in turn, the spread, then the group's answer.

The chat screen keeps one :class:`GroupRound` per question while the answers come in;
this module holds that state, the words for the spread and for where the group
disagreed, the dialog for a tally, and the parsing of participants' names. Everything
is recorded through the engine (``Assessment.answer(value, by=...)``), as plain mode does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from assistant.tui.text import literal, md_escape, plural
from flows.verdict import answer_label
from question_banks.conditions import AnswerValue
from question_banks.schema import Bank, Question

if TYPE_CHECKING:
    from flows import Assessment
    from flows.group import Spread

# flows.group and textual.validation are imported where they are used: group mode is
# rare, and the chat screen (which imports this module) is on the start-up path.

TALLY_KINDS = ("single", "scale")
"""Question kinds a tally can be taken for (one option per person)."""


def parse_names(text: str) -> list[str]:
    """Participants' names from ``"analyst, DPO,ops lead"``: trimmed, blanks and repeats dropped, order kept."""
    names = (" ".join(part.split()) for part in text.split(","))
    return list(dict.fromkeys(n for n in names if n))


def group_problem(names: Sequence[str]) -> str | None:
    """Why these names cannot make a group, or None."""
    if len(names) < 2:
        return 'Group mode needs at least two names, separated by commas (e.g. "analyst, DPO, ops lead").'
    return None


@dataclass
class GroupRound:
    """The answers collected so far for one question."""

    question_id: str
    participants: list[str]
    replies: dict[str, AnswerValue] = field(default_factory=dict)
    """Each participant's answer (or, for a tally, each count's key and its option)."""
    index: int = 0
    """Whose turn it is (an index into ``participants``)."""
    settling: bool = False
    """All have answered and they differ: the group now settles on its answer."""
    tally: dict[str, int] = field(default_factory=dict)
    """For a tally: how many people each key in ``replies`` stands for."""

    @property
    def current(self) -> str:
        return self.participants[min(self.index, len(self.participants) - 1)]

    @property
    def collecting(self) -> bool:
        return not self.settling

    def take(self, value: AnswerValue) -> None:
        self.replies[self.current] = value
        self.index += 1

    @property
    def complete(self) -> bool:
        return self.index >= len(self.participants)

    def undo_one(self) -> bool:
        """Go back to the previous participant (or from settling to the last one); False at the first."""
        if self.tally:
            self.replies.clear()
            self.tally.clear()
            self.settling = False
            self.index = 0
            return True
        if self.settling:
            self.settling = False
        if self.index == 0:
            return False
        self.index -= 1
        self.replies.pop(self.participants[self.index], None)
        return True


def tally_replies(question: Question, counts: Mapping[str, int]) -> tuple[dict[str, AnswerValue], dict[str, int]]:
    """A tally (option id to how many chose it) as participants' answers: one key per option, e.g. ``3 votes``."""
    replies: dict[str, AnswerValue] = {}
    weights: dict[str, int] = {}
    for option in question.options:
        n = counts.get(option.id, 0)
        if n <= 0:
            continue
        key = plural(n, "vote")
        k = 2
        while key in replies:
            key = f"{plural(n, 'vote')} ({k})"
            k += 1
        replies[key] = option.id
        weights[key] = n
    return replies, weights


def spread(bank: Bank, question: Question, replies: Mapping[str, AnswerValue]) -> Spread:
    from flows.group import opinion, record_for, spread_of

    dim = bank.dimension_of[question.id]
    opinions = [opinion(question, dim, who, record_for(value), True) for who, value in replies.items()]
    return spread_of(bank, question.id, opinions)


def majority(bank: Bank, question: Question, r: GroupRound) -> AnswerValue | None:
    """The answer most people gave (ties: the first given), leaving out "don't know" and skip; None if none."""
    if r.tally:
        best = max(r.tally, key=lambda key: r.tally[key])
        return r.replies[best]
    for g in spread(bank, question, r.replies).groups:
        if g.status == "answered" and g.value is not None:
            return g.value
    return None


def reply_label(question: Question, value: AnswerValue) -> str:
    from flows.group import record_for

    return answer_label(question, record_for(value))


def _points(points: float | None, dimension: str) -> str:
    if points is None:
        return ""
    unit = "risk point" if dimension == "complexity" else "point"
    return f" ({plural(int(points), unit) if float(points).is_integer() else f'{points:g} {unit}s'})"


def spread_markdown(bank: Bank, question: Question, r: GroupRound) -> str:
    """Who said what, most common answer first, with the points each would earn, and the range."""
    s = spread(bank, question, r.replies)
    dim = s.dimension
    if r.tally:
        total = sum(r.tally.values())
        lines = [f"**The room is divided** ({plural(total, 'vote')}):\n"]
        by_votes = sorted(s.groups, key=lambda g: -sum(r.tally[k] for k in g.sources))
        for g in by_votes:
            votes = sum(r.tally[k] for k in g.sources)
            lines.append(f"- **{md_escape(g.label)}**{_points(g.points, dim)}: {plural(votes, 'vote')}")
    else:
        lines = ["**The answers differ:**\n"]
        for g in s.groups:
            who = ", ".join(md_escape(w) for w in g.sources)
            lines.append(f"- **{md_escape(g.label)}**{_points(g.points, dim)}: {who}")
    if s.spread:
        lines.append(f"\nThey are {s.spread:g} points apart.")
    if s.value_range is not None and s.value_range[0] != s.value_range[1]:
        lo, hi = s.value_range
        lines.append(f"\nThe numbers range from {lo:g} to {hi:g}.")
    lines.append(
        "\nWhat does the group settle on? The most common answer is highlighted; "
        "ctrl+s or ctrl+d records a gap, and everyone's answers are kept either way."
    )
    return "\n".join(lines)


def disagreements_markdown(spreads: Sequence[Spread]) -> str:
    """Where the group disagreed, widest first: the group's answer and who said what."""
    lines = [f"### Where the group disagreed ({len(spreads)})\n"]
    for s in spreads:
        apart = f", {s.spread:g} points apart" if s.spread else ""
        settled = f" The group settled on **{md_escape(s.settled)}**{apart}." if s.settled else ""
        said = "; ".join(f"{md_escape(g.label)}: {', '.join(md_escape(w) for w in g.sources)}" for g in s.groups)
        lines.append(f"- *{md_escape(s.question_id)}* {md_escape(' '.join(s.text.split()))}{settled} ({said})")
    return "\n".join(lines)


def recap_markdown(a: Assessment, dimension: str) -> str:
    """A line for a dimension's recap: how many of its questions the group disagreed on."""
    here = [s for s in a.disagreements() if s.dimension == dimension]
    if not here:
        return ""
    ids = ", ".join(md_escape(s.question_id) for s in here)
    return f"\nThe group disagreed on {plural(len(here), 'question')} here ({ids}); the summary lists who said what."


class TallyDialog(ModalScreen[dict[str, int] | None]):
    """How many people chose each option; Enter records, Escape cancels."""

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
                    yield Input(
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
            if not raw.isdigit():
                return None
            out[option.id] = int(raw)
        return out

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
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
