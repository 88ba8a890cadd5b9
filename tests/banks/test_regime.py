"""The legal regime decides the law quoted: a UK GDPR tool is never told about Part 3 provisions.

A force's corporate tools (HR analytics, finance) are processed under the UK GDPR and Part 2
of the DPA 2018, not under Part 3 (law enforcement). The bank words its data-protection
questions, help, references, actions and rule messages for the regime the profile names
(question S4), through field-wise wording variants.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from assistant.reports import render
from flows.answers_file import read_answers
from flows.engine import Assessment
from flows.summary import Summary
from question_banks import Bank, load_bank
from question_banks.conditions import All, Condition, Fact
from question_banks.schema import Question

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "question_banks" / "shipped"
GDPR_SCENARIO = ROOT / "question_banks" / "scenarios" / "workforce-attendance-uk-gdpr.yaml"

# Provisions that exist only for law-enforcement processing: DPA 2018 Part 3 (ss.29-81) and Schedule 8.
_PART3_SECTION = re.compile(r"\bss?\.\s?(29|[3-7]\d|8[01])[A-D]?\b|\bsections? (29|[3-7]\d|8[01])[A-D]?\b")
_PART3_ANYWHERE = re.compile(r"Part 3|Schedule 8|law-enforcement exemption|sensitive processing|strictly necessary")


def part3_quotes(text: str) -> list[str]:
    """Every Part 3-only provision quoted in ``text`` (sections only count when the DPA 2018 is named)."""
    found = [m.group(0) for m in _PART3_ANYWHERE.finditer(text)]
    if "DPA 2018" in text or "Data Protection Act 2018" in text:
        found += [m.group(0) for m in _PART3_SECTION.finditer(text)]
    return found


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _play(bank: Bank, answers: dict[str, Any]) -> Summary:
    a = Assessment(bank)
    a.start()
    for q in bank.questions:
        if q.id in answers and a.is_relevant(q.id):
            a.record(q.id, answers[q.id])
    a.settle()
    return a.summary(final=True)


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank(SHIPPED)


@pytest.fixture(scope="module")
def gdpr_answers() -> dict[str, Any]:
    return dict(read_answers(GDPR_SCENARIO).answers)


def _quoted(summary: Summary) -> dict[str, list[str]]:
    data = json.loads(summary.model_dump_json())
    data.pop("bank", None)  # the bank's own provenance names its sources, not the law that applies
    out: dict[str, list[str]] = {}
    for s in _strings(data):
        hits = part3_quotes(s)
        if hits:
            out[s[:120]] = hits
    return out


def test_a_uk_gdpr_tool_summary_quotes_no_part3_provision(bank: Bank, gdpr_answers: dict[str, Any]) -> None:
    summary = _play(bank, gdpr_answers)
    assert any(f.source == "rule" for f in (*summary.blockers, *summary.conditions)), "exercise rule messages too"
    assert {"C2b", "C2c", "D3b", "D5", "D6"} <= set(summary.asked)
    assert _quoted(summary) == {}
    # ... and what it quotes instead is the UK GDPR.
    refs = {r for d in summary.answers for r in d.references}
    assert any("Article 22C" in r for r in refs) and any("Article 35" in r for r in refs)


def test_the_markdown_report_of_a_uk_gdpr_tool_quotes_no_part3_provision(
    bank: Bank, gdpr_answers: dict[str, Any]
) -> None:
    report = render(_play(bank, gdpr_answers), "md")
    body = report.replace(bank.manifest.provenance.strip(), "")
    body = "\n".join(line for line in body.splitlines() if "derived from public frameworks" not in line.lower())
    assert [line for line in body.splitlines() if part3_quotes(line)] == []


def test_the_same_tool_under_part3_is_told_the_part3_provisions(bank: Bank, gdpr_answers: dict[str, Any]) -> None:
    """The check above can fail: the same answers under Part 3 quote ss.50A-50C, s.64 and Schedule 8."""
    summary = _play(bank, {**gdpr_answers, "S4": "part3"})
    quoted = " ".join(h for hits in _quoted(summary).values() for h in hits)
    for provision in ("s.50B", "s.64", "Schedule 8", "s.62"):
        assert provision in quoted


def test_every_question_that_quotes_part3_has_a_uk_gdpr_wording_or_is_never_asked_of_one(
    bank: Bank,
) -> None:
    """Whatever a UK GDPR tool can be asked says nothing of Part 3 in its text, help, references or action."""
    gdpr = {"S3": Fact("personal"), "S4": Fact("gdpr"), "S1": Fact("live")}
    offenders = []
    for q in bank.questions:
        if q.id == "S4":
            continue  # the question that sets the regime explains both
        if q.ask_if is not None and not _could_apply(q, gdpr):
            continue
        said = q.worded(gdpr)
        messages = [r.message for r in q.rules if _may_hold(r.when, gdpr)]
        texts = [said.text, said.help, said.action or "", *said.references, *messages]
        if any(part3_quotes(t) for t in texts):
            offenders.append(q.id)
    assert offenders == []


def _may_hold(when: Condition, facts: dict[str, Fact]) -> bool:
    """False only when a conjunct reads nothing but ``facts`` and is false on them (a rule worded for Part 3)."""
    parts = when.conditions if isinstance(when, All) else [when]
    return all(not set(c.refs()) <= facts.keys() or c.evaluate(facts) for c in parts)


def _could_apply(q: Question, facts: dict[str, Fact]) -> bool:
    """Whether the question's ask_if can hold for some answers, given the regime (a conservative test)."""
    assert q.ask_if is not None
    refs = set(q.ask_if.refs())
    return not refs <= facts.keys() or q.ask_if.evaluate(facts)


def test_wording_variants_combine_field_by_field(bank: Bank) -> None:
    """A tense variant (text) and a regime variant (help, references) both apply to one question."""
    d2 = bank.by_id["D2"]
    design_gdpr = d2.worded({"S1": Fact("design"), "S4": Fact("gdpr")})
    assert design_gdpr.text.startswith("Will the lawful basis")
    assert "Article 6" in design_gdpr.help and "s.35" not in design_gdpr.help
    live_part3 = d2.worded({"S1": Fact("live"), "S4": Fact("part3")})
    assert live_part3.text == d2.text and "s.35" in live_part3.help
    assert d2.worded({}).references == d2.references


def test_a_1_0_session_with_a_renamed_option_maps_across(bank: Bank, tmp_path: Path) -> None:
    """Bank 2.0.0 renamed C2b's 'authorised' to 'in_place' and kept the old id as a synonym."""
    from flows import load_session
    from flows.session import AnswerRecord, BankRef, Session

    session = Session(bank=BankRef(id=bank.id, version="1.0.0"))
    for qid, value in {"S1": "live", "C2": "automated", "C2a": "significant", "C2b": "authorised"}.items():
        session.answers[qid] = AnswerRecord(value=value)
    path = tmp_path / "old.json"
    path.write_text(session.model_dump_json())
    a = Assessment(bank, load_session(path))
    assert "C2b" not in a.orphans
    record = a.record_of("C2b")
    assert record is not None and record.value == "in_place"
    assert bank.by_id["C2b"].option_for_old_id("partial") is None  # a current id is not a rename


def test_the_dpia_draft_of_a_uk_gdpr_tool_quotes_no_part3_provision(bank: Bank, gdpr_answers: dict[str, Any]) -> None:
    draft = render(_play(bank, gdpr_answers), "dpia", bank.documents)
    assert "Article" in draft
    assert [line for line in draft.splitlines() if part3_quotes(line)] == []


CASEBOOK = Path(__file__).resolve().parents[2] / "tests" / "casebook"
UK_GDPR_CASES = sorted(p for p in CASEBOOK.glob("[0-9][0-9]-*.yaml") if read_answers(p).answers.get("S4") == "gdpr")


@pytest.mark.parametrize("path", UK_GDPR_CASES, ids=lambda p: p.stem)
def test_no_uk_gdpr_casebook_case_is_told_part3_law(bank: Bank, path: Path) -> None:
    """Whatever the verdict, its duties, rules and plan for a UK GDPR tool quote no Part 3 provision."""
    assert _quoted(_play(bank, dict(read_answers(path).answers))) == {}


def test_the_casebook_has_uk_gdpr_cases() -> None:
    assert len(UK_GDPR_CASES) >= 2


def test_a_rule_worded_for_part3_is_one_a_uk_gdpr_tool_cannot_raise(bank: Bank) -> None:
    """The filter above skips only rules whose own condition rules out the UK GDPR."""
    gdpr = {"S3": Fact("personal"), "S4": Fact("gdpr"), "S1": Fact("live")}
    d5 = bank.by_id["D5"].rules
    part3 = [r for r in d5 if "s.64" in r.message]
    assert part3 and not any(_may_hold(r.when, gdpr) for r in part3)
    assert any("Art 35(1)" in r.message and _may_hold(r.when, gdpr) for r in d5)
    assert all(_may_hold(r.when, {**gdpr, "S4": Fact("part3")}) for r in part3)
