"""Fixtures for the TUI tests: the small fixture bank, a private folder, and helpers to drive the app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from assistant.tui.app import CederApp, make_app
from assistant.tui.widgets.chat import turn_text
from question_banks import Bank


@pytest.fixture(autouse=True)
def _steady_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """No blinking cursor, so screens and snapshots are the same every time."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


@pytest.fixture
def session_path(tmp_path: Path) -> Path:
    return tmp_path / "s.json"


@pytest.fixture
def app_factory(small_bank: Bank, tmp_path: Path):  # type: ignore[no-untyped-def]
    def build(**kwargs: object) -> CederApp:
        kwargs.setdefault("export_dir", tmp_path / "exports")
        kwargs.setdefault("screenshot_dir", tmp_path)
        kwargs.setdefault("ask_details", False)  # tests of the project details set it
        (tmp_path / "exports").mkdir(exist_ok=True)
        return make_app(small_bank, **kwargs)  # type: ignore[arg-type]

    return build


async def settle(pilot: Pilot[None]) -> None:
    await pilot.pause()


async def press(pilot: Pilot[None], *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def type_line(pilot: Pilot[None], text: str) -> None:
    """Type into the prompt line (whatever has focus) and press Enter."""
    app = pilot.app
    prompt = app.screen.query_one("#prompt", Input)
    prompt.focus()
    await pilot.pause()
    await pilot.press(*text)
    await pilot.press("enter")
    await settle(pilot)


def transcript(app: CederApp) -> list[str]:
    """The chat log's turns as the text they show (a Markdown turn's bold marks and escapes removed).

    Whether a turn is drawn as Markdown or as one Static (a turn without Markdown syntax) does not change it.
    """
    return [turn_text(turn) for turn in app.screen.query("#log > .turn")]


def saved(path: Path) -> dict:  # type: ignore[type-arg]
    return json.loads(path.read_text(encoding="utf-8"))


def read_bytes(path: Path) -> bytes:
    return path.read_bytes()


def write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def svg_files(folder: Path) -> list[str]:
    """The text of every SVG in ``folder``, with non-breaking spaces as plain spaces."""
    return [p.read_text(encoding="utf-8").replace("&#160;", " ") for p in sorted(folder.glob("*.svg"))]
