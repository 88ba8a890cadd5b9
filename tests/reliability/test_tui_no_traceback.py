"""The TUI never shows a traceback (issue 13, item 10): two quick keys on any dialog, extreme timestamps."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.screen import Screen

from assistant.tui.screens.dialogs import ChoiceDialog, TextDialog, numbered
from tests.conftest import SMALL_BANK


def _dialogs() -> dict[str, tuple[Callable[[], Screen[Any]], list[str], object]]:
    """Every screen that closes with an answer: how to make it, two quick keys, and the one answer expected."""
    from assistant.tui.screens.actions import ActionPlanScreen
    from assistant.tui.screens.group import TallyDialog
    from assistant.tui.screens.summary import SummaryScreen
    from flows import Assessment
    from question_banks import load_bank

    bank = load_bank(SMALL_BANK)

    def finished() -> Assessment:
        """An assessment taken to its end, every question given its first option (or a number, or text)."""
        a = Assessment(bank)
        a.start()
        while not a.finished:
            q = a.current
            if a.in_review or q is None:
                a.proceed()
            else:
                first = q.options[0].id if q.options else None
                a.answer({"multi": [first], "number": 7, "text": "plan"}.get(q.kind, first))  # type: ignore[arg-type]
        return a

    two = numbered([("resume", "Resume it"), ("new", "Start a new assessment")])
    many = numbered([(f"Q{i}", f"Question {i}") for i in range(1, 13)])  # a jump list: with a filter line
    return {
        "resume: 1 then 2": (lambda: ChoiceDialog("Resume?", two), ["1", "2"], "resume"),
        "resume: Enter then Escape": (lambda: ChoiceDialog("Resume?", two), ["enter", "escape"], "resume"),
        "jump list: 3 then Enter": (lambda: ChoiceDialog("Jump to", many), ["3", "enter"], "Q3"),
        "note: Enter then Escape": (lambda: TextDialog("Note", value="kept"), ["enter", "escape"], "kept"),
        "tally: Enter twice": (
            lambda: TallyDialog(bank.by_id["P1"], "What stage?"),
            ["2", "enter", "enter", "escape"],
            {"design": 2},
        ),
        "summary: r then b": (lambda: SummaryScreen(finished(), final=True), ["r", "b", "escape"], "revise"),
        "action plan: Escape twice": (lambda: ActionPlanScreen(finished()), ["escape", "escape"], None),
    }


DIALOGS = _dialogs()


@pytest.mark.parametrize("name", list(DIALOGS))
async def test_two_quick_keys_on_any_dialog_answer_once(name: str, tmp_path: Path) -> None:
    """Keys that arrive together (before the dialog has gone) used to close it twice: ScreenStackError.

    The keys go into the app's queue all at once, as a terminal delivers a burst, so the
    second is handled before the first answer has taken the dialog away.
    """
    from assistant.tui.app import make_app
    from question_banks import load_bank

    make, keys, want = DIALOGS[name]
    app = make_app(load_bank(SMALL_BANK), session_path=tmp_path / "s.json", export_dir=tmp_path)
    got: list[object] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.3)
        base = app.screen
        dialog = make()
        app.push_screen(dialog, got.append)
        await pilot.pause(0.3)
        assert app.screen is dialog
        for key in keys:
            event = events.Key(key, key if len(key) == 1 else ("\r" if key == "enter" else None))
            event.set_sender(app)
            app.post_message(event)
        await pilot.pause(0.5)
        assert got == [want]
        assert app.screen is base  # closed once: the screen beneath is still there


@pytest.mark.parametrize(
    ("stamp", "zone"), [("9999-12-31T23:59:59Z", "Asia/Tokyo"), ("0001-01-01T00:00:00Z", "America/New_York")]
)
def test_an_extreme_updated_timestamp_never_stops_ceder_starting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stamp: str, zone: str
) -> None:
    """The resume offer is built before the app starts: a year 9999 in another time zone used to overflow there."""
    import json
    import time

    from assistant.tui.sessions import describe_resume
    from flows import Assessment, save_session
    from question_banks import load_bank

    bank = load_bank(SMALL_BANK)
    a = Assessment(bank)
    a.start()
    a.answer("live")
    path = tmp_path / "s.json"
    save_session(path, a.session)
    doc = json.loads(path.read_text())
    doc["updated"] = doc["created"] = stamp
    path.write_text(json.dumps(doc))
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        offer = describe_resume(path, bank)
    finally:
        monkeypatch.undo()
        time.tzset()
    assert offer is not None and stamp[:4].lstrip("0") in offer.updated


async def test_a_failed_save_in_the_tui_asks_the_same_question_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Item 2 in the TUI: the screen says what happened, shows the question the file is on, and the next key answers it."""
    import errno
    import json

    from assistant.tui.app import make_app
    from flows import Assessment, persistence
    from question_banks import load_bank
    from tests.tui.conftest import transcript

    session = tmp_path / "s.json"
    started = Assessment(load_bank(SMALL_BANK), path=session)
    started.start()  # a started session: the TUI opens on its first question (project details already past)
    del started
    app = make_app(load_bank(SMALL_BANK), session_path=session, export_dir=tmp_path)
    real = persistence.atomic_write
    failing = {"on": False}

    def write(path: Path, data: bytes, *args: object, **kwargs: object) -> None:
        if failing["on"]:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real(path, data, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(persistence, "atomic_write", write)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.3)
        failing["on"] = True
        await pilot.press("2")  # "In live use": the save fails
        await pilot.pause(0.3)
        told = [(n.title, n.message) for n in app._notifications]
        assert any(t == "Not saved" and "No space left on device" in m and "s.json" in m for t, m in told), told
        assert json.loads(session.read_text())["answers"] == {}
        text = transcript(app)
        assert text[-1] == "What stage is the project at?"  # still the question the file is on
        failing["on"] = False
        await pilot.press("1")  # the next key answers the question on screen, which is still P1
        await pilot.pause(0.3)
    assert json.loads(session.read_text())["answers"]["P1"]["value"] == "design"
