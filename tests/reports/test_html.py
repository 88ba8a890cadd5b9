"""The HTML report: one self-contained, accessible, printable file with every section a reader needs."""

from __future__ import annotations

import re

from assistant.reports import render
from flows import Summary
from tests.reports.htmlparse import Element, parse

SECTIONS = ("verdict", "tier", "dimensions", "blockers", "conditions", "actions", "gaps", "answers")


def doc(summary: Summary) -> tuple[Element, str]:
    html = render(summary, "html")
    root, errors = parse(html)
    assert errors == [], errors
    return root, html


def section(root: Element, ident: str) -> Element:
    el = root.by_id(ident)
    assert el is not None, f"no #{ident}"
    assert el.tag == "section"
    return el


def test_is_a_well_formed_document_with_language_title_and_headings(before: Summary) -> None:
    root, html = doc(before)
    assert html.startswith("<!DOCTYPE html>")
    (page,) = root.iter("html")
    assert page.attrs["lang"] == "en-GB"
    assert root.iter("title")[0].text() == "Readiness summary: Hotspot mapping pilot"
    h1s = root.iter("h1")
    assert [h.text() for h in h1s] == ["Hotspot mapping pilot"]
    assert root.iter("main"), "content is in a <main> landmark"


def test_every_section_is_present_with_a_real_heading(before: Summary) -> None:
    root, _ = doc(before)
    for ident in SECTIONS:
        sec = section(root, ident)
        headings = sec.iter("h2")
        assert headings, f"#{ident} has no h2"
        assert sec.attrs.get("aria-labelledby") == headings[0].attrs.get("id")
    assert "Verdict: Not ready" in section(root, "verdict").iter("h2")[0].text()
    assert before.impact_tier == 4
    assert section(root, "tier").iter("h2")[0].text() == "Impact tier IV of IV: very high impact"


def test_header_names_project_assessor_date_bank_and_its_provenance(before: Summary) -> None:
    root, _ = doc(before)
    (header,) = root.iter("header")
    meta = dict(zip((d.text() for d in header.iter("dt")), (d.text() for d in header.iter("dd")), strict=True))
    assert meta["Assessor"] == "DI Jane Smith"
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}.*", meta["Date"])
    assert "Small fixture bank" in meta["Question bank"]
    assert "fixture-small version 1.0" in meta["Question bank"]
    assert "Test fixture written for ceder's own tests" in header.text()


def test_verdict_reasons_tier_reasons_and_demands(before: Summary) -> None:
    root, _ = doc(before)
    verdict = section(root, "verdict").text()
    # The verdict counts the blockers and names where they are; the full list is printed once, under Blockers.
    assert "1 blocker stands" in verdict and "listed under Blockers: D2" in verdict
    assert "Sensitive processing without an appropriate policy document" not in verdict
    assert "Sensitive processing without an appropriate policy document" in section(root, "blockers").text()
    tier = section(root, "tier")
    assert "places the project in tier IV" in tier.text()
    assert "What tier IV demands" in [h.text() for h in tier.iter("h3")]
    assert "Independent evaluation before scale-up." in [li.text() for li in tier.iter("li")]


def test_dimension_table_has_headers_scores_and_ratings_in_words(before: Summary) -> None:
    root, _ = doc(before)
    sec = section(root, "dimensions")
    (table,) = sec.iter("table")
    headers = [th.text() for th in table.iter("thead")[0].iter("th")]
    assert headers[:3] == ["Dimension", "Score", "Maximum"]
    assert "Rating" in headers
    assert all(th.attrs.get("scope") == "col" for th in table.iter("thead")[0].iter("th"))
    rows = table.iter("tbody")[0].iter("tr")
    assert len(rows) == 5
    by_dim = {r.iter("th")[0].text(): [td.text() for td in r.iter("td")] for r in rows}
    for dim in before.dimensions:
        cells = next(v for k, v in by_dim.items() if k.startswith(dim.title))
        assert cells[0] == f"{dim.score:g}" and cells[1] == f"{dim.max_score:g}"
        assert dim.rating.capitalize() in cells[5], "rating is written in words, not only colour"


def test_chart_is_inline_svg_with_a_text_alternative(before: Summary) -> None:
    root, _ = doc(before)
    svgs = section(root, "dimensions").iter("svg")
    assert svgs
    chart = svgs[0]
    assert chart.attrs.get("role") == "img"
    assert chart.iter("title") and chart.iter("desc")
    desc = chart.iter("desc")[0].text()
    for dim in before.dimensions:
        assert dim.title in desc
    # One bar per dimension: the filled rectangles carry the rating colours.
    assert len([r for r in chart.iter("rect") if r.attrs.get("fill") in {"#c62828", "#e69500", "#2e7d32"}]) == sum(
        1 for d in before.dimensions if (d.percent or 0) > 0
    )
    assert section(root, "tier").iter("svg")[0].attrs.get("role") == "img"


def test_blockers_conditions_actions_and_gaps(before: Summary) -> None:
    root, _ = doc(before)
    blockers = [li.text() for li in section(root, "blockers").iter("li")]
    assert len(blockers) == len(before.blockers) == 1
    assert "D2" in blockers[0]
    conditions = [li.text() for li in section(root, "conditions").iter("li")]
    assert len(conditions) == len(before.conditions)
    rows = section(root, "actions").iter("tbody")[0].iter("tr")
    assert len(rows) == len(before.actions)
    priorities = [r.iter("td")[1].text() for r in rows]
    # Conditions name the gate they are for (a later gate in brackets), never "the next gate".
    order = {"Blocker": 0, "Condition for approval to pilot or go live": 1, "Improvement": 3}
    assert priorities == sorted(priorities, key=lambda p: order.get(p, 2)), "ordered by priority"
    assert not any("next gate" in p for p in priorities)
    owners = {r.iter("td")[2].text(): r.iter("td")[4].text() for r in rows}
    assert any("Data Protection Officer" == o for o in owners.values())
    assert any(o == "not recorded" for o in owners.values())
    gaps = section(root, "gaps").iter("tbody")[0].iter("tr")
    assert [r.iter("td")[2].text() for r in gaps] == ["Don't know", "Skipped"]


def test_every_question_asked_appears_with_answer_points_note_and_why(before: Summary) -> None:
    root, _ = doc(before)
    sec = section(root, "answers")
    rows = [r for t in sec.iter("table") for r in t.iter("tbody")[0].iter("tr")]
    ids = [r.iter("td")[0].text() for r in rows]
    assert ids == [a.question_id for a in before.answers]
    row = dict(zip(ids, rows, strict=True))
    e1 = row["E1"]
    assert "Partly" in e1.iter("td")[2].text()
    assert e1.iter("td")[3].text() == "1 of 3"
    assert "Written advice still outstanding." in e1.iter("td")[2].text()
    assert "Follow-up: asked because E1" in row["E1a"].text()
    assert "Sources: NPCC AI Covenant - lawful" in e1.text()
    assert "Blocker" in row["D2"].text()
    # The dimension groups have their own headings.
    assert [h.text().split(" ·")[0] for h in sec.iter("h3")] == [
        "Project profile",
        "Complexity and Operational effect",
        "Ethics",
        "Data",
        "Efficacy",
        "Readiness",
    ]


def test_answers_set_aside_by_revisions_are_listed_separately(revised: Summary) -> None:
    root, _ = doc(revised)
    sec = section(root, "set-aside")
    assert [r.iter("td")[0].text() for r in sec.iter("tbody")[0].iter("tr")] == ["C1a"]
    assert "Arrest; Bail" in sec.text()
    answered = [r.iter("td")[0].text() for t in section(root, "answers").iter("table") for r in t.iter("tr")[1:]]
    assert "C1a" not in answered


def test_no_set_aside_section_without_revisions(before: Summary) -> None:
    root, _ = doc(before)
    assert root.by_id("set-aside") is None


def test_unfinished_assessment_is_marked_as_a_draft(unfinished: Summary) -> None:
    root, _ = doc(unfinished)
    draft = [p for p in root.iter("p") if "draft" in (p.attrs.get("class") or "")]
    assert draft and "not finished" in draft[0].text()
    assert "Not reached" in section(root, "gaps").text()


def test_group_disagreement_is_shown_per_participant(group: Summary) -> None:
    root, _ = doc(group)
    assert "analyst, DPO" in root.iter("header")[0].text()
    e2 = next(r for r in section(root, "answers").iter("tr") if r.iter("td") and r.iter("td")[0].text() == "E2")
    text = e2.text()
    assert "Participants disagreed" in text
    assert "analyst: Medium" in text and "DPO: Low" in text


def test_self_contained_no_scripts_and_no_external_references(before: Summary) -> None:
    root, _ = doc(before)
    tags = {e.tag for e in root.iter()}
    assert not tags & {"script", "link", "iframe", "img", "object", "embed", "frame", "base", "form", "audio", "video"}
    for el in root.iter():
        for name, value in el.attrs.items():
            assert not name.startswith("on"), f"event handler {name} on <{el.tag}>"
            if name in {"href", "xlink:href"}:
                assert value is not None and value.startswith("#"), f"external link {value!r}"
            assert name not in {"src", "srcset", "action", "formaction", "background", "poster"}
    styles = " ".join(s.text() for s in root.iter("style"))
    assert styles, "CSS is inline"
    assert "url(" not in styles and "@import" not in styles
    assert not re.search(r"(?i)\b(?:https?:)?//[a-z0-9]", styles)
    csp = [m for m in root.iter("meta") if m.attrs.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in (csp[0].attrs["content"] or "")


def test_print_stylesheet_and_page_breaks(before: Summary) -> None:
    _, html = doc(before)
    assert "@media print" in html and "@page" in html
    assert "break-inside: avoid" in html
    assert "table-header-group" in html, "table headers repeat on each printed page"
