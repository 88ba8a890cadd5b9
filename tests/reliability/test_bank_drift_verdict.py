"""Bank drift never changes a verdict silently (issue 13 item 9), on the shipped bank.

A session begun with bank 1.0.0 and reopened with 2.0.0 (or a hand-edited session) keeps
the answers that no longer fit as orphans. Then the summary says at the top that it is
provisional; any rule that reads an orphaned answer counts as unknown, never as passed;
each orphan's reason says what actually happened; and reports name the version change.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.reports import render
from flows import Assessment, load_session, save_session
from flows.answers_file import read_answers, run_answers
from question_banks import Bank, load_bank

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "question_banks" / "scenarios" / "demand-forecasting-dashboard.yaml"


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank(ROOT / "question_banks" / "shipped")


def _saved(bank: Bank, tmp_path: Path, version: str, edits: dict[str, object]) -> Path:
    """The dashboard scenario's finished session, as if made with ``version``, with raw ``edits``."""
    result = run_answers(bank, read_answers(DASHBOARD))
    assert result.assessment.summary(final=True).verdict == "ready"
    path = tmp_path / "s.json"
    save_session(path, result.assessment.session)
    data = json.loads(path.read_text())
    data["bank"]["version"] = version
    for qid, value in edits.items():
        data["answers"][qid]["value"] = value
    path.write_text(json.dumps(data))
    return path


def test_an_orphaned_input_makes_its_rules_unknown_and_the_verdict_provisional(bank: Bank, tmp_path: Path) -> None:
    # S1 ("stage") held an option the new bank retired: every rule that reads the stage is now unknown.
    path = _saved(bank, tmp_path, "1.0.0", {"S1": "beta"})
    a = Assessment(bank, load_session(path))
    assert set(a.orphans) == {"S1"}
    s = a.summary(final=True)
    assert s.provisional
    assert s.verdict == "ready_with_conditions"  # was "ready": a rule that cannot be checked is not a pass
    assert "(provisional)" in s.verdict_label
    assert s.verdict_reasons[0].startswith("Provisional: 1 answer given with ceder-public 1.0.0 no longer fits")
    unknown = [c for c in s.conditions if c.message.startswith("Cannot be checked until S1 is answered again")]
    assert unknown and all(c.source == "evidence_gap" for c in unknown)
    assert s.orphans[0].reason.startswith("options changed: 'beta'") and "1.0.0" in s.orphans[0].reason

    md = render(s, "md")
    head, verdict = md.split("\n## Verdict:", 1)
    assert "(this session was begun with ceder-public 1.0.0)" in head
    assert "(provisional)" in verdict.splitlines()[0]
    assert "Provisional: 1 answer given with ceder-public 1.0.0" in md


def test_re_answering_the_orphan_gives_a_final_verdict_again(bank: Bank, tmp_path: Path) -> None:
    path = _saved(bank, tmp_path, "1.0.0", {"S1": "beta"})
    a = Assessment(bank, load_session(path))
    a.revise("S1")
    a.answer("live")
    a.settle()
    s = a.summary(final=True)
    assert not s.provisional and s.verdict == "ready" and not s.orphans
    assert s.bank is not None and s.bank.made_with == "ceder-public 1.0.0"  # still named: the file says 1.0.0


def test_a_hand_edited_value_of_the_wrong_kind_is_not_blamed_on_the_bank(bank: Bank, tmp_path: Path) -> None:
    path = _saved(bank, tmp_path, bank.version, {"F2": ["baseline"], "F3": "nonsense"})
    a = Assessment(bank, load_session(path))
    reasons = {o.question_id: o.reason for o in a.summary(final=True).orphans}
    assert (
        reasons["F2"].startswith("wrong kind of answer: F2 takes one option id") and "edited by hand" in reasons["F2"]
    )
    assert reasons["F3"].startswith("not a valid answer: 'nonsense'") and "edited by hand" in reasons["F3"]
    assert all("bank has changed" not in r and "made with" not in r for r in reasons.values())


def test_the_version_change_is_named_on_resume_even_with_nothing_orphaned(bank: Bank, tmp_path: Path) -> None:
    path = _saved(bank, tmp_path, "1.0.0", {})
    a = Assessment(bank, load_session(path))
    assert not a.orphans
    assert a.resume_note() == (
        f"This session was begun with question bank ceder-public 1.0.0; it now uses ceder-public {bank.version}."
    )
    s = a.summary(final=True)
    assert not s.provisional and s.verdict == "ready"
    assert s.bank is not None and s.bank.made_with == "ceder-public 1.0.0"
    assert Assessment(bank).resume_note() == ""


def test_report_names_the_version_change_on_stderr(bank: Bank, tmp_path: Path) -> None:
    from tests.reliability.conftest import ceder, no_traceback

    path = _saved(bank, tmp_path, "1.0.0", {})
    run = ceder("report", str(path), "--format", "json")
    no_traceback(run)
    assert run.code == 0
    assert f"was begun with bank ceder-public 1.0.0; this report uses ceder-public {bank.version}" in run.err
    assert json.loads(run.out)["bank"]["made_with"] == "ceder-public 1.0.0"


def test_a_finished_1_0_session_is_told_about_the_new_questions_it_never_saw(bank: Bank, tmp_path: Path) -> None:
    """A session finished on 1.0.0 reopens on 2.0.0: the new questions are named as gaps, never as passes."""
    path = _saved(bank, tmp_path, "1.0.0", {})
    data = json.loads(path.read_text())
    for qid in ("C7b", "D13b"):  # questions 2.0.0 added, which a 1.0.0 session never answered
        data["answers"].pop(qid)
    path.write_text(json.dumps(data))
    a = Assessment(bank, load_session(path))
    assert a.finished
    assert "2 questions that apply have no answer yet and count as evidence gaps" in a.resume_note()
    s = a.summary(final=True)
    assert {"C7b", "D13b"} <= {g.question_id for g in s.evidence_gaps}
    assert s.verdict != "ready"  # D13b can block: unknown is a condition, never a pass
