"""Group mode in the full-screen app: each participant in turn, the spread, the group's answer, the disagreements."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pytest
from textual.containers import Vertical
from textual.widgets import Input, Markdown

from assistant.cli import CliError
from assistant.tui.app import run_app
from assistant.tui.screens.chat import ChatScreen
from assistant.tui.screens.summary import SummaryScreen
from assistant.tui.widgets.answers import ChoiceList, MultiChoice
from conversation.group import GroupRound, majority, parse_names, tally_replies
from flows import Assessment, load_session
from question_banks import Bank, load_bank
from tests.conftest import SMALL_BANK
from tests.tui.conftest import press, saved, settle, transcript, type_line

TEAM = ["analyst", "DPO", "ops lead"]


def chat(app) -> ChatScreen:  # type: ignore[no-untyped-def]
    screen = app.screen_stack[0]
    assert isinstance(screen, ChatScreen)
    return screen


def answer_title(app) -> str:  # type: ignore[no-untyped-def]
    title = chat(app).query_one("#answer", Vertical).border_title
    return str(title).strip() if title is not None else ""


async def test_each_participant_answers_then_the_group_settles(app_factory, session_path: Path) -> None:
    app = app_factory(session_path=session_path, participants=TEAM)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "Group mode: analyst, DPO, ops lead" in "\n".join(transcript(app))
        assert answer_title(app) == "▶ analyst's turn (1 of 3)"
        await press(pilot, "2")  # analyst: live
        assert answer_title(app) == "▶ DPO's turn (2 of 3)"
        assert "P1" not in saved(session_path)["answers"]  # nothing recorded until the group settles
        await press(pilot, "1", "2")  # DPO: design; ops lead: live
        spread = transcript(app)[-1]
        assert "The answers differ" in spread
        assert "In live use: analyst, ops lead" in spread and "Design or build: DPO" in spread
        assert answer_title(app) == "The group's answer"
        choices = chat(app).query_one(".choices", ChoiceList)
        assert choices.highlighted == 1  # the majority's answer, "In live use", is ready to pick
        await press(pilot, "enter")
        record = saved(session_path)["answers"]["P1"]
        assert record["value"] == "live"
        assert record["by"] == {"analyst": "live", "DPO": "design", "ops lead": "live"}
        assert "Group: In live use" in transcript(app)
        assert saved(session_path)["participants"] == TEAM
        await press(pilot, "2", "2", "2")  # P2: all agree, so no group step
        assert "All 3 agree: Machine-learning model." in transcript(app)
        assert saved(session_path)["answers"]["P2"]["by"] == dict.fromkeys(TEAM, "ml")
        assert chat(app).assessment.current.id == "C1"


async def test_the_group_may_settle_on_another_answer_or_a_gap(app_factory, session_path: Path) -> None:
    app = app_factory(session_path=session_path, participants=TEAM)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "1", "2", "2", "1")  # majority live, the group picks design
        assert saved(session_path)["answers"]["P1"]["value"] == "design"
        await press(pilot, "ctrl+d", "2", "3", "ctrl+s")  # P2: a "don't know", two answers; the group skips
        p2 = saved(session_path)["answers"]["P2"]
        assert p2["status"] == "skipped"
        assert p2["by"] == {"analyst": "dont_know", "DPO": "ml", "ops lead": "biometric"}
        assert any("Don't know: analyst" in t for t in transcript(app))  # shown in the spread


async def test_typed_and_multi_answers_are_checked_for_each_participant(app_factory, session_path: Path) -> None:
    app = app_factory(session_path=session_path, participants=["analyst", "DPO"])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "1", "1", "2", "2", "3", "3")  # P1, P2, C1 people: all agree
        assert isinstance(app.focused, MultiChoice)  # C1a for the analyst
        await press(pilot, "1", "enter")
        await press(pilot, "1", "2", "enter")
        assert "The answers differ" in transcript(app)[-1]
        await press(pilot, "enter")  # the group takes the highlighted majority (arrest)
        assert saved(session_path)["answers"]["C1a"]["by"] == {"analyst": ["arrest"], "DPO": ["arrest", "bail"]}
        await type_line(pilot, "-5")
        assert "below the minimum" in transcript(app)[-1]
        assert answer_title(app) == "▶ analyst's turn (1 of 2)"  # asked again
        await type_line(pilot, "500")
        await type_line(pilot, "5000")
        assert "The numbers range from 500 to 5000." in transcript(app)[-1]
        assert chat(app).prompt.value == "500"  # the first answer given, ready to keep or change
        await type_line(pilot, "")  # Enter takes it as it stands
        c2 = saved(session_path)["answers"]["C2"]
        assert c2["value"] == 500 and c2["by"] == {"analyst": 500, "DPO": 5000}


async def test_back_returns_to_the_previous_participant(app_factory, session_path: Path) -> None:
    app = app_factory(session_path=session_path, participants=TEAM)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "1", "2")
        assert answer_title(app) == "▶ ops lead's turn (3 of 3)"
        await press(pilot, "ctrl+b")
        assert answer_title(app) == "▶ DPO's turn (2 of 3)"
        await press(pilot, "1", "1")
        assert saved(session_path)["answers"]["P1"]["by"] == dict.fromkeys(TEAM, "design")


async def test_a_tally_records_counts_and_keeps_the_participants(app_factory, session_path: Path) -> None:
    app = app_factory(session_path=session_path, participants=TEAM)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+t")
        await pilot.press("1")
        await pilot.press("tab")
        await pilot.press("4")
        await press(pilot, "enter")
        spread = transcript(app)[-1]
        assert "5 votes" in spread
        assert spread.index("In live use") < spread.index("Design or build")  # most votes first
        await press(pilot, "enter")  # the highlighted answer: the 4 votes for "live"
        data = saved(session_path)
        assert data["answers"]["P1"]["value"] == "live"
        assert data["answers"]["P1"]["by"] == {"1 vote": "design", "4 votes": "live"}
        assert data["participants"] == TEAM


def test_tally_keys_stay_distinct(small_bank: Bank) -> None:
    q = small_bank.by_id["P2"]
    replies, weights = tally_replies(q, {"dashboard": 2, "ml": 2, "biometric": 0})
    assert replies == {"2 votes": "dashboard", "2 votes (2)": "ml"}
    assert weights == {"2 votes": 2, "2 votes (2)": 2}
    r = GroupRound("P2", TEAM, replies, index=3, tally={"2 votes": 2, "2 votes (2)": 3})
    assert majority(small_bank, q, r) == "ml"


def test_names_are_trimmed_and_deduplicated() -> None:
    assert parse_names(" analyst, DPO ,,ops   lead, DPO") == ["analyst", "DPO", "ops lead"]


async def test_summary_and_recap_say_where_the_group_disagreed(app_factory, session_path: Path) -> None:
    app = app_factory(session_path=session_path, participants=["analyst", "DPO"])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "1", "1", "2", "2", "1", "3", "enter")  # C1: back-office against people
        await type_line(pilot, "500")
        await type_line(pilot, "500")
        recap = transcript(app)[-1]
        assert "The group disagreed on 1 question here (C1)" in recap
        await press(pilot, "ctrl+r")
        assert isinstance(app.screen, SummaryScreen)
        section = app.screen.query_one("#summary-disagreements", Markdown)
        assert "Where the group disagreed (1)" in section.source
        assert (
            "Back-office only: analyst" in section.source
            and "Decisions about identifiable people: DPO" in section.source
        )


async def test_group_mode_from_the_palette_command_and_off_again(app_factory, session_path: Path) -> None:
    app = app_factory(session_path=session_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert answer_title(app) == ""
        await type_line(pilot, "/group solo")
        assert "at least two names" in transcript(app)[-1]
        await press(pilot, "ctrl+p")
        await pilot.press(*"group mode")
        await pilot.pause(0.3)
        await press(pilot, "enter")
        dialog_input = app.screen.query_one("#dialog-input", Input)
        await pilot.press(*"Ann, Bo")
        await press(pilot, "enter")
        assert dialog_input is not None
        assert answer_title(app) == "▶ Ann's turn (1 of 2)"
        assert saved(session_path)["participants"] == ["Ann", "Bo"]
        await type_line(pilot, "/group off")
        assert answer_title(app) == ""
        await press(pilot, "1")
        assert saved(session_path)["answers"]["P1"]["by"] == {}


async def test_a_group_session_reopens_in_group_mode(app_factory, small_bank: Bank, session_path: Path) -> None:
    a = Assessment(small_bank, path=session_path)
    a.set_participants(["analyst", "DPO"])
    a.start()
    app = app_factory(session_path=session_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert chat(app).group_mode
        assert answer_title(app) == "▶ analyst's turn (1 of 2)"


def test_group_needs_two_names(small_bank: Bank) -> None:
    with pytest.raises(CliError, match="at least two names"):
        run_app(small_bank, args=argparse.Namespace(group="just me"))


async def test_facilitator_notes_are_shown_on_request(app_factory, tmp_path: Path, session_path: Path) -> None:
    bank_dir = tmp_path / "bank"
    shutil.copytree(SMALL_BANK, bank_dir)
    profile = bank_dir / "00-profile.yaml"
    profile.write_text(
        profile.read_text(encoding="utf-8").replace(
            "    references: [Canada AIA phase fork]",
            "    references: [Canada AIA phase fork]\n    facilitator: Ask whether a pilot is live use.",
        ),
        encoding="utf-8",
    )
    from assistant.tui.app import make_app

    app = make_app(load_bank(bank_dir), session_path=session_path, ask_details=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert not any("Ask whether a pilot" in t for t in transcript(app))  # not for a project lead
        await press(pilot, "f6")
        assert transcript(app)[-1] == "Facilitator note: Ask whether a pilot is live use."
        assert load_session(session_path).answers == {}


async def test_the_report_of_a_group_session_lists_the_disagreements(
    app_factory, small_bank: Bank, session_path: Path
) -> None:
    from assistant.reports import render

    app = app_factory(session_path=session_path, participants=TEAM)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "2", "1", "2", "enter")  # P1: the DPO differs
        await press(pilot, "2", "2", "2")  # P2: all agree
        await press(pilot, "3", "ctrl+d", "1", "enter")  # C1: the DPO does not know
    summary = Assessment(small_bank, load_session(session_path)).summary(final=True)
    md = render(summary, "md")
    section = md.split("## Where the group disagreed (2)", 1)[1].split("## Questions and answers", 1)[0]
    assert (
        "| **P1** What stage is the project at? | In live use | analyst: In live use · DPO: Design or build" in section
    )
    assert "DPO: Don't know" in section and "dont_know" not in md
    assert (
        "\n  **Participants disagreed:** analyst: In live use · DPO: Design or build · ops lead: In live use  \n" in md
    )
    assert "\n  *Participants:* analyst: Machine-learning model" in md
    html = render(summary, "html")
    assert '<section id="disagreements"' in html and "DPO: Don&#39;t know" in html


async def test_participants_names_are_shown_as_text(app_factory, session_path: Path) -> None:
    evil = "\x1b]0;PWNED\x07[b]Eve[/b]"
    app = app_factory(session_path=session_path, participants=[evil, "Bo"])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        title = answer_title(app)
        assert "\x1b" not in title and "PWNED" not in title  # the terminal escape is dropped
        assert title == "▶ \\[b]Eve\\[/b]'s turn (1 of 2)"  # and the brackets stay text, not markup
        await press(pilot, "1")
        assert transcript(app)[-1] == "[b]Eve[/b] has answered."


async def test_a_tie_is_explained(app_factory, session_path: Path) -> None:
    app = app_factory(session_path=session_path, participants=["analyst", "DPO"])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "1", "2")
        spread = transcript(app)[-1].replace("*", "")
        assert "It is a tie: “Design or build” and “In live use” have 1 person each." in spread
        assert "simply the first given, not a majority" in spread


async def test_free_text_takes_a_scribe_whom_the_others_accept_or_amend(app_factory, session_path: Path) -> None:
    app = app_factory(session_path=session_path, participants=TEAM)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for _ in range(3):  # P1, P2, C1: everyone agrees
            await press(pilot, "1", "1", "1")
        for _ in range(3):  # C2: a number each
            await type_line(pilot, "5")
        await press(pilot, "enter")  # leave the recap
        await press(pilot, "1", "1", "1")  # E1: no, which asks E1a (free text)
        assert chat(app).assessment.current.id == "E1a"
        assert answer_title(app) == "▶ analyst, scribe: write the group's answer (1 of 3)"
        await type_line(pilot, "Ask legal by March")
        assert answer_title(app) == "▶ DPO: Enter accepts the draft, or change it (2 of 3)"
        assert chat(app).prompt.value == "Ask legal by March"
        await type_line(pilot, "")  # accepts
        assert "DPO accepts the draft." in transcript(app)
        chat(app).prompt.value = ""
        await type_line(pilot, "Ask force legal services by March")  # amends
        record = saved(session_path)["answers"]["E1a"]
        assert record["value"] == "Ask force legal services by March"
        assert record["by"] == {
            "analyst": "Ask legal by March",
            "DPO": "Ask legal by March",
            "ops lead": "Ask force legal services by March",
        }
