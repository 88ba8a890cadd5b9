"""The TUI never shows a traceback (issue 13, item 10): two quick keys on a dialog, extreme timestamps."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.app import App

from assistant.tui.screens.dialogs import ChoiceDialog, numbered
from tests.conftest import SMALL_BANK


class A(App[None]):
    def on_mount(self) -> None:
        self.got: list[str | None] = []
        self.push_screen(ChoiceDialog("Resume?", numbered([("resume", "Resume"), ("new", "New")])), self.got.append)


async def test_two_quick_keys_on_a_choice_dialog() -> None:
    """Keys that arrive together (before the dialog has gone) used to pop the screen twice: ScreenStackError."""
    app = A()
    async with app.run_test() as pilot:
        await pilot.pause()
        dialog = app.screen
        for key, ch in (("1", "1"), ("2", "2"), ("enter", None), ("escape", None)):
            dialog.query_one("#dialog-choices").post_message(events.Key(key, ch))
        await pilot.pause(0.3)
    assert app.got == ["resume"]


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
