"""From answers to a readiness summary: ratings, impact tier, flags, verdict, actions, gaps.

The rules are documented for users in docs/scoring.md; keep the two in step.
"""

from __future__ import annotations

from flows.checks import inconsistencies, unmet_duties
from flows.dimensions import dimension_results
from flows.gates import BEFORE, DEFAULT_GATE, GATE_RANK, Position, position
from flows.plan import Item, build_plan
from flows.scoring import IMPACT, Tracker, points_for
from flows.session import AnswerRecord, Session
from flows.summary import (
    TIER_LABELS,
    VERDICT_LABELS,
    AnswerDetail,
    AnswerFlag,
    BankInfo,
    Flag,
    FlagSource,
    Gap,
    ProjectInfo,
    SetAside,
    Summary,
    Verdict,
    Why,
)
from flows.wording import plural
from question_banks.conditions import DONT_KNOW, SKIP, AnswerValue, Fact
from question_banks.schema import DIMENSIONS, Bank, Question

ASSURANCE = tuple(d for d in DIMENSIONS if d != IMPACT)


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
            out.append(Why.model_construct(question_id=ref, text=rq.text, answer=answer_label(rq, answers.get(ref))))
    return out


def provisional_tier(bank: Bank, tracker: Tracker) -> int:
    """The impact tier over the questions answered so far: ``build_summary(final=False)``'s tier, without the summary."""
    return impact_tier(bank, tracker)[0]


def impact_tier(bank: Bank, tracker: Tracker) -> tuple[int, list[str]]:
    """The impact tier (raw tier raised by floors, before any mitigation) and the reasons for it, in words."""
    raw, share = _raw_tier(bank, tracker)
    totals = tracker.totals[IMPACT]
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
    return max(raw, floor), reasons


def _raw_tier(bank: Bank, tracker: Tracker, deduction: float = 0.0) -> tuple[int, float]:
    totals = tracker.totals[IMPACT]
    share = (totals.share() or 0.0) * (1 - deduction)
    t1, t2, t3 = bank.scoring.tier_thresholds
    return (1 if share <= t1 else 2 if share <= t2 else 3 if share <= t3 else 4), share


def mitigation(
    bank: Bank, tracker: Tracker, tier: int, assurance_share: float | None, missing: list[str]
) -> tuple[int | None, str]:
    """The tier after Canada-style mitigation, or ``None``, with the reason in words.

    Mitigation deducts a share of the raw impact points (15% in Canada's AIA) when assurance
    reaches the bank's share, and only when every critical control is in place; it never goes
    below a floor and it decides nothing: blockers and conditions are decided at ``tier``.
    """
    needed = bank.scoring.mitigation_share
    if needed is None or assurance_share is None:
        return None, ""
    if assurance_share < needed:
        return None, ""
    if missing:
        return None, (
            f"Assurance is {assurance_share:.0%}, but no mitigation is credited while critical controls are "
            f"missing or weak ({', '.join(missing)})."
        )
    deduction = bank.scoring.mitigation_deduction
    lowered, _ = _raw_tier(bank, tracker, deduction)
    floor = max([f.tier for f in bank.scoring.tier_floors if f.when.evaluate(tracker.facts)], default=1)
    mitigated = max(lowered, floor)
    return mitigated, (
        f"Assurance is {assurance_share:.0%} with every critical control in place, so {deduction:.0%} of the raw "
        f"risk points are deducted as mitigation: residual tier {TIER_LABELS[mitigated]}. Blockers, conditions "
        f"and minimums are still decided at tier {TIER_LABELS[tier]}, before mitigation."
    )


class _Raiser:
    """Turns rule, duty and gap findings into flags and plan items at the project's position."""

    def __init__(self, pos: Position) -> None:
        self.pos = pos
        self.blockers: list[Flag] = []
        self.conditions: list[Flag] = []
        self.items: list[Item] = []
        self.raised: dict[str, str] = {}
        self.levels: dict[str, int] = {}
        """The most severe level each question raised, as written (condition 1, blocker 2)."""

    def raise_(self, qid: str, dim: str, level: str, gate: str | None, message: str, source: FlagSource) -> str:
        message = " ".join(message.split())
        gate = gate or DEFAULT_GATE
        rank = {"blocker": 2, "condition": 1}.get(level, 0)
        self.levels[qid] = max(self.levels.get(qid, 0), rank)
        if level == "recommendation":
            self.items.append(Item(qid, message, "improvement"))
            return "weak"
        if level == "blocker" and self.pos.due_now(gate):
            self.blockers.append(
                Flag.model_construct(question_id=qid, message=message, dimension=dim, source=source, gate="")
            )
            self.items.append(Item(qid, message, "blocker"))
            self.raised[qid] = "blocker"
            return "blocker"
        due = gate if gate is not None and not self.pos.due_now(gate) else ""
        if due:
            message = f"{BEFORE[due]}: {message[0].lower()}{message[1:]}"
        later = bool(due) and GATE_RANK[due] > self.pos.gate_rank
        self.conditions.append(
            Flag.model_construct(question_id=qid, message=message, dimension=dim, source=source, gate=due)
        )
        self.items.append(Item(qid, message, "condition_later_gate" if later else "condition_next_gate", due))
        self.raised.setdefault(qid, "condition")
        return "condition"


def _unknown_message(q: Question, pos: Position, gate: str | None, facts: dict[str, Fact]) -> str:
    text = q.worded(facts).text.strip()
    if pos.due_now(gate):
        when = "the tool is already in use" if pos.in_use else f"this is due by {pos.gate_label()}"
        return f"Not known, and {when}: the question “{text}” has no answer yet. Find out and record it now."
    return f"Not known yet: the question “{text}” has no answer. Find out and record it."


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
        tier, tier_reasons = impact_tier(bank, tracker)
        pos = position(bank, tracker)
        asked = [qid for qid in session.history if tracker.is_relevant(qid)]
        asked_set = set(asked)
        facts: dict[str, Fact] = tracker.facts
        raiser = _Raiser(pos)
        gaps: list[Gap] = []
        details: list[AnswerDetail] = []
        weak: list[str] = []
        gains: dict[str, list[tuple[str, float]]] = {}
        """Per assurance dimension, the questions that could score more, and by how much."""
        critical_missing: list[str] = []
        critical = set(bank.scoring.critical_controls)

        relevant_ids = [q.id for i, q in enumerate(bank.questions) if tracker.relevant[i]]
        for qid in relevant_ids:
            q = bank.by_id[qid]
            dim = bank.dimension_of[qid]
            record = answers.get(qid) or unreached.get(qid)
            if record is None:
                continue
            status = "unanswered" if qid in unreached else record.status
            if status != "answered":
                gaps.append(
                    Gap.model_construct(question_id=qid, reason=status, dimension=dim, text=q.worded(facts).text)
                )
            flags: list[AnswerFlag] = []
            for rule in q.rules:
                if rule.applies_at(tier) and rule.when.evaluate(facts):
                    got = raiser.raise_(qid, dim, rule.level, rule.gate, rule.message, "rule")
                    flags.append(got)  # type: ignore[arg-type]
            if status != "answered" and qid not in raiser.raised:
                blocking_rules = [r for r in q.rules if r.level == "blocker" and r.applies_at(tier)]
                if blocking_rules:
                    gate = min((r.gate or DEFAULT_GATE for r in blocking_rules), key=GATE_RANK.__getitem__)
                    got = raiser.raise_(
                        qid, dim, "blocker", gate, _unknown_message(q, pos, gate, facts), "evidence_gap"
                    )
                    flags.append(got)  # type: ignore[arg-type]
            pts = points_for(q, record, dim)
            if q.scored and dim in ASSURANCE and pts is not None and q.max_points > pts:
                gains.setdefault(dim, []).append((qid, q.max_points - pts))
            is_weak = q.scored and pts is not None and (pts < q.weak_below or record.is_gap)
            if qid in critical and (is_weak or qid in raiser.raised):
                critical_missing.append(qid)
            if dim in ASSURANCE and q.action and is_weak and _matters_at(q, tier):
                weak.append(qid)
                flags.append("weak")
            if status != "answered":
                flags.append("gap")
            if qid in asked_set or qid in unreached:
                details.append(
                    AnswerDetail.model_construct(
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
                        flags=[f for f in dict.fromkeys(flags) if f in ("blocker", "condition", "weak", "gap")],
                        references=q.worded(facts).references,
                    )
                )

        for duty in unmet_duties(bank, tracker):
            if raiser.levels.get(duty.question, 0) >= (2 if duty.level == "blocker" else 1):
                continue  # the question's own rule already says it, at least as strongly
            # A duty's own question may not be asked here (C2b only follows a "significant" C2a): the
            # flag then stands on the last answer that gave rise to it, a question the person was asked.
            qid = duty.question
            if not tracker.is_relevant(qid):
                asked_refs = [r for r in duty.when.refs() if r in answers and tracker.is_relevant(r)]
                qid = max(asked_refs, key=bank.position.__getitem__, default=qid)
            dim = bank.dimension_of[qid]
            raiser.raise_(qid, dim, duty.level, duty.gate, duty.message, "duty")
            critical_missing.append(duty.question)
        checks = inconsistencies(bank, tracker)
        for check in checks:
            later = check.question_ids[-1]
            raiser.conditions.append(
                Flag.model_construct(
                    question_id=later,
                    message=f"Resolve the contradiction: {check.message}",
                    dimension=bank.dimension_of[later],
                    source="inconsistency",
                )
            )
        mitigated, mitigation_reason = mitigation(
            bank, tracker, tier, assurance_share, list(dict.fromkeys(critical_missing))
        )
    finally:
        tracker.totals[IMPACT].points, tracker.totals[IMPACT].max_points = saved
    if mitigation_reason:
        tier_reasons.append(mitigation_reason)

    # A provisional summary judges a dimension against its minimum only once it has nothing open.
    open_dims = {tracker.dims[i] for i in tracker.pending} if not final else set()
    held = {f.dimension for f in raiser.blockers}
    dimensions, shortfalls = dimension_results(bank, asked, answers, totals, tier, pos, open_dims, held, gains)
    for short in shortfalls:
        (raiser.blockers if short.blocks else raiser.conditions).append(short.flag)
    blockers, conditions = raiser.blockers, raiser.conditions
    items = raiser.items + [Item(qid, "", "improvement") for qid in weak if qid not in raiser.raised]
    actions = build_plan(bank, session, answers, items, shortfalls, checks, tracker.facts)
    for flag in (*blockers, *conditions):
        if flag.source != "tier_minimum":  # the plan names a shortfall's own entries
            flag.action_ids = [a.id for a in actions if flag.question_id in (a.question_id, *a.question_ids)]

    verdict: Verdict = "not_ready" if blockers else "ready_with_conditions" if conditions else "ready"
    reasons = _verdict_reasons(verdict, blockers, conditions, tier, pos)
    if gaps:
        reasons.append(
            f"{plural(len(gaps), 'evidence gap')} {'remains' if len(gaps) == 1 else 'remain'} (don't know, skipped or unanswered)."
        )
    label = VERDICT_LABELS[verdict]
    if not final and tracker.pending:
        # Only what was answered so far counts: say so, so nobody takes it for the result.
        label += " so far"
        reasons.insert(
            0,
            f"Provisional: {plural(len(tracker.pending), 'question')} that apply are still open and not counted yet.",
        )

    set_aside = [
        SetAside.model_construct(
            question_id=qid,
            dimension=bank.dimension_of[qid],
            text=bank.by_id[qid].text,
            answer_label=answer_label(bank.by_id[qid], answers.get(qid)),
        )
        for qid in tracker.set_aside()
    ]
    manifest = bank.manifest
    return Summary.model_construct(
        verdict=verdict,
        impact_tier=tier,
        dimensions=dimensions,
        blockers=blockers,
        conditions=conditions,
        actions=actions,
        evidence_gaps=gaps,
        asked=asked,
        gate=pos.gate,
        gate_label=pos.gate_label(),
        stage=pos.stage or "",
        mitigated_tier=mitigated,
        inconsistencies=checks,
        verdict_label=label,
        verdict_reasons=reasons,
        impact_tier_label=TIER_LABELS[tier],
        tier_reasons=tier_reasons,
        tier_demands=list(bank.scoring.tier_demands.get(tier, [])),
        finished=session.state == "summary",
        bank=BankInfo.model_construct(
            id=manifest.id, version=manifest.version, title=manifest.title, provenance=manifest.provenance
        ),
        project=ProjectInfo.model_construct(
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


def _matters_at(q: Question, tier: int) -> bool:
    """Whether a weak answer deserves an improvement at this tier: the bank demands it here, or demands it always."""
    return not q.rules or any(r.applies_at(tier) for r in q.rules)


def _joined(flags: list[Flag]) -> str:
    return "; ".join(f.message.rstrip(". ") for f in flags) + "."


def _verdict_reasons(verdict: str, blockers: list[Flag], conditions: list[Flag], tier: int, pos: Position) -> list[str]:
    gate = pos.gate_label()
    if verdict == "not_ready":
        # A dimension short of its minimum is counted apart: it restates no answer's own blocker.
        own = sum(1 for b in blockers if b.source != "tier_minimum")
        short = len(blockers) - own
        said = [f"{plural(own, 'blocker')} {'stands' if own == 1 else 'stand'}"] if own else []
        if short:
            said.append(f"{plural(short, 'dimension')} {'falls' if short == 1 else 'fall'} short of the tier's minimum")
        return [f"Not ready for {gate}: {' and '.join(said)}: " + _joined(blockers)]
    if verdict == "ready_with_conditions":
        later = sum(1 for c in conditions if c.gate and GATE_RANK[c.gate] > pos.gate_rank)
        tail = f" ({later} of them for a later gate)" if later else ""
        return [
            f"May pass {gate} on conditions: no blockers, but {plural(len(conditions), 'condition')} must be met{tail}: "
            + _joined(conditions)
        ]
    return [
        f"May pass {gate}: no blockers or conditions were raised, and every assurance dimension meets the minimum "
        f"for tier {TIER_LABELS[tier]}."
    ]


def _asked_as(question: Question, facts: dict[str, Fact]) -> str:
    """The variant wording that was shown in place of the question's text, if any."""
    text = question.worded(facts).text
    return text if text != question.text else ""


def _label_value(question: Question, value: AnswerValue) -> str:
    """One participant's answer in words, as :func:`answer_label` words the group's."""
    if value == DONT_KNOW:
        return answer_label(question, AnswerRecord.gap("dont_know"))
    if value == SKIP:
        return answer_label(question, AnswerRecord.gap("skipped"))
    return answer_label(question, AnswerRecord(value=value))
