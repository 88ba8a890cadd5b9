"""A draft data protection impact assessment (DPIA), in the sections its regime requires.

Law enforcement processing (DPA 2018 Part 3) gets the contents s.64(3) lists, (a) to
(d), with the nature, scope, context and purposes s.64(4) asks the risk assessment to
weigh; general processing (UK GDPR) gets the ICO's seven steps, which cover Article
35(7). The regime comes from the bank's regime question (the mapping names it); a
project under both gets both, and an unconfirmed regime is said so at the top.
"""

from __future__ import annotations

import json

from assistant.reports.documents import TO_COMPLETE, Filled, Filler
from assistant.reports.risks import RUNNING, open_items
from assistant.reports.templating import version
from assistant.reports.text import clean, long_date, md_inline
from flows.summary import Summary
from question_banks.documents import DocumentMap, DpiaTemplate, Source, dpia_standard

PROJECT_ROWS = (
    ("Project", "name"),
    ("Organisation", "organisation"),
    ("Assessor", "assessor"),
    ("Assessor's role", "role"),
    ("Senior responsible owner", "sro"),
    ("Contact", "contact"),
)
ATRS_TWINS = {"sro": "senior_responsible_owner", "organisation": "organisation_or_department"}
"""Project rows the ATRS record maps too: its sources fill the row when the detail was skipped."""
STILL_TO_COMPLETE = (
    "Work on the assessment itself, not risks to the people affected: the DPIA's own completion, governance, "
    "answers to reconcile and answers not yet known. Each one can change the risks and measures below."
)


def _when(summary: Summary, filler: Filler, documents: DocumentMap | None) -> str:
    """When the DPIA is due: before processing starts, or now where the tool already processes data.

    Where the answers record the DPIA as done (the mapping's ``dpia.status``), it is not called
    overdue: it is to be kept under review.
    """
    rule = documents.dpia.status if documents else None
    detail = filler.value(rule.question) if rule and rule.question else None
    recorded = detail if detail is not None and detail.status == "answered" else None
    said = f"“{md_inline(clean(recorded.answer_label))}” ({rule.question})" if rule and recorded else ""
    if rule and recorded and str(recorded.answer) in rule.complete:
        return (
            f"The assessment records the DPIA's status as {said}: keep it under review, and update it when the "
            "tool, its data or its use changes."
        )
    if summary.stage in RUNNING:
        return (
            f"The processing is already running{f' and the assessment records the DPIA as {said}' if said else ''}, "
            "so a DPIA not yet completed is overdue: complete it now, and record the decision, taken on the DPO's "
            "advice, to continue or suspend the processing meanwhile."
        )
    return "The DPIA must be completed before the processing starts and kept under review."


ASSESS_RISK = (
    "For each risk, record how likely it is, how severe its impact on people would be, and the overall risk "
    "(to complete: the assessment cannot judge these for you)."
)
ASSESS_MEASURE = "For each measure, record its effect on the risk (eliminated, reduced or accepted) and the residual risk (to complete)."
ASSESS = {"risks": ASSESS_RISK, "measures": ASSESS_MEASURE}
"""What the team must add to a section whatever the assessment says (likelihood, severity, residual risk)."""


def regimes(summary: Summary, documents: DocumentMap | None) -> tuple[list[str], str]:
    """The regimes to draft for, and a sentence on how they were chosen."""
    if documents is None:
        return [
            "part3"
        ], "This question bank has no documents mapping, so the regime was not asked: confirm it with your DPO."
    rule = documents.dpia.regime
    if rule.question is None:
        return list(rule.default), ""
    detail = Filler(summary).value(rule.question)
    if detail is not None and detail.status == "answered" and str(detail.answer) in rule.values:
        return list(rule.values[str(detail.answer)]), f"Regime from {rule.question}: {clean(detail.answer_label)}."
    said = f"was answered “{clean(detail.answer_label)}”" if detail is not None else "was not answered"
    return list(rule.default), (
        f"The legal regime is not confirmed ({rule.question} {said}): this draft follows "
        f"{' and '.join(t.title for t in dpia_standard().templates if t.regime in rule.default)}. Confirm the regime with your DPO."
    )


def _body(filled: Filled, prompt: str) -> list[str]:
    if filled.to_complete:
        why = f" ({md_inline('; '.join(dict.fromkeys(filled.hints)))})" if filled.hints else ""
        return [f"**To complete.**{why} {md_inline(prompt)}", ""]
    lines = [f"*What to cover: {md_inline(prompt)}*", ""]
    lines += [f"- {md_inline(line)}" for line in filled.lines]
    return [*lines, "", f"*From {md_inline(', '.join(filled.sources))}.*", ""]


def _template_md(template: DpiaTemplate, filler: Filler, mapping: dict[str, list[Source]]) -> list[str]:
    out = [f"## {md_inline(template.title)}", "", f"> {md_inline(template.basis)}", ""]
    for s in template.sections:
        head = (f"{s.ref}: " if s.ref.startswith("Step") else f"{s.ref} ") if s.ref else ""
        out += [f"### {md_inline(head + s.title)}", ""]
        extra = "" if s.required else "not one of the contents the law lists for a DPIA"
        law = "; ".join(x for x in (s.law, extra) if x)
        if law:
            out += [f"*{md_inline(law[0].upper() + law[1:])}*", ""]
        filled = filler.fill(mapping.get(s.id, []))
        if s.parts and filled.to_complete:
            out += [f"*{md_inline(s.prompt)}*", ""]
        else:
            out += _body(filled, s.prompt)
        for p in s.parts:
            out += [f"#### {md_inline(p.title)}", ""]
            out += _body(filler.fill(mapping.get(f"{s.id}.{p.id}", [])), p.prompt)
        if s.id in ASSESS:
            out += [f"*{md_inline(ASSESS[s.id])}*", ""]
    return out


def render(summary: Summary, documents: DocumentMap | None = None) -> str:
    filler = Filler(summary)
    chosen, how = regimes(summary, documents)
    mapping = documents.dpia.sections if documents else {}
    name = clean(summary.project.name).strip()
    out = [
        f"# Data protection impact assessment (draft){': ' + md_inline(name) if name else ''}",
        "",
        f"*Drafted by ceder {md_inline(version())} from a CEDER self-assessment · "
        f"{md_inline(long_date(summary.project.date) if summary.project.date else 'undated')}*",
        "",
        "> **Draft for the Data Protection Officer.** Sections are filled from the assessment's answers and notes; "
        "every section marked *to complete* needs the project team's own words. " + _when(summary, filler, documents),
        "",
    ]
    if how:
        out += [f"> **Regime.** {md_inline(how)}", ""]
    out += ["| | |", "|:--|:--|"]
    for label, key in PROJECT_ROWS:
        value = clean(str(getattr(summary.project, key, "") or "")).strip()
        if not value and documents and ATRS_TWINS.get(key) in documents.atrs.fields:
            # Not given as a project detail, but the bank's ATRS mapping says which answer holds it.
            value = "; ".join(filler.fill(documents.atrs.fields[ATRS_TWINS[key]]).lines).strip()
        out.append(f"| {label} | {md_inline(value) if value else '*to complete*'} |")
    out.append(f"| CEDER self-assessment | {md_inline(filler.assessment())} |")
    out.append("")
    todo = open_items(summary)
    if todo:
        out += ["## Still to complete before sign-off", "", STILL_TO_COMPLETE, ""]
        out += [f"- {md_inline(line)}" for line in todo] + [""]
    standard = dpia_standard()
    for regime in chosen:
        out += _template_md(standard.template(regime), filler, mapping)
    out += [
        "---",
        "",
        "*A draft from a self-assessment: the answers are the assessor's own and have not been independently verified.*",
    ]
    return "\n".join(out).rstrip() + "\n"


# -- JSON -----------------------------------------------------------------------
def _filled_json(filled: Filled, prompt: str) -> dict[str, object]:
    return {
        "prompt": prompt,
        "text": filled.text,
        "lines": filled.lines,
        "sources": filled.sources,
        "to_complete": filled.to_complete,
        "why_to_complete": list(dict.fromkeys(filled.hints)) if filled.to_complete else [],
    }


def render_json(summary: Summary, documents: DocumentMap | None = None) -> str:
    """The same draft as JSON: per regime, one object per section keyed by its id (parts by theirs).

    A section with parts (Part 3's general description: nature, scope, context, purposes)
    holds its text in the parts; its own ``text`` is null unless the mapping fills it.
    ``to_complete`` lists every unfilled section and part as ``regime.section[.part]``.
    """
    filler = Filler(summary)
    chosen, how = regimes(summary, documents)
    mapping = documents.dpia.sections if documents else {}
    standard = dpia_standard()
    project = {key: clean(str(getattr(summary.project, key, "") or "")).strip() for _, key in PROJECT_ROWS}
    templates: dict[str, object] = {}
    missing: list[str] = []
    for regime in chosen:
        template = standard.template(regime)
        sections: dict[str, object] = {}
        for s in template.sections:
            filled = filler.fill(mapping.get(s.id, []))
            entry: dict[str, object] = {"ref": s.ref, "title": s.title, "law": s.law, "required": s.required}
            entry |= _filled_json(filled, s.prompt)
            if s.parts and filled.to_complete:
                entry |= {"text": None, "to_complete": False, "why_to_complete": []}
            elif filled.to_complete:
                missing.append(f"{regime}.{s.id}")
            if s.id in ASSESS:
                entry["to_assess"] = ASSESS[s.id]
            if s.parts:
                parts: dict[str, object] = {}
                for part in s.parts:
                    got = filler.fill(mapping.get(f"{s.id}.{part.id}", []))
                    parts[part.id] = {"title": part.title, "law": part.law} | _filled_json(got, part.prompt)
                    if got.to_complete:
                        missing.append(f"{regime}.{s.id}.{part.id}")
                entry["parts"] = parts
            sections[s.id] = entry
        templates[regime] = {"title": template.title, "basis": template.basis, "sections": sections}
    out: dict[str, object] = {
        "document": "Data protection impact assessment",
        "standard": standard.id,
        "draft": True,
        "generated_by": f"ceder {version()}",
        "assessment": filler.assessment(),
        "to_complete_marker": TO_COMPLETE,
        "regimes": chosen,
        "regime_note": how,
        "project": {key: value or TO_COMPLETE for key, value in project.items()},
        "templates": templates,
        "to_complete": missing,
        "still_to_complete": open_items(summary),
    }
    return json.dumps(out, indent=2, ensure_ascii=False) + "\n"
