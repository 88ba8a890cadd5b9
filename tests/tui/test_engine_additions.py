"""Engine behaviour the TUI relies on (plain unit tests, no Textual)."""

from __future__ import annotations

from flows import Assessment
from question_banks import Bank


def test_undo_never_leaves_the_cursor_on_a_question_that_no_longer_applies(small_bank: Bank) -> None:
    a = Assessment(small_bank)
    a.start()
    for value in ("design", "ml", "places", 5):
        a.answer(value)
    assert a.state == "complexity_review"
    a.revise("C1")
    a.answer("people")  # opens the follow-up C1a, and the cursor moves there
    assert a.current is not None and a.current.id == "C1a"
    a.undo()  # back to "places": C1a no longer applies
    assert a.record_of("C1") is not None and a.record_of("C1").value == "places"
    assert a.current is not None and a.is_relevant(a.current.id)
    assert a.current.id == "E1" and a.state == "ethics"
    assert a.consistent()


def test_undo_keeps_the_cursor_when_it_still_applies(small_bank: Bank) -> None:
    a = Assessment(small_bank)
    a.start()
    for value in ("design", "ml", "people", ["arrest"]):
        a.answer(value)
    a.back()
    a.back()
    a.answer("places")  # sets C1a aside; back to C2
    assert a.current is not None and a.current.id == "C2"
    a.undo()
    assert a.current.id == "C2" and a.set_aside() == []
