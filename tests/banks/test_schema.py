"""Schema details the engine relies on: maxima, weak thresholds, reserved ids, the bank index."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from question_banks import Bank
from question_banks.schema import Question, Rule


def q(**kw: object) -> Question:
    base: dict[str, object] = {"id": "Q1", "text": "t", "kind": "single", "help": "h", "references": ["r"]}
    base.update(kw)
    return Question.model_validate(base)


def test_max_points_single_and_multi() -> None:
    single = q(options=[{"id": "a", "label": "A", "score": 1}, {"id": "b", "label": "B", "score": 3}])
    multi = q(
        kind="multi",
        options=[
            {"id": "a", "label": "A", "score": 1},
            {"id": "b", "label": "B", "score": 3},
            {"id": "c", "label": "C", "score": -1},
        ],
    )
    assert single.max_points == 3
    assert multi.max_points == 4
    assert single.weak_below == 1.5
    assert q(options=single.options, action_below=1).weak_below == 1


def test_unscored_questions() -> None:
    assert not q(kind="text").scored
    assert q(kind="text").max_points == 0


@pytest.mark.parametrize("bad", ["dont_know", "skip"])
def test_reserved_ids(bad: str) -> None:
    with pytest.raises(ValidationError):
        q(id=bad)
    with pytest.raises(ValidationError):
        q(options=[{"id": bad, "label": "x", "score": 0}, {"id": "b", "label": "B", "score": 1}])


def test_rule_tiers_validated() -> None:
    cond = {"op": "answered", "question": "Q1"}
    assert Rule.model_validate({"level": "blocker", "when": cond, "message": "m", "tiers": [3, 4]}).applies_at(3)
    assert not Rule.model_validate({"level": "blocker", "when": cond, "message": "m", "tiers": [3, 4]}).applies_at(2)
    with pytest.raises(ValidationError):
        Rule.model_validate({"level": "blocker", "when": cond, "message": "m", "tiers": [5]})
    with pytest.raises(ValidationError):
        Rule.model_validate({"level": "warning", "when": cond, "message": "m"})


def test_bank_orders_phases_and_indexes(small_bank: Bank) -> None:
    assert small_bank.phases() == ["profile", "complexity", "ethics", "data", "efficacy", "readiness"]
    assert small_bank.dimension_of["E1a"] == "ethics"
    assert small_bank.position["P1"] == 0
    assert [x.id for x in small_bank.in_dimension("data")] == ["D1", "D2"]
    assert small_bank.title_of("complexity") == "Complexity and Operational effect"
