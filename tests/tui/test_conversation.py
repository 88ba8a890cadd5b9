"""The assistant as a user drives it: keys and typed answers through the small fixture bank."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from assistant.tui.screens.chat import ChatScreen
from assistant.tui.screens.summary import SummaryScreen
from assistant.tui.widgets.answers import ChoiceList, MultiChoice
from flows.answers_file import read_answers, run_answers
from question_banks import Bank
from tests.tui.conftest import press, saved, settle, transcript, type_line

WALK_ANSWERS = """\
answers:
  P1: design
  P2: ml
  C1: people
  C1a: [arrest]
  C2: 500
  E1: "no"
  E1a: Ask legal
  E2: "1"
  D1: "yes"
  F1: "yes"
  R1: "yes"
"""


def words(app) -> list[str]:  # type: ignore[no-untyped-def]
    """The transcript without Markdown emphasis."""
    return [t.replace("*", "") for t in transcript(app)]


def chat(app) -> ChatScreen:  # type: ignore[no-untyped-def]
    screen = app.screen_stack[0]
    assert isinstance(screen, ChatScreen)
    return screen


async def test_first_question_is_on_screen_at_once_and_saved(app_factory, session_path: Path) -> None:
    app = app_factory(session_path=session_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        turns = transcript(app)
        assert "Welcome" in turns[0]
        assert any("What stage is the project at?" in t for t in turns)
        assert isinstance(app.focused, ChoiceList)
        assert saved(session_path)["current"] == "P1"


async def test_whole_assessment_by_keys_matches_headless_run(
    app_factory, session_path: Path, small_bank: Bank, tmp_path: Path
) -> None:
    app = app_factory(session_path=session_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "enter")  # nothing is highlighted on a fresh question: Enter picks nothing
        assert chat(app).assessment.record_of("P1") is None
        await press(pilot, "1", "2", "3")  # P1, P2 and C1 by digit
        assert isinstance(app.focused, MultiChoice)
        await press(pilot, "1", "enter")  # C1a: toggle Arrest, confirm
        await type_line(pilot, "500")  # C2
        assert chat(app).assessment.in_review  # complexity recap
        assert any("Complexity and Operational effect: done" in t for t in transcript(app))
        await press(pilot, "enter")  # continue
        await press(pilot, "1")  # E1: No
        await type_line(pilot, "Ask legal")  # E1a (free text)
        await press(pilot, "1")  # E2: scale 0-3, digit 1 is "Low"
        recap = transcript(app)[-1]
        assert "Ethics: done" in recap and "Blocker: No legal power identified." in recap
        await press(pilot, "enter", "2", "enter", "2", "enter", "2", "enter")
        assert isinstance(app.screen, SummaryScreen)
        shown = app.screen.summary
    answers_file = tmp_path / "answers.yaml"
    answers_file.write_text(WALK_ANSWERS, encoding="utf-8")
    headless = run_answers(small_bank, read_answers(answers_file)).assessment.summary(final=True)
    mine, theirs = shown.model_dump(mode="json"), headless.model_dump(mode="json")
    mine["project"].pop("date", None)
    theirs["project"].pop("date", None)
    assert mine == theirs
    assert shown.verdict == "not_ready"
    assert saved(session_path)["state"] == "summary"


async def test_every_answer_is_on_disk_before_the_next_question(app_factory, session_path: Path) -> None:
    app = app_factory(session_path=session_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "1")
        data = saved(session_path)
        assert data["answers"]["P1"]["value"] == "design"
        assert data["current"] == "P2"


async def test_typed_answers_synonyms_and_a_clarifying_reply(app_factory, session_path: Path) -> None:
    app = app_factory(session_path=session_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await type_line(pilot, "live")  # P1 by label
        await type_line(pilot, "machine")  # P2 by prefix
        await press(pilot, "1")  # C1 back-office
        await type_line(pilot, "12k")  # C2
        await press(pilot, "enter")  # leave the complexity recap
        await type_line(pilot, "y")  # E1 yes (synonym)
        a = chat(app).assessment
        assert a.record_of("E1").value == "yes"
        assert a.record_of("C2").value == 12000
        assert a.current.id == "E2"
        await type_line(pilot, "o")  # None / Low both contain "o"
        assert "more than one option" in transcript(app)[-1]
        assert a.current.id == "E2"
        await type_line(pilot, "blorp")
        assert "didn't catch that" in transcript(app)[-1]
        assert a.current.id == "E2"


async def test_number_out_of_range_gets_a_reply_not_an_error(app_factory, session_path: Path) -> None:
    app = app_factory(session_path=session_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "1", "1", "1")
        await type_line(pilot, "-5")
        assert "below the minimum" in transcript(app)[-1]
        assert chat(app).assessment.current.id == "C2"
        assert "C2" not in saved(session_path)["answers"]


async def test_revising_an_answer_sets_follow_ups_aside_and_undo_restores_them(app_factory, session_path: Path) -> None:
    app = app_factory(session_path=session_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "1", "2", "3", "1", "enter")  # ... C1 people, C1a arrest; now at C2
        a = chat(app).assessment
        assert a.current.id == "C2"
        await press(pilot, "ctrl+b")
        assert a.current.id == "C1a"
        await press(pilot, "ctrl+b")
        assert a.current.id == "C1"
        assert "You answered Decisions about identifiable people before" in transcript(app)[-1]
        await press(pilot, "2")  # place-based planning: C1a no longer applies
        note = next(t for t in transcript(app) if "sets aside" in t)
        assert "Which decisions about people?" in note and "Arrest" in note and "/undo" in note
        assert a.set_aside() == ["C1a"]
        assert a.current.id == "C2"
        assert saved(session_path)["answers"]["C1a"]["value"] == ["arrest"]  # kept in the file
        await press(pilot, "ctrl+z")
        assert a.record_of("C1").value == "people"
        assert a.set_aside() == []
        assert "Put back your earlier answer" in "\n".join(transcript(app)[-3:])
        assert saved(session_path)["answers"]["C1"]["value"] == "people"


async def test_why_and_help_for_a_follow_up(app_factory, session_path: Path) -> None:
    app = app_factory(session_path=session_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "1", "2", "3")  # C1 people -> follow-up C1a
        await press(pilot, "f2")
        why = transcript(app)[-1]
        assert "What will the output be used for?" in why
        assert "Decisions about identifiable people" in why
        await press(pilot, "f1")
        help_text = transcript(app)[-1]
        assert "Name the decisions." in help_text and "ALGO-CARE Advisory" in help_text
        await type_line(pilot, "/why")
        assert "What will the output be used for?" in transcript(app)[-1]
        assert chat(app).assessment.current.id == "C1a"  # asking never answers


async def test_core_questions_say_why_too(app_factory, session_path: Path) -> None:
    app = app_factory(session_path=session_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "1", "1", "f2")
        assert "core question" in transcript(app)[-1]


async def test_note_by_key_and_by_command(app_factory, session_path: Path) -> None:
    app = app_factory(session_path=session_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+n")
        dialog_input = app.screen.query_one("#dialog-input", Input)
        assert app.focused is dialog_input
        await pilot.press(*"Charter v3")
        await press(pilot, "enter")
        assert saved(session_path)["notes"]["P1"] == "Charter v3"
        assert isinstance(app.focused, ChoiceList)  # back to the question
        await type_line(pilot, "/note See DPIA draft")
        assert saved(session_path)["notes"]["P1"] == "See DPIA draft"
        assert chat(app).assessment.current.id == "P1"


async def test_skip_dont_know_and_commands(app_factory, session_path: Path) -> None:
    app = app_factory(session_path=session_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+s")
        await type_line(pilot, "/dontknow")
        a = chat(app).assessment
        assert a.record_of("P1").status == "skipped"
        assert a.record_of("P2").status == "dont_know"
        await type_line(pilot, "/jump data")
        assert a.current.id == "D1"
        await type_line(pilot, "/frobnicate")
        assert "I don't know the command /frobnicate" in transcript(app)[-1]
        await press(pilot, "ctrl+r")
        assert isinstance(app.screen, SummaryScreen)
        assert not app.screen.final
        await press(pilot, "escape")
        assert isinstance(app.screen, ChatScreen)
        assert a.current.id == "D1"


async def test_markup_like_text_is_shown_literally(app_factory, session_path: Path) -> None:
    hostile = ["[/]", "[@click=app.quit]x[/]", "[$100]"]
    app = app_factory(session_path=session_path)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        for text in hostile:  # not an option of P1: each is echoed back with a clarifying reply
            await type_line(pilot, text)
        await type_line(pilot, f"/note {hostile[2]} and {hostile[0]}")
        await press(pilot, "1", "1", "1")
        await type_line(pilot, "5")
        await press(pilot, "enter", "1")  # leave the recap; E1 "No" opens the free-text E1a
        await type_line(pilot, hostile[1])
        assert app.is_running
        turns = transcript(app)
        for text in hostile:
            assert any(text in t for t in turns), text
        a = chat(app).assessment
        assert a.record_of("E1a").value == hostile[1]
        assert saved(session_path)["notes"]["P1"] == f"{hostile[2]} and {hostile[0]}"
        await press(pilot, "ctrl+r")  # the summary shows the note and the text answer without choking
        assert isinstance(app.screen, SummaryScreen)
        await press(pilot, "escape", "ctrl+b")
        assert hostile[1] in transcript(app)[-1]  # "You answered ... before"
        assert app.is_running


async def test_survives_resizing_to_80x24(app_factory, session_path: Path) -> None:
    app = app_factory(session_path=session_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = chat(app)
        assert screen.has_class("-wide")
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert not screen.has_class("-wide")
        strip = screen.query_one("#strip")
        assert strip.display and strip.region.height == 1
        assert not screen.query_one("#sidebar").display
        choices = screen.query_one("#answer .choices")
        assert choices.region.bottom <= 24 and choices.region.height >= 2
        await press(pilot, "2")
        assert screen.assessment.record_of("P1").value == "live"
        await pilot.resize_terminal(100, 30)
        await settle(pilot)
        assert screen.has_class("-wide")


async def test_progress_shows_asked_answered_and_rating(app_factory, session_path: Path) -> None:
    app = app_factory(session_path=session_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "1", "1", "3", "1", "enter")
        await type_line(pilot, "100")
        await press(pilot, "enter", "1")
        strip = str(chat(app).query_one("#strip").render())
        assert "3/3" in strip  # complexity: three asked, three answered
        assert "Red" in strip or " R" in strip  # ethics' provisional rating after "No"


async def test_typing_on_the_options_goes_to_the_prompt(app_factory, session_path: Path) -> None:
    app = app_factory(session_path=session_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.focused, ChoiceList)
        await press(pilot, *"/why", "enter")  # typed on the list: nothing lost, nothing picked
        assert "Why this question?" in transcript(app)[-1]
        assert chat(app).assessment.current.id == "P1"
        assert isinstance(app.focused, ChoiceList)  # back on the options after the command
        await press(pilot, *"live", "enter")
        assert chat(app).assessment.record_of("P1").value == "live"


async def test_a_stale_pick_never_answers_the_next_question(app_factory, session_path: Path) -> None:
    app = app_factory(session_path=session_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = chat(app)
        old_list = screen.query_one("#answer .choices", ChoiceList)
        await press(pilot, "1")
        old_list.post_message(ChoiceList.Picked(old_list, "design"))  # e.g. a second key queued on the old list
        await settle(pilot)
        assert screen.assessment.current.id == "P2"
        assert screen.assessment.record_of("P2") is None


async def test_no_answer_by_accident_and_undo_takes_a_fresh_answer_back(app_factory, session_path: Path) -> None:
    app = app_factory(session_path=session_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "enter", "enter")  # stray Enters: nothing is highlighted, nothing is recorded
        a = chat(app).assessment
        assert a.record_of("P1") is None and a.current.id == "P1"
        assert isinstance(app.focused, ChoiceList) and app.focused.highlighted is None
        await press(pilot, "1")
        await press(pilot, "enter")  # a stray Enter on P2: still nothing
        assert a.record_of("P2") is None
        await press(pilot, "ctrl+z")  # takes back the fresh answer to P1 and returns to it
        assert a.record_of("P1") is None and a.current.id == "P1"
        assert "Took back your answer" in transcript(app)[-2]
        assert saved(session_path)["answers"] == {}
        await press(pilot, "down", "enter")  # an arrow highlights the first option; Enter picks it
        assert a.record_of("P1").value == "design"


async def test_a_new_assessment_asks_the_project_details_first(app_factory, session_path: Path) -> None:
    app = app_factory(session_path=session_path, ask_details=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        turns = words(app)
        assert any("Before the questions, a few details about the project" in t for t in turns)
        assert "What is the project called? (1 of 6)" in turns[-1]
        assert app.focused is chat(app).prompt
        await type_line(pilot, "Custody triage pilot")
        await press(pilot, "enter")  # organisation: skipped
        assert "Who is doing this assessment? (3 of 6)" in words(app)[-1]
        await type_line(pilot, "/back")  # back to the organisation
        await type_line(pilot, "Northshire Police")
        await type_line(pilot, "Jo Bloggs")
        await type_line(pilot, "/skip")  # role
        await type_line(pilot, "Chief Supt A. Smith")
        await type_line(pilot, "data@northshire.example")
        assert any("What stage is the project at?" in t for t in words(app)[-2:])
        assert isinstance(app.focused, ChoiceList)
        project = saved(session_path)["project"]
        assert {k: project[k] for k in ("name", "organisation", "assessor", "role", "sro", "contact")} == {
            "name": "Custody triage pilot",
            "organisation": "Northshire Police",
            "assessor": "Jo Bloggs",
            "role": "",
            "sro": "Chief Supt A. Smith",
            "contact": "data@northshire.example",
        }
        summary = chat(app).assessment.summary()
        assert summary.project.sro == "Chief Supt A. Smith" and summary.project.organisation == "Northshire Police"
        await type_line(pilot, "/details")  # asked again, each showing what is recorded
        assert "Recorded: Custody triage pilot. Enter keeps it." in words(app)[-1]
        for _ in range(6):
            await press(pilot, "enter")
        assert saved(session_path)["project"]["name"] == "Custody triage pilot"
        assert chat(app).conv.intake is None


async def test_a_resumed_assessment_does_not_ask_the_details_again(app_factory, session_path: Path) -> None:
    app = app_factory(session_path=session_path, ask_details=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
    app = app_factory(session_path=session_path, ask_details=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert not any("details about the project" in t for t in words(app))
        assert isinstance(app.focused, ChoiceList)


async def test_a_new_session_takes_the_project_name_and_the_screen_follows_it(app_factory, _private_home: Path) -> None:
    from assistant.paths import sessions_dir
    from assistant.session_files import latest_unfinished, new_session_path

    folder = sessions_dir()
    provisional = new_session_path(folder)
    app = app_factory(new_path=provisional, ask_details=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert provisional.exists() and app.sub_title == str(provisional)
        await type_line(pilot, "DV perpetrator triage")
        (named,) = folder.glob("*.json")
        assert named.name.startswith("dv-perpetrator-triage-") and not provisional.exists()
        assert chat(app).session_path == named and app.sub_title == str(named)
        assert any(f"your assessment is now saved in {named}" in t for t in words(app))
        for _ in range(5):
            await press(pilot, "enter")
        await press(pilot, "1")  # P1, saved in the new file
        assert saved(named)["answers"]["P1"]["value"] == "design"
        chat(app).open_summary()
        await settle(pilot)
        assert app.screen.export_name("html") == f"{named.stem}-summary.html"  # type: ignore[attr-defined]
    assert latest_unfinished(folder) == named
    again = app_factory(resume_candidate=named, new_path=new_session_path(folder), ask_details=True)
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "1")  # resume it
        assert chat(again).session_path == named and again.sub_title == str(named)
