"""Whether a follow-up can ever be asked: a bounded, exact search over earlier answers.

The linter calls :func:`reachable` for each question with an ``ask_if``; a question no consistent
set of earlier answers can reach is reported as unreachable.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

from question_banks.conditions import Answered, Count, Equals, Fact, In, Range, leaves
from question_banks.schema import Question

Leaf = Equals | In | Range | Answered | Count
_SEARCH_VARIABLES = 8
_SEARCH_BUDGET = 20_000


def _domain(q: Question, constants: list[Any], unreachable: set[str]) -> tuple[list[Fact | None], bool]:
    """Possible facts for one question, and whether the list is exhaustive."""
    absent: list[Fact | None] = [None]
    if q.id in unreachable:
        return absent, True
    values: list[Fact | None] = [None, Fact("dont_know"), Fact("skip")]
    if q.kind in ("single", "scale"):
        values += [Fact(o.id, o.score) for o in q.options]
        return values, True
    if q.kind == "multi":
        ids = [o.id for o in q.options]
        scores = {o.id: o.score or 0.0 for o in q.options}
        if len(ids) <= 6:
            subsets = [list(c) for r in range(len(ids) + 1) for c in itertools.combinations(ids, r)]
            exhaustive = True
        else:
            subsets = [[]] + [[i] for i in ids] + [ids[:k] for k in range(2, len(ids) + 1)]
            exhaustive = False
        values += [Fact(s, sum(scores[i] for i in s)) for s in subsets]
        return values, exhaustive
    if q.kind == "number":
        points = {0.0}
        for c in constants:
            if isinstance(c, int | float) and not isinstance(c, bool):
                points.update({float(c) - 1, float(c), float(c) + 1})
        lo, hi = q.min, q.max
        values += [Fact(v) for v in sorted(points) if (lo is None or v >= lo) and (hi is None or v <= hi)]
        if lo is not None:
            values.append(Fact(lo))
        if hi is not None:
            values.append(Fact(hi))
        return values, True
    values += [Fact("free text")] + [Fact(str(c)) for c in constants]
    return values, True


def _distinct(qid: str, values: list[Fact | None], tests: list[Leaf]) -> list[Fact | None]:
    """One fact per way the search's conditions can tell answers to ``qid`` apart.

    Conditions see an answer only through their leaves on ``qid``, so facts on which
    every leaf agrees are interchangeable, and a fact on which every leaf is false
    behaves as "unanswered" (which, unlike an answer, needs no consistent ``ask_if``
    of its own). Dropping them keeps the search exact and makes it much smaller:
    e.g. a five-option question that conditions test for one option needs two facts
    and "unanswered", not eight. Real answers come first, as witnesses are usually among them.
    """
    seen: set[tuple[bool, ...]] = set()
    out: list[Fact | None] = []
    for fact in values:
        if fact is None:
            continue
        sig = tuple(t.evaluate({qid: fact}) for t in tests)
        if any(sig) and sig not in seen:
            seen.add(sig)
            out.append(fact)
    if None in values:
        out.append(None)
    return out


def reachable(question: Question, by_id: Mapping[str, Question], unreachable: set[str]) -> bool:
    """Whether some consistent set of earlier answers makes ``ask_if`` true."""
    cond = question.ask_if
    if cond is None:
        return True
    closure: list[str] = []
    todo = list(dict.fromkeys(cond.refs()))
    while todo:
        ref = todo.pop()
        if ref in closure or ref not in by_id:
            continue
        closure.append(ref)
        parent = by_id[ref].ask_if
        if parent is not None:
            todo.extend(parent.refs())
    if len(closure) > _SEARCH_VARIABLES:
        return True
    constants: dict[str, list[Any]] = {r: [] for r in closure}
    tests: dict[str, list[Leaf]] = {r: [] for r in closure}
    for qid in [question.id, *closure]:
        c = by_id[qid].ask_if
        for leaf in leaves(c) if c is not None else []:
            if leaf.question in constants:
                tests[leaf.question].append(leaf)
                if isinstance(leaf, Equals):
                    constants[leaf.question].append(leaf.value)
                elif isinstance(leaf, In):
                    constants[leaf.question].extend(leaf.values)
                elif isinstance(leaf, Range):
                    constants[leaf.question] += [v for v in (leaf.min, leaf.max) if v is not None]
    domains = []
    exhaustive = True
    for ref in closure:
        values, full = _domain(by_id[ref], constants[ref], unreachable)
        domains.append(_distinct(ref, values, tests[ref]))
        exhaustive = exhaustive and full
    size = 1
    for d in domains:
        size *= len(d)
    if size > _SEARCH_BUDGET:
        return True
    for combo in itertools.product(*domains):
        facts = {ref: fact for ref, fact in zip(closure, combo, strict=True) if fact is not None}
        consistent = all(
            by_id[ref].ask_if is None or by_id[ref].ask_if.evaluate(facts)  # type: ignore[union-attr]
            for ref in facts
        )
        if consistent and cond.evaluate(facts):
            return True
    return not exhaustive
