"""Undo takes back the last recorded change of any kind: answers, notes, owners, action edits, project details."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows import Assessment, FlowError, ReadOnly, load_session, save_session
from flows.tracking import action_id
from question_banks import Bank
from tests.reports.conftest import BEFORE, play


def content(a: Assessment) -> dict[str, Any]:
    """What the user told the assessment, without timestamps (undo restores content, not clocks)."""
    s = a.session
    return {
        "answers": {q: (r.value, r.status) for q, r in s.answers.items()},
        "notes": dict(s.notes),
        "owners": dict(s.owners),
        "actions": {k: (e.owner, e.due, e.status) for k, e in s.actions.items()},
        "project": s.project.model_dump(),
    }


@pytest.fixture
def planned(small_bank: Bank, tmp_path: Path) -> Assessment:
    path = tmp_path / "s.json"
    save_session(path, play(small_bank, BEFORE).session)
    return Assessment(small_bank, load_session(path), path=path)


def test_an_action_edit_is_undone_and_the_file_follows(planned: Assessment) -> None:
    a = planned
    ident = action_id(a.summary().actions[0])
    a.track(ident, owner="Head of Legal", due="31/12/2026")
    a.track(ident, status="done")
    assert a.last_change is not None and (a.last_change.kind, a.last_change.key) == ("action", ident)
    step = a.undo()
    assert step.undone is not None and step.undone.kind == "action"
    edit = load_session(a.path).actions[ident]  # type: ignore[arg-type]
    assert (edit.owner, edit.due, edit.status) == ("Head of Legal", "2026-12-31", None)
    a.undo()
    assert ident not in load_session(a.path).actions  # type: ignore[arg-type]
    assert a.summary().actions[0].owner == play(a.bank, BEFORE).summary().actions[0].owner


def test_project_details_notes_and_owners_are_undone_in_order(planned: Assessment) -> None:
    a = planned
    before, notes, owners = a.session.project.model_copy(), dict(a.session.notes), dict(a.session.owners)
    a.set_project("Hotspot forecast", organisation="Northshire Police")
    a.note("E1", "legal asked")
    a.set_owner("E1", "DPO")
    a.set_project(sro="Chief Supt Rees")
    kinds = []
    while a.can_undo and a.last_change is not None and a.last_change.kind != "answer":
        kinds.append((a.undo().undone.kind, a.session.project.sro))  # type: ignore[union-attr]
    assert [k for k, _ in kinds] == ["project", "owner", "note", "project"]
    assert a.session.project == before and load_session(a.path).project == before  # type: ignore[arg-type]
    assert (a.session.notes, a.session.owners) == (notes, owners)


def test_a_project_edit_names_the_details_it_changed(planned: Assessment) -> None:
    planned.set_project("X", sro="Y", contact="")  # the contact was empty already
    assert planned.last_change is not None and planned.last_change.key == "name,sro"


def test_a_change_that_changes_nothing_is_not_an_undo_step(planned: Assessment) -> None:
    a = planned
    ident = action_id(a.summary().actions[0])
    a.set_project("Same")
    a.note("E1", "n")
    a.track(ident, status="open")
    depth = len(a._undo)
    a.set_project("Same")
    a.note("E1", "n")
    a.set_owner("P1", "  ")  # no owner before, none after
    a.track(ident, status="open")
    a.track(action_id(a.summary().actions[1]), owner="")  # clearing what was never set
    assert len(a._undo) == depth


def test_a_read_only_assessment_keeps_its_undo_stack(planned: Assessment, small_bank: Bank) -> None:
    a = planned
    a.set_project("Before")
    ro = Assessment(small_bank, a.session.model_copy(deep=True), read_only="another window has it")
    with pytest.raises(ReadOnly):
        ro.track(action_id(ro.summary().actions[0]), owner="X")
    assert not ro.can_undo and ro.session.actions == {}


def test_nothing_to_undo_is_said(small_bank: Bank) -> None:
    with pytest.raises(FlowError, match="Nothing to undo"):
        Assessment(small_bank).undo()


TEXTS = st.sampled_from(["", "DPO", "Head of Legal", "  spaced  out  "])
OPS = st.one_of(
    st.tuples(st.just("note"), st.sampled_from(["E1", "P1", "C2"]), TEXTS),
    st.tuples(st.just("owner"), st.sampled_from(["E1", "ethics.E1"]), TEXTS),
    st.tuples(st.just("project"), st.sampled_from(["name", "sro", "contact"]), TEXTS),
    st.tuples(
        st.just("action"),
        st.integers(0, 1),
        st.sampled_from([("owner", "A"), ("owner", ""), ("due", "31/12/2026"), ("due", ""), ("status", "done")]),
    ),
    st.tuples(st.just("answer"), st.sampled_from(["E1", "P1"]), st.integers(0, 2)),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(OPS, max_size=12))
def test_undo_walks_back_through_every_kind_of_change(small_bank: Bank, ops: list[tuple[Any, ...]]) -> None:
    """After any mix of changes, each undo returns exactly to the state before the last change that changed something."""
    a = play(small_bank, BEFORE)
    a._undo.clear()
    states = [content(a)]
    actions = [action_id(x) for x in a.summary().actions]
    for kind, key, value in ops:
        if kind == "note":
            a.note(key, value)
        elif kind == "owner":
            a.set_owner(key, value)
        elif kind == "project":
            a.set_project(**{key: value})
        elif kind == "action":
            field, text = value
            a.track(actions[key], **{field: text})
        else:
            options = a.bank.by_id[key].options
            if not a.is_relevant(key):
                continue
            a.record(key, options[value % len(options)].id)
        if content(a) != states[-1]:
            states.append(content(a))
        assert len(a._undo) == len(states) - 1
    while states[:-1]:
        states.pop()
        a.undo()
        assert content(a) == states[-1]
    assert not a.can_undo
    assert a.consistent()
