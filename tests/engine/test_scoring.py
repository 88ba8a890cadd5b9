"""Scoring, the impact tier, flags, the verdict, actions and gaps, on the fixture bank."""

from __future__ import annotations

from flows import Assessment
from flows.dimensions import score_0_5
from question_banks import Bank

GOOD = {
    "P1": "design",
    "P2": "dashboard",
    "C1": "backoffice",
    "C2": 5,
    "E1": "yes",
    "E2": "3",
    "D1": "yes",
    "F1": "yes",
    "R1": "yes",
}


def run(bank: Bank, answers: dict[str, object]) -> Assessment:
    a = Assessment(bank)
    a.start()
    for q in bank.questions:
        if q.id in answers and a.is_relevant(q.id):
            a.record(q.id, answers[q.id])  # type: ignore[arg-type]
    a.settle()
    if not a.finished:
        a.finish()
    return a


def test_all_good_is_ready_tier_one(small_bank: Bank) -> None:
    s = run(small_bank, GOOD).summary()
    assert s.verdict == "ready" and s.impact_tier == 1
    eth = s.dimension("ethics")
    assert (eth.score, eth.max_score, eth.rating, eth.asked, eth.answered) == (6, 6, "green", 2, 2)
    assert s.dimension("complexity").rating == "green"
    assert s.blockers == [] and s.conditions == [] and s.actions == [] and s.evidence_gaps == []
    assert s.asked == ["P1", "P2", "C1", "C2", "E1", "E2", "D1", "F1", "R1"]
    assert [d.id for d in s.dimensions] == ["complexity", "ethics", "data", "efficacy", "readiness"]


def test_follow_up_never_relevant_leaves_the_maximum(small_bank: Bank) -> None:
    s = run(small_bank, GOOD).summary()
    assert s.dimension("data").max_score == 2  # D2 (biometric only) not counted
    assert s.dimension("complexity").max_score == 4  # C1a not counted


def test_blocker_means_not_ready_with_blocker_action(small_bank: Bank) -> None:
    s = run(small_bank, {**GOOD, "E1": "no", "E1a": "plan"}).summary()
    assert s.verdict == "not_ready"
    assert [(b.question_id, b.message) for b in s.blockers] == [("E1", "No legal power identified.")]
    assert s.actions[0].question_id == "E1" and s.actions[0].priority == "blocker"


def test_condition_applies_only_at_its_tiers(small_bank: Bank) -> None:
    low = run(small_bank, {**GOOD, "E2": "0"}).summary()
    assert low.impact_tier == 1
    assert not any(c.question_id == "E2" for c in low.conditions)
    # 2/4 risk = 50% -> tier II; assurance 9/12 = 75% is below the 80% that would lower it.
    high = run(small_bank, {**GOOD, "E2": "0", "C1": "places"}).summary()
    assert high.impact_tier == 2
    assert any(c.question_id == "E2" for c in high.conditions)
    assert high.verdict == "ready_with_conditions"


def test_tier_floor_raises_tier_with_reason(small_bank: Bank) -> None:
    s = run(small_bank, {**GOOD, "P2": "biometric", "D2": "yes", "E2": "2"}).summary()
    assert s.impact_tier == 3
    assert any("Raised to at least tier III" in r for r in s.tier_reasons)


def test_mitigation_deducts_points_but_decides_nothing(small_bank: Bank) -> None:
    s = run(small_bank, {**GOOD, "C1": "people", "C1a": ["arrest", "bail"]}).summary()
    # 8/8 risk -> IV. Strong assurance deducts 15% of the raw points (85%: still IV, as in Canada's
    # AIA); the tier that decides blockers and conditions is the one before mitigation.
    assert s.impact_tier == 4 and s.mitigated_tier == 4
    assert any("15% of the raw risk points are deducted" in r for r in s.tier_reasons)


def test_dont_know_counts_as_full_risk_in_complexity(small_bank: Bank) -> None:
    s = run(small_bank, {**GOOD, "C1": "dont_know"}).summary()
    assert s.dimension("complexity").score == 4
    assert s.evidence_gaps[0].question_id == "C1" and s.evidence_gaps[0].reason == "dont_know"


def test_gap_on_blocker_question_blocks_once_its_gate_is_reached(small_bank: Bank) -> None:
    # The fixture bank names no stage question, so it is judged at the pilot gate, which a rule
    # with no gate is due by: not knowing the answer blocks.
    s = run(small_bank, {**GOOD, "E1": "dont_know", "E1a": "x"}).summary()
    assert s.verdict == "not_ready"
    gap_flags = [c for c in s.blockers if c.source == "evidence_gap"]
    assert [c.question_id for c in gap_flags] == ["E1"]


def test_tier_minimum_raises_condition(small_bank: Bank) -> None:
    s = run(small_bank, {**GOOD, "D1": "no"}).summary()
    assert s.dimension("data").score_0_5 == 0
    assert any(c.source == "tier_minimum" and c.question_id == "data" for c in s.conditions)
    assert s.verdict == "ready_with_conditions"
    # The answer that would close the shortfall is the action that meets the condition, at its priority.
    (minimum,) = [c for c in s.conditions if c.source == "tier_minimum"]
    assert "the answers with most to gain are D1" in minimum.message
    assert any(a.question_id == "D1" and a.priority == "condition_next_gate" for a in s.actions)


def test_a_shortfall_says_the_points_it_needs_and_the_fewest_answers_that_close_it() -> None:
    from flows.dimensions import most_to_gain

    gains = [("A", 1.0), ("B", 3.0), ("C", 2.0), ("D", 2.0)]
    assert most_to_gain(gains, 4.0) == [("B", 3.0), ("C", 2.0)]  # largest first, ties in bank order
    assert most_to_gain(gains, 3.0) == [("B", 3.0)]
    assert most_to_gain(gains, 0.0) == []
    assert most_to_gain(gains, 99.0) == [("B", 3.0), ("C", 2.0), ("D", 2.0), ("A", 1.0)]


def test_actions_are_ordered_by_priority(small_bank: Bank) -> None:
    s = run(small_bank, {**GOOD, "E1": "no", "E1a": "x", "D1": "no", "C1": "places", "E2": "0"}).summary()
    order = [a.priority for a in s.actions]
    assert order == sorted(order, key=["blocker", "condition_next_gate", "condition_later_gate", "improvement"].index)
    assert order[0] == "blocker"


def test_unanswered_questions_are_gaps_and_score_zero(small_bank: Bank) -> None:
    s = run(small_bank, {"P1": "design", "P2": "dashboard", "C1": "backoffice", "C2": 1}).summary()
    assert s.dimension("ethics").score == 0 and s.dimension("ethics").max_score == 6
    assert {"E1", "E2", "D1", "F1", "R1"} <= {g.question_id for g in s.evidence_gaps if g.reason == "unanswered"}


def test_score_0_5_rounds_half_up() -> None:
    assert [score_0_5(x) for x in (0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0)] == [0, 1, 2, 3, 4, 5, 5]


def test_summary_json_has_spec_keys(small_bank: Bank) -> None:
    data = run(small_bank, GOOD).summary().model_dump(mode="json")
    for key in (
        "schema_version",
        "verdict",
        "impact_tier",
        "dimensions",
        "blockers",
        "conditions",
        "actions",
        "evidence_gaps",
        "asked",
    ):
        assert key in data
    dim = data["dimensions"][0]
    assert set(dim) >= {"id", "title", "score", "max_score", "rating", "asked", "answered"}


def test_notes_and_owners_reach_the_summary(small_bank: Bank) -> None:
    a = run(small_bank, {**GOOD, "D1": "no"})
    a.note("D1", "Waiting on the DPO [/] review")
    a.set_owner("D1", "DPO")
    s = a.summary()
    assert next(x for x in s.answers if x.question_id == "D1").note == "Waiting on the DPO [/] review"
    assert next(x for x in s.actions if x.question_id == "D1").owner == "DPO"


def test_progress_reports_each_dimension(small_bank: Bank) -> None:
    a = Assessment(small_bank)
    a.start()
    for v in ("design", "dashboard", "backoffice", 5):
        a.answer(v)
    p = {x.dimension: x for x in a.progress()}
    assert p["complexity"].asked == 2 and p["complexity"].answered == 2 and p["complexity"].rating == "green"
    assert p["ethics"].asked == 0 and p["ethics"].rating is None and p["ethics"].remaining == 2


def test_tier_minimum_shortfall_points_at_the_plan_entries_instead_of_repeating_them(small_bank: Bank) -> None:
    s = run(small_bank, {**GOOD, "D1": "no"}).summary()
    flag = next(c for c in s.conditions if c.source == "tier_minimum")
    entry = next(a for a in s.actions if a.question_id == "D1")
    assert "below the minimum" in flag.message and f"most to gain are {entry.question_id} (+" in flag.message
    assert not any(a.question_id == "data" for a in s.actions)


def test_complexity_has_no_assurance_score(small_bank: Bank) -> None:
    s = run(small_bank, GOOD).summary()
    assert s.dimension("complexity").score_0_5 is None
    assert s.dimension("ethics").score_0_5 == 5


def test_participants_answers_are_worded_like_the_groups(small_bank: Bank) -> None:
    a = Assessment(small_bank)
    a.start()
    for v in ("design", "dashboard", "backoffice"):
        a.answer(v)
    a.answer(500, by={"analyst": 500, "DPO": "dont_know", "ops": "skip"})
    detail = next(x for x in a.summary().answers if x.question_id == "C2")
    assert detail.by == {"analyst": "500", "DPO": "Don't know", "ops": "Skipped"}


def test_a_provisional_summary_says_it_is_provisional(small_bank: Bank) -> None:
    a = Assessment(small_bank)
    a.start()
    a.answer("design")
    s = a.summary(final=False)
    assert s.verdict_label.endswith(" so far")
    assert s.verdict_reasons[0].startswith("Provisional:")
    final = run(small_bank, GOOD).summary()
    assert final.verdict_label == "Ready" and not final.verdict_reasons[0].startswith("Provisional")
