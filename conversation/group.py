"""Group mode as conversation: each participant's answer in turn, the spread, then the group's answer.

The conversation keeps one :class:`GroupRound` per question while the answers come in.
This module holds that state, the turns for the spread and for where the group
disagreed, a tally's counts as answers, and the parsing of participants' names.
Everything is recorded through the engine (``Assessment.answer(value, by=...)``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from conversation.turns import Block, Strong, Turn, item, para
from conversation.words import plural
from flows import Assessment
from flows.group import AnswerGroup, Spread, opinion, record_for, spread_of
from flows.verdict import answer_label
from question_banks.conditions import AnswerValue
from question_banks.schema import Bank, Question

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
    draft: str | None = None
    """Free text: the wording so far (the scribe's, as each participant accepts or amends it)."""

    @property
    def current(self) -> str:
        return self.participants[min(self.index, len(self.participants) - 1)]

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
        if self.draft is not None:  # free text: the draft as the previous participant left it
            earlier = [self.replies[p] for p in self.participants[: self.index] if p in self.replies]
            self.draft = str(earlier[-1]) if earlier else None
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


def parse_tally(question: Question, text: str) -> dict[str, int] | str:
    """Counts typed as ``"1=3, 2=4"`` (option number or id, then how many); a message when unreadable."""
    from flows.matching import option_for_digit, whole_number

    counts: dict[str, int] = {}
    for part in (p.strip() for p in text.replace(";", ",").split(",")):
        if not part:
            continue
        key, sep, n = part.partition("=")
        key, n = key.strip(), n.strip()
        option = question.option_index.get(key)
        if option is None and (number := whole_number(key)) is not None:
            option = option_for_digit(question, number)
        count = whole_number(n)
        if not sep or option is None or count is None:
            return f"Type the tally as option=count, e.g. “1=3, 2=4” (I couldn't read “{part}”)."
        counts[option.id] = counts.get(option.id, 0) + count
    if sum(counts.values()) == 0:
        return "Enter at least one count."
    return counts


def spread(bank: Bank, question: Question, replies: Mapping[str, AnswerValue]) -> Spread:
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
    return answer_label(question, record_for(value))


def _points(points: float | None, dimension: str) -> str:
    if points is None:
        return ""
    unit = "risk point" if dimension == "complexity" else "point"
    return f" ({plural(int(points), unit) if float(points).is_integer() else f'{points:g} {unit}s'})"


def spread_turn(bank: Bank, question: Question, r: GroupRound, gap_hint: str) -> Turn:
    """Who said what, most common answer first, with the points each would earn, and the range."""
    s = spread(bank, question, r.replies)
    dim = s.dimension
    blocks: list[Block] = []
    if r.tally:
        total = sum(r.tally.values())
        blocks.append(para(Strong("The room is divided"), f" ({plural(total, 'vote')}):"))
        by_votes = sorted(s.groups, key=lambda g: -sum(r.tally[k] for k in g.sources))
        for g in by_votes:
            votes = sum(r.tally[k] for k in g.sources)
            blocks.append(item(Strong(g.label), f"{_points(g.points, dim)}: {plural(votes, 'vote')}"))
    else:
        blocks.append(para(Strong("The answers differ:")))
        for g in s.groups:
            blocks.append(item(Strong(g.label), f"{_points(g.points, dim)}: {', '.join(g.sources)}"))
    tie = tie_text(s.groups, r)
    if tie:
        blocks.append(para(tie))
    if s.spread:
        blocks.append(para(f"They are {s.spread:g} points apart."))
    if s.value_range is not None and s.value_range[0] != s.value_range[1]:
        lo, hi = s.value_range
        blocks.append(para(f"The numbers range from {lo:g} to {hi:g}."))
    blocks.append(
        para(
            "What does the group settle on? The most common answer is highlighted; "
            f"{gap_hint} records a gap, and everyone's answers are kept either way."
        )
    )
    return Turn("spread", tuple(blocks), question_id=question.id)


def tie_text(groups: Sequence[AnswerGroup], r: GroupRound) -> str:
    """Why the highlighted answer is not a majority, when the most common answers are level."""
    answered = [g for g in groups if g.status == "answered"]
    if len(answered) < 2:
        return ""

    def weight(g: AnswerGroup) -> int:
        return sum(r.tally.get(k, 1) for k in g.sources) if r.tally else len(g.sources)

    top = max(weight(g) for g in answered)
    level = [g for g in answered if weight(g) == top]
    if len(level) < 2:
        return ""
    unit = "vote" if r.tally else "person"
    many = "votes" if r.tally else "people"
    names = " and ".join(f"“{g.label}”" for g in level)
    return (
        f"It is a tie: {names} have {top} {unit if top == 1 else many} each. The highlighted answer is simply the "
        "first given, not a majority: talk it through and choose."
    )


def recap_line(a: Assessment, dimension: str) -> str:
    """A line for a dimension's recap: how many of its questions the group disagreed on."""
    here = [s for s in a.disagreements() if s.dimension == dimension]
    if not here:
        return ""
    ids = ", ".join(s.question_id for s in here)
    return f"The group disagreed on {plural(len(here), 'question')} here ({ids}); the summary lists who said what."
