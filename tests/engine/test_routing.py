"""Routing through phases, follow-ups, going back, revising, setting aside and undo."""

from __future__ import annotations

import pytest

from flows import Assessment, FlowError
from question_banks import Bank


def walk(a: Assessment, *values: object) -> None:
    for v in values:
        if a.in_review:
            a.proceed()
        a.answer(v)  # type: ignore[arg-type]


def test_starts_at_first_question_in_profile(assessment: Assessment) -> None:
    assert assessment.state == "profile"
    assert assessment.current is not None and assessment.current.id == "P1"
    assert assessment.session.history == ["P1"]


def test_follow_up_appears_only_when_its_condition_holds(small_bank: Bank) -> None:
    a = Assessment(small_bank)
    a.start()
    walk(a, "design", "dashboard", "places")
    assert a.current is not None and a.current.id == "C2"  # C1a skipped: not about people
    b = Assessment(small_bank)
    b.start()
    walk(b, "design", "dashboard", "people")
    assert b.current is not None and b.current.id == "C1a"


def test_dimension_ends_in_review_then_proceeds(small_bank: Bank) -> None:
    a = Assessment(small_bank)
    a.start()
    walk(a, "design", "dashboard", "places")
    step = a.answer(10)
    assert step.left_phase == "complexity"
    assert a.state == "complexity_review" and a.in_review and a.current is None
    with pytest.raises(FlowError):
        a.answer("yes")
    a.proceed()
    assert a.state == "ethics" and a.current is not None and a.current.id == "E1"


def test_cross_dimension_follow_up(small_bank: Bank) -> None:
    a = Assessment(small_bank)
    a.start()
    walk(a, "design", "biometric", "places", 10, "yes", "3", "yes")
    assert a.current is not None and a.current.id == "D2"
    assert [w.question_id for w in a.why()] == ["P2"]
    assert a.why()[0].answer == "Biometric matching"


def test_why_is_empty_for_core_questions(assessment: Assessment) -> None:
    assert assessment.why() == []


def test_back_revise_sets_aside_follow_ups_and_undo_restores(small_bank: Bank) -> None:
    a = Assessment(small_bank)
    a.start()
    walk(a, "design", "dashboard", "people", ["arrest"], 10)
    a.proceed()
    a.answer("no")
    a.answer("We will ask legal by March")  # E1a, the follow-up
    assert a.current is not None and a.current.id == "E2"
    a.back()
    a.back()
    assert a.current is not None and a.current.id == "E1"
    step = a.answer("yes")
    assert step.change is not None and step.change.set_aside == ["E1a"]
    assert a.set_aside() == ["E1a"]
    assert "E1a" not in a.summary().asked
    assert [s.question_id for s in a.summary().set_aside] == ["E1a"]
    assert a.current is not None and a.current.id == "E2"  # back to where we were
    assert a.can_undo
    undo = a.undo()
    assert undo.change is not None and undo.change.restored == ["E1a"]
    assert a.set_aside() == []
    assert a.record_of("E1a") is not None and a.record_of("E1a").value == "We will ask legal by March"  # type: ignore[union-attr]


def test_back_across_a_phase_boundary(small_bank: Bank) -> None:
    a = Assessment(small_bank)
    a.start()
    walk(a, "design", "dashboard", "places", 10)
    a.proceed()
    a.back()
    assert a.state == "complexity" and a.current is not None and a.current.id == "C2"


def test_back_at_first_question_is_refused(assessment: Assessment) -> None:
    with pytest.raises(FlowError, match="first question"):
        assessment.back()


def test_skip_and_dont_know_are_recorded_as_gaps(assessment: Assessment) -> None:
    assessment.skip()
    assessment.dont_know()
    assert assessment.record_of("P1").status == "skipped"  # type: ignore[union-attr]
    assert assessment.record_of("P2").status == "dont_know"  # type: ignore[union-attr]


def test_invalid_answers_are_refused_without_recording(assessment: Assessment) -> None:
    with pytest.raises(FlowError, match="not an option"):
        assessment.answer("maybe")
    assert assessment.record_of("P1") is None
    walk(assessment, "design", "dashboard", "people")
    with pytest.raises(FlowError, match="cannot be combined"):
        assessment.answer(["arrest", "none"])
    assessment.answer(["bail", "arrest", "bail"])
    assert assessment.record_of("C1a").value == ["arrest", "bail"]  # type: ignore[union-attr]
    with pytest.raises(FlowError, match="below the minimum"):
        assessment.answer(-5)
    with pytest.raises(FlowError, match="not a number"):
        assessment.answer("lots")


def test_jump_and_revise(small_bank: Bank) -> None:
    a = Assessment(small_bank)
    a.start()
    a.jump("data")
    assert a.state == "data" and a.current is not None and a.current.id == "D1"
    a.revise("P1")
    assert a.state == "profile" and a.current is not None and a.current.id == "P1"
    with pytest.raises(FlowError):
        a.revise("D2")  # not relevant: P2 not answered biometric


def test_finish_early_makes_unreached_questions_gaps(assessment: Assessment) -> None:
    assessment.answer("design")
    assessment.finish()
    s = assessment.summary()
    assert assessment.finished and s.finished
    unanswered = {g.question_id for g in s.evidence_gaps if g.reason == "unanswered"}
    assert {"P2", "C1", "E1", "D1", "F1", "R1"} <= unanswered


def test_variant_wording_follows_earlier_answers(small_bank: Bank) -> None:
    a = Assessment(small_bank)
    a.start()
    r1 = small_bank.by_id["R1"]
    assert a.text_of(r1) == r1.text
    a.answer("live")
    assert a.text_of(r1) == "Who owns the tool now that it is live?"


def test_full_walk_reaches_summary(small_bank: Bank) -> None:
    a = Assessment(small_bank)
    a.start()
    walk(a, "design", "dashboard", "backoffice", 5, "yes", "3", "yes", "yes", "yes")
    assert a.in_review
    a.proceed()
    assert a.finished
    assert a.summary().verdict == "ready"


def test_revision_from_summary_returns_to_summary(small_bank: Bank) -> None:
    a = Assessment(small_bank)
    a.start()
    walk(a, "design", "dashboard", "backoffice", 5, "yes", "3", "yes", "yes", "yes")
    a.proceed()
    a.revise("E2")
    a.answer("0")
    assert a.finished


def test_revision_that_opens_a_follow_up_asks_it_next(small_bank: Bank) -> None:
    a = Assessment(small_bank)
    a.start()
    walk(a, "design", "dashboard", "backoffice", 5, "yes", "3", "yes", "yes", "yes")
    a.proceed()
    a.revise("E1")
    step = a.answer("no")
    assert step.change is not None and step.change.newly_relevant == ["E1a"]
    assert a.current is not None and a.current.id == "E1a"


def test_machine_refuses_illegal_moves(assessment: Assessment) -> None:
    with pytest.raises(FlowError):
        assessment.proceed()  # not in a review
    fresh = Assessment(assessment.bank)
    with pytest.raises(FlowError):
        fresh.answer("design")  # still at the welcome


def test_machine_has_no_auto_transitions_and_is_small(small_bank: Bank) -> None:
    a = Assessment(small_bank)
    assert not hasattr(a._model, "to_summary")
    from flows.machine import TRIGGERS

    n_states = len(a.machine.states)
    n_transitions = sum(len(t) for e in a.machine.events.values() for t in e.transitions.values())
    # Bounded by phases, never by questions: states are phases, not questions.
    assert n_states == 1 + 1 + 2 * 5 + 1
    assert n_transitions <= len(TRIGGERS) * n_states * n_states


def test_after_a_jump_the_conversation_continues_in_that_dimension(small_bank: Bank) -> None:
    a = Assessment(small_bank)
    a.start()
    a.jump("ethics")
    a.answer("yes")
    assert a.state == "ethics" and a.current is not None and a.current.id == "E2"
    a.answer("3")
    assert a.state == "ethics_review"
    a.proceed()
    assert a.current is not None and a.current.id == "P1"  # the earliest open question
