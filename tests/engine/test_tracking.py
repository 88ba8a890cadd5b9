"""Action tracking: the user's owner, due date and status, kept in the session by action id."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows import Assessment, load_session
from flows.session import Session
from flows.tracking import STATUSES, TrackingError, action_id, apply, edit, parse_due, parse_status
from question_banks import Bank
from tests.reports.conftest import BEFORE, play


@pytest.mark.parametrize(
    ("text", "iso"),
    [("2026-12-31", "2026-12-31"), ("31/12/2026", "2026-12-31"), ("1.2.2027", "2027-02-01"), (" ", "")],
)
def test_due_dates_are_read_in_iso_or_uk_order(text: str, iso: str) -> None:
    assert parse_due(text) == iso


@pytest.mark.parametrize("text", ["next June", "31/02/2026", "2026-13-01", "12/31/2026"])
def test_a_due_date_that_is_not_a_date_is_refused(text: str) -> None:
    with pytest.raises(TrackingError, match="is not a date"):
        parse_due(text)


@pytest.mark.parametrize(
    ("text", "status"),
    [("open", "open"), ("In progress", "in_progress"), ("in-progress", "in_progress"), ("started", "in_progress"),
     ("DONE", "done"), ("closed", "done")],
)  # fmt: skip
def test_statuses_are_read_in_words(text: str, status: str) -> None:
    assert parse_status(text) == status


def test_an_unknown_status_names_the_choices() -> None:
    with pytest.raises(TrackingError, match="open, in progress or done"):
        parse_status("maybe")


def test_edits_override_the_derived_values_and_survive_a_reload(small_bank: Bank, tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    a = play(small_bank, BEFORE)
    a.path = path
    derived = a.summary(final=True).actions
    target = derived[-1]
    ident = action_id(target)
    a.track(ident, owner="  Head  of Legal ", due="31/12/2026")
    a.track(ident, status="in progress")
    data = json.loads(path.read_text())
    assert data["actions"][ident]["owner"] == "Head of Legal"
    reloaded = Assessment(small_bank, load_session(path)).summary(final=True).actions
    by_id = {action_id(x): x for x in reloaded}
    assert (by_id[ident].owner, by_id[ident].due, by_id[ident].status) == ("Head of Legal", "2026-12-31", "in_progress")
    others = [x for x in reloaded if action_id(x) != ident]
    assert all(x.status == "open" and not x.due for x in others)
    assert [action_id(x) for x in reloaded] == [action_id(x) for x in derived]  # edits never reorder or drop


def test_clearing_every_edit_removes_the_entry(small_bank: Bank) -> None:
    a = play(small_bank, BEFORE)
    ident = action_id(a.summary(final=True).actions[0])
    a.track(ident, owner="DPO")
    a.track(ident, owner="")
    assert ident not in a.session.actions


def test_a_bad_edit_changes_nothing(small_bank: Bank) -> None:
    a = play(small_bank, BEFORE)
    ident = action_id(a.summary(final=True).actions[0])
    a.track(ident, owner="DPO")
    with pytest.raises(TrackingError):
        a.track(ident, owner="Someone", due="soon")
    assert a.session.actions[ident].owner == "DPO" and a.session.actions[ident].due is None


def test_sessions_without_edits_still_load(small_bank: Bank, tmp_path: Path) -> None:
    path = tmp_path / "old.json"
    data = json.loads(play(small_bank, BEFORE).session.model_dump_json())
    data.pop("actions")
    path.write_text(json.dumps(data))
    assert load_session(path).actions == {}


@given(st.lists(st.tuples(st.sampled_from(["E1", "D2", "R1", "x"]), st.sampled_from(STATUSES)), max_size=8))
def test_the_last_status_set_wins_and_nothing_else_moves(edits: list[tuple[str, str]]) -> None:
    session = Session.model_validate({"bank": {"id": "b", "version": "1"}})
    for ident, status in edits:
        edit(session, ident, status=status)
    want = dict(edits)
    assert {k: v.status for k, v in session.actions.items()} == want
    from flows.summary import Action

    plan = [Action(question_id=q, action=f"do {q}", priority="improvement") for q in ("E1", "D2", "R1")]
    got = apply(plan, session)
    assert [x.status for x in got] == [want.get(x.question_id, "open") for x in plan]
    assert [x.action for x in got] == [x.action for x in plan]
