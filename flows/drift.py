"""Bank drift: a session begun with one version of a bank and opened with another.

A newer bank may remove a question, retire an option or change what a question takes. The
answers it cannot use are kept in the file (orphans) and never scored; this module makes
sure that never changes a verdict silently:

* the summary says, at the top, that it is provisional and why;
* a rule that reads an orphaned answer counts as unknown (a condition to re-answer it),
  never as passed, exactly as an unknown answer to a blocking question does;
* each orphan's reason is accurate: a removed question, a retired option, or a value of
  the wrong kind (which, when the version did not change, can only be a hand edit);
* the change of version is named on resume and in reports, even when nothing was orphaned.
"""

from __future__ import annotations

from collections.abc import Mapping

from flows.session import AnswerRecord, Session
from flows.summary import VERDICT_LABELS, Flag, Orphan, Summary
from flows.wording import plural
from question_banks.schema import CHOICE_KINDS, Bank, Question

_KIND_WORDS = {
    "single": "one option id",
    "scale": "one option id",
    "multi": "a list of option ids",
    "number": "a number",
    "text": "text",
}


def made_with(bank: Bank, session: Session) -> str:
    """The bank the session was begun with, when it is not ``bank`` (else "")."""
    ref = session.bank
    return "" if (ref.id, ref.version) == (bank.id, bank.version) else f"{ref.id} {ref.version}"


def _fits_kind(question: Question, value: object) -> bool:
    if question.kind == "multi":
        return isinstance(value, list | str) and not isinstance(value, bool)
    if question.kind in CHOICE_KINDS:
        return isinstance(value, str | int | float) and not isinstance(value, bool)
    if question.kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, str)


def orphan_reason(bank: Bank, session: Session, qid: str, record: AnswerRecord) -> str:
    """Why ``bank`` cannot use this answer, naming both versions when they differ."""
    before = made_with(bank, session)
    here = f"bank {bank.id} {bank.version}"
    where = f"{here} (the session was made with {before})" if before else here
    question = bank.by_id.get(qid)
    if question is None:
        return f"question removed: {qid} is not in {where}"
    if not _fits_kind(question, record.value):
        why = f"wrong kind of answer: {qid} takes {_KIND_WORDS[question.kind]} in {where}, not {record.value!r}"
        return why if before else why + "; the session file looks edited by hand"
    if before:
        return f"options changed: {record.value!r} is no longer an answer to {qid} in {where}"
    return f"not a valid answer: {record.value!r} is not an answer to {qid} in {where}; the session file looks edited by hand"


def orphan_report(bank: Bank, session: Session, orphans: Mapping[str, AnswerRecord]) -> list[Orphan]:
    return [
        Orphan.model_construct(
            question_id=qid, answer=rec.value, status=rec.status, reason=orphan_reason(bank, session, qid, rec)
        )
        for qid, rec in orphans.items()
    ]


def resume_note(bank: Bank, session: Session, orphans: Mapping[str, AnswerRecord], unanswered: int = 0) -> str:
    """One or two sentences for a user reopening the session ("" when the bank is unchanged).

    ``unanswered`` is the number of questions that apply but have no answer yet: after a
    version change these are mostly new questions, which a finished session never saw.
    """
    before = made_with(bank, session)
    parts = []
    if before:
        parts.append(f"This session was begun with question bank {before}; it now uses {bank.id} {bank.version}.")
        if unanswered and session.state == "summary":
            parts.append(
                f"{unanswered} question{'s' if unanswered != 1 else ''} that apply "
                f"{'have' if unanswered != 1 else 'has'} no answer yet and count{'' if unanswered != 1 else 's'} "
                "as evidence gaps: revise the assessment to answer them."
            )
    if orphans:
        n = len(orphans)
        parts.append(
            f"{n} earlier answer{'s' if n != 1 else ''} ({', '.join(sorted(orphans))}) no longer "
            f"fit{'s' if n == 1 else ''} it: kept in the file, out of scoring, and listed in the report. "
            "The summary stays provisional until they are answered again."
        )
    return " ".join(parts)


def apply(summary: Summary, bank: Bank, session: Session, orphans: Mapping[str, AnswerRecord]) -> None:
    """Mark ``summary`` provisional and turn rules that read orphaned answers into unknowns."""
    before = made_with(bank, session)
    if summary.bank is not None and before:
        summary.bank.made_with = before
    summary.orphans = orphan_report(bank, session, orphans)
    if not orphans:
        return
    fired = {(f.question_id, f.message) for f in (*summary.blockers, *summary.conditions)}
    unknown: list[Flag] = []
    relevant = set(summary.asked) | {d.question_id for d in summary.answers}
    for q in bank.questions:
        if q.id not in relevant:
            continue
        for rule in q.rules:
            if not rule.applies_at(summary.impact_tier) or (q.id, rule.message) in fired:
                continue
            lost = sorted(set(rule.when.refs()) & orphans.keys())
            if lost:
                unknown.append(
                    Flag.model_construct(
                        question_id=q.id,
                        message=f"Cannot be checked until {', '.join(lost)} {'is' if len(lost) == 1 else 'are'} "
                        f"answered again (the earlier answer no longer fits this bank): {rule.message.strip()}",
                        dimension=bank.dimension_of[q.id],
                        source="evidence_gap",
                    )
                )
    for floor in bank.scoring.tier_floors:
        lost = sorted(set(floor.when.refs()) & orphans.keys())
        if lost and floor.tier > summary.impact_tier:
            summary.tier_reasons.append(
                f"Unknown: the tier may be at least {floor.tier} once {', '.join(lost)} "
                f"{'is' if len(lost) == 1 else 'are'} answered again ({floor.reason.strip()})"
            )
    summary.conditions.extend(unknown)
    if summary.verdict == "ready" and unknown:
        summary.verdict = "ready_with_conditions"
        summary.verdict_label = VERDICT_LABELS["ready_with_conditions"]
    n = len(orphans)
    summary.provisional = True
    summary.verdict_label = f"{summary.verdict_label} (provisional)"
    summary.verdict_reasons.insert(
        0,
        f"Provisional: {n} answer{'s' if n != 1 else ''} given with "
        f"{before or 'this bank'} no longer fit{'s' if n == 1 else ''} {bank.id} {bank.version} "
        f"({', '.join(sorted(orphans))}); {plural(len(unknown), 'rule')} that read them {'counts' if len(unknown) == 1 else 'count'} as unknown. "
        "Answer them again for a final verdict.",
    )
