"""Comparing answers: participants in one group session, or several sessions side by side.

Workshops produce two kinds of disagreement:

* **within a group**: each :class:`~flows.session.AnswerRecord` may carry ``by``, every
  participant's own answer behind the one the group settled on;
  :func:`disagreements` measures how far they differ per question;
* **between sessions**: several teams (or browsers) assess the same project;
  :func:`compare_sessions` lines their answers and dimension scores up.

Both give a :class:`Spread` per question: the distinct answers, who gave each, and the
spread of the points they would earn. The widest disagreements sort first. Nothing
here touches a user interface; ``ceder compare`` renders it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from flows.scoring import points_for
from flows.session import AnswerRecord, Session
from flows.verdict import answer_label
from question_banks.conditions import DONT_KNOW, SKIP, AnswerValue
from question_banks.schema import Bank, Question

OpinionStatus = Literal["answered", "dont_know", "skipped", "unanswered", "not_asked"]
MISSING_LABELS: dict[str, str] = {
    "unanswered": "(not answered)",
    "not_asked": "(does not apply)",
}


@dataclass(frozen=True)
class Opinion:
    """One source's answer to one question (a participant, or a whole session).

    ``not_asked`` means the question does not apply to that source (its follow-up
    condition does not hold there); ``unanswered`` that it applies but has no answer yet.
    """

    source: str
    status: OpinionStatus
    value: AnswerValue | None
    label: str
    points: float | None
    """Points the answer earns; ``None`` for unscored questions, gaps and missing answers."""

    @property
    def given(self) -> bool:
        """Whether the source gave an answer (including "don't know" and "skip")."""
        return self.status not in ("unanswered", "not_asked")


@dataclass(frozen=True)
class AnswerGroup:
    """One distinct answer and the sources that gave it."""

    label: str
    status: OpinionStatus
    value: AnswerValue | None
    sources: list[str]
    points: float | None


@dataclass(frozen=True)
class Spread:
    """How far the sources' answers to one question differ."""

    question_id: str
    dimension: str
    text: str
    kind: str
    opinions: list[Opinion]
    groups: list[AnswerGroup]
    """Distinct answers, most common first (ties in order of first appearance)."""
    distinct: int
    """Distinct answers among the sources that gave one ("don't know" and "skip" count)."""
    spread: float | None
    """Highest minus lowest points among scored answers (``None`` when none is scored)."""
    value_range: tuple[float, float] | None = None
    """For number questions: the lowest and highest number given."""
    settled: str | None = None
    """Within a group: the answer the group recorded, in words."""

    @property
    def agreed(self) -> bool:
        return len(self.groups) <= 1

    def sort_key(self, position: int) -> tuple[float, bool, int, int]:
        return (-(self.spread or 0.0), self.kind == "text", -len(self.groups), position)


def _key(question: Question, status: OpinionStatus, value: AnswerValue | None) -> tuple[object, ...]:
    if status != "answered":
        return (status,)
    if isinstance(value, list):
        return ("answered", tuple(sorted(value)))
    if isinstance(value, float):
        return ("answered", value)
    text = str(value)
    if question.kind == "text":
        text = " ".join(text.lower().split())
    return ("answered", text)


def opinion(question: Question, dimension: str, source: str, record: AnswerRecord | None, applies: bool) -> Opinion:
    """What ``source`` said: its record, or a missing answer (the question does not apply, or is unanswered)."""
    if record is None:
        status: OpinionStatus = "unanswered" if applies else "not_asked"
        return Opinion(source, status, None, MISSING_LABELS[status], None)
    pts = points_for(question, record, dimension) if not record.is_gap else None
    return Opinion(source, record.status, record.value, answer_label(question, record), pts)


def record_for(value: AnswerValue) -> AnswerRecord:
    """A participant's answer as a record (``dont_know``/``skip`` become gaps)."""
    if value == DONT_KNOW:
        return AnswerRecord.gap("dont_know")
    if value == SKIP:
        return AnswerRecord.gap("skipped")
    return AnswerRecord(value=value)


def spread_of(bank: Bank, question_id: str, opinions: Sequence[Opinion], settled: str | None = None) -> Spread:
    """Group ``opinions`` about one question by answer and measure their spread."""
    q = bank.by_id[question_id]
    groups: dict[tuple[object, ...], list[Opinion]] = {}
    for o in opinions:
        groups.setdefault(_key(q, o.status, o.value), []).append(o)
    ordered = sorted(groups.values(), key=lambda g: -len(g))  # stable: ties keep first appearance
    answer_groups = [
        AnswerGroup(
            label=g[0].label, status=g[0].status, value=g[0].value, sources=[o.source for o in g], points=g[0].points
        )
        for g in ordered
    ]
    scored = [o.points for o in opinions if o.status == "answered" and o.points is not None]
    numbers = [
        float(o.value)
        for o in opinions
        if q.kind == "number" and o.status == "answered" and isinstance(o.value, int | float)
    ]
    return Spread(
        question_id=q.id,
        dimension=bank.dimension_of[q.id],
        text=q.text,
        kind=q.kind,
        opinions=list(opinions),
        groups=answer_groups,
        distinct=sum(1 for g in ordered if g[0].given),
        spread=(max(scored) - min(scored)) if scored else None,
        value_range=(min(numbers), max(numbers)) if numbers else None,
        settled=settled,
    )


def group_spread(bank: Bank, question_id: str, record: AnswerRecord) -> Spread | None:
    """The spread of participants' answers behind one group answer (``None`` without any)."""
    if not record.by:
        return None
    q = bank.by_id[question_id]
    dim = bank.dimension_of[question_id]
    opinions = [opinion(q, dim, who, record_for(value), True) for who, value in record.by.items()]
    return spread_of(bank, question_id, opinions, settled=answer_label(q, record))


def disagreements(
    bank: Bank,
    answers: Mapping[str, AnswerRecord],
    relevant: Callable[[str], bool] | None = None,
    include_agreed: bool = False,
) -> list[Spread]:
    """Per question answered with participants' answers (and still relevant), widest disagreement first."""
    out: list[Spread] = []
    for q in bank.questions:
        record = answers.get(q.id)
        if record is None or not record.by or (relevant is not None and not relevant(q.id)):
            continue
        spread = group_spread(bank, q.id, record)
        if spread is not None and (include_agreed or not spread.agreed):
            out.append(spread)
    out.sort(key=lambda s: s.sort_key(bank.position[s.question_id]))
    return out


def unanimous(by: Mapping[str, AnswerValue]) -> AnswerValue | None:
    """The answer every participant gave, or ``None`` when they differ (or none answered)."""
    values = list(by.values())
    if not values:
        return None
    first = values[0]
    norm = sorted(first) if isinstance(first, list) else first
    for v in values[1:]:
        if (sorted(v) if isinstance(v, list) else v) != norm:
            return None
    return first


def participants_of(session: Session) -> list[str]:
    """Everyone who answered in a group session.

    When participants were declared, they are the people: other keys in ``by`` are
    tally counts (``"4 votes"``), not people, so comparing "each participant" would be
    wrong for them. Without declared participants, every key that answered counts.
    """
    names = list(session.participants)
    if names:
        return names
    for record in session.answers.values():
        for who in record.by:
            if who not in names:
                names.append(who)
    return names


__all__ = [
    "AnswerGroup",
    "Opinion",
    "Spread",
    "disagreements",
    "group_spread",
    "opinion",
    "participants_of",
    "record_for",
    "spread_of",
    "unanimous",
]
