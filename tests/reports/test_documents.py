"""The ATRS and DPIA drafts, checked field by field against the reference lists.

REFERENCE: /work/shared/reference/content-update-2026-11.md §1.2 (ATRS v3.0, from the
publisher's template_table.md), §1.4 (what v4.0 changes) and §2 (DPIA contents: DPA 2018
s.64(3) and the ICO's seven steps). The lists below are transcribed from it, so these tests
fail if the shipped standard data drifts from the reference or a draft leaves a field out.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from assistant.cli import main
from assistant.reports import render
from assistant.reports.documents import Filler
from assistant.reports.risks import is_process
from flows import Summary
from flows.answers_file import read_answers, run_answers
from question_banks import Bank, lint, load_bank
from question_banks.documents import atrs_standard, dpia_standard, layout
from tests.conftest import SMALL_BANK
from tests.reliability.test_hostile_text import BIDI, CONTROL, HOSTILE, MB, hostile_summary, readable, visible_text
from tests.reports.conftest import BEFORE, play, saved
from tests.reports.htmlparse import parse

# (ref, attribute, required) for every v3.0 field, in the template table's order.
ATRS_V3 = [
    ("0.1", "id", True), ("0.2", "standard_version", True), ("0.3", "organisation_type", True),
    ("0.4", "function", True), ("0.5", "capability", True), ("0.6", "task", True), ("0.7", "tags", True),
    ("0.8", "date_of_completion", True), ("0.9", "date_updated", True), ("0.10", "date_archived", True),
    ("0.11", "title", True), ("0.12", "organisation_name", True), ("0.13", "phase", True),
    ("0.14", "region", True), ("0.15", "one_sentence_description", True),
    ("1.1", "name", True), ("1.2", "description", True), ("1.3", "website_url", True), ("1.4", "contact_email", True),
    ("2.1.1", "organisation_or_department", True), ("2.1.2", "team", True),
    ("2.1.3", "senior_responsible_owner", True), ("2.1.4", "external_supplier_involvement", True),
    ("2.1.4.1", "external_supplier", False), ("2.1.4.2", "companies_house_number", False),
    ("2.1.4.3", "external_supplier_role", False), ("2.1.4.4", "procurement_procedure_type", False),
    ("2.1.4.5", "data_access_terms", False),
    ("2.2.1", "detailed_description", False), ("2.2.2", "scope", True), ("2.2.3", "benefit", True),
    ("2.2.4", "previous_process", False), ("2.2.5", "alternatives_considered", False),
    ("2.3.1", "process_integration", True), ("2.3.2", "provided_information", True),
    ("2.3.3", "frequency_and_scale_of_usage", True), ("2.3.4", "human_decisions_and_review", True),
    ("2.3.5", "required_training", True), ("2.3.6", "appeals_and_review", False),
    ("2.4.1.1", "system_architecture", True), ("2.4.1.2", "phase", True), ("2.4.1.3", "maintenance", True),
    ("2.4.1.4", "models", True),
    ("2.4.2.1", "model_name", True), ("2.4.2.2", "model_version", True), ("2.4.2.3", "model_task", True),
    ("2.4.2.4", "model_input", True), ("2.4.2.5", "model_output", True), ("2.4.2.6", "model_architecture", True),
    ("2.4.2.7", "model_performance", True), ("2.4.2.8", "datasets", True), ("2.4.2.9", "dataset_purposes", True),
    ("2.4.3.1", "source_data_name", True), ("2.4.3.2", "data_modality", True), ("2.4.3.3", "data_description", True),
    ("2.4.3.4", "data_quantities", True), ("2.4.3.5", "sensitive_attributes", True),
    ("2.4.3.6", "data_completeness_and_representativeness", True), ("2.4.3.7", "source_data_url", True),
    ("2.4.3.8", "data_collection", True), ("2.4.3.9", "data_cleaning", False),
    ("2.4.3.10", "data_sharing_agreements", True), ("2.4.3.11", "data_access_and_storage", True),
    ("2.5.1", "impact_assessment", True), ("2.5.2", "risks_and_mitigations", True),
]  # fmt: skip
# v4.0 (§1.4): metadata 0.1-0.10 deleted; 2.4.1 phase deleted; scope merged into
# detailed_description, provided_information into process_integration, dataset_purposes into datasets.
V4_DROPPED = {
    "0.1",
    "0.2",
    "0.3",
    "0.4",
    "0.5",
    "0.6",
    "0.7",
    "0.8",
    "0.9",
    "0.10",
    "2.4.1.2",
    "2.2.2",
    "2.3.2",
    "2.4.2.9",
}
V4_MERGED = {
    "detailed_description": ["scope"],
    "process_integration": ["provided_information"],
    "datasets": ["dataset_purposes"],
}
V4_LABELS = {
    "process_integration": "Integration into broader operational process",
    "human_decisions_and_review": "Human review",
    "datasets": "Datasets and their purposes",
    "external_supplier_involvement": "Third party involvement",
    "data_access_terms": "Third party data access terms",
}
V4_NEW = ["system_level_input", "system_level_output", "operational_data"]
V4_SECTION_TITLES = {"tier_1": "Summary information", "decision_making_process": "Deployment context",
                     "data_specification": "Development data", "operational_data": "Operational data"}  # fmt: skip
GOVUK_FACETS = [
    "algorithmic_transparency_record_organisation", "algorithmic_transparency_record_organisation_type",
    "algorithmic_transparency_record_function", "algorithmic_transparency_record_capability",
    "algorithmic_transparency_record_task", "algorithmic_transparency_record_phase",
    "algorithmic_transparency_record_region", "algorithmic_transparency_record_date_published",
    "algorithmic_transparency_record_atrs_version", "algorithmic_transparency_record_other_tags",
]  # fmt: skip
# DPA 2018 s.64(3)(a)-(d), as quoted in Bridges [2020] EWCA Civ 1058 at [29].
PART3_CONTENTS = [
    ("(a)", "a general description of the envisaged processing operations"),
    ("(b)", "an assessment of the risks to the rights and freedoms of data subjects"),
    ("(c)", "the measures envisaged to address those risks"),
    ("(d)", "safeguards, security measures and mechanisms to ensure the protection of personal data"),
]
S64_4 = ["Nature", "Scope", "Context", "Purposes"]
ICO_STEPS = [
    "Identify the need for a DPIA", "Describe the processing", "Consultation process",
    "Assess necessity and proportionality", "Identify and assess risks", "Identify measures to reduce risk",
    "Sign off and record outcomes",
]  # fmt: skip
SCENARIOS = sorted((Path(__file__).parents[2] / "question_banks" / "scenarios").glob("*.yaml"))


def v4_fields() -> list[tuple[str, str]]:
    return [(ref, attr) for ref, attr, _ in ATRS_V3 if ref not in V4_DROPPED]


def shipped_summary(path: Path) -> tuple[Bank, Summary]:
    bank = load_bank()
    return bank, run_answers(bank, read_answers(path)).assessment.summary(final=True)


# -- the standard as data matches the reference ------------------------------------
def test_atrs_v3_fields_match_the_template_table() -> None:
    std = atrs_standard()
    got = [(f.ref, f.id, f.required) for s in std.sections for f in s.fields]
    assert got == ATRS_V3
    assert len(got) == 65 and sum(1 for *_, req in got if not req) == 10


def test_v3_layout_is_the_template_table_unchanged() -> None:
    lay = layout(atrs_standard(), "3.0")
    assert [(f.ref, f.id, f.required) for s in lay.sections for f in s.fields] == ATRS_V3


def test_v4_layout_applies_every_documented_change() -> None:
    lay = layout(atrs_standard())
    assert lay.version == "4.0"
    fields = [f for s in lay.sections for f in s.fields]
    old = [(f.ref, f.id) for f in fields if not f.new]
    assert old == v4_fields()
    assert [f.id for f in fields if f.new] == V4_NEW
    by_id = {f.id: f for f in fields}
    for target, merged in V4_MERGED.items():
        assert by_id[target].merged == merged
    assert by_id["detailed_description"].required  # scope was required: the merged field is too
    for attr, label in V4_LABELS.items():
        assert by_id[attr].label == label
    titles = {s.id: s.title for s in lay.sections}
    for sid, title in V4_SECTION_TITLES.items():
        assert titles[sid] == title
    assert "metadata" not in titles
    assert [f.key for f in atrs_standard().facets] == GOVUK_FACETS


def test_dpia_templates_match_the_law_and_the_ico_steps() -> None:
    part3 = dpia_standard().template("part3")
    statutory = [(s.ref, s.title.lower()) for s in part3.sections if s.required]
    assert len(statutory) == 4
    for (ref, title), (want_ref, want) in zip(statutory, PART3_CONTENTS, strict=True):
        assert ref == want_ref and title.startswith(want)
    description = next(s for s in part3.sections if s.ref == "(a)")
    assert [p.title.split()[0] for p in description.parts] == S64_4
    ico = dpia_standard().template("uk_gdpr")
    assert [s.title for s in ico.sections] == ICO_STEPS
    assert [s.ref for s in ico.sections] == [f"Step {i}" for i in range(1, 8)]


# -- the drafts, field by field ---------------------------------------------------------
@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.stem)
def test_atrs_json_has_every_field_filled_or_marked(scenario: Path) -> None:
    bank, summary = shipped_summary(scenario)
    record = json.loads(render(summary, "atrs-json", bank.documents))
    assert record["standard_version"] == "4.0" and record["draft"] is True
    flat: dict[str, str] = {}
    for key in ("title_information", "tier_1"):
        flat.update(record[key])
    for section in record["tier_2"].values():
        flat.update(section)
    assert set(flat) == {attr for _, attr in v4_fields()} | set(V4_NEW)
    assert all(isinstance(v, str) and v.strip() for v in flat.values())
    assert sorted(record["to_complete"]) == sorted(k for k, v in flat.items() if v == "to complete")
    assert 0 < len(record["to_complete"]) < len(flat)  # some filled, some honestly left open
    assert list(record["publishing_metadata"]) == GOVUK_FACETS
    for merged in V4_MERGED.values():
        assert not set(merged) & set(flat)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.stem)
def test_every_mapped_answer_reaches_its_field(scenario: Path) -> None:
    """Each answer the mapping names and the scenario gives appears in the field (with its note)."""
    bank, summary = shipped_summary(scenario)
    assert bank.documents is not None
    record = json.loads(render(summary, "atrs-json", bank.documents))
    flat = {
        k: v
        for part in (record["title_information"], record["tier_1"], *record["tier_2"].values())
        for k, v in part.items()
    }
    merged_into = {m: t for t, ms in V4_MERGED.items() for m in ms}
    answers = {a.question_id: a for a in summary.answers if a.status == "answered"}
    filler = Filler(summary)
    checked = 0
    for field_id, sources in bank.documents.atrs.fields.items():
        target = merged_into.get(field_id, field_id)
        if target not in flat:
            continue  # a metadata field v4.0 moved to the publishing facets
        for s in sources:
            a = answers.get(s.answer or "")
            if a is None or not filler.applies(s):
                continue
            expected = (
                [
                    s.values[str(v)]
                    for v in (a.answer if isinstance(a.answer, list) else [a.answer])
                    if str(v) in s.values
                ]
                if s.values
                else [a.answer_label]
            )
            for text in expected:
                # A requirement is said to the team (what the field must describe), never published in the field.
                where = record["required_here"].get(target, "") if s.requires else flat[target]
                assert text in where, (field_id, s.answer)
                assert not s.requires or (text not in flat[target] and text in " ".join(record["before_publication"]))
                checked += 1
            if s.note and a.note.strip():
                assert " ".join(a.note.split())[:40] in flat[target]
    assert checked > 20


def test_atrs_markdown_lists_every_field_with_its_id(small_bank: Bank) -> None:
    bank, summary = shipped_summary(SCENARIOS[0])
    text = render(summary, "atrs", bank.documents)
    for ref, attr in v4_fields():
        assert re.search(rf"^#### {re.escape(ref)} .+\n\n\*Field `{attr}`", text, re.M), attr
    for attr in V4_NEW:
        assert f"*Field `{attr}` · " in text
    assert text.count("**To complete.**") == len(
        json.loads(render(summary, "atrs-json", bank.documents))["to_complete"]
    )


def test_a_gap_answer_says_why_the_field_is_to_complete() -> None:
    bank = load_bank()
    answers = read_answers(SCENARIOS[0])
    answers.answers["E12"] = "named"
    answers.answers["E12a"] = "dont_know"
    summary = run_answers(bank, answers).assessment.summary(final=True)
    record = json.loads(render(summary, "atrs-json", bank.documents))
    assert record["tier_2"]["owner_and_responsibility"]["senior_responsible_owner"] == "to complete"
    md = render(summary, "atrs", bank.documents)
    assert "E12a was answered “don't know”" in md


def test_project_details_fill_the_title_and_owner_fields() -> None:
    bank = load_bank()
    answers = read_answers(SCENARIOS[0])
    a = run_answers(bank, answers).assessment
    summary = a.summary(final=True)
    summary.project.name = "Hotspot pilot"
    record = json.loads(render(summary, "atrs-json", bank.documents))
    assert record["title_information"]["title"] == "Hotspot pilot"
    assert record["tier_1"]["name"] == "Hotspot pilot"


def test_every_project_detail_reaches_the_drafts() -> None:
    bank, summary = shipped_summary(SCENARIOS[0])
    details = {"name": "Hotspot pilot", "organisation": "Westmoor Police", "role": "DI, project lead",
               "sro": "ACC Crime", "contact": "analytics@westmoor.police.uk"}  # fmt: skip
    summary = summary.model_copy(update={"project": summary.project.model_copy(update=details)})
    record = json.loads(render(summary, "atrs-json", bank.documents))
    assert record["title_information"]["organisation_name"] == "Westmoor Police"
    assert record["tier_2"]["owner_and_responsibility"]["organisation_or_department"] == "Westmoor Police"
    assert record["tier_2"]["owner_and_responsibility"]["senior_responsible_owner"].startswith("ACC Crime")
    assert record["tier_1"]["contact_email"] == "analytics@westmoor.police.uk"
    dpia = render(summary, "dpia", bank.documents)
    for value in details.values():
        assert value in dpia.replace("\\", "")


def test_risks_carry_their_mitigation_owner_due_and_status(small_bank: Bank) -> None:
    bank, summary = shipped_summary(next(p for p in SCENARIOS if "child" in p.stem))
    risks = json.loads(render(summary, "atrs-json", bank.documents))["tier_2"][
        "risks_mitigations_and_impact_assessments"
    ]
    lines = risks["risks_and_mitigations"].split("\n")
    # One line per harm to people, each with its own mitigations: every safeguard of the plan once, no process work.
    safeguards = [a for a in summary.actions if not is_process(a)]
    assert len(lines) == len({a.theme for a in safeguards}) > 1
    assert all(" could be harmed if " in line and "Planned mitigations: " in line for line in lines)
    for a in safeguards:
        said = a.action.rstrip(".")
        assert sum(said[1:] in line for line in lines) == 1, a.action
    assert not any(a.action.rstrip(".")[1:] in risks["risks_and_mitigations"] for a in summary.actions if is_process(a))


def _sections(md: str) -> list[str]:
    return re.findall(r"^### (.+)$", md, re.M)


def _with_regime(value: str) -> tuple[Bank, Summary]:
    bank = load_bank()
    answers = read_answers(SCENARIOS[0])
    answers.answers["S3"] = "personal"
    answers.answers["S4"] = value
    return bank, run_answers(bank, answers).assessment.summary(final=True)


def test_part3_dpia_has_the_s64_contents_in_order() -> None:
    bank, summary = _with_regime("part3")
    md = render(summary, "dpia", bank.documents)
    heads = [h.lower() for h in _sections(md)]
    positions = [next(i for i, h in enumerate(heads) if h.startswith(f"{ref} {want}")) for ref, want in PART3_CONTENTS]
    assert positions == sorted(positions)
    for part in S64_4:
        assert f"#### {part} of the processing" in md
    assert "Step 1" not in md and "Regime from S4" in md


def test_uk_gdpr_dpia_follows_the_ico_steps() -> None:
    bank, summary = _with_regime("gdpr")
    heads = _sections(render(summary, "dpia", bank.documents))
    assert heads == [f"Step {i}: {title}" for i, title in enumerate(ICO_STEPS, 1)]


def test_both_regimes_give_both_documents_and_an_unknown_regime_is_flagged() -> None:
    bank, summary = _with_regime("both")
    md = render(summary, "dpia", bank.documents)
    assert (
        "## Data protection impact assessment (DPA 2018 Part 3" in md
        and "## Data protection impact assessment (UK GDPR" in md
    )
    bank, summary = _with_regime("not_sure")
    md = render(summary, "dpia", bank.documents)
    assert "The legal regime is not confirmed (S4 was answered" in md and "Step 1" not in md


def test_dpia_measures_are_the_action_plan_with_its_tracking() -> None:
    bank = load_bank()
    answers = read_answers(SCENARIOS[0])
    answers.answers.update({"S3": "personal", "S4": "part3"})
    a = run_answers(bank, answers).assessment
    first = next(x for x in a.summary(final=True).actions if not is_process(x))
    a.track(first.id or first.question_id, owner="Head of Legal", due="2027-01-15", status="in progress")
    summary = a.summary(final=True)
    md = render(summary, "dpia", bank.documents)
    measures = md.split("### (c) ")[1].split("### (d) ")[0]
    # The measures are the plan's safeguards for people, each once; the process work is still to complete.
    assert measures.count("status: open") == sum(1 for x in summary.actions if not is_process(x)) - 1
    assert "Owner: Head of Legal; due: 2027-01-15; status: in progress." in measures
    todo = md.split("## Still to complete before sign-off")[1].split("\n## ")[0]
    for x in summary.actions:
        assert (x.action.rstrip(".")[1:] in todo) == is_process(x), x.action


@pytest.mark.parametrize("regime", ["part3", "gdpr", "both", "not_sure"])
def test_dpia_json_holds_every_section_of_the_markdown_draft_by_id(regime: str) -> None:
    """Section by section (and part by part), the JSON says what the Markdown says, keyed by the standard's ids."""
    bank, summary = _with_regime(regime)
    md = render(summary, "dpia", bank.documents).replace("\\", "")
    doc = json.loads(render(summary, "dpia-json", bank.documents))
    assert doc["draft"] is True and doc["to_complete_marker"] == "to complete"
    expected = {"part3": ["part3"], "gdpr": ["uk_gdpr"], "both": ["part3", "uk_gdpr"], "not_sure": ["part3"]}[regime]
    assert doc["regimes"] == expected and list(doc["templates"]) == expected
    assert ("not confirmed" in doc["regime_note"]) == (regime == "not_sure")
    assert doc["project"]["name"] == summary.project.name or doc["project"]["name"] == "to complete"
    missing = []
    for key in expected:
        template = dpia_standard().template(key)
        got = doc["templates"][key]
        assert got["title"] == template.title and f"## {template.title}" in md
        assert list(got["sections"]) == [s.id for s in template.sections]
        if key == "part3":
            required = [(x["ref"], x["title"].lower()) for x in got["sections"].values() if x["required"]]
            assert len(required) == len(PART3_CONTENTS)
            for (ref, title), (want_ref, want) in zip(required, PART3_CONTENTS, strict=True):
                assert ref == want_ref and title.startswith(want)
            description = next(x for x in got["sections"].values() if x["ref"] == "(a)")
            assert [p["title"].split()[0] for p in description["parts"].values()] == S64_4
        else:
            assert [x["title"] for x in got["sections"].values()] == ICO_STEPS
        for section in template.sections:
            entry = got["sections"][section.id]
            head = (f"{section.ref}: " if section.ref.startswith("Step") else f"{section.ref} ") if section.ref else ""
            body = md.split(f"## {template.title}")[1].split(f"### {head}{section.title}\n")[1].split("\n### ")[0]
            blocks = [(section.id, entry)] + [(f"{section.id}.{p}", e) for p, e in entry.get("parts", {}).items()]
            for ident, block in blocks:
                if block["text"] is None:  # a section whose content is its parts
                    assert section.parts and not block["to_complete"]
                    continue
                if block["to_complete"]:
                    missing.append(f"{key}.{ident}")
                    assert block["text"] == "to complete" and not block["lines"]
                    assert "**To complete.**" in body
                else:
                    assert block["text"] == "\n".join(block["lines"]) and block["sources"]
                    for line in block["lines"]:
                        assert line.replace("\\", "") in body, (ident, line)
            assert ("to_assess" in entry) == (section.id in ("risks", "measures"))
    assert doc["to_complete"] == missing and md.count("**To complete.**") == len(missing)


def test_dpia_json_without_a_mapping_leaves_every_section_to_complete(small_bank: Bank) -> None:
    doc = json.loads(render(play(small_bank, BEFORE).summary(final=True), "dpia-json"))
    assert doc["regimes"] == ["part3"] and "no documents mapping" in doc["regime_note"]
    part3 = dpia_standard().template("part3")
    unfilled = [k for k in part3.keys() if not any(s.id == k and s.parts for s in part3.sections)]
    assert doc["to_complete"] == [f"part3.{k}" for k in unfilled]


def test_dpia_json_from_the_command_line(tmp_path: Path) -> None:
    session = tmp_path / "s.json"
    out = tmp_path / "dpia.json"
    assert (
        main(["run", "--answers", str(SCENARIOS[0]), "--save", str(session), "--format", "dpia-json", "-o", str(out)])
        == 0
    )
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["document"] == "Data protection impact assessment" and doc["templates"]


# -- a bank's own mapping ---------------------------------------------------------------
def _small_with(tmp_path: Path, mapping: str) -> Path:
    folder = tmp_path / "bank"
    shutil.copytree(SMALL_BANK, folder)
    (folder / "documents.yaml").write_text(mapping, encoding="utf-8")
    return folder


def test_an_organisations_bank_maps_its_own_questions(tmp_path: Path) -> None:
    folder = _small_with(
        tmp_path,
        "atrs:\n  fields:\n    senior_responsible_owner: [{answer: R1, label: Owner named}]\n"
        "    phase: [{answer: P1, values: {design: Pre-deployment, live: Production}}]\n"
        "dpia:\n  regime: {default: [uk_gdpr]}\n  sections:\n    necessity: [{answer: E1}, {answer: E1a}]\n",
    )
    bank = load_bank(folder)
    summary = play(bank, BEFORE).summary(final=True)
    record = json.loads(render(summary, "atrs-json", bank.documents))
    # A bare "Yes" says nothing beside a label: it is given with the bank's own question.
    assert record["tier_2"]["owner_and_responsibility"]["senior_responsible_owner"] == (
        "Is there a named owner for live operation? Yes"
    )
    assert record["title_information"]["phase"] == "Pre-deployment"
    dpia = render(summary, "dpia", bank.documents)
    step4 = dpia.split("### Step 4")[1].split("### Step 5")[0]
    assert "Partly" in step4 and "Legal services to advise by June" in step4 and "Force solicitor consulted" in step4


def test_a_bank_without_a_mapping_drafts_an_empty_record(small_bank: Bank) -> None:
    summary = play(small_bank, BEFORE).summary(final=True)
    record = json.loads(render(summary, "atrs-json", small_bank.documents))
    assert small_bank.documents is None
    assert set(record["to_complete"]) >= {"title", "description", "risks_and_mitigations"}
    assert "no documents mapping" in render(summary, "dpia")


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ("atrs:\n  fields:\n    nonsense: [{answer: E1}]\n", "'nonsense' is not an ATRS field"),
        ("atrs:\n  fields:\n    team: [{answer: ZZ9}]\n", "unknown question 'ZZ9'"),
        ("atrs:\n  fields:\n    phase: [{answer: P1, values: {beta: Beta}}]\n", "P1 has no option 'beta'"),
        ("atrs:\n  fields:\n    team: [{answer: E1a, values: {x: y}}]\n", "values given for E1a, which has no options"),
        (
            "atrs:\n  fields:\n    team: [{answer: E1, text: both}]\n",
            "give exactly one of answer, project, summary or text",
        ),
        ("dpia:\n  sections:\n    appendix: [{text: x}]\n", "'appendix' is not a DPIA section"),
        ("dpia:\n  regime: {question: P1, values: {nope: [part3]}}\n", "P1 has no option 'nope'"),
        ("atrs:\n  version: '9.9'\n", "no ATRS version '9.9'"),
        ("dpia:\n  status: {question: P1, complete: [finished]}\n", "P1 has no option 'finished'"),
        ("dpia:\n  status: {question: ZZ9, complete: [done]}\n", "unknown question 'ZZ9'"),
        ("dpia:\n  status: {complete: [done]}\n", "dpia.status: complete needs a question"),
    ],
)
def test_the_linter_checks_every_reference_in_the_mapping(tmp_path: Path, mapping: str, message: str) -> None:
    folder = _small_with(tmp_path, mapping)
    result = lint(folder)
    assert result.bank is None
    assert any(message in p.message and p.file.endswith("documents.yaml") and p.line >= 1 for p in result.problems), (
        result.problems
    )


def test_hostile_notes_cannot_inject_markdown(tmp_path: Path, small_bank: Bank) -> None:
    folder = _small_with(
        tmp_path, "atrs:\n  fields:\n    team: [{answer: E1}]\ndpia:\n  sections:\n    risks: [{answer: E1}]\n"
    )
    bank = load_bank(folder)
    a = play(bank, BEFORE)
    a.session.notes["E1"] = "[click](https://evil.example) <script>x</script>\n# heading"
    from flows import Assessment

    summary = Assessment(bank, a.session).summary(final=True)
    for fmt in ("atrs", "dpia"):
        text = render(summary, fmt, bank.documents)
        assert "[click](" not in text and "<script>" not in text and "\n# heading" not in text


# -- the command line ---------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["atrs", "atrs-json", "dpia", "dpia-json"])
def test_report_and_run_write_the_drafts(tmp_path: Path, fmt: str) -> None:
    session = tmp_path / "s.json"
    out = tmp_path / f"draft.{fmt}"
    assert main(["run", "--answers", str(SCENARIOS[0]), "--save", str(session), "--format", fmt, "-o", str(out)]) == 0
    first = out.read_text(encoding="utf-8")
    assert out.stat().st_mode & 0o777 == 0o600
    again = tmp_path / f"again.{fmt}"
    assert main(["report", str(session), "--format", fmt, "-o", str(again)]) == 0
    assert again.read_text(encoding="utf-8") == first
    if fmt.endswith("-json"):
        assert json.loads(first)["draft"] is True


def test_drafts_from_a_saved_session_of_an_organisations_bank(tmp_path: Path, small_bank: Bank) -> None:
    folder = _small_with(tmp_path, "atrs:\n  fields:\n    team: [{answer: E1}]\n")
    session = saved(load_bank(folder), BEFORE, tmp_path / "s.json")
    out = tmp_path / "a.json"
    assert main(["--bank", str(folder), "report", str(session), "--format", "atrs-json", "-o", str(out)]) == 0
    assert json.loads(out.read_text())["tier_2"]["owner_and_responsibility"]["team"].startswith("Partly")


# -- hostile text, through the reliability suite's checks ---------------------------------
HOSTILE_MAP = (
    "atrs:\n  fields:\n    title: [{project: name}]\n    team: [{answer: P1}]\n    benefit: [{answer: E1a}]\n"
    "    risks_and_mitigations: [{summary: risks}]\n"
    "dpia:\n  sections:\n    need: [{answer: P1}]\n    risks: [{answer: E1a}]\n    measures: [{summary: actions}]\n"
)


@pytest.mark.parametrize("fmt", ["atrs", "atrs-json", "dpia", "dpia-json"])
@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_text_in_the_drafts_is_inert_and_readable(tmp_path: Path, kind: str, fmt: str) -> None:
    bank = load_bank(_small_with(tmp_path, HOSTILE_MAP))
    out = render(hostile_summary(bank, HOSTILE[kind]), fmt, bank.documents)
    assert CONTROL.search(out) is None and BIDI.search(out) is None
    seen = visible_text("json" if fmt.endswith("-json") else "md", out)
    words = readable(HOSTILE[kind])
    if kind == "paste-1mb":
        assert seen.count("lorem ipsum dolor") >= MB // 18
    else:
        assert " ".join(words) in " ".join(seen.split()), (words, seen[:300])
    if not fmt.endswith("-json"):
        root, _ = parse(MarkdownIt("gfm-like").render(out))
        assert not {e.tag for e in root.iter()} & {"script", "img", "iframe", "object", "embed"}
        for el in root.iter():
            assert not any(name.startswith("on") for name in el.attrs)
            assert "evil.example" not in (el.attrs.get("href") or "") + (el.attrs.get("src") or "")


def test_a_source_worded_for_one_regime_appears_only_under_it() -> None:
    """``only_if`` / ``unless`` pick the wording by answer: special category data under the UK GDPR,
    sensitive processing under Part 3, never both; the sign-off states that regime's consultation test."""
    gdpr = next(p for p in SCENARIOS if "uk-gdpr" in p.stem)
    bank, summary = shipped_summary(gdpr)
    assert bank.documents is not None
    text = render(summary, "dpia", bank.documents)
    assert "Special category data (UK GDPR Art 9)" in text and "Sensitive processing (DPA" not in text
    assert "UK GDPR Art 36(1)" in text and "s.65(2)" not in text
    part3 = read_answers(gdpr)
    part3.answers["S4"] = "part3"
    text3 = render(run_answers(bank, part3).assessment.summary(final=True), "dpia", bank.documents)
    assert "Sensitive processing (DPA 2018 s.35(8))" in text3 and "Special category data (UK GDPR" not in text3
    assert "s.65(2)" in text3 and "Art 36(1)" not in text3


def test_an_action_line_never_reads_dot_semicolon() -> None:
    from assistant.reports.documents import action_line
    from flows.summary import Action

    a = Action(question_id="D5", action="Complete the DPIA.", priority="blocker", owner="HR data lead (no date).")
    line = action_line(a)
    assert ".;" not in line and "Owner: HR data lead (no date); due: not set; status: open." in line


@pytest.mark.parametrize(
    ("case", "running"),
    [("20-live-da-triage-unknowns", True), ("46-approval-recruitment-sift-automated-ukgdpr", False)],
)
def test_the_dpia_draft_says_when_it_is_due_and_takes_the_sro_from_the_answers(case: str, running: bool) -> None:
    bank, summary = shipped_summary(Path(__file__).parents[1] / "casebook" / f"{case}.yaml")
    assert not summary.project.sro  # skipped as a project detail...
    text = render(summary, "dpia", bank.documents)
    assert ("already running" in text and "overdue" in text) is running
    assert ("must be completed before the processing starts" in text) is not running
    sro = next(line for line in text.splitlines() if line.startswith("| Senior responsible owner |"))
    assert "to complete" not in sro  # ...but answered in the bank's SRO question, as the ATRS mapping says
