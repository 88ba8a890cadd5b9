"""The summary as Markdown that reads well in common viewers."""

from __future__ import annotations

import re

from flows.summary import Summary

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def esc(text: str) -> str:
    """Escape user or bank text so no viewer reads it as Markdown or HTML."""
    one_line = " ".join(str(text).split())
    return _SPECIAL.sub(r"\\\1", one_line)


RATING_WORDS = {"red": "Red", "amber": "Amber", "green": "Green"}


def render(summary: Summary) -> str:
    out: list[str] = []
    title = summary.project.name or "CEDER self-assessment"
    out.append(f"# {esc(title)}: readiness summary\n")
    meta = []
    if summary.project.assessor:
        meta.append(f"Assessor: {esc(summary.project.assessor)}")
    if summary.project.date:
        meta.append(f"Date: {summary.project.date}")
    if summary.bank:
        meta.append(f"Bank: {esc(summary.bank.title)} ({esc(summary.bank.id)} {esc(summary.bank.version)})")
    out.append("  \n".join(meta) + "\n")
    if summary.bank:
        out.append(f"> {esc(summary.bank.provenance)}\n")
    out.append(f"## Verdict: {summary.verdict_label}\n")
    out.extend(f"- {esc(r)}" for r in summary.verdict_reasons)
    out.append("")
    out.append(f"## Impact tier {summary.impact_tier_label}\n")
    out.extend(f"- {esc(r)}" for r in summary.tier_reasons)
    if summary.tier_demands:
        out.append("\nWhat this tier demands:\n")
        out.extend(f"- {esc(d)}" for d in summary.tier_demands)
    out.append("\n## Dimensions\n")
    out.append("| Dimension | Score | Max | Rating | Asked | Answered |")
    out.append("|---|---:|---:|---|---:|---:|")
    for d in summary.dimensions:
        out.append(
            f"| {esc(d.title)} | {d.score:g} | {d.max_score:g} | {RATING_WORDS[d.rating]} | {d.asked} | {d.answered} |"
        )
    for heading, flags in (("Blockers", summary.blockers), ("Conditions", summary.conditions)):
        out.append(f"\n## {heading}\n")
        out.extend(f"- **{esc(f.question_id)}**: {esc(f.message)}" for f in flags) if flags else out.append("None.")
    out.append("\n## Action plan\n")
    if summary.actions:
        for i, a in enumerate(summary.actions, 1):
            owner = f" (owner: {esc(a.owner)})" if a.owner else ""
            out.append(f"{i}. [{a.priority}] **{esc(a.question_id)}**: {esc(a.action)}{owner}")
    else:
        out.append("None.")
    out.append("\n## Evidence gaps\n")
    reasons = {"dont_know": "don't know", "skipped": "skipped", "unanswered": "unanswered"}
    if summary.evidence_gaps:
        out.extend(f"- **{esc(g.question_id)}** ({reasons[g.reason]}): {esc(g.text)}" for g in summary.evidence_gaps)
    else:
        out.append("None.")
    out.append("\n## Answers\n")
    for ans in summary.answers:
        pts = f" ({ans.points:g}/{ans.max_points:g})" if ans.points is not None and ans.max_points is not None else ""
        out.append(f"- **{esc(ans.question_id)}** {esc(ans.text)}  \n  Answer: {esc(ans.answer_label)}{pts}")
        if ans.why:
            out.append("  \n  Asked because: " + "; ".join(f"{esc(w.question_id)} = {esc(w.answer)}" for w in ans.why))
        if ans.note:
            out.append(f"  \n  Note: {esc(ans.note)}")
    if summary.set_aside:
        out.append("\n## Answers set aside by revisions\n")
        out.extend(f"- **{esc(s.question_id)}** {esc(s.text)}: {esc(s.answer_label)}" for s in summary.set_aside)
    return "\n".join(out) + "\n"
