"""Filling the drafted documents (ATRS record, DPIA) from an assessment, by the bank's mapping.

Which answer goes where is data (:mod:`question_banks.documents`); this module only
turns one mapping entry into text. A field whose sources give nothing is *to complete*,
with the reason when an answer was a gap ("D5 was answered don't know").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.reports.risks import Risk, harm_line, risks
from assistant.reports.text import clean, long_date
from conversation.turns import unmarked
from flows.dates import describe_due
from flows.summary import Action, AnswerDetail, Flag, Summary
from flows.wording import plural
from question_banks.documents import Source

TO_COMPLETE = "to complete"
"""The marker every unfilled field carries, in every format."""
GAP_WORDS = {"dont_know": "was answered “don't know”", "skipped": "was skipped", "unanswered": "was not reached"}
PROJECT_WORDS = {
    "name": "project name",
    "organisation": "organisation",
    "assessor": "assessor",
    "role": "assessor's role",
    "sro": "senior responsible owner",
    "contact": "contact",
}
KIND_WORDS = {"blocker": "Blocker", "condition": "Condition"}
REPLY = re.compile(r"(?:Yes|No)(?:[,:;]?(?: \S+){0,3})?\.?")
"""An option worded as a short reply to its question ("Yes", "Yes, minimised", "Yes, with a process"),
which says nothing beside a field's label: the question is given instead."""


@dataclass
class Filled:
    """One field's draft text: the lines its sources gave, where they came from, and why any gave nothing."""

    lines: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)
    requirements: list[str] = field(default_factory=list)
    """Why the field is mandatory for this project and what it must describe (a note to the team)."""

    @property
    def to_complete(self) -> bool:
        return not self.lines

    @property
    def text(self) -> str:
        return "\n".join(self.lines) if self.lines else TO_COMPLETE


class Filler:
    """Everything a mapping can draw on, taken once from a summary."""

    def __init__(self, summary: Summary, standard_version: str = "") -> None:
        self.summary = summary
        self.answers: dict[str, AnswerDetail] = {a.question_id: a for a in summary.answers}
        self.gaps = {g.question_id: g.reason for g in summary.evidence_gaps}
        self.standard_version = standard_version

    def fill(self, sources: list[Source]) -> Filled:
        out = Filled()
        for s in sources:
            if not self.applies(s):
                continue
            if s.answer is not None:
                got = self._answer(s, out)
                where = s.answer
            elif s.project is not None:
                value = clean(str(getattr(self.summary.project, s.project, "") or "")).strip()
                got = [value] if value else []
                where = "the project details"
                if not got:
                    out.hints.append(f"the {PROJECT_WORDS[s.project]} was not recorded")
            elif s.summary is not None:
                got = self._summary(s)
                where = "the assessment"
            else:
                got = [s.text or ""]
                where = "ceder's suggestion"
            got = [g for g in got if g.strip()]
            if not got:
                continue
            if s.requires:
                out.requirements.extend(g for g in got if g not in out.requirements)
                continue
            if s.label and not (s.answer is not None and self._asked(s, got[0])):
                got[0] = f"{s.label}: {got[0]}"
            out.lines.extend(got)
            if where not in out.sources:
                out.sources.append(where)
        return out

    def applies(self, s: Source) -> bool:
        """Whether the source's ``only_if`` holds and its ``unless`` does not (an unanswered question holds neither)."""

        def chose(qid: str, options: list[str]) -> bool:
            a = self.answers.get(qid)
            if a is None or a.status != "answered":
                return False
            chosen = a.answer if isinstance(a.answer, list) else [a.answer]
            return any(str(v) in options for v in chosen)

        return all(chose(q, o) for q, o in s.only_if.items()) and not any(chose(q, o) for q, o in s.unless.items())

    def value(self, qid: str) -> AnswerDetail | None:
        return self.answers.get(qid)

    def _answer(self, s: Source, out: Filled) -> list[str]:
        assert s.answer is not None
        a = self.answers.get(s.answer)
        if a is None or a.status != "answered":
            reason = a.status if a is not None else self.gaps.get(s.answer)
            if reason in GAP_WORDS:
                out.hints.append(f"{s.answer} {GAP_WORDS[reason]}")
            return []
        if s.values:
            chosen = a.answer if isinstance(a.answer, list) else [a.answer]
            words = [s.values[str(v)] for v in chosen if str(v) in s.values]
            if not words:
                return []
            text = "; ".join(words)
        else:
            text = clean(a.answer_label).strip()
            if REPLY.fullmatch(text):
                # "Data minimisation: Yes, minimised" says nothing out of context: give the question it answers.
                text = f"{unmarked(clean(a.asked_as or a.text)).strip()} {text}"
        note = clean(a.note).strip() if s.note else ""
        return [f"{text} (note: {' '.join(note.split())})" if note else text]

    def _asked(self, s: Source, line: str) -> bool:
        """Whether an answer's line already opens with its question (then the field's label is not repeated)."""
        a = self.answers.get(s.answer or "")
        return a is not None and line.startswith(unmarked(clean(a.asked_as or a.text)).strip())

    def _summary(self, s: Source) -> list[str]:
        sm = self.summary
        item = s.summary
        dims = set(s.dimensions)

        def keep(dimension: str) -> bool:
            return not dims or dimension in dims

        if item == "standard_version":
            return [self.standard_version]
        if item == "date":
            return [long_date(sm.project.date)] if sm.project.date else []
        if item == "verdict":
            return [sm.verdict_label or sm.verdict]
        if item == "impact_tier":
            return [f"Tier {sm.impact_tier_label or sm.impact_tier} of IV" + _reasons(sm.tier_reasons)]
        if item == "assessment":
            return [self.assessment()]
        if item == "evidence_gaps":
            return [
                f"{g.question_id} {unmarked(g.text)}: {GAP_WORDS[g.reason]}".strip()
                for g in sm.evidence_gaps
                if keep(g.dimension)
            ]
        if item == "actions":
            return [action_line(a) for a in sm.actions if keep(a.dimension)]
        if item == "harms":
            return [harm_line(n, r, sm) for n, r in enumerate(risks(sm), 1)]
        if item == "measures":
            return [f"For risk {n}: {action_line(a)}" for n, r in enumerate(risks(sm), 1) for a in r.actions]
        if item == "risks":
            return [self._risk_line(r) for r in risks(sm)]
        flags: list[tuple[str, Flag]] = []
        if item == "blockers":
            flags += [("blocker", f) for f in sm.blockers]
        if item == "conditions":
            flags += [("condition", f) for f in sm.conditions]
        return [
            f"{KIND_WORDS[kind]} ({f.question_id}): {clean(f.message).strip()}"
            for kind, f in flags
            if keep(f.dimension)
        ]

    def _risk_line(self, risk: Risk) -> str:
        """A risk for a published record: the harm to people and its mitigations, with none of ceder's prompts."""
        done = [a for a in risk.actions if a.status == "done"]
        planned = [a for a in risk.actions if a.status != "done"]
        line = f"{risk.harm.title}. {risk.harm.sentence()}"
        if planned:
            line += " Planned mitigations: " + "; ".join(_lower_first(a.action) for a in planned) + "."
        if done:
            line += " In place: " + "; ".join(_lower_first(a.action) for a in done) + "."
        return line

    def assessment(self) -> str:
        sm = self.summary
        bank = f" (question bank {sm.bank.id} {sm.bank.version})" if sm.bank else ""
        when = f", {long_date(sm.project.date)}" if sm.project.date else ""
        status = "" if sm.finished else ", not finished"
        return (
            f"CEDER self-assessment with ceder{bank}{when}{status}: "
            f"{sm.verdict_label or sm.verdict}, impact tier {sm.impact_tier_label or sm.impact_tier} of IV; "
            f"{plural(len(sm.blockers), 'blocker')}, {plural(len(sm.conditions), 'condition')}, "
            f"{plural(len(sm.actions), 'action')}, {plural(len(sm.evidence_gaps), 'evidence gap')}. "
            "A self-assessment, not independently verified."
        )


def _lower_first(text: str) -> str:
    text = " ".join(unmarked(clean(text)).split()).rstrip(".")
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _reasons(reasons: list[str]) -> str:
    return (": " + "; ".join(r.rstrip(".") for r in reasons) + ".") if reasons else "."


def action_line(a: Action, with_id: bool = True) -> str:
    """An action in one line with its owner, due date and status (each stated even when not set)."""
    # Owners and dates may come from free-text answers ending in a full stop: ".;" reads as a slip.
    owner = clean(a.owner).strip().rstrip(".;, ") or "not recorded"
    due = clean(describe_due(a.due, a.due_written)).strip().rstrip(".;, ") or "not set"
    status = str(getattr(a, "status", "") or "open").replace("_", " ")
    where = f" ({a.question_id})" if with_id else ""
    text = a.action if a.id.startswith("check.") else unmarked(a.action)  # bank Markdown marks are not shown
    return f"{clean(text).strip().rstrip('.')}{where}. Owner: {owner}; due: {due}; status: {status}."
