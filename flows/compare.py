"""Comparing several assessments (sessions side by side, or each participant of one group session).

Built on :mod:`flows.group` (spreads of answers) and :mod:`flows.engine` (a summary per
source); kept apart from :mod:`flows.group` so the engine, which reports a group's
disagreements, and the comparison, which runs the engine, do not import each other.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from flows.engine import Assessment
from flows.group import Spread, disagreements, opinion, participants_of, record_for, spread_of
from flows.session import Session
from flows.summary import Rating, Summary
from question_banks.schema import Bank


@dataclass(frozen=True)
class SourceInfo:
    """One compared source: a session file, or one participant of a group session."""

    label: str
    verdict: str
    impact_tier: int
    finished: bool
    answered: int
    project: str = ""
    path: str = ""


@dataclass(frozen=True)
class DimensionSpread:
    id: str
    title: str
    percent: dict[str, float | None]
    """Per source: the dimension's score as a share of its maximum, 0-100."""
    ratings: dict[str, Rating]
    spread: float | None
    """Highest minus lowest percentage (``None`` when fewer than one source has a score)."""


@dataclass
class Comparison:
    mode: Literal["sessions", "participants"]
    bank_id: str
    bank_version: str
    sources: list[SourceInfo]
    dimensions: list[DimensionSpread]
    questions: list[Spread]
    """Questions the sources answered differently, widest disagreement first."""
    compared: int
    """Questions at least one source was asked."""
    agreed: list[str] = field(default_factory=list)
    """Questions every source answered alike."""


def _assessment_summary(bank: Bank, session: Session) -> tuple[Summary, Callable[[str], bool], list[str]]:
    a = Assessment(bank, session.model_copy(deep=True))
    asked = [qid for qid in a.session.history if a.is_relevant(qid)]
    return a.summary(final=True), a.is_relevant, asked


def _dimension_spreads(summaries: Mapping[str, Summary]) -> list[DimensionSpread]:
    first = next(iter(summaries.values()))
    out: list[DimensionSpread] = []
    for d in first.dimensions:
        percent = {label: s.dimension(d.id).percent for label, s in summaries.items()}
        ratings: dict[str, Rating] = {label: s.dimension(d.id).rating for label, s in summaries.items()}
        known = [p for p in percent.values() if p is not None]
        out.append(
            DimensionSpread(
                id=d.id,
                title=d.title,
                percent=percent,
                ratings=ratings,
                spread=round(max(known) - min(known), 1) if known else None,
            )
        )
    return out


def _source_info(label: str, summary: Summary, path: str = "") -> SourceInfo:
    return SourceInfo(
        label=label,
        verdict=summary.verdict,
        impact_tier=summary.impact_tier,
        finished=summary.finished,
        answered=sum(1 for a in summary.answers if a.status == "answered"),
        project=summary.project.name,
        path=path,
    )


def compare_sessions(bank: Bank, sessions: Mapping[str, Session], paths: Mapping[str, str] | None = None) -> Comparison:
    """Line up several sessions of the same bank: per question who answered what, per dimension the scores.

    Sessions are keyed by a short label. A question one session was asked and another
    was not (its follow-up condition did not hold there) counts as answered differently.
    """
    if not sessions:
        raise ValueError("nothing to compare")
    summaries: dict[str, Summary] = {}
    relevant: dict[str, Callable[[str], bool]] = {}
    asked: dict[str, set[str]] = {}
    for label, session in sessions.items():
        summaries[label], relevant[label], asked_ids = _assessment_summary(bank, session)
        asked[label] = set(asked_ids)
    questions: list[Spread] = []
    agreed: list[str] = []
    compared = 0
    for q in bank.questions:
        if not any(q.id in asked[label] for label in sessions):
            continue
        compared += 1
        dim = bank.dimension_of[q.id]
        opinions = []
        for label, session in sessions.items():
            record = session.answers.get(q.id) if relevant[label](q.id) else None
            opinions.append(opinion(q, dim, label, record, relevant[label](q.id)))
        spread = spread_of(bank, q.id, opinions)
        if spread.agreed:
            agreed.append(q.id)
        else:
            questions.append(spread)
    questions.sort(key=lambda s: s.sort_key(bank.position[s.question_id]))
    return Comparison(
        mode="sessions",
        bank_id=bank.id,
        bank_version=bank.version,
        sources=[_source_info(label, summaries[label], (paths or {}).get(label, "")) for label in sessions],
        dimensions=_dimension_spreads(summaries),
        questions=questions,
        compared=compared,
        agreed=agreed,
    )


def as_participant(session: Session, participant: str) -> Session:
    """The session as if ``participant``'s own answers had been recorded wherever they gave one."""
    copy = session.model_copy(deep=True)
    for qid, record in session.answers.items():
        if participant in record.by:
            copy.answers[qid] = record_for(record.by[participant]).model_copy(update={"at": record.at})
    return copy


def compare_participants(bank: Bank, session: Session) -> Comparison:
    """Within one group session: each participant's answers, and the scores each would have given."""
    names = participants_of(session)
    if not any(record.by for record in session.answers.values()):
        raise ValueError("the session has no participants' answers (it was not answered in group mode)")
    summaries: dict[str, Summary] = {}
    for who in names:
        summaries[who], _, _ = _assessment_summary(bank, as_participant(session, who))
    _, relevant, _ = _assessment_summary(bank, session)
    spreads = disagreements(bank, session.answers, relevant, include_agreed=True)
    return Comparison(
        mode="participants",
        bank_id=bank.id,
        bank_version=bank.version,
        sources=[_source_info(who, summaries[who]) for who in names],
        dimensions=_dimension_spreads(summaries),
        questions=[s for s in spreads if not s.agreed],
        compared=len(spreads),
        agreed=sorted((s.question_id for s in spreads if s.agreed), key=bank.position.__getitem__),
    )


__all__ = [
    "Comparison",
    "DimensionSpread",
    "SourceInfo",
    "as_participant",
    "compare_participants",
    "compare_sessions",
]
