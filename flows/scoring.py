"""Relevance and scoring, kept up to date incrementally through a dependency index.

An answer step touches only the questions whose conditions mention the changed
answer (and, transitively, those whose relevance then changes), so a step costs
O(affected questions), not O(bank). :func:`recompute` does the same work from
scratch; the property tests hold the two equal.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass, field

from flows.session import AnswerRecord
from question_banks.conditions import Fact
from question_banks.schema import DIMENSIONS, Bank, Question

IMPACT = "complexity"


def points_for(question: Question, record: AnswerRecord, dimension: str) -> float | None:
    """Points an answer earns; ``None`` for unscored questions.

    A gap earns nothing in an assurance dimension but counts as the worst case
    (full risk) in complexity: what is unknown about impact is assumed high.
    """
    if not question.scored:
        return None
    if record.is_gap:
        return question.max_points if dimension == IMPACT else 0.0
    value = record.value
    index = question.option_index
    if isinstance(value, list):
        return float(sum(index[v].score or 0.0 for v in value if v in index))
    option = index.get(str(value))
    return float(option.score or 0.0) if option is not None else 0.0


@dataclass
class Totals:
    points: float = 0.0
    max_points: float = 0.0
    counted: int = 0

    def add(self, points: float, max_points: float, sign: int) -> None:
        self.points += sign * points
        self.max_points += sign * max_points
        self.counted += sign

    def share(self) -> float | None:
        return self.points / self.max_points if self.max_points > 0 else None


@dataclass
class Change:
    """What one recorded answer did to the rest of the assessment."""

    question_id: str
    newly_relevant: list[str] = field(default_factory=list)
    set_aside: list[str] = field(default_factory=list)
    """Answered questions that no longer apply (kept, out of scoring)."""
    restored: list[str] = field(default_factory=list)
    """Answered questions that apply again and are back in scoring."""


class Tracker:
    """Relevance, pending questions and per-dimension totals for one bank and one set of answers."""

    def __init__(self, bank: Bank, answers: Mapping[str, AnswerRecord]) -> None:
        self.bank = bank
        self.answers = answers
        n = len(bank.questions)
        self.dims = [bank.dimension_of[q.id] for q in bank.questions]
        self.dependents: list[list[int]] = [[] for _ in range(n)]
        for i, q in enumerate(bank.questions):
            if q.ask_if is not None:
                for ref in dict.fromkeys(q.ask_if.refs()):
                    self.dependents[bank.position[ref]].append(i)
        self.relevant = [False] * n
        self.facts: dict[str, Fact] = {}
        self.pending: list[int] = []
        self.contrib: list[tuple[float, float] | None] = [None] * n
        self.totals: dict[str, Totals] = {d: Totals() for d in DIMENSIONS}
        for i, q in enumerate(bank.questions):
            self.relevant[i] = q.ask_if is None or q.ask_if.evaluate(self.facts)
            self._refresh(i)

    # -- bookkeeping for one question -------------------------------------
    def _refresh(self, i: int) -> bool:
        """Re-derive the fact, pending flag and contribution of question ``i``.

        Returns whether its fact (what conditions can see) changed.
        """
        q = self.bank.questions[i]
        record = self.answers.get(q.id)
        dim = self.dims[i]
        old_fact = self.facts.get(q.id)
        new_fact: Fact | None = None
        points: float | None = None
        if record is not None:
            points = points_for(q, record, dim)
        if self.relevant[i] and record is not None:
            new_fact = record.fact(points)
            self.facts[q.id] = new_fact
        else:
            self.facts.pop(q.id, None)
        pos = bisect_left(self.pending, i)
        is_pending = pos < len(self.pending) and self.pending[pos] == i
        want_pending = self.relevant[i] and record is None
        if want_pending and not is_pending:
            self.pending.insert(pos, i)
        elif is_pending and not want_pending:
            del self.pending[pos]
        old = self.contrib[i]
        new = (points, q.max_points) if (new_fact is not None and points is not None) else None
        if old != new and dim in self.totals:
            if old is not None:
                self.totals[dim].add(old[0], old[1], -1)
            if new is not None:
                self.totals[dim].add(new[0], new[1], +1)
        self.contrib[i] = new
        return old_fact != new_fact

    def update(self, question_id: str) -> Change:
        """Bring everything up to date after the answer to ``question_id`` changed."""
        start = self.bank.position[question_id]
        change = Change(question_id)
        if not self._refresh(start):
            return change
        heap = list(self.dependents[start])
        heapq.heapify(heap)
        seen: set[int] = set()
        while heap:
            i = heapq.heappop(heap)
            if i in seen:
                continue
            seen.add(i)
            q = self.bank.questions[i]
            assert q.ask_if is not None
            now = q.ask_if.evaluate(self.facts)
            if now == self.relevant[i]:
                continue
            self.relevant[i] = now
            answered = q.id in self.answers
            if now:
                (change.restored if answered else change.newly_relevant).append(q.id)
            elif answered:
                change.set_aside.append(q.id)
            if self._refresh(i):
                for d in self.dependents[i]:
                    heapq.heappush(heap, d)
        return change

    # -- queries ----------------------------------------------------------
    def is_relevant(self, question_id: str) -> bool:
        """Whether the question applies now; ``False`` for ids the bank does not have (e.g. removed since)."""
        pos = self.bank.position.get(question_id)
        return pos is not None and self.relevant[pos]

    def first_pending(self, after: int = -1) -> Question | None:
        pos = bisect_left(self.pending, after + 1)
        return self.bank.questions[self.pending[pos]] if pos < len(self.pending) else None

    def pending_in(self, dimension: str) -> list[Question]:
        return [self.bank.questions[i] for i in self.pending if self.dims[i] == dimension]

    def set_aside(self) -> list[str]:
        return [q.id for i, q in enumerate(self.bank.questions) if not self.relevant[i] and q.id in self.answers]

    def snapshot(self) -> tuple[list[bool], dict[str, tuple[float, float, int]]]:
        """Relevance flags and rounded totals, for comparing with :func:`recompute`."""
        totals = {d: (round(t.points, 9), round(t.max_points, 9), t.counted) for d, t in self.totals.items()}
        return list(self.relevant), totals


def recompute(
    bank: Bank, answers: Mapping[str, AnswerRecord]
) -> tuple[list[bool], dict[str, tuple[float, float, int]]]:
    """Relevance and totals from scratch, in one ordered pass (the reference for the tracker)."""
    facts: dict[str, Fact] = {}
    relevant: list[bool] = []
    totals = {d: [0.0, 0.0, 0] for d in DIMENSIONS}
    for q in bank.questions:
        dim = bank.dimension_of[q.id]
        ok = q.ask_if is None or q.ask_if.evaluate(facts)
        relevant.append(ok)
        record = answers.get(q.id)
        if ok and record is not None:
            pts = points_for(q, record, dim)
            facts[q.id] = record.fact(pts)
            if pts is not None and dim in totals:
                totals[dim][0] += pts
                totals[dim][1] += q.max_points
                totals[dim][2] += 1
    return relevant, {d: (round(float(t[0]), 9), round(float(t[1]), 9), int(t[2])) for d, t in totals.items()}
