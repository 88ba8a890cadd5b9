"""Rules added after the expert-panel cases (casebook 63-72): each fires when its answers hold, and
the automated-decision duties leave an outcome the person says is not significant alone.

The casebook plays each rule inside one realistic project; these tests play each rule on its own,
at every complexity level, so a rule that could only fire inside its case would show up here.
"""

from __future__ import annotations

import pytest

from question_banks import Bank, load_bank
from tests.test_shipped_banks import (
    SHIPPED,
    Value,
    _chooser,
    _satisfy,
    _with_relevance,
    play,
    record_in_bank_order,
)

# (question, the words that pick out its new rule's message)
NEW_RULES = [
    ("F6", "are known and not addressed"),
    ("F12", "conditions like yours"),
    ("D12", "Some of the personal data"),
    ("D15", "(DPA 2018 s.38)"),
    ("D15", "(UK GDPR Art 5(1)(d))"),
    ("F17", "only planned is not done"),
    ("R15", "once it goes live"),
]


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank(SHIPPED)


@pytest.mark.parametrize(("qid", "words"), NEW_RULES, ids=[f"{q}:{w}" for q, w in NEW_RULES])
def test_each_new_rule_fires_on_answers_that_meet_it(bank: Bank, qid: str, words: str) -> None:
    rule = next(r for r in bank.by_id[qid].rules if words in r.message)
    wanted = _satisfy(bank, rule.when)
    assert wanted is not None
    wanted = _with_relevance(bank, wanted, [qid])
    profile: dict[str, Value] = {"S1": "pilot", "S2": "generative", "S3": "personal", "S4": "part3", "S5": "supplier"}
    profile = {k: v for k, v in profile.items() if k not in wanted}
    for c_frac in (1.0, 2 / 3, 1 / 3):
        _, summary = play(bank, _chooser(profile, c_frac, 2 / 3, wanted))
        flags = summary.blockers if rule.level == "blocker" else summary.conditions
        if any(f.question_id == qid and words in f.message for f in flags):
            return
    pytest.fail(f"{qid} rule '{words}' never raised")


AUTOMATED_PEOPLE: dict[str, Value] = {
    "S1": "design",
    "S2": "rules",
    "S3": "personal",
    "S4": "part3",
    "S5": ["in_house"],
    "C1": "people",
    "C2": "automated",
    "E7": "none",
    "D5": "none",
}


def test_an_outcome_said_to_be_not_significant_raises_no_automated_decision_duty(bank: Bank) -> None:
    summary = record_in_bank_order(
        bank, {**AUTOMATED_PEOPLE, "C1a": ["safeguarding"], "C2a": "not_significant"}
    ).summary(final=True)
    flags = [*summary.blockers, *summary.conditions]
    assert not any("ss.50A-50D" in f.message for f in flags)
    # ceder's own standard of a human final decision still applies at tier III.
    assert any(f.question_id == "E7" for f in flags)
    assert not summary.inconsistencies


def test_not_significant_is_queried_and_does_not_switch_off_the_duty_for_decisions_significant_by_nature(
    bank: Bank,
) -> None:
    summary = record_in_bank_order(bank, {**AUTOMATED_PEOPLE, "C1a": ["arrest"], "C2a": "not_significant"}).summary(
        final=True
    )
    assert any({"C1a", "C2a"} <= set(i.question_ids) for i in summary.inconsistencies)
    assert any("ss.50A-50D" in f.message for f in [*summary.blockers, *summary.conditions])


def test_a_significant_or_unknown_outcome_still_raises_both_duties(bank: Bank) -> None:
    for c2a in ("significant", "dont_know"):
        summary = record_in_bank_order(
            bank, {**AUTOMATED_PEOPLE, "C1a": ["safeguarding"], "C2a": c2a, "C2b": "none"}
        ).summary(final=True)
        flags = [*summary.blockers, *summary.conditions]
        # With C2b answered its own rule speaks; with C2a unknown C2b is never asked and the duty
        # stands on the answer that raised it.
        assert any(f.question_id == "C2b" or "ss.50A-50D" in f.message for f in flags), c2a
        assert any(f.question_id == "D5" for f in flags), c2a


@pytest.mark.parametrize(
    ("d6", "d20", "queried"),
    [("full", "partly", True), ("reviewed", "none", True), ("partial", "partly", False), ("full", "recorded", False)],
)
def test_versions_said_to_be_logged_but_not_kept_with_the_case_are_queried(
    bank: Bank, d6: str, d20: str, queried: bool
) -> None:
    answers: dict[str, Value] = {
        **AUTOMATED_PEOPLE,
        "S1": "live",
        "C2": "recommendation",
        "C1a": ["charge"],
        "D6": d6,
        "D20": d20,
    }
    a = record_in_bank_order(bank, answers)
    assert a.is_relevant("D20"), "D20 must be asked for this test to mean anything"
    found = any({"D6", "D20"} <= set(i.question_ids) for i in a.summary(final=True).inconsistencies)
    assert found is queried
