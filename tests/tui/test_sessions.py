"""Opening sessions: resume, the resume offer, corrupt files, finished assessments."""

from __future__ import annotations

from pathlib import Path

from assistant.tui.screens.chat import ChatScreen
from assistant.tui.screens.dialogs import ChoiceDialog
from assistant.tui.screens.summary import SummaryScreen
from assistant.tui.sessions import fresh_path_near, open_session
from assistant.tui.widgets.answers import ChoiceList
from flows import Assessment
from question_banks import Bank
from tests.tui.conftest import press, read_bytes, saved, settle, transcript, write_text


def partly_done(bank: Bank, path: Path) -> Assessment:
    """A session saved after the profile and the first complexity answer, as a killed app leaves it."""
    a = Assessment(bank, path=path)
    a.start()
    for value in ("live", "ml", "places"):
        a.answer(value)
    return a


async def test_resume_continues_at_the_next_question_with_every_answer_kept(
    app_factory, small_bank: Bank, session_path: Path
) -> None:
    partly_done(small_bank, session_path)
    before = saved(session_path)["answers"]
    app = app_factory(session_path=session_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ChatScreen)
        assert screen.assessment.current.id == "C2"
        turns = transcript(app)
        assert "Welcome back" in turns[0]
        assert "How many people could it affect?" in turns[-1]
        assert saved(session_path)["answers"] == before
        await press(pilot, "ctrl+b")  # the earlier answers are there to revise
        assert screen.assessment.current.id == "C1"
        assert "Place-based planning" in transcript(app)[-1]


async def test_resume_offer_enter_resumes(app_factory, small_bank: Bank, tmp_path: Path) -> None:
    old = tmp_path / "old.json"
    partly_done(small_bank, old)
    new = tmp_path / "new.json"
    app = app_factory(resume_candidate=old, new_path=new)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ChoiceDialog)
        body = str(app.screen.query_one(".dialog-body").content)
        assert "old.json" in body and "3 answers" in body
        await press(pilot, "enter")
        assert isinstance(app.screen, ChatScreen)
        assert app.screen.session_path == old
        assert app.screen.assessment.current.id == "C2"
    assert not new.exists()


async def test_resume_offer_can_start_new(app_factory, small_bank: Bank, tmp_path: Path) -> None:
    old = tmp_path / "old.json"
    partly_done(small_bank, old)
    before = old.read_bytes()
    new = tmp_path / "new.json"
    app = app_factory(resume_candidate=old, new_path=new)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "2")
        assert app.screen.session_path == new
        assert app.screen.assessment.current.id == "P1"
        assert isinstance(app.focused, ChoiceList)
    assert saved(new)["current"] == "P1"
    assert old.read_bytes() == before


async def test_corrupt_session_gets_a_message_and_a_fresh_file(app_factory, session_path: Path) -> None:
    write_text(session_path, '{"schema_version": 1, "bank": ')
    before = read_bytes(session_path)
    app = app_factory(session_path=session_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ChatScreen)
        fresh = session_path.with_name("s-new.json")
        assert screen.session_path == fresh
        notice = next(t for t in transcript(app) if "left untouched" in t)
        assert "invalid JSON" in notice and str(fresh) in notice
        await press(pilot, "1")
    assert read_bytes(session_path) == before
    assert saved(fresh)["answers"]["P1"]["value"] == "design"


def test_session_from_another_bank_is_not_touched(small_bank: Bank, tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text(
        '{"schema_version": 1, "bank": {"id": "someone-else", "version": "1"}, "state": "welcome"}', encoding="utf-8"
    )
    before = path.read_bytes()
    opened = open_session(small_bank, path, fallback=fresh_path_near(path))
    assert opened.notice is not None and "someone-else" in opened.notice
    assert opened.path == tmp_path / "other-new.json"
    assert path.read_bytes() == before
    assert fresh_path_near(path) == tmp_path / "other-new-2.json"


async def test_finished_session_opens_on_its_summary(app_factory, small_bank: Bank, session_path: Path) -> None:
    a = partly_done(small_bank, session_path)
    a.finish()
    app = app_factory(session_path=session_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        assert app.screen.final
        await press(pilot, "escape")
        assert isinstance(app.screen, ChatScreen)
        assert "That's every question" in transcript(app)[-1]
