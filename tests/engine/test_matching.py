"""Typed answers: what a person would type for an option is understood, and a guess is never recorded."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows.matching import interpret
from question_banks import load_bank
from question_banks.schema import Question

USE = Question.model_validate(
    {
        "id": "C1",
        "text": "What will the tool's output be used for?",
        "kind": "single",
        "options": [
            {"id": "back", "label": "Back-office or corporate work only (finance, estates, HR planning)"},
            {"id": "place", "label": "Aggregate or place-based planning and deployment"},
            {"id": "prioritise", "label": "Prioritising cases, tasks or workload"},
            {"id": "people", "label": "Informing decisions about identifiable people"},
        ],
    }
)
DECISIONS = Question.model_validate(
    {
        "id": "C1a",
        "text": "Which decisions?",
        "kind": "multi",
        "options": [
            {"id": "arrest", "label": "Arrest"},
            {"id": "custody", "label": "Custody or bail"},
            {"id": "ooc", "label": "Out-of-court disposals or diversion schemes"},
            {"id": "stop", "label": "Stop and search"},
            {"id": "none", "label": "None of these", "exclusive": True},
        ],
    }
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("decisions about people", "people"),  # the label's words, in its order, fillers dropped
        ("people decisions", "people"),  # any order
        ("identifiable", "people"),
        ("place based", "place"),  # punctuation aside
        ("HR", "back"),
        ("workload", "prioritise"),
    ],
)
def test_the_words_of_one_option_choose_it(typed: str, expected: str) -> None:
    result = interpret(USE, typed)
    assert (result.kind, result.value) == ("value", expected)


def test_punctuation_does_not_stop_a_multi_select_part() -> None:
    result = interpret(DECISIONS, "custody, out of court")
    assert (result.kind, result.value) == ("value", ["custody", "ooc"])


@pytest.mark.parametrize("typed", ["decisons about poeple", "prioritsing"])
def test_a_typo_is_offered_and_never_recorded(typed: str) -> None:
    result = interpret(USE, typed)
    assert result.kind == "unclear" and result.value is None
    assert len(result.candidates) == 1 and "did you mean" in result.message.lower()
    assert "Type its number" in result.message


def test_a_negated_answer_is_not_taken_as_the_option_it_names() -> None:
    result = interpret(USE, "not about people")
    assert result.kind == "unclear" and [o.id for o in result.candidates] == ["people"]


def test_words_shared_by_several_options_ask_which() -> None:
    result = interpret(USE, "planning")  # finance... HR planning, and place-based planning
    assert result.kind == "unclear" and {o.id for o in result.candidates} == {"back", "place"}
    assert "more than one option" in result.message


def test_nothing_like_any_option_says_so() -> None:
    result = interpret(USE, "zebra crossing")
    assert result.kind == "unclear" and not result.candidates and "didn't catch" in result.message


@given(st.text(max_size=40))
def test_whatever_is_typed_an_answer_is_an_option_or_nothing(typed: str) -> None:
    """The safety property: matching never records a value that is not one of the options."""
    ids = {o.id for o in USE.options}
    result = interpret(USE, typed)
    assert result.kind != "value" or result.value in ids
    multi = interpret(DECISIONS, typed)
    assert multi.kind != "value" or set(multi.value or []) <= {o.id for o in DECISIONS.options}  # type: ignore[arg-type]


def test_every_shipped_label_typed_in_lower_case_without_punctuation_chooses_its_own_option() -> None:
    """Typing an option's own words (as someone copying it would) never picks a different option."""
    bank = load_bank()
    wrong = []
    for q in bank.questions:
        if q.kind not in ("single", "scale"):
            continue
        for o in q.options:
            typed = " ".join("".join(c if c.isalnum() else " " for c in o.label.lower()).split())
            result = interpret(q, typed)
            if result.kind == "value" and result.value != o.id:
                wrong.append((q.id, o.label, result.value))
    assert not wrong
