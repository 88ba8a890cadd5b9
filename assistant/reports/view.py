"""What every human-readable report shows, worked out once from a :class:`Summary`.

The view holds plain (cleaned but unescaped) text; each template escapes it for
its own format. Keeping the wording here means the Markdown and HTML reports say
the same things in the same order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from assistant.reports.text import clean, long_date, num
from conversation.turns import unmarked
from flows.dates import describe_due
from flows.gates import priority_label
from flows.summary import PRIORITY_LABELS, PRIORITY_MEANINGS, THEME_TITLES, AnswerDetail, DimensionResult, Flag, Summary
from flows.tracking import STATUS_WORDS
from flows.wording import plural
from question_banks.schema import DIMENSION_TITLES

RATING_WORDS = {"red": "Red", "amber": "Amber", "green": "Green"}
RATING_MEANING = {
    "red": "significant gaps",
    "amber": "partly assured",
    "green": "assured",
}
TIER_MEANING = {
    1: "little or no impact",
    2: "moderate impact",
    3: "high impact",
    4: "very high impact",
}
PRIORITY_WORDS = PRIORITY_LABELS
PRIORITY_MEANING = PRIORITY_MEANINGS
GAP_WORDS = {"dont_know": "Don't know", "skipped": "Skipped", "unanswered": "Not reached"}
FLAG_WORDS = {"blocker": "Blocker", "condition": "Condition", "weak": "Weak", "gap": "Evidence gap"}
VERDICT_SYMBOL = {"ready": "✔", "ready_with_conditions": "!", "not_ready": "✖"}
RATING_SYMBOL = {"red": "●", "amber": "◐", "green": "○"}
SECTION_ORDER = ("profile", "complexity", "ethics", "data", "efficacy", "readiness")
IMPACT = "complexity"
_URL = re.compile(r"\s*[–—-]?\s*<?https?://\S+>?")


def short_reference(reference: str) -> str:
    """A source named without its web address (the full reference is in the bank and JSON)."""
    return _URL.sub("", reference).strip(" ;,–—-") or reference


@dataclass
class DimensionRow:
    id: str
    title: str
    score: str
    max_score: str
    percent: float | None
    percent_text: str
    score_0_5: str
    minimum: str
    meets_minimum: bool | None
    rating: str
    rating_word: str
    rating_meaning: str
    asked: int
    answered: int
    is_impact: bool


@dataclass
class FlagRow:
    question_id: str
    where: str
    """Dimension title, plus the question id when the flag comes from one question."""
    message: str
    source: str


@dataclass
class AnswerRow:
    detail: AnswerDetail
    question: str
    answer: str
    points: str
    """``"1 of 3"``, or empty for a question that carries no points."""
    status_word: str
    flags: list[str]
    why: list[str]
    note: str
    by: list[tuple[str, str]]
    disagree: bool
    free_text: bool
    """A typed answer (text or number) rather than a choice: shown as prose, not in bold."""
    sources: list[str]


@dataclass
class AnswerGroup:
    id: str
    title: str
    rows: list[AnswerRow]
    points: str = ""


@dataclass
class ReportView:
    summary: Summary
    title: str
    project_name: str
    assessor: str
    organisation: str
    """The project's other details (empty when not recorded)."""
    sro: str
    contact: str
    date: str
    started: str
    participants: list[str]
    bank_title: str
    bank_ref: str
    provenance: str
    finished: bool
    not_reached: int
    verdict: str
    verdict_label: str
    verdict_symbol: str
    verdict_reasons: list[str]
    verdict_lead: str
    verdict_list: list[FlagRow]
    verdict_more: list[str]
    tier: int
    tier_label: str
    tier_meaning: str
    tier_reasons: list[str]
    tier_demands: list[str]
    dimensions: list[DimensionRow]
    impact: DimensionRow
    assurance: list[DimensionRow]
    blockers: list[FlagRow]
    conditions: list[FlagRow]
    actions: list[dict[str, str]]
    """Every entry; the head of the plan is those with an empty ``appendix``."""
    head: list[dict[str, str]]
    appendix: list[dict[str, str]]
    checks: list[dict[str, str]]
    """Pairs of answers that contradict each other."""
    gate_label: str
    priority_legend: str
    """What each priority of the plan means, naming this project's gate."""
    gaps: list[dict[str, str]]
    groups: list[AnswerGroup]
    set_aside: list[dict[str, str]]
    orphans: list[dict[str, str]]
    counts: dict[str, int] = field(default_factory=dict)
    disagreements: list[AnswerRow] = field(default_factory=list)
    """Group mode: the answers behind which the participants disagreed, in asking order."""


def _title(summary: Summary, dim: str) -> str:
    for d in summary.dimensions:
        if d.id == dim:
            return d.title
    return DIMENSION_TITLES.get(dim, dim)


def _dimension_row(d: DimensionResult, tier_label: str) -> DimensionRow:
    is_impact = d.id == IMPACT
    meets = None if d.minimum_0_5 is None or d.score_0_5 is None else d.score_0_5 >= d.minimum_0_5
    return DimensionRow(
        id=d.id,
        title=d.title,
        score=num(d.score),
        max_score=num(d.max_score),
        percent=d.percent,
        percent_text="—" if d.percent is None else f"{d.percent:.0f}%",
        score_0_5="—" if d.score_0_5 is None or is_impact else f"{d.score_0_5}/5",
        minimum="—" if d.minimum_0_5 is None else f"{d.minimum_0_5}/5",
        meets_minimum=meets,
        rating=d.rating,
        rating_word=RATING_WORDS[d.rating],
        rating_meaning=f"impact tier {tier_label}" if is_impact else RATING_MEANING[d.rating],
        asked=d.asked,
        answered=d.answered,
        is_impact=is_impact,
    )


def _flag_row(summary: Summary, f: Flag) -> FlagRow:
    dim = f.dimension or f.question_id
    where = _title(summary, dim) if dim else ""
    if f.source != "tier_minimum" and f.question_id:
        where = f"{where} · {f.question_id}" if where else f.question_id
    if f.source == "inconsistency":
        # Printed in full once, under Answers to check (and as its action in the plan): here, where it stands.
        pair = next(
            (c for c in summary.inconsistencies if c.question_ids[-1] == f.question_id and c.message in f.message), None
        )
        others = " and ".join(q for q in (pair.question_ids if pair else []) if q != f.question_id)
        message = f"This answer contradicts {others or 'another answer'}: see Answers to check."
    else:
        message = unmarked(f.message)  # bank text may carry Markdown emphasis
    return FlagRow(question_id=f.question_id, where=where, message=message, source=f.source)


PARTICIPANT_GAPS = {"dont_know": "Don't know", "skip": "Skipped"}
"""A participant's gap as the summary stores it (the raw marker), in words."""


def _participant_said(a: AnswerDetail, said: str) -> str:
    """A participant's answer in words: gaps as words, numbers as people write them (``500``, not ``500.0``)."""
    if said in PARTICIPANT_GAPS:
        return PARTICIPANT_GAPS[said]
    if a.kind == "number":
        try:
            return f"{float(said):.12g}"
        except ValueError:
            return said
    return said


def _answer_row(a: AnswerDetail) -> AnswerRow:
    # In the order the participants were named (the order they answered in).
    by = [(who, _participant_said(a, said)) for who, said in a.by.items()]
    if a.points is not None and a.max_points:
        points = f"{num(a.points)} of {num(a.max_points)}"
    else:
        points = ""
    return AnswerRow(
        detail=a,
        question=unmarked(a.asked_as or a.text),  # bank Markdown: emphasis marks are not shown literally
        answer=a.answer_label,
        points=points,
        status_word="" if a.status == "answered" else GAP_WORDS[a.status],
        flags=[FLAG_WORDS[f] for f in a.flags],
        why=[f"{w.question_id} was answered “{w.answer}”" for w in a.why],
        note=a.note.strip(),
        by=by,
        disagree=len({v for _, v in by}) > 1,
        free_text=a.kind in {"text", "number"} and a.status == "answered",
        sources=list(dict.fromkeys(short_reference(r) for r in a.references)),
    )


def _pointer(rows: list[FlagRow], section: str) -> str:
    """Where the full list is, and what is on it: the list itself is printed once, under its own heading."""
    asked = [r.question_id for r in rows if r.source != "tier_minimum" and r.question_id]
    short = [r.where for r in rows if r.source == "tier_minimum"]
    named = asked + ([f"the {_and(short)} minimum{'s' if len(short) > 1 else ''}"] if short else [])
    return f" (listed under {section}: {_and(named)})." if named else f" (listed under {section})."


def _and(items: list[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _verdict(
    summary: Summary, blockers: list[FlagRow], conditions: list[FlagRow]
) -> tuple[str, list[FlagRow], list[str]]:
    """The verdict's reasons in words: a lead sentence that counts the flags behind it and points at their list, and what else stands.

    The blockers and conditions are listed in full once, under their own headings; the verdict
    counts them and names where they come from, so a reader is not given the same list twice.
    """
    more: list[str] = []
    gate = summary.gate_label or "the next gate"
    gaps = len(summary.evidence_gaps)
    if blockers:
        stops = "stands against continued use" if summary.gate == "continued_use" else "stops the project passing it"
        lead = (
            f"Not ready for {gate}: {plural(len(blockers), 'blocker')} "
            f"{'stands' if len(blockers) == 1 else 'stand'}, and each on its own {stops}"
            + _pointer(blockers, "Blockers")
        )
        if conditions:
            more.append(f"{plural(len(conditions), 'condition')} must also be met (see Conditions).")
    elif conditions:
        lead = (
            f"May pass {gate} on conditions: no blockers stand, but {plural(len(conditions), 'condition')} must be met"
            + _pointer(conditions, "Conditions")
        )
    else:
        lead = summary.verdict_reasons[0] if summary.verdict_reasons else "No blockers or conditions were raised."
    listed: list[FlagRow] = []
    if summary.provisional and summary.verdict_reasons:
        more.insert(0, summary.verdict_reasons[0])  # answers that no longer fit the bank: say so first
    if summary.inconsistencies:
        more.append(
            f"{plural(len(summary.inconsistencies), 'pair')} of answers contradict each other (see Answers to check)."
        )
    if gaps:
        more.append(
            f"{plural(gaps, 'evidence gap')} {'remains' if gaps == 1 else 'remain'}: questions answered "
            "“don't know”, skipped or not reached, which count as zero until answered."
        )
    return lead, listed, more


def _cleaned(value: Any) -> Any:
    """``value`` with every string in it cleaned (:func:`clean`), models rebuilt as they are.

    Not a dump and a validation: the summary's values are already of their types, and
    rebuilding them with ``model_construct`` spares a Markdown report building the
    summary's validators (about 4 ms).
    """
    if isinstance(value, BaseModel):
        fields = {name: _cleaned(v) for name, v in value}
        return type(value).model_construct(_fields_set=value.model_fields_set, **fields)
    if isinstance(value, list):
        return [_cleaned(v) for v in value]
    if isinstance(value, dict):
        return {k: _cleaned(v) for k, v in value.items()}
    return clean(value) if isinstance(value, str) else value


def build_view(summary: Summary) -> ReportView:
    """The report's content, with every string cleaned of control characters."""
    summary = _cleaned(summary)
    tier_label = summary.impact_tier_label or str(summary.impact_tier)
    rows = [_dimension_row(d, tier_label) for d in summary.dimensions]
    impact = next(r for r in rows if r.is_impact)
    groups: dict[str, AnswerGroup] = {}
    for a in summary.answers:
        group = groups.get(a.dimension)
        if group is None:
            group = groups[a.dimension] = AnswerGroup(id=a.dimension, title=_title(summary, a.dimension), rows=[])
        group.rows.append(_answer_row(a))
    ordered = [groups[d] for d in SECTION_ORDER if d in groups]
    ordered += [g for d, g in groups.items() if d not in SECTION_ORDER]
    for g in ordered:
        if g.id in {d.id for d in summary.dimensions}:
            d = summary.dimension(g.id)
            unit = " risk points" if g.id == IMPACT else " points"
            g.points = f"{num(d.score)} of {num(d.max_score)}{unit}"
    actions = [
        {
            "n": str(i),
            "id": a.id,
            "priority": a.priority,
            "priority_word": priority_label(a.priority, summary.gate, summary.gate_label, a.gate),
            "priority_meaning": PRIORITY_MEANING[a.priority],
            "action": a.action if a.id.startswith("check.") else unmarked(a.action),
            "details": " ".join(a.details if a.id.startswith("check.") else map(unmarked, a.details)),
            "question_id": a.question_id,
            "questions": ", ".join(a.question_ids or [a.question_id]),
            "theme": THEME_TITLES.get(a.theme, a.theme.replace("_", " ").capitalize()),
            "dimension": _title(summary, a.dimension) if a.dimension else "",
            "owner": a.owner,
            "due": describe_due(a.due, a.due_written),
            "status": STATUS_WORDS.get(a.status, a.status),
            "appendix": "yes" if a.appendix else "",
        }
        for i, a in enumerate(summary.actions, 1)
    ]
    checks = [{"questions": " and ".join(c.question_ids), "message": c.message} for c in summary.inconsistencies]
    gaps = [
        {
            "question_id": g.question_id,
            "dimension": _title(summary, g.dimension) if g.dimension else "",
            "reason": GAP_WORDS[g.reason],
            "text": unmarked(g.text),
        }
        for g in summary.evidence_gaps
    ]
    set_aside = [
        {
            "question_id": s.question_id,
            "dimension": _title(summary, s.dimension),
            "text": s.text,
            "answer": s.answer_label,
        }
        for s in summary.set_aside
    ]
    orphans = [
        {
            "question_id": o.question_id,
            "answer": "; ".join(o.answer) if isinstance(o.answer, list) else _shown_value(o.answer),
            "reason": o.reason,
        }
        for o in summary.orphans
    ]
    blockers = [_flag_row(summary, f) for f in summary.blockers]
    conditions = [_flag_row(summary, f) for f in summary.conditions]
    lead, listed, more = _verdict(summary, blockers, conditions)
    bank = summary.bank
    project = summary.project
    name = project.name.strip()
    return ReportView(
        summary=summary,
        title=f"Readiness summary: {name}" if name else "Readiness summary",
        project_name=name or "(not recorded)",
        assessor=", ".join(p for p in (project.assessor.strip(), project.role.strip()) if p) or "(not recorded)",
        organisation=project.organisation.strip(),
        sro=project.sro.strip(),
        contact=project.contact.strip(),
        date=long_date(project.date) if project.date else "(not recorded)",
        started=long_date(project.started) if project.started and project.started != project.date else "",
        participants=list(project.participants),
        bank_title=bank.title if bank else "(unknown bank)",
        bank_ref=(
            f"{bank.id} version {bank.version}"
            + (f" (this session was begun with {bank.made_with})" if bank.made_with else "")
        )
        if bank
        else "",
        provenance=bank.provenance if bank else "",
        finished=summary.finished,
        not_reached=sum(1 for g in summary.evidence_gaps if g.reason == "unanswered"),
        verdict=summary.verdict,
        verdict_label=summary.verdict_label or summary.verdict,
        verdict_symbol=VERDICT_SYMBOL[summary.verdict],
        verdict_reasons=summary.verdict_reasons,
        verdict_lead=lead,
        verdict_list=listed,
        verdict_more=more,
        tier=summary.impact_tier,
        tier_label=tier_label,
        tier_meaning=TIER_MEANING.get(summary.impact_tier, ""),
        tier_reasons=summary.tier_reasons,
        tier_demands=summary.tier_demands,
        dimensions=rows,
        impact=impact,
        assurance=[r for r in rows if not r.is_impact],
        blockers=blockers,
        conditions=conditions,
        actions=actions,
        head=[a for a in actions if not a["appendix"]],
        appendix=[a for a in actions if a["appendix"]],
        checks=checks,
        gate_label=summary.gate_label,
        priority_legend=_legend(summary),
        gaps=gaps,
        groups=ordered,
        disagreements=[r for g in ordered for r in g.rows if r.disagree],
        set_aside=set_aside,
        orphans=orphans,
        counts={
            "blockers": len(summary.blockers),
            "conditions": len(summary.conditions),
            "actions": len(summary.actions),
            "gaps": len(summary.evidence_gaps),
            "asked": len(summary.answers),
            "set_aside": len(summary.set_aside),
        },
    )


def _legend(summary: Summary) -> str:
    """The plan's priorities in words; a live tool's conditions are of its continued use, not for a next gate."""
    gate = summary.gate_label or "its next gate"
    nxt = priority_label("condition_next_gate", summary.gate, summary.gate_label)
    if summary.gate == "continued_use":
        first = "Blocker: the tool should not stay in use until it is done. "
        second = f"{nxt}: must be met for the tool to stay in use, by the date set. "
    else:
        first = f"Blocker: the project may not pass {gate} until it is done. "
        second = f"{nxt}: must be met to pass it. "
    return (
        first + second + "Condition for a later gate: due by the gate named. "
        "Improvement: strengthens a weak answer; not required at this tier."
    )


def _shown_value(value: float | str) -> str:
    """An answer kept from an older bank, as written (whole numbers without ``.0``)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return {"dont_know": "Don't know", "skip": "Skipped"}.get(str(value), str(value))
