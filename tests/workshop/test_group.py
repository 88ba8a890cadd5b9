"""Group answers in the engine: each participant's answer behind the group's, and how far they differ."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows import Assessment, FlowError, load_session
from flows.group import disagreements, group_spread, participants_of, unanimous
from question_banks import Bank


def test_answer_keeps_each_participants_answer(assessment: Assessment) -> None:
    assessment.answer("live", by={"analyst": "live", "DPO": "design"})
    record = assessment.record_of("P1")
    assert record is not None and record.value == "live"
    assert record.by == {"analyst": "live", "DPO": "design"}
    assert assessment.session.participants == ["analyst", "DPO"]


def test_participants_answers_are_validated_and_normalised(assessment: Assessment) -> None:
    with pytest.raises(FlowError, match="DPO: P1: 'maybe' is not an option"):
        assessment.answer("live", by={"analyst": "live", "DPO": "maybe"})
    assert assessment.record_of("P1") is None  # nothing recorded when one participant's answer is wrong
    assert assessment.session.participants == []
    with pytest.raises(FlowError, match="participant's name"):
        assessment.answer("live", by={"  ": "live"})
    assessment.answer("live", by={"  the   DPO ": "live"})
    assert assessment.record_of("P1").by == {"the DPO": "live"}  # type: ignore[union-attr]


def test_participants_may_say_dont_know_and_group_may_settle_on_a_gap(assessment: Assessment) -> None:
    assessment.dont_know(by={"analyst": "live", "DPO": "dont_know"})
    record = assessment.record_of("P1")
    assert record is not None and record.status == "dont_know"
    assert record.by == {"analyst": "live", "DPO": "dont_know"}
    assessment.skip(by={"analyst": "skip", "DPO": "ml"})
    assert assessment.record_of("P2").by == {"analyst": "skip", "DPO": "ml"}  # type: ignore[union-attr]


def test_multi_and_number_answers_are_normalised_per_participant(small_bank: Bank) -> None:
    a = Assessment(small_bank)
    a.start()
    a.answer("design")
    a.answer("dashboard")
    a.answer("people")
    a.answer(["bail", "arrest"], by={"x": ["bail", "arrest"], "y": ["arrest"]})
    assert a.record_of("C1a").by == {"x": ["arrest", "bail"], "y": ["arrest"]}  # type: ignore[union-attr]
    a.answer(100, by={"x": "1,000", "y": 100})
    assert a.record_of("C2").by == {"x": 1000.0, "y": 100.0}  # type: ignore[union-attr]


def test_group_answers_survive_saving_and_reopening(small_bank: Bank, tmp_path: Path) -> None:
    path = tmp_path / "group.json"
    a = Assessment(small_bank, path=path)
    a.set_participants(["analyst", "DPO", "analyst", " "])
    a.start()
    a.answer("live", by={"analyst": "live", "DPO": "design"})
    saved = load_session(path)
    assert saved.participants == ["analyst", "DPO"]
    assert saved.answers["P1"].by == {"analyst": "live", "DPO": "design"}
    again = Assessment(small_bank, saved, path=path)
    assert [s.question_id for s in again.disagreements()] == ["P1"]


def test_summary_shows_the_participants_answers_as_labels(assessment: Assessment) -> None:
    assessment.answer("live", by={"analyst": "live", "DPO": "design"})
    detail = next(d for d in assessment.summary().answers if d.question_id == "P1")
    assert detail.by == {"analyst": "In live use", "DPO": "Design or build"}


def test_undo_puts_back_the_previous_spread(assessment: Assessment) -> None:
    assessment.answer("live", by={"analyst": "live", "DPO": "design"})
    assessment.back()
    assessment.answer("live", by={"analyst": "live", "DPO": "live"})  # same answer, new spread
    assert assessment.record_of("P1").by == {"analyst": "live", "DPO": "live"}  # type: ignore[union-attr]
    assessment.undo()
    assert assessment.record_of("P1").by == {"analyst": "live", "DPO": "design"}  # type: ignore[union-attr]


def test_reanswering_without_participants_keeps_their_answers(assessment: Assessment) -> None:
    assessment.answer("live", by={"analyst": "live", "DPO": "design"})
    assessment.back()
    assessment.answer("live")
    assert assessment.record_of("P1").by == {"analyst": "live", "DPO": "design"}  # type: ignore[union-attr]


def test_headless_record_takes_participants_answers(small_bank: Bank) -> None:
    a = Assessment(small_bank)
    a.record("P1", "live", by={"a": "design", "b": "live"})
    assert a.record_of("P1").by == {"a": "design", "b": "live"}  # type: ignore[union-attr]


def test_spread_counts_distinct_answers_and_points(small_bank: Bank) -> None:
    a = Assessment(small_bank)
    a.start()
    a.answer("design")
    a.answer("dashboard")
    a.answer("people", by={"a": "backoffice", "b": "people", "c": "people", "d": "dont_know"})
    spread = group_spread(small_bank, "C1", a.record_of("C1"))  # type: ignore[arg-type]
    assert spread is not None
    assert spread.distinct == 3  # back-office, people, don't know
    assert spread.spread == 4.0  # 0 to 4 points; "don't know" earns no opinion on points
    assert [(g.label, g.sources) for g in spread.groups] == [
        ("Decisions about identifiable people", ["b", "c"]),
        ("Back-office only", ["a"]),
        ("Don't know", ["d"]),
    ]
    assert spread.settled == "Decisions about identifiable people"
    assert not spread.agreed


def test_widest_disagreements_come_first(small_bank: Bank) -> None:
    a = Assessment(small_bank)
    a.start()
    a.answer("design", by={"a": "design", "b": "live"})  # unscored disagreement
    a.answer("dashboard", by={"a": "dashboard", "b": "dashboard"})  # agreement
    a.answer("places", by={"a": "backoffice", "b": "places"})  # 2 points apart
    a.answer(120, by={"a": 100, "b": 5000})  # numbers
    a.proceed()
    a.answer("yes", by={"a": "no", "b": "yes"})  # 3 points apart
    found = a.disagreements()
    assert [s.question_id for s in found] == ["E1", "C1", "P1", "C2"]
    assert next(s for s in found if s.question_id == "C2").value_range == (100.0, 5000.0)
    assert "P2" in [s.question_id for s in a.disagreements(include_agreed=True)]


def test_text_answers_differing_only_in_case_and_spacing_agree(small_bank: Bank) -> None:
    a = Assessment(small_bank)
    a.start()
    for value in ("design", "dashboard", "places", 10):
        a.answer(value)
    a.proceed()
    a.answer("no")
    a.answer("Legal review", by={"a": "Legal  review", "b": "legal review "})
    assert disagreements(small_bank, a.answers) == []


def test_set_aside_answers_are_not_reported(small_bank: Bank) -> None:
    a = Assessment(small_bank)
    a.start()
    a.answer("design")
    a.answer("dashboard")
    a.answer("people")
    a.answer(["arrest"], by={"a": ["arrest"], "b": ["bail"]})
    assert [s.question_id for s in a.disagreements()] == ["C1a"]
    a.revise("C1")
    a.answer("places")  # C1a no longer applies
    assert a.disagreements() == []


def test_unanimous() -> None:
    assert unanimous({"a": "yes", "b": "yes"}) == "yes"
    assert unanimous({"a": ["x", "y"], "b": ["y", "x"]}) == ["x", "y"]
    assert unanimous({"a": "yes", "b": "no"}) is None
    assert unanimous({}) is None


def test_tally_counts_are_not_taken_for_participants(small_bank: Bank) -> None:
    a = Assessment(small_bank)
    a.start()
    a.set_participants(["analyst", "DPO"])
    a.answer("live", by={"1 vote": "design", "4 votes": "live"})  # a tally, as the TUI records it
    a.set_participants(["analyst", "DPO"])
    assert participants_of(a.session) == ["analyst", "DPO"]
