"""What a force DPO expects of every report ceder drafts, checked on every casebook case.

The casebook (tests/casebook) holds expert cases at every stage, tier and regime. Each
principle here holds for all of them, so no rule is fitted to one case:

* a DPIA states risks as harms to people, each with its own mitigations, listed once; ceder's
  process gaps (the DPIA itself, governance, answers to reconcile or find out) are work still
  to complete, never risks, and never restated as their own mitigation;
* a published ATRS record never carries ceder's prompts to the lead ("Find out and record the
  answer"); they go to a list for the team, and a field the law makes mandatory says so there;
* the summary prints the blockers and conditions in full once, and a live tool's plan never
  speaks of a "next gate";
* bank Markdown (``*strictly necessary*``) never shows its marks in an output.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest

from assistant.reports import render
from assistant.reports.documents import Filler
from assistant.reports.risks import HARMS, RUNNING, is_process
from conversation.turns import unmarked
from flows.answers_file import read_answers, run_answers
from flows.plan import instruction_verbs, restates
from flows.summary import Summary
from question_banks import Bank, load_bank

CASES = sorted((Path(__file__).parents[1] / "casebook").glob("[0-9][0-9]-*.yaml"))
PROMPTS = re.compile(
    r"find out and record|record the answer|has no answer|not known, and|not known yet|which is right\?", re.I
)
"""ceder's own prompts to the lead: never in a published field or a DPIA risk or measure."""


def _ceders_words(path: Path, text: str) -> str:
    """``text`` without the lead's own words (typed answers, notes, owners), which may say "not known yet"."""
    given = read_answers(path)
    for words in (*given.notes.values(), *given.owners.values(), *given.answers.values()):
        if isinstance(words, str) and len(words) > 12:
            text = " ".join(text.split()).replace(" ".join(words.split()).rstrip("."), "")
    return text


@cache
def _bank() -> Bank:
    return load_bank()


@cache
def _summary(path: Path) -> Summary:
    return run_answers(_bank(), read_answers(path)).assessment.summary(final=True)


@cache
def _render(path: Path, fmt: str) -> str:
    return render(_summary(path), fmt, _bank().documents)


def _fields(record: dict[str, object]) -> dict[str, str]:
    parts = [record["title_information"], record["tier_1"], *record["tier_2"].values()]  # type: ignore[attr-defined]
    return {k: v for part in parts for k, v in part.items()}


def _said(text: str) -> str:
    """An action's text as a document quotes it (first letter's case and the full stop aside)."""
    return " ".join(text.split()).rstrip(".")[1:]


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_no_published_atrs_field_carries_cedars_prompts(path: Path) -> None:
    record = json.loads(_render(path, "atrs-json"))
    for name, value in _fields(record).items():
        assert not PROMPTS.search(_ceders_words(path, value)), (name, value)
        assert not re.search(r"\b(?:Blocker|Condition) \(", value), (name, value)
    for name, value in record["required_here"].items():
        assert value not in _fields(record)[name], "a requirement is a note to the team, not the field's content"
    # Every unknown answer is still on the team's list, so the prompt is moved, not lost.
    todo = " ".join(record["before_publication"])
    for gap in _summary(path).evidence_gaps:
        assert f"answer to {gap.question_id} " in todo


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_atrs_risks_are_harms_to_people_each_with_distinct_mitigations(path: Path) -> None:
    summary = _summary(path)
    record = json.loads(_render(path, "atrs-json"))
    text = record["tier_2"]["risks_mitigations_and_impact_assessments"]["risks_and_mitigations"]
    safeguards = [a for a in summary.actions if not is_process(a)]
    if not safeguards:
        assert text == "to complete"
        return
    lines = text.split("\n")
    assert len(lines) == len({a.theme for a in safeguards})
    assert all(" could be harmed if " in line for line in lines)
    for a in safeguards:
        assert text.count(_said(a.action)) == 1, a.action


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_dpia_risks_are_harms_and_each_mitigation_is_listed_once(path: Path) -> None:
    summary = _summary(path)
    doc = json.loads(_render(path, "dpia-json"))
    md = _render(path, "dpia").replace("\\", "")
    for regime, template in doc["templates"].items():
        sections = template["sections"]
        risk_id = "risks"
        risks = sections[risk_id]["lines"]
        measures = sections["measures"]["lines"]
        for line in risks + measures:
            assert not PROMPTS.search(_ceders_words(path, line)), (regime, line)
            assert not re.search(r"\b(?:Blocker|Condition) \(", line), (regime, line)
        harms = [line for line in risks if line.startswith("Risk ")]
        assert len(harms) == len({a.theme for a in summary.actions if not is_process(a)})
        for line in harms:
            assert any(h.title in line for h in HARMS.values()) and " could be harmed if " in line
            # A risk is a harm, not its own mitigation restated.
            assert not any(restates(line, a.action) for a in summary.actions)
        for a in summary.actions:
            # Each entry is in exactly one place: a measure against one risk, or work still to complete.
            in_measures = sum(_said(a.action) in m for m in measures)
            assert in_measures == (0 if is_process(a) else 1), a.action
    todo = doc["still_to_complete"]
    for a in summary.actions:
        assert sum(_said(a.action) in t for t in todo) == (1 if is_process(a) and a.status != "done" else 0)
        # ...and, per regime drafted, printed once in the whole document.
        assert md.count(_said(a.action)) <= len(doc["templates"]), a.action


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_dpia_project_details_fall_back_on_the_answers(path: Path) -> None:
    """The SRO given in the answers fills the DPIA's project table, as it fills the ATRS record."""
    doc = json.loads(_render(path, "dpia-json"))
    atrs = json.loads(_render(path, "atrs-json"))
    sro = atrs["tier_2"]["owner_and_responsibility"]["senior_responsible_owner"]
    md = _render(path, "dpia")
    assert ("| Senior responsible owner | *to complete* |" in md) == (sro == "to complete")
    assert doc["draft"] is True


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_summary_prints_each_blocker_and_condition_in_full_once(path: Path) -> None:
    summary = _summary(path)
    md = _render(path, "md").replace("\\", "")
    head, _, rest = md.partition("## Action plan")
    lists = head + "\n## " + rest.partition("\n## ")[2]  # the plan gives each entry its reasons: it is no list of flags
    for f in [*summary.blockers, *summary.conditions]:
        message = " ".join(unmarked(f.message).split())
        if f.source == "inconsistency":  # in full under Answers to check; the condition points there
            message = message.removeprefix("Resolve the contradiction: ")
        assert lists.count(message) == 1, message
    if summary.blockers:
        verdict = md.split("## Verdict")[1].split("\n## ")[0]
        assert f"{len(summary.blockers)} blocker" in verdict and "listed under Blockers" in verdict


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_plan_priorities_name_their_gate(path: Path) -> None:
    summary = _summary(path)
    md = _render(path, "md")
    assert "next gate" not in md.split("## Action plan")[1].split("\n## ")[0]
    if summary.gate == "continued_use" and any(a.priority == "condition_next_gate" for a in summary.actions):
        assert "| Condition of continued use |" in md


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_bank_markdown_marks_never_show(path: Path) -> None:
    for fmt in ("md", "dpia", "atrs"):
        assert "\\*" not in _render(path, fmt), fmt  # Markdown shows an escaped mark as a literal asterisk
    assert not re.search(r"(?<![\w*])\*\w[^*\n]*\w\*(?![\w*])", _render(path, "csv"))


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_plan_entries_read_as_one_action_with_its_reasons(path: Path) -> None:
    """An entry is its action, then why, then what else it includes: never bank sentences strung together."""
    verbs = instruction_verbs(_bank())
    for a in _summary(path).actions:
        kinds = [d.split(":", 1)[0] if d.startswith(("Why:", "It includes:")) else "other" for d in a.details]
        assert kinds.count("Why") <= 1 and kinds.count("It includes") <= 1, a.details
        assert kinds == sorted(kinds, key=["Why", "It includes", "other"].index), a.details
        for d in a.details:
            if not d.startswith(("Why:", "It includes:")):
                assert d.split()[0].lower() not in verbs, f"a bare instruction after the headline: {d}"


SHORT_REPLY = re.compile(r"^[^?]{2,}: (?:Yes|No)(?:[,:;]?(?: \S+){0,3})?\.?$")
"""A field label followed by a bare reply ("Access control: Yes", "Data minimisation: Yes, minimised")."""


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_no_document_line_is_a_label_with_a_bare_reply(path: Path) -> None:
    """A short yes or no is given with the question it answers, so it reads in context."""
    atrs = json.loads(_render(path, "atrs-json"))
    dpia = json.loads(_render(path, "dpia-json"))
    lines = [line for value in _fields(atrs).values() for line in value.split("\n")]
    for template in dpia["templates"].values():
        for section in template["sections"].values():
            lines += section["lines"] + [x for part in section.get("parts", {}).values() for x in part["lines"]]
    bare = [line for line in lines if SHORT_REPLY.match(line.split(" (note:")[0])]
    assert not bare, bare


@pytest.mark.parametrize("path", CASES, ids=[p.stem[:2] for p in CASES])
def test_dpia_is_called_overdue_only_when_processing_runs_without_a_completed_dpia(path: Path) -> None:
    """The opening says "overdue" exactly when the tool already processes data and the answers do not record the
    DPIA as done; a DPIA recorded as done is to be kept under review, whatever the stage."""
    summary, rule = _summary(path), _bank().documents.dpia.status  # type: ignore[union-attr]
    assert rule.question is not None
    detail = Filler(summary).value(rule.question)
    done = detail is not None and detail.status == "answered" and str(detail.answer) in rule.complete
    opening = next(line for line in _render(path, "dpia").splitlines() if "Draft for the Data Protection" in line)
    assert ("overdue" in opening) == (summary.stage in RUNNING and not done)
    assert ("keep it under review" in opening) == done


def test_the_prompt_check_strips_the_leads_words_and_nothing_of_ceders() -> None:
    """A lead's note may say "not known yet"; ceder's own prompt around it is still caught."""
    case = next(p for p in CASES if read_answers(p).notes)
    qid, note = next(iter(read_answers(case).notes.items()))
    ceder = "Not known yet: the question “Is it lawful?” has no answer. Find out and record it."
    assert not PROMPTS.search(_ceders_words(case, f"{note} (the lead's note on {qid})")) or PROMPTS.search(note)
    assert PROMPTS.search(_ceders_words(case, f"{note} {ceder}"))
