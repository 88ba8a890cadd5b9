"""From answers to a readiness summary: ratings, impact tier, flags, verdict, actions, gaps.

The rules are documented for users in docs/scoring.md; keep the two in step.
"""

from __future__ import annotations

import math

from flows.scoring import IMPACT, Tracker, points_for
from flows.session import AnswerRecord, Session
from flows.summary import (
    PRIORITY_ORDER,
    TIER_LABELS,
    VERDICT_LABELS,
    Action,
    AnswerDetail,
    AnswerFlag,
    BankInfo,
    DimensionResult,
    Flag,
    Gap,
    Priority,
    ProjectInfo,
    Rating,
    SetAside,
    Summary,
    Why,
)
from question_banks.conditions import DONT_KNOW, SKIP, AnswerValue, Fact
from question_banks.schema import DIMENSIONS, Bank, Question

ASSURANCE = tuple(d for d in DIMENSIONS if d != IMPACT)


def score_0_5(share: float) -> int:
    """Round half up, so 50% is 3 rather than banker's 2."""
    return math.floor(5 * share + 0.5)


def rating_for(bank: Bank, share: float | None) -> Rating:
    if share is None:
        return "red"
    if share >= bank.scoring.green_from:
        return "green"
    if share >= bank.scoring.amber_from:
        return "amber"
    return "red"


def tier_rating(tier: int) -> Rating:
    return "green" if tier == 1 else "red" if tier == 4 else "amber"


def answer_label(question: Question, record: AnswerRecord | None) -> str:
    """The answer in words, as the user would recognise it."""
    if record is None:
        return "(not answered)"
    if record.status == "dont_know":
        return "Don't know"
    if record.status == "skipped":
        return "Skipped"
    value = record.value
    index = question.option_index
    if isinstance(value, list):
        return "; ".join(index[v].label if v in index else v for v in value) or "(none selected)"
    if question.kind in ("single", "scale"):
        option = index.get(str(value))
        return option.label if option is not None else str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    unit = f" {question.unit}" if question.unit and question.kind == "number" else ""
    return f"{value}{unit}"


def why(bank: Bank, tracker: Tracker, answers: dict[str, AnswerRecord], question_id: str) -> list[Why]:
    """The earlier answers that made a follow-up relevant (empty for core questions)."""
    q = bank.by_id[question_id]
    if q.ask_if is None or not tracker.is_relevant(question_id):
        return []
    out = []
    for ref in q.ask_if.witnesses(tracker.facts):
        if ref in tracker.facts:
            rq = bank.by_id[ref]
            out.append(Why(question_id=ref, text=rq.text, answer=answer_label(rq, answers.get(ref))))
    return out


def provisional_tier(bank: Bank, tracker: Tracker) -> int:
    """The impact tier over the questions answered so far: ``build_summary(final=False)``'s tier, without the summary."""
    points = sum(tracker.totals[d].points for d in ASSURANCE)
    most = sum(tracker.totals[d].max_points for d in ASSURANCE)
    return impact_tier(bank, tracker, points / most if most else None)[0]


def impact_tier(bank: Bank, tracker: Tracker, assurance_share: float | None) -> tuple[int, list[str]]:
    """The impact tier and the reasons for it, in words."""
    totals = tracker.totals[IMPACT]
    share = totals.share() or 0.0
    t1, t2, t3 = bank.scoring.tier_thresholds
    raw = 1 if share <= t1 else 2 if share <= t2 else 3 if share <= t3 else 4
    reasons = [
        f"Complexity answers score {totals.points:g} of {totals.max_points:g} risk points ({share:.0%}), "
        f"which places the project in tier {TIER_LABELS[raw]}."
    ]
    floor = 1
    for f in bank.scoring.tier_floors:
        if f.when.evaluate(tracker.facts) and f.tier > floor:
            floor = f.tier
    for f in bank.scoring.tier_floors:
        if f.tier == floor and floor > raw and f.when.evaluate(tracker.facts):
            reasons.append(f"Raised to at least tier {TIER_LABELS[f.tier]}: {f.reason}")
            break
    tier = max(raw, floor)
    share_needed = bank.scoring.mitigation_share
    if share_needed is not None and assurance_share is not None and assurance_share >= share_needed:
        lowered = max(floor, tier - 1)
        if lowered < tier:
            reasons.append(
                f"Lowered one band to tier {TIER_LABELS[lowered]} because assurance across ethics, data, "
                f"efficacy and readiness is {assurance_share:.0%} (at least {share_needed:.0%})."
            )
            tier = lowered
    return tier, reasons


def build_summary(bank: Bank, session: Session, tracker: Tracker, final: bool) -> Summary:
    """The readiness summary of ``session``.

    ``final`` treats relevant questions never reached as unanswered evidence gaps
    (they count at zero); otherwise only questions already asked are scored.
    """
    answers = dict(tracker.answers)  # not session.answers: that also keeps orphans from older bank versions
    unreached: dict[str, AnswerRecord] = {}
    if final:
        for i in tracker.pending:
            unreached[bank.questions[i].id] = AnswerRecord.gap("skipped")
    # Totals including unreached questions as zero-point gaps.
    totals = {d: [t.points, t.max_points] for d, t in tracker.totals.items()}
    for qid in unreached:
        q = bank.by_id[qid]
        dim = bank.dimension_of[qid]
        if q.scored and dim in totals:
            totals[dim][0] += points_for(q, unreached[qid], dim) or 0.0
            totals[dim][1] += q.max_points
    assurance_pts = sum(totals[d][0] for d in ASSURANCE)
    assurance_max = sum(totals[d][1] for d in ASSURANCE)
    assurance_share = assurance_pts / assurance_max if assurance_max else None
    impact_pts, impact_max = totals[IMPACT]
    # The tier uses the totals including unreached complexity questions.
    saved = tracker.totals[IMPACT].points, tracker.totals[IMPACT].max_points
    tracker.totals[IMPACT].points, tracker.totals[IMPACT].max_points = impact_pts, impact_max
    try:
        tier, tier_reasons = impact_tier(bank, tracker, assurance_share)
    finally:
        tracker.totals[IMPACT].points, tracker.totals[IMPACT].max_points = saved

    asked = [qid for qid in session.history if tracker.is_relevant(qid)]
    asked_set = set(asked)
    facts: dict[str, Fact] = tracker.facts
    blockers: list[Flag] = []
    conditions: list[Flag] = []
    raised: dict[str, Priority] = {}
    gaps: list[Gap] = []
    details: list[AnswerDetail] = []
    actions: list[Action] = []
    weak: list[str] = []

    relevant_ids = [q.id for i, q in enumerate(bank.questions) if tracker.relevant[i]]
    for qid in relevant_ids:
        q = bank.by_id[qid]
        dim = bank.dimension_of[qid]
        record = answers.get(qid) or unreached.get(qid)
        if record is None:
            continue
        status = "unanswered" if qid in unreached else record.status
        if status != "answered":
            gaps.append(Gap(question_id=qid, reason=status, dimension=dim, text=q.worded(facts).text))
        flags: list[AnswerFlag] = []
        for rule in q.rules:
            if rule.applies_at(tier) and rule.when.evaluate(facts):
                flag = Flag(question_id=qid, message=rule.message, dimension=dim)
                if rule.level == "blocker":
                    blockers.append(flag)
                    raised[qid] = "critical"
                    flags.append("blocker")
                else:
                    conditions.append(flag)
                    raised.setdefault(qid, "high")
                    flags.append("condition")
        if status != "answered" and qid not in raised:
            if any(r.level == "blocker" and r.applies_at(tier) for r in q.rules):
                conditions.append(
                    Flag(
                        question_id=qid,
                        message=f"Unknown answer to a question that can block readiness: {q.worded(facts).text.strip()} "
                        "Find out and record the answer before go-live.",
                        dimension=dim,
                        source="evidence_gap",
                    )
                )
                raised[qid] = "high"
                flags.append("condition")
        pts = points_for(q, record, dim)
        if dim in ASSURANCE and q.scored and q.action and pts is not None and (pts < q.weak_below or record.is_gap):
            weak.append(qid)
            flags.append("weak")
        if status != "answered":
            flags.append("gap")
        if qid in asked_set or qid in unreached:
            details.append(
                AnswerDetail(
                    question_id=qid,
                    dimension=dim,
                    text=q.worded(facts).text,
                    kind=q.kind,
                    status=status,
                    answer=None if qid in unreached else record.value,
                    answer_label="(not reached)" if qid in unreached else answer_label(q, record),
                    points=pts,
                    max_points=q.max_points if q.scored else None,
                    note=session.notes.get(qid, ""),
                    why=why(bank, tracker, answers, qid),
                    by={k: _label_value(q, v) for k, v in record.by.items()},
                    asked_as=_asked_as(q, facts),
                    flags=list(dict.fromkeys(flags)),
                    references=q.worded(facts).references,
                )
            )

    dimensions: list[DimensionResult] = []
    for dim in DIMENSIONS:
        qs_asked = [qid for qid in asked if bank.dimension_of[qid] == dim]
        answered = sum(1 for qid in qs_asked if qid in answers and answers[qid].status == "answered")
        pts, mx = totals[dim]
        share = pts / mx if mx > 0 else None
        if dim == IMPACT:
            rating = tier_rating(tier)
            minimum = None
        else:
            rating = rating_for(bank, share)
            minimum = bank.scoring.minimum(tier, dim)
            if minimum is not None and mx > 0 and share is not None and score_0_5(share) < minimum:
                conditions.append(
                    Flag(
                        question_id=dim,
                        message=f"{bank.title_of(dim)} scores {score_0_5(share)}/5, below the minimum of "
                        f"{minimum}/5 for tier {TIER_LABELS[tier]}.",
                        dimension=dim,
                        source="tier_minimum",
                    )
                )
        dimensions.append(
            DimensionResult(
                id=dim,
                title=bank.title_of(dim),
                score=round(pts, 4),
                max_score=round(mx, 4),
                rating=rating,
                asked=len(qs_asked),
                answered=answered,
                percent=round(100 * share, 1) if share is not None else None,
                # Complexity is measured in risk points: a 0-5 "assurance" score would mislead.
                score_0_5=score_0_5(share) if share is not None and dim != IMPACT else None,
                minimum_0_5=minimum,
            )
        )

    for qid in relevant_ids:
        q = bank.by_id[qid]
        priority: Priority | None = raised.get(qid)
        if priority is None and qid in weak:
            priority = "medium"
        if priority is None:
            continue
        text = q.worded(facts).action or next((f.message for f in (*blockers, *conditions) if f.question_id == qid), "")
        if text:
            actions.append(
                Action(
                    question_id=qid,
                    action=text,
                    priority=priority,
                    dimension=bank.dimension_of[qid],
                    owner=session.owners.get(qid, ""),
                )
            )
    for flag in conditions:
        if flag.source == "tier_minimum":
            actions.append(_minimum_action(bank, flag, weak, answers))
    actions.sort(key=lambda a: PRIORITY_ORDER[a.priority])

    verdict = "not_ready" if blockers else "ready_with_conditions" if conditions else "ready"
    reasons: list[str]
    if blockers:
        reasons = [f"{len(blockers)} blocker(s) stand: " + "; ".join(b.message for b in blockers)]
    elif conditions:
        reasons = [
            f"No blockers, but {len(conditions)} condition(s) must be met: " + "; ".join(c.message for c in conditions)
        ]
    else:
        reasons = [
            f"No blockers or conditions were raised, and every assurance dimension meets the minimum for tier {TIER_LABELS[tier]}."
        ]
    if gaps:
        reasons.append(f"{len(gaps)} evidence gap(s) remain (don't know, skipped or unanswered).")
    label = VERDICT_LABELS[verdict]
    if not final and tracker.pending:
        # Only what was answered so far counts: say so, so nobody takes it for the result.
        label += " so far"
        reasons.insert(
            0,
            f"Provisional: {len(tracker.pending)} question(s) that apply are still open and are not counted yet.",
        )

    set_aside = [
        SetAside(
            question_id=qid,
            dimension=bank.dimension_of[qid],
            text=bank.by_id[qid].text,
            answer_label=answer_label(bank.by_id[qid], answers.get(qid)),
        )
        for qid in tracker.set_aside()
    ]
    manifest = bank.manifest
    return Summary(
        verdict=verdict,
        impact_tier=tier,
        dimensions=dimensions,
        blockers=blockers,
        conditions=conditions,
        actions=actions,
        evidence_gaps=gaps,
        asked=asked,
        verdict_label=label,
        verdict_reasons=reasons,
        impact_tier_label=TIER_LABELS[tier],
        tier_reasons=tier_reasons,
        tier_demands=list(bank.scoring.tier_demands.get(tier, [])),
        finished=session.state == "summary",
        bank=BankInfo(id=manifest.id, version=manifest.version, title=manifest.title, provenance=manifest.provenance),
        project=ProjectInfo(
            name=session.project.name,
            organisation=session.project.organisation,
            assessor=session.project.assessor,
            role=session.project.role,
            sro=session.project.sro,
            contact=session.project.contact,
            date=session.updated.date().isoformat(),
            participants=list(session.participants),
            started=session.created.date().isoformat(),
        ),
        answers=details,
        set_aside=set_aside,
    )


def _asked_as(question: Question, facts: dict[str, Fact]) -> str:
    """The variant wording that was shown in place of the question's text, if any."""
    text = question.worded(facts).text
    return text if text != question.text else ""


def _minimum_action(bank: Bank, flag: Flag, weak: list[str], answers: dict[str, AnswerRecord]) -> Action:
    """The action for a dimension below its tier minimum: name its weakest answers as the place to start."""

    def share(qid: str) -> float:
        q = bank.by_id[qid]
        record = answers.get(qid)
        pts = points_for(q, record, flag.dimension) if record is not None else 0.0
        return (pts or 0.0) / q.max_points if q.max_points else 1.0

    mine = sorted((qid for qid in weak if bank.dimension_of[qid] == flag.dimension), key=share)[:4]
    start = f" Start with the weakest answers: {', '.join(mine)}." if mine else ""
    return Action(
        question_id=flag.question_id,
        action=f"{flag.message.rstrip('.')}: raise it before go-live.{start}",
        priority="high",
        dimension=flag.dimension,
    )


def _label_value(question: Question, value: AnswerValue) -> str:
    """One participant's answer in words, as :func:`answer_label` words the group's."""
    if value == DONT_KNOW:
        return answer_label(question, AnswerRecord.gap("dont_know"))
    if value == SKIP:
        return answer_label(question, AnswerRecord.gap("skipped"))
    return answer_label(question, AnswerRecord(value=value))
