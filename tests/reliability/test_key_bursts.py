"""A fast burst of keys on the answer area arrives in order (issue 13, item 10).

Keys typed faster than the app draws (type-ahead, a paste of "1\\r2\\r", a loaded machine)
used to queue on the list that had focus when they arrived: the old question's list, while
its answer was being saved and the next question drawn. They were lost ("1212" in one write
recorded P1 only), and a command key among them (Ctrl+B) ran before the answers typed ahead
of it. Now each key is handled against the screen as the previous key left it.

Each burst is checked against :mod:`tests.reliability.keyburst`'s model: every answer
recorded for the question that was on screen when its key was handled, in order, none lost,
none applied twice, the saved session equal to the model's, and the screen on the right
question. Bursts go in three ways: all at once into the app's queue (no pause at all),
through Pilot's ``press`` (no pause between keys), and through a real pseudo-terminal in ONE
``os.write``.
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path

import pytest
from textual import events

from flows import Assessment, load_session
from question_banks import Bank
from tests.conftest import SMALL_BANK
from tests.helpers.terminal import ceder_tui
from tests.reliability.keyburst import (
    BACK,
    DOWN,
    ENTER,
    SPACE,
    UP,
    Model,
    expected,
    random_burst,
    terminal_bytes,
    where,
)

SEEDS = int(os.environ.get("CEDER_BURST_SEEDS", "10"))
FIXED = {
    "digits": ["1", "2", "1", "2"],
    "digits-and-enter": ["1", ENTER, "2", ENTER, "1", ENTER, "3", ENTER],
    "arrows-and-enter": ["2", DOWN, DOWN, ENTER, "3", "1", ENTER],
    "noise-first": ["9", ENTER, UP, ENTER, "9", "3", DOWN, SPACE, ENTER],
    "back-among-answers": ["2", "1", BACK, "3", "2", BACK, BACK, DOWN, ENTER, ENTER],
}
KEY_CHARS = {ENTER: "\r", SPACE: " ", BACK: "\x02", UP: None, DOWN: None}


def bursts() -> dict[str, list[str]]:
    from question_banks import load_bank

    bank = load_bank(SMALL_BANK)
    return FIXED | {f"seed-{n}": random_burst(bank, random.Random(n)) for n in range(SEEDS)}


BURSTS = bursts()


def started_file(bank: Bank, path: Path) -> None:
    """A session on its first question (the project's details already past), as the app will open it."""
    a = Assessment.open_file(bank, path)
    a.start()
    a.close()


def check_file(path: Path, model: Model) -> None:
    """The saved session is the model's: the same answers, visited in the same order."""
    session = load_session(path)
    want = model.probe.session
    assert {k: r.value for k, r in session.answers.items()} == {k: r.value for k, r in want.answers.items()}
    assert session.history == want.history
    assert session.current == want.current and session.state == want.state


async def run_burst(
    small_bank: Bank, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, keys: list[str], how: str
) -> None:
    from assistant.tui.app import make_app
    from assistant.tui.screens.chat import ChatScreen

    model = expected(small_bank, keys)
    path = tmp_path / "s.json"
    started_file(small_bank, path)
    recorded: list[tuple[str, object]] = []
    real = Assessment.answer

    def answer(self: Assessment, value: object, *args: object, **kwargs: object) -> object:
        assert self.current is not None
        recorded.append((self.current.id, value))
        return real(self, value, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Assessment, "answer", answer)
    app = make_app(small_bank, session_path=path, export_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, ChatScreen)
        for _ in range(200):
            if screen.conv is not None and getattr(screen, "_shown_for", None) == "P1":
                break
            await pilot.pause(0.05)
        if how == "queue":  # every key in the app's queue before the first is handled
            for key in keys:
                event = events.Key(key, KEY_CHARS.get(key, key))
                event.set_sender(app)
                app.post_message(event)
        else:
            await pilot.press(*keys)
        conv = screen.conv
        assert conv is not None
        for _ in range(600):  # until the app has caught up (a bound, not a timing assertion)
            await pilot.pause(0.05)
            if len(recorded) >= len(model.recorded) and where(conv.a) == model.where() and not screen._turn.locked():
                break
        await pilot.pause(0.2)
        assert recorded == model.recorded, (keys, recorded, model.recorded)
        assert where(conv.a) == model.where()
        on_screen = screen._shown_for
        assert on_screen == (model.question.id if model.question is not None else None)
        if model.typed:
            assert screen.prompt.value == model.typed  # typed ahead, not yet sent
    check_file(path, model)


@pytest.mark.parametrize("name", list(BURSTS))
async def test_a_burst_in_the_apps_queue_answers_each_question_in_turn(
    name: str, small_bank: Bank, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await run_burst(small_bank, tmp_path, monkeypatch, BURSTS[name], "queue")


@pytest.mark.parametrize("name", ["digits-and-enter", "back-among-answers", "seed-0", "seed-1"])
async def test_pilot_keys_without_pauses_answer_each_question_in_turn(
    name: str, small_bank: Bank, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await run_burst(small_bank, tmp_path, monkeypatch, BURSTS[name], "press")


def screen_marker(model: Model, bank: Bank) -> str:
    """Text the app paints once it is where the model is."""
    a = model.probe
    if a.in_review:
        return f"{bank.title_of(a.review_dimension or '')}: done"
    assert a.current is not None
    return a.text_of(a.current)[:18]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pseudo-terminal test written for Linux")
@pytest.mark.parametrize(
    "name", ["digits", "digits-and-enter", "arrows-and-enter", "back-among-answers", "seed-2", "seed-3"]
)
def test_a_burst_in_one_write_to_a_real_terminal(name: str, small_bank: Bank, tmp_path: Path) -> None:
    """The real app in a pseudo-terminal; the whole burst in one ``os.write``, as a paste or a fast typist sends it."""
    keys = BURSTS[name]
    model = expected(small_bank, keys)
    path = tmp_path / "s.json"
    started_file(small_bank, path)
    term = ceder_tui(path)
    try:
        assert term.wait_for("What stage is the project at?"), term.text()[-1500:]
        term.quiet(0.3)
        mark = term.write(terminal_bytes(keys))
        want = screen_marker(model, small_bank)
        on_disk = None
        for _ in range(300):  # until the file holds what the model recorded (or 30 s pass)
            term.wait_for(want, mark, timeout=0.1)
            on_disk = load_session(path)
            if (
                len(on_disk.answers) == len(model.probe.session.answers)
                and on_disk.current == model.probe.session.current
            ):
                if on_disk.state == model.probe.session.state:
                    break
        term.quiet(0.5)
        assert term.wait_for(want, mark), (want, term.text(mark)[-1500:])
    finally:
        term.kill()
    check_file(path, model)
