"""Bank 2.0.0's new content: each new rule can fire, each new block is routed only where it matters.

New questions are asked only when the profile makes them relevant (criminal-justice outputs,
surveillance and biometrics, shared tools, suppliers with data access, children, generative
AI), so a back-office dashboard is not asked about watchlists or RIPA.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.answers_file import read_answers
from flows.engine import Assessment
from question_banks import Bank, load_bank
from question_banks.conditions import Fact
from tests.test_shipped_banks import SHIPPED, Value, _chooser, _satisfy, _with_relevance, play, record_in_bank_order

NEW_QUESTIONS = (
    "C2c C6a C7b C9b E3b E3c E17 E18 E19 D9b D11b D13b D20 D21 D22 D24 D25 D26 F6c F18 F19 R17 R19"
).split()
SCENARIOS = Path(__file__).resolve().parents[2] / "question_banks" / "scenarios"


def _rules(kind: str) -> list[str]:
    bank = load_bank(SHIPPED)
    return [f"{qid}:{i}" for qid in NEW_QUESTIONS for i, r in enumerate(bank.by_id[qid].rules) if r.level == kind] + (
        ["C2b:2"] if kind == "condition" else []
    )


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank(SHIPPED)


def test_every_new_question_exists_and_has_references(bank: Bank) -> None:
    for qid in NEW_QUESTIONS:
        q = bank.by_id[qid]
        assert q.references and all(" – http" in r for r in q.references), qid


@pytest.mark.parametrize("rule_id", _rules("condition") + _rules("blocker"))
def test_every_new_rule_fires_on_answers_that_meet_it(bank: Bank, rule_id: str) -> None:
    qid, index = rule_id.split(":")
    rule = bank.by_id[qid].rules[int(index)]
    wanted = _satisfy(bank, rule.when)
    assert wanted is not None, f"cannot construct answers for {rule_id}"
    wanted = _with_relevance(bank, wanted, [qid])
    profile: dict[str, Value] = {"S1": "live", "S2": "ml", "S3": "personal", "S4": "part3", "S5": "supplier"}
    for c_frac in (1.0, 2 / 3, 1 / 3, 0.0):
        _, summary = play(bank, _chooser(profile, c_frac, 2 / 3, wanted))
        flags = summary.blockers if rule.level == "blocker" else summary.conditions
        if (qid, rule.message) in [(f.question_id, f.message) for f in flags]:
            return
    pytest.fail(f"{rule_id} never raised")


def _asked(bank: Bank, answers: dict[str, Value]) -> set[str]:
    return set(record_in_bank_order(bank, answers).summary(final=True).asked)


def test_a_dashboard_is_asked_none_of_the_new_policing_regimes() -> None:
    scenario = read_answers(SCENARIOS / "demand-forecasting-dashboard.yaml")
    asked = set(scenario.answers)
    assert not asked & {
        "E3b",
        "E3c",
        "E17",
        "E18",
        "E19",
        "D20",
        "D21",
        "D22",
        "D24",
        "D25",
        "F18",
        "F19",
        "R17",
        "R19",
    }
    assert {"C7b", "D13b"} <= asked  # the split halves of double-barrelled questions are core


def test_live_facial_recognition_is_asked_the_biometric_and_criminal_justice_blocks() -> None:
    asked = set(read_answers(SCENARIOS / "live-facial-recognition.yaml").answers)
    assert {"E3b", "E3c", "E18", "D20", "D22", "F18", "D24", "D25", "C6a"} <= asked


def test_children_are_their_own_group(bank: Bank) -> None:
    facts = {"C9": Fact("involved"), "C9b": Fact(["children"])}
    assert bank.by_id["E17"].ask_if.evaluate(facts)  # type: ignore[union-attr]
    assert bank.by_id["F6c"].ask_if.evaluate(facts)  # type: ignore[union-attr]
    assert not bank.by_id["E17"].ask_if.evaluate({"C9b": Fact(["victims"])})  # type: ignore[union-attr]


def test_dpia_screening_is_prefilled_from_earlier_answers_for_the_user_to_confirm(bank: Bank) -> None:
    answers = dict(read_answers(SCENARIOS / "live-facial-recognition.yaml").answers)
    a = Assessment(bank)
    a.start()
    for q in bank.questions:
        if q.id == "D4":
            break
        if a.is_relevant(q.id):
            a.record(q.id, answers.get(q.id, "skip"))
    d4 = bank.by_id["D4"]
    suggested = a.suggestion(d4)
    assert suggested == ["monitoring", "sensitive", "large_scale", "matching", "vulnerable", "innovative"]
    assert "D4" not in a.answers  # offered, never recorded unasked
    a.record("D4", ["monitoring"])
    assert a.suggestion(d4) is None  # once answered, the user's answer stands


def test_technique_is_not_asked_twice(bank: Bank) -> None:
    c11 = bank.by_id["C11"]
    assert c11.ask_if is not None
    assert not c11.ask_if.evaluate({"S2": Fact("ml")}) and c11.ask_if.evaluate({"S2": Fact("other")})


def test_a_self_rating_is_never_the_heaviest_item_in_its_dimension(bank: Bank) -> None:
    e14 = bank.by_id["E14"]
    heaviest = max(q.max_points for q in bank.in_dimension("ethics") if q.scored and q.id != "E14")
    assert e14.max_points < heaviest


def test_risk_is_not_scored_as_weak_assurance(bank: Bank) -> None:
    """External data with agreements, and supplier access within checked limits, score as well as none."""
    d7, d14 = bank.by_id["D7"].option_index, bank.by_id["D14"].option_index
    assert d7["agreed"].score == d7["internal"].score
    assert d14["limited"].score == d14["no_access"].score


def test_several_builders_can_be_named(bank: Bank) -> None:
    assert bank.by_id["S5"].kind == "multi"
    asked = _asked(bank, {"S1": "design", "S2": "ml", "S3": "personal", "S4": "part3", "S5": ["in_house", "academic"]})
    assert {"S5a", "D14a", "R8"} <= asked


def test_every_new_question_is_reached_by_a_demo_scenario() -> None:
    reached: set[str] = set()
    for path in SCENARIOS.glob("*.yaml"):
        reached |= set(read_answers(path).answers)
    assert set(NEW_QUESTIONS) <= reached, sorted(set(NEW_QUESTIONS) - reached)
