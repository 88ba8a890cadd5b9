"""JSON (SPEC 3.5), CSV and Markdown reports of the fixture sessions."""

from __future__ import annotations

import csv
import io
import json

import pytest
from markdown_it import MarkdownIt

from assistant.reports import ALL_FORMATS, EXTENSIONS, FORMATS, render
from flows import Summary
from flows.answers_file import read_answers, run_answers
from flows.gates import priority_label
from question_banks import Bank
from tests.reports.conftest import BEFORE
from tests.reports.htmlparse import parse

SPEC_KEYS = {
    "schema_version",
    "verdict",
    "impact_tier",
    "dimensions",
    "blockers",
    "conditions",
    "actions",
    "evidence_gaps",
    "asked",
}
SPEC_DIMENSION_KEYS = {"id", "title", "score", "max_score", "rating", "asked", "answered"}


def test_formats_and_unknown_format() -> None:
    assert set(FORMATS) == {"md", "html", "json", "csv", "actions-csv"}
    assert set(ALL_FORMATS) == set(FORMATS) | {"atrs", "atrs-json", "dpia", "dpia-json"} == set(EXTENSIONS)
    with pytest.raises(ValueError, match="unknown report format 'pdf'"):
        render(Summary.model_validate(json.loads(_minimal())), "pdf")


def _minimal() -> str:
    dims = [
        {"id": d, "title": d, "score": 0, "max_score": 0, "rating": "red", "asked": 0, "answered": 0}
        for d in ("complexity", "ethics", "data", "efficacy", "readiness")
    ]
    return json.dumps(
        {
            "verdict": "ready",
            "impact_tier": 1,
            "dimensions": dims,
            "blockers": [],
            "conditions": [],
            "actions": [],
            "evidence_gaps": [],
            "asked": [],
        }
    )


@pytest.mark.parametrize("fmt", ["md", "html", "csv", "json"])
def test_a_bare_spec_summary_renders_in_every_format(fmt: str) -> None:
    """A summary with only SPEC 3.5 keys (say, from an older ceder) still renders."""
    out = render(Summary.model_validate(json.loads(_minimal())), fmt)
    assert out.strip()


def test_json_is_spec_3_5_extended_only_by_new_keys(before: Summary) -> None:
    data = json.loads(render(before, "json"))
    assert SPEC_KEYS <= data.keys()
    assert data["schema_version"] == 1
    assert data["verdict"] == "not_ready" and data["blockers"], "not_ready whenever a blocker stands"
    assert data["impact_tier"] in {1, 2, 3, 4}
    assert [d["id"] for d in data["dimensions"]] == ["complexity", "ethics", "data", "efficacy", "readiness"]
    for d in data["dimensions"]:
        assert SPEC_DIMENSION_KEYS <= d.keys()
        assert d["rating"] in {"red", "amber", "green"}
        assert isinstance(d["score"], float) and isinstance(d["max_score"], float)
    for key in ("blockers", "conditions"):
        assert all({"question_id", "message"} <= f.keys() for f in data[key])
    assert all({"question_id", "action", "priority"} <= a.keys() for a in data["actions"])
    assert all(g["reason"] in {"dont_know", "skipped", "unanswered"} for g in data["evidence_gaps"])
    assert data["asked"] == [a.question_id for a in before.answers]
    assert Summary.model_validate(data) == before, "round-trips"


def test_json_carries_per_answer_flags(before: Summary) -> None:
    data = json.loads(render(before, "json"))
    flags = {a["question_id"]: a["flags"] for a in data["answers"]}
    assert "blocker" in flags["D2"]
    assert "condition" in flags["E2"]
    assert flags["D1"] == ["weak", "gap"]
    assert flags["F1"] == ["weak", "gap"]
    assert flags["R1"] == []


def test_csv_has_one_row_per_question_asked(before: Summary) -> None:
    text = render(before, "csv")
    assert text.startswith("\ufeff"), "byte-order mark so spreadsheets read UTF-8"
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header, *rows = list(reader)
    assert header == ["dimension", "id", "question", "answer", "points", "max", "flags", "note"]
    assert [r[1] for r in rows] == before.asked
    by_id = {r[1]: dict(zip(header, r, strict=True)) for r in rows}
    e1 = by_id["E1"]
    assert e1["dimension"] == "ethics"
    assert e1["question"] == "Is the legal power identified?"
    assert (e1["answer"], e1["points"], e1["max"]) == ("Partly", "1", "3")
    assert e1["note"] == "Force solicitor consulted informally.\n\nWritten advice still outstanding."
    assert by_id["D2"]["flags"] == "blocker;weak"
    assert by_id["E2"]["flags"] == "condition;weak"
    assert by_id["D1"]["flags"] == "weak;gap" and by_id["D1"]["answer"] == "Don't know"
    assert by_id["C2"]["points"] == "" and by_id["C2"]["max"] == "", "unscored questions leave points empty"
    assert "\r\n" in text


def test_csv_uses_the_wording_actually_asked(small_bank: Bank) -> None:
    answers = read_answers(BEFORE)
    answers.answers["P1"] = "live"
    live = run_answers(small_bank, answers).assessment.summary(final=True)
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(render(live, "csv").lstrip("\ufeff")))}
    assert rows["R1"]["question"] == "Who owns the tool now that it is live?"


def md_html(summary: Summary) -> str:
    return str(MarkdownIt("gfm-like").render(render(summary, "md")))


def test_markdown_sections_in_order(before: Summary) -> None:
    md = render(before, "md")
    root, errors = parse(md_html(before))
    assert errors == []
    assert [h.text() for h in root.iter("h1")] == ["Readiness summary: Hotspot mapping pilot"]
    h2 = [h.text() for h in root.iter("h2")]
    expected = [
        "Verdict: Not ready",
        "Impact tier IV of IV",
        "Scores by dimension",
        "Blockers (1)",
        f"Conditions ({len(before.conditions)})",
        f"Action plan ({len(before.actions)})",
        f"Evidence gaps ({len(before.evidence_gaps)})",
        f"Questions and answers ({len(before.answers)})",
    ]
    assert len(h2) == len(expected)
    for got, want in zip(h2, expected, strict=True):
        assert want in got
    assert "Test fixture written for ceder's own tests" in md, "the bank's provenance note is in the header"
    assert "DI Jane Smith" in md and "fixture-small version 1.0" in md


def test_markdown_tables_render_as_tables(before: Summary) -> None:
    root, _ = parse(md_html(before))
    tables = root.iter("table")
    assert len(tables) == 3  # dimensions, actions, evidence gaps
    dims = tables[0]
    assert [th.text() for th in dims.iter("th")] == ["Dimension", "Score", "Share", "Rating", "0–5 score"]
    rows = dims.iter("tbody")[0].iter("tr")
    assert len(rows) == 5
    ethics = next(r for r in rows if r.iter("td")[0].text() == "Ethics")
    cells = [td.text() for td in ethics.iter("td")]
    dim = before.dimension("ethics")
    assert cells[1] == f"{dim.score:g} of {dim.max_score:g}", "score and maximum"
    assert "█" in cells[2] and f"{dim.percent:.0f}%" in cells[2], "a text bar chart"
    assert cells[3].startswith(dim.rating.capitalize()), "rating in words"
    assert cells[4].startswith(f"{dim.score_0_5}/5, tier minimum {dim.minimum_0_5}/5") and "below" in cells[4]
    actions = tables[1].iter("tbody")[0].iter("tr")
    assert [r.iter("td")[1].text() for r in actions] == [
        priority_label(a.priority, before.gate, before.gate_label, a.gate) for a in before.actions
    ]
    owners = [r.iter("td")[5].text() for r in actions]  # #, priority, action, theme, questions, owner
    assert "Data Protection Officer" in owners and "not recorded" in owners


def test_markdown_lists_every_answer_with_points_and_why(before: Summary) -> None:
    root, _ = parse(md_html(before))
    items = [li for li in root.iter("li") if li.iter("strong") and li.iter("strong")[0].text() in before.asked]
    assert [li.iter("strong")[0].text() for li in items] == before.asked
    e1a = next(li for li in items if li.iter("strong")[0].text() == "E1a")
    assert "Follow-up: asked because E1" in e1a.text()
    d2 = next(li for li in items if li.iter("strong")[0].text() == "D2").text()
    assert "Answer: No · 0 of 2 · Blocker" in d2
    assert "APD drafted but not signed." in d2


def test_markdown_set_aside_and_draft(revised: Summary, unfinished: Summary) -> None:
    md = render(revised, "md")
    assert "## Answers set aside by revisions (1)" in md
    tail = md.split("## Answers set aside by revisions")[1]
    assert "**C1a**" in tail and "Arrest; Bail" in tail
    draft = render(unfinished, "md")
    assert "> **Draft.** This assessment is not finished" in draft
    assert "Not reached" in draft


def test_the_project_details_head_the_report(small_bank) -> None:  # type: ignore[no-untyped-def]
    from flows import Assessment

    a = Assessment(small_bank)
    a.start()
    a.set_project(name="Custody triage", organisation="Northshire Police", assessor="Jo", role="Analyst")
    a.set_project(sro="CS Smith", contact="jo@example.org")
    summary = a.summary()
    md = render(summary, "md")
    head = md[: md.index("**Question bank:**")]
    for line in (
        "# Readiness summary: Custody triage",
        "- **Organisation:** Northshire Police",
        "- **Assessor:** Jo, Analyst",
        "- **Senior responsible owner:** CS Smith",
        "- **Contact:** jo@example.org",
    ):
        assert line in head
    html = render(summary, "html")
    assert "<dt>Senior responsible owner</dt><dd>CS Smith</dd>" in html
    assert "<dt>Organisation</dt><dd>Northshire Police</dd>" in html
    assert summary.model_dump(mode="json")["project"]["sro"] == "CS Smith"
