"""Condition nodes: evaluation rules, missing answers, sentinels, validation and rendering."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from question_banks.conditions import Condition, Fact, describe, leaves

C: TypeAdapter[Condition] = TypeAdapter(Condition)


def cond(data: dict) -> Condition:  # type: ignore[type-arg]
    return C.validate_python(data)


FACTS = {
    "single": Fact("yes", 3.0),
    "multi": Fact(["a", "c"], 4.0),
    "num": Fact(250.0),
    "gap": Fact("dont_know", 0.0),
    "text": Fact("free words"),
}


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"op": "equals", "question": "single", "value": "yes"}, True),
        ({"op": "equals", "question": "single", "value": "no"}, False),
        ({"op": "equals", "question": "multi", "value": "c"}, True),
        ({"op": "equals", "question": "missing", "value": "yes"}, False),
        ({"op": "in", "question": "single", "values": ["no", "yes"]}, True),
        ({"op": "in", "question": "multi", "values": ["b", "x"]}, False),
        ({"op": "in", "question": "multi", "values": ["b", "a"]}, True),
        ({"op": "range", "question": "num", "min": 100, "max": 300}, True),
        ({"op": "range", "question": "num", "min": 251}, False),
        ({"op": "range", "question": "single", "max": 3}, True),  # points of a choice
        ({"op": "range", "question": "gap", "max": 3}, False),  # a gap has no number
        ({"op": "range", "question": "missing", "max": 3}, False),
        ({"op": "answered", "question": "single"}, True),
        ({"op": "answered", "question": "gap"}, False),
        ({"op": "answered", "question": "missing"}, False),
        ({"op": "equals", "question": "gap", "value": "dont_know"}, True),
        ({"op": "count", "question": "multi", "min": 2}, True),
        ({"op": "count", "question": "multi", "max": 1}, False),
        ({"op": "count", "question": "single", "min": 0}, False),
        ({"op": "not", "condition": {"op": "answered", "question": "missing"}}, True),
        (
            {
                "op": "all",
                "conditions": [
                    {"op": "equals", "question": "single", "value": "yes"},
                    {"op": "range", "question": "num", "min": 200},
                ],
            },
            True,
        ),
        (
            {
                "op": "any",
                "conditions": [
                    {"op": "equals", "question": "single", "value": "no"},
                    {"op": "answered", "question": "missing"},
                ],
            },
            False,
        ),
    ],
)
def test_evaluate(data: dict, expected: bool) -> None:  # type: ignore[type-arg]
    assert cond(data).evaluate(FACTS) is expected


def test_numbers_compare_across_int_and_float() -> None:
    assert cond({"op": "equals", "question": "num", "value": 250}).evaluate(FACTS)


def test_refs_and_leaves() -> None:
    c = cond(
        {
            "op": "all",
            "conditions": [
                {"op": "equals", "question": "a", "value": "x"},
                {"op": "not", "condition": {"op": "answered", "question": "b"}},
            ],
        }
    )
    assert list(c.refs()) == ["a", "b"]
    assert [leaf.question for leaf in leaves(c)] == ["a", "b"]
    assert describe(c) == "(a = x) and (not (b answered))"


def test_witnesses_of_any_name_only_the_true_branch() -> None:
    c = cond(
        {
            "op": "any",
            "conditions": [
                {"op": "equals", "question": "single", "value": "no"},
                {"op": "range", "question": "num", "min": 1},
            ],
        }
    )
    assert c.witnesses(FACTS) == ["num"]


@pytest.mark.parametrize(
    "data",
    [
        {"op": "eval", "question": "a"},
        {"op": "equals", "question": "a"},
        {"op": "in", "question": "a", "values": []},
        {"op": "range", "question": "a"},
        {"op": "range", "question": "a", "min": 5, "max": 1},
        {"op": "all", "conditions": []},
        {"op": "equals", "question": "a", "value": "x", "extra": 1},
        {"op": "equals", "question": "", "value": "x"},
    ],
)
def test_invalid_conditions_are_rejected(data: dict) -> None:  # type: ignore[type-arg]
    with pytest.raises(ValidationError):
        cond(data)


def test_conditions_are_data_with_a_json_schema() -> None:
    schema = C.json_schema()
    assert "discriminator" in str(schema)
