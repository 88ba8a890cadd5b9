"""The risks to people that a DPIA and an ATRS record must state, drawn from the action plan.

A DPIA assesses "the risks to the rights and freedoms of data subjects" (DPA 2018
s.64(3)(b); UK GDPR Art 35(7)(c)), and an ATRS record publishes the risks and how each is
mitigated. Neither is a list of ceder's findings: "no DPIA" or "DPIA status unknown" is not a
risk to anyone inside a DPIA, and a published record must never carry ceder's prompts to
the lead. So the plan's entries are read by their theme, and each theme that protects people
names the harm its gaps leave open: who could be hurt, what could happen, and whether it can
happen now. Each plan entry is the mitigation of exactly one risk, so no mitigation is
repeated and none restates its risk. Process gaps (the DPIA itself, governance, answers that
contradict each other, answers not known) are work still to complete, listed apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from conversation.turns import unmarked
from flows.summary import PRIORITY_ORDER, THEME_TITLES, Action, Flag, Summary

RUNNING = {"pilot", "live", "major_change"}
"""Stages at which the tool already touches real people."""


@dataclass(frozen=True)
class Harm:
    """A harm to the people affected that a theme's safeguards protect against."""

    title: str
    what: str
    """What could happen to people, in words a data subject would recognise."""
    who: str

    def sentence(self) -> str:
        """Who could be harmed, and how: the risk as the people affected would see it."""
        return f"{self.who[0].upper()}{self.who[1:]} could be harmed if {self.what}."


HARMS: dict[str, Harm] = {
    "legal_basis": Harm(
        "Intrusion that is not in accordance with the law",
        "their personal data (including any sensitive or criminal offence data) is processed, and they are watched "
        "or acted on, without a clear legal basis, legal condition or rules that limit the discretion of those using "
        "the tool: an interference with private life that is not in accordance with the law (ECHR Art 8(2)) and "
        "processing that is not lawful",
        "everyone whose data the tool processes",
    ),
    "equality_bias": Harm(
        "Unfair or discriminatory outcomes",
        "the tool's errors or effects fall more heavily on people who share a protected characteristic, or on groups "
        "over-represented in police data, so they are flagged, missed or turned down more often than others "
        "(Equality Act 2010; ECHR Art 14)",
        "people in the groups the tool serves least well",
    ),
    "human_oversight": Harm(
        "Decisions without meaningful human review",
        "decisions about them are taken, or shaped, by the tool's output without a person who can and does question "
        "it, so its errors stand unchallenged (and where the tool decides alone, they may be unable to obtain human "
        "intervention or to contest the decision)",
        "the people the tool's outputs are about",
    ),
    "validation": Harm(
        "Wrong outcomes from a tool not shown to work here",
        "the tool does not perform as expected on local cases, so people are wrongly flagged, missed or turned down, "
        "and intruded on for a benefit that is not shown",
        "the people the tool's outputs are about",
    ),
    "transparency": Harm(
        "People unable to understand or challenge the tool's part in decisions",
        "they are not told that the tool is used or how it bears on them, so they cannot understand, question or "
        "challenge its part in decisions about them, or exercise their data protection rights",
        "the people whose data the tool processes and the communities it is used in",
    ),
    "monitoring": Harm(
        "Harm that goes unnoticed in use",
        "errors, drift, misuse or unintended effects in use are not detected, so harm to people continues until "
        "someone happens to notice it",
        "the people the tool's outputs are about",
    ),
    "contracts_supplier": Harm(
        "Personal data beyond the force's control",
        "their data reaches a supplier or another body without enforceable limits, and is kept, reused (for example "
        "to train the supplier's products) or accessed beyond the purpose it was collected for",
        "everyone whose data the tool processes",
    ),
    "data_management": Harm(
        "Inaccurate, excessive or insecure data",
        "decisions rest on inaccurate, outdated or wrongly matched records, more is held than is needed or kept for "
        "longer, or the data is lost or seen by people who should not see it, and their rights over it cannot be "
        "honoured",
        "everyone whose data the tool processes",
    ),
    "training": Harm(
        "Outputs misread or over-trusted",
        "users misread the tool's outputs or defer to them (automation bias), so people are acted on wrongly",
        "the people the tool's outputs are about",
    ),
}
"""Themes of the plan whose gaps leave a harm to people open; the others (the DPIA itself,
governance) are work still to complete. Regime-neutral: statutes that differ between Part 3
and the UK GDPR are cited by the plan entries themselves."""

KIND_WORDS = {"blocker": "a blocker", "condition": "a condition"}


@dataclass
class Risk:
    """One harm to people, the plan entries that mitigate it, and the answers that leave it open."""

    theme: str
    harm: Harm
    actions: list[Action] = field(default_factory=list)
    raised_by: list[tuple[str, str]] = field(default_factory=list)
    """(question id, how it raised the risk: "a blocker", "a condition", "answered don't know"...)."""

    @property
    def worst(self) -> int:
        return min(PRIORITY_ORDER[a.priority] for a in self.actions)


def is_process(action: Action) -> bool:
    """Whether an entry is work on the assessment itself rather than a safeguard for people."""
    return action.id.startswith(("check.", "minimum.")) or action.theme not in HARMS


def risks(summary: Summary) -> list[Risk]:
    """The harms the plan's entries mitigate, worst first; each entry mitigates exactly one."""
    found: dict[str, Risk] = {}
    for a in summary.actions:
        if is_process(a):
            continue
        risk = found.setdefault(a.theme, Risk(a.theme, HARMS[a.theme]))
        risk.actions.append(a)
    by_action = _flags_by_action(summary)
    gaps = {g.question_id: g.reason for g in summary.evidence_gaps}
    for risk in found.values():
        seen: set[str] = set()
        for a in risk.actions:
            for f, kind in by_action.get(a.id, []):
                if f.question_id in seen:
                    continue
                seen.add(f.question_id)
                how = f"answered {GAP_WORDS[gaps[f.question_id]]}" if f.question_id in gaps else KIND_WORDS[kind]
                risk.raised_by.append((f.question_id, how))
            for qid in a.question_ids or [a.question_id]:
                if qid not in seen:
                    seen.add(qid)
                    risk.raised_by.append((qid, f"answered {GAP_WORDS[gaps[qid]]}" if qid in gaps else "a weak answer"))
    order = list(THEME_TITLES)
    return sorted(found.values(), key=lambda r: (r.worst, order.index(r.theme) if r.theme in order else len(order)))


GAP_WORDS = {"dont_know": "“don't know”", "skipped": "skipped", "unanswered": "not reached"}


def _flags_by_action(summary: Summary) -> dict[str, list[tuple[Flag, str]]]:
    out: dict[str, list[tuple[Flag, str]]] = {}
    for kind, flags in (("blocker", summary.blockers), ("condition", summary.conditions)):
        for f in flags:
            if f.source in ("tier_minimum", "inconsistency"):
                continue  # a score short of its minimum, or two answers at odds, is no harm of its own
            for aid in f.action_ids:
                out.setdefault(aid, []).append((f, kind))
    return out


def _bank_text(a: Action) -> str:
    """An entry's text with the bank's Markdown marks dropped (a contradiction quotes answers: kept as written)."""
    return a.action if a.id.startswith("check.") else unmarked(a.action)


def exposure(summary: Summary) -> str:
    """Whether the harm can happen now: the likelihood the answers can speak to."""
    if summary.stage in RUNNING:
        return "The tool is in use, so this can happen now while the gaps stand."
    return "No one is affected until the tool is first used on real cases; the measures are due before then."


def harm_line(n: int, risk: Risk, summary: Summary) -> str:
    """A risk stated as a harm to people: who, what could happen, when, and the answers that leave it open."""
    raised = "; ".join(f"{qid} ({how})" for qid, how in risk.raised_by)
    if all(a.status == "done" for a in risk.actions):
        return f"Risk {n}: {risk.harm.title}. {risk.harm.sentence()} Its measures are marked done (answers: {raised})."
    return f"Risk {n}: {risk.harm.title}. {risk.harm.sentence()} {exposure(summary)} Left open by: {raised}."


def open_items(summary: Summary) -> list[str]:
    """Work still to complete before the document can be signed off or published, in ceder's own words.

    The process entries of the plan (the DPIA, governance, answers to reconcile) and every
    answer not yet known. This is where ceder's prompts to the lead belong.
    """
    out = [
        f"{' '.join(_bank_text(a).split()).rstrip('.')} ({', '.join(a.question_ids or [a.question_id])})."
        for a in summary.actions
        if a.status != "done" and is_process(a)
    ]
    out += [
        f"Find out and record the answer to {g.question_id} ({GAP_WORDS[g.reason]} so far): “{unmarked(g.text)}”"
        for g in summary.evidence_gaps
    ]
    return out
