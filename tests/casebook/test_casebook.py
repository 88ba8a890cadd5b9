"""The casebook: expert cases played through the real engine, as ``ceder run`` plays them.

Each ``NN-*.yaml`` file is an answers file (SPEC 3.2) whose comment header states the facts and
whose ``expect`` block says what an experienced force DPO or ethics committee assessor would
conclude: the gate the verdict is for, the verdict, the impact tier, and tokens that must and must
not appear. Tokens:

* ``blocker:QID`` / ``condition:QID`` — a blocker / condition raised from that question
  (``blocker:*`` — any blocker);
* ``theme:NAME`` — an action-plan entry with that theme;
* ``action:QID`` — an action-plan entry that covers that question;
* ``inconsistency:QID`` — a cross-check naming that question;
* ``text:PHRASE`` — the phrase in any verdict reason, blocker, condition or action (case-insensitive).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from flows.answers_file import read_answers, run_answers
from flows.plan import restates
from flows.summary import Summary
from question_banks.loader import load_bank

HERE = Path(__file__).parent
CASES = sorted(HERE.glob("[0-9][0-9]-*.yaml"))
HEAD_LIMIT = 12


def _present(summary: Summary, token: str) -> bool:
    kind, _, what = token.partition(":")
    if kind == "blocker":
        return any(what in ("*", b.question_id) for b in summary.blockers)
    if kind == "condition":
        return any(what in ("*", c.question_id) for c in summary.conditions)
    if kind == "theme":
        return any(a.theme == what for a in summary.actions)
    if kind == "action":
        return any(what == a.question_id or what in a.question_ids for a in summary.actions)
    if kind == "inconsistency":
        return any(what in i.question_ids for i in summary.inconsistencies)
    if kind == "text":
        texts = [
            *summary.verdict_reasons,
            *(f.message for f in (*summary.blockers, *summary.conditions)),
            *(a.action for a in summary.actions),
        ]
        return any(what.lower() in t.lower() for t in texts)
    raise AssertionError(f"unknown token kind in {token!r}")


def _expect(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    expect = data["expect"]
    assert isinstance(expect, dict)
    return expect


def test_the_casebook_spans_every_stage_tier_and_verdict() -> None:
    bank = load_bank()
    stages, tiers, verdicts = set(), set(), set()
    for path in CASES:
        answers = read_answers(path).answers
        stages.add(answers["S1"])
        expect = _expect(path)
        tiers.add(expect["tier"])
        verdicts.add(expect["verdict"])
    assert len(CASES) >= 25
    assert stages == set(bank.by_id["S1"].option_index)
    assert tiers == {1, 2, 3, 4}
    assert verdicts == {"ready", "ready_with_conditions", "not_ready"}


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_case(path: Path) -> None:
    bank = load_bank()
    expect = _expect(path)
    result = run_answers(bank, read_answers(path))
    assert not result.ignored, f"answers the flow never asks: {result.ignored}"
    summary = result.assessment.summary(final=True)
    got = (summary.gate, summary.verdict, summary.impact_tier)
    assert got == (expect["gate"], expect["verdict"], expect["tier"]), _explain(summary)
    missing = [t for t in expect.get("must", []) if not _present(summary, t)]
    unwanted = [t for t in expect.get("must_not", []) if _present(summary, t)]
    assert not missing and not unwanted, f"missing {missing}, unwanted {unwanted}\n{_explain(summary)}"
    head = [a for a in summary.actions if not a.appendix]
    assert len(head) <= HEAD_LIMIT
    # One entry per gap: no two actions share an id.
    ids = [a.id for a in summary.actions]
    assert len(ids) == len(set(ids))
    # ...and no entry says the same thing twice in other words.
    for a in summary.actions:
        said = [a.action, *a.details]
        assert not any(restates(x, y) for i, x in enumerate(said) for y in said[:i]), said
    # A gate is named once at the head of what is due by it, never "Before go-live: before go-live: ...".
    for text in [a.action for a in summary.actions] + [f.message for f in summary.conditions]:
        assert len(re.findall(r"\bbefore (?:build starts|any pilot or go-live|go-live):", text, re.I)) <= 1, text
    # The JSON a script reads carries the same verdict and the gate.
    data = json.loads(summary.model_dump_json())
    assert data["gate"] == expect["gate"] and data["verdict"] == expect["verdict"]


def _explain(summary: Summary) -> str:
    lines = [f"gate={summary.gate} verdict={summary.verdict} tier={summary.impact_tier}", *summary.tier_reasons]
    lines += [f"  BLOCKER {b.question_id}: {b.message}" for b in summary.blockers]
    lines += [f"  condition {c.question_id}: {c.message}" for c in summary.conditions]
    lines += [f"  inconsistency {i.question_ids}: {i.message}" for i in summary.inconsistencies]
    return "\n".join(lines)
