"""The action-plan screen, driven through Textual's Pilot: move, edit owner, due date and status, all saved."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import DataTable, Input, Static

from assistant.tui.screens.actions import ActionPlanScreen
from flows import Assessment, load_session, save_session
from question_banks import Bank
from tests.reports.conftest import BEFORE, play
from tests.tui.conftest import press


class PlanApp(App[None]):
    """Just the screen under test, on an assessment that autosaves to ``path``."""

    CSS_PATH = "../../assistant/tui/ceder.tcss"

    def __init__(self, assessment: Assessment) -> None:
        super().__init__()
        self.assessment = assessment

    def on_mount(self) -> None:
        self.push_screen(ActionPlanScreen(self.assessment, final=True))


@pytest.fixture
def planned(small_bank: Bank, tmp_path: Path) -> tuple[Assessment, Path]:
    path = tmp_path / "s.json"
    save_session(path, play(small_bank, BEFORE).session)
    return Assessment(small_bank, load_session(path), path=path), path


def cells(app: App[None]) -> list[list[str]]:
    table = app.screen.query_one(DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def shown(app: App[None], selector: str) -> str:
    return str(app.screen.query_one(selector, Static).content)


async def type_in_dialog(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    field = pilot.app.screen.query_one(Input)
    field.value = ""
    if text:
        await pilot.press(*text)
    await press(pilot, "enter")


async def test_lists_every_action_with_its_status(planned: tuple[Assessment, Path]) -> None:
    a, _ = planned
    actions = a.summary(final=True).actions
    assert len(actions) >= 2
    async with PlanApp(a).run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        rows = cells(pilot.app)
        assert [r[5] for r in rows] == [x.action for x in actions]
        assert {r[1] for r in rows} == {"Open"}
        assert f"{len(actions)} actions ({len(actions)} open · 0 in progress · 0 done)" in shown(
            pilot.app, "#actions-title"
        )
        assert actions[0].action in shown(pilot.app, "#actions-detail")


async def test_owner_due_and_status_are_edited_and_saved(planned: tuple[Assessment, Path]) -> None:
    a, path = planned
    second = a.summary(final=True).actions[1]
    ident = second.id or second.question_id
    async with PlanApp(a).run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await press(pilot, "down")
        assert second.action in shown(pilot.app, "#actions-detail")
        await press(pilot, "o")
        await type_in_dialog(pilot, "Head of Legal")
        await press(pilot, "d")
        await type_in_dialog(pilot, "31/12/2026")
        await press(pilot, "s", "2")
        row = cells(pilot.app)[1]
        assert row[1] == "In progress" and row[2] == "Head of Legal" and row[3] == "31 December 2026"
        assert "Owner: Head of Legal (set here)" in shown(pilot.app, "#actions-detail")
        assert "1 in progress" in shown(pilot.app, "#actions-title")
        saved = json.loads(path.read_text())["actions"][ident]
        assert (saved["owner"], saved["due"], saved["status"]) == ("Head of Legal", "2026-12-31", "in_progress")
        # Enter offers the three edits; the third is the status.
        await press(pilot, "enter", "3", "3")
        assert cells(pilot.app)[1][1] == "Done"
        await press(pilot, "escape")
        assert not isinstance(pilot.app.screen, ActionPlanScreen)
    assert json.loads(path.read_text())["actions"][ident]["status"] == "done"
    # A fresh summary (as every report makes) carries the edits.
    again = Assessment(a.bank, load_session(path)).summary(final=True).actions[1]
    assert (again.owner, again.due, again.status) == ("Head of Legal", "2026-12-31", "done")


async def test_a_date_it_cannot_read_is_refused_and_nothing_saved(planned: tuple[Assessment, Path]) -> None:
    a, path = planned
    async with PlanApp(a).run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await press(pilot, "d")
        await type_in_dialog(pilot, "next June")
        assert cells(pilot.app)[0][3] == "—"
        assert any("is not a date" in str(n.message) for n in pilot.app._notifications)
    assert "actions" not in json.loads(path.read_text()) or not json.loads(path.read_text())["actions"]


async def test_clearing_the_owner_goes_back_to_the_one_from_the_answers(planned: tuple[Assessment, Path]) -> None:
    a, path = planned
    first = a.summary(final=True).actions[0]
    derived = first.owner
    async with PlanApp(a).run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await press(pilot, "o")
        await type_in_dialog(pilot, "Someone else")
        assert cells(pilot.app)[0][2] == "Someone else"
        await press(pilot, "o")
        await type_in_dialog(pilot, "")
        assert cells(pilot.app)[0][2] == (derived or "—")
    assert not json.loads(path.read_text())["actions"]


async def test_user_text_is_shown_literally(planned: tuple[Assessment, Path]) -> None:
    a, _ = planned
    async with PlanApp(a).run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await press(pilot, "o")
        await type_in_dialog(pilot, "[bold]DPO[/bold]")
        assert cells(pilot.app)[0][2] == "[bold]DPO[/bold]"
        assert "[bold]DPO[/bold]" in shown(pilot.app, "#actions-detail")


async def test_an_empty_plan_says_there_is_nothing_to_do(small_bank: Bank) -> None:
    a = Assessment(small_bank)
    a.start()
    best = {"P1": "design", "P2": "dashboard", "C1": "backoffice", "C2": 10, "E1": "yes", "E2": "3", "D1": "yes"}
    for qid, value in {**best, "F1": "yes", "R1": "yes"}.items():
        a.record(qid, value)
    a.settle()
    async with PlanApp(a).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not a.summary(final=True).actions
        assert "Nothing to do" in shown(pilot.app, "#actions-detail")
        assert "0 actions" in shown(pilot.app, "#actions-title")
        await press(pilot, "o")
        assert isinstance(pilot.app.screen, ActionPlanScreen)


# -- wired into the app: /actions and its key from the conversation, "a" from the summary ---------
async def test_the_actions_command_and_its_key_open_the_plan(app_factory, small_bank: Bank, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from assistant.tui.app import CederApp
    from assistant.tui.screens.chat import ChatScreen
    from tests.tui.conftest import type_line

    path = tmp_path / "s.json"
    save_session(path, play(small_bank, BEFORE).session)
    app: CederApp = app_factory(session_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for _ in range(3):  # past the resume offer or summary, if any
            if not isinstance(app.screen, ChatScreen):
                await press(pilot, "escape")
        await type_line(pilot, "/actions")
        assert isinstance(app.screen, ActionPlanScreen)
        await press(pilot, "s", "3")
        assert cells(app)[0][1] == "Done"
        await press(pilot, "escape")
        assert isinstance(app.screen, ChatScreen)
        await press(pilot, "f4")
        assert isinstance(app.screen, ActionPlanScreen)
    first = play(small_bank, BEFORE).summary(final=True).actions[0]
    assert json.loads(path.read_text())["actions"][first.id or first.question_id]["status"] == "done"


async def test_the_summary_opens_the_plan_and_shows_the_edits_after(
    app_factory, small_bank: Bank, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from assistant.tui.screens.summary import SummaryScreen

    path = tmp_path / "s.json"
    save_session(path, play(small_bank, BEFORE).session)
    app = app_factory(session_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        if not isinstance(app.screen, SummaryScreen):
            await press(pilot, "ctrl+r")
        assert isinstance(app.screen, SummaryScreen)
        await press(pilot, "a")
        assert isinstance(app.screen, ActionPlanScreen)
        await press(pilot, "o")
        await type_in_dialog(pilot, "Chief Inspector Ops")
        await press(pilot, "escape")
        assert isinstance(app.screen, SummaryScreen)
        assert app.screen.summary.actions[0].owner == "Chief Inspector Ops"


async def test_ctrl_z_takes_back_the_last_edit_here_and_leaves_other_changes(planned: tuple[Assessment, Path]) -> None:
    a, path = planned
    a.note("E1", "a note: not the plan's to undo")
    async with PlanApp(a).run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await press(pilot, "ctrl+z")
        assert any("not to the action plan" in str(n.message) for n in pilot.app._notifications)
        assert a.session.notes["E1"] == "a note: not the plan's to undo"
        await press(pilot, "o")
        await type_in_dialog(pilot, "Head of Legal")
        await press(pilot, "s", "3")
        assert cells(pilot.app)[0][1:3] == ["Done", "Head of Legal"]
        await press(pilot, "ctrl+z")
        assert cells(pilot.app)[0][1:3] == ["Open", "Head of Legal"]
        await press(pilot, "ctrl+z")
        assert cells(pilot.app)[0][2] != "Head of Legal"
    assert not json.loads(path.read_text())["actions"]
    assert a.session.notes["E1"] == "a note: not the plan's to undo"


async def test_a_due_date_from_a_plan_answer_shows_as_a_date_with_its_words(small_bank: Bank, tmp_path: Path) -> None:
    a = play(small_bank, BEFORE)
    a.set_owner("E1", "")
    a.record("E1a", "Legal services, by Q1 2027")
    row_of = next(i for i, x in enumerate(a.summary(final=True).actions) if "E1" in x.question_ids)
    async with PlanApp(a).run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        pilot.app.screen.query_one(DataTable).move_cursor(row=row_of)
        await pilot.pause()
        assert cells(pilot.app)[row_of][2:4] == ["Legal services", "31 March 2027"]
        assert "Due: 31 March 2027 (written “Q1 2027”)" in shown(pilot.app, "#actions-detail")
    a.record("E1a", "Legal services, by next spring, 31/02/2027")
    async with PlanApp(a).run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        pilot.app.screen.query_one(DataTable).move_cursor(row=row_of)
        await pilot.pause()
        assert cells(pilot.app)[row_of][3] == "? 31/02/2027"
        assert "“31/02/2027” (not a date: set one with d)" in shown(pilot.app, "#actions-detail")
        await press(pilot, "d")
        assert pilot.app.screen.query_one(Input).value == "31/02/2027"  # the words, to correct
        await type_in_dialog(pilot, "end of March 2027")
        assert cells(pilot.app)[row_of][3] == "31 March 2027"


@pytest.fixture
def live(tmp_path: Path) -> Assessment:
    """Casebook case 20, a live tool, saved and reopened."""
    from flows.answers_file import read_answers, run_answers
    from question_banks import load_bank

    bank = load_bank()
    case = next((Path(__file__).resolve().parents[1] / "casebook").glob("20-*.yaml"))
    path = tmp_path / "live.json"
    save_session(path, run_answers(bank, read_answers(case)).assessment.session)
    return Assessment(bank, load_session(path), path=path)


async def test_priorities_name_their_gate_and_a_live_tool_has_no_next_gate(live: Assessment) -> None:
    """The Priority column uses the report's words: a live tool's conditions are of its continued use."""
    summary = live.summary(final=True)
    assert summary.gate == "continued_use"
    assert any(x.priority == "condition_next_gate" for x in summary.actions)
    async with PlanApp(live).run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        priorities = {r[4] for r in cells(pilot.app)}
        assert "Condition of continued use" in priorities
        assert not any("next gate" in p or "_" in p for p in priorities)
