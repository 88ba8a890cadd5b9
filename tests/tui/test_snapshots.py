"""SVG snapshots of what a user sees: the first question, a follow-up with its "why", and the summary.

Update deliberately with ``pytest tests/tui --snapshot-update`` and look at the result.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from flows import Assessment
from question_banks import Bank


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in a private folder so the session file shows as plain ``s.json``."""
    monkeypatch.chdir(tmp_path)
    return Path("s.json")


async def settled(pilot: Pilot[None]) -> None:
    """Let the Markdown finish rendering, so the scrollbars are where they end up."""
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


def test_first_question(snap_compare, app_factory, here: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_factory(session_path=here), terminal_size=(100, 30), run_before=settled)


def test_first_question_at_80x24(snap_compare, app_factory, here: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_factory(session_path=here), terminal_size=(80, 24), run_before=settled)


def test_follow_up_with_why(snap_compare, app_factory, here: Path) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.pause()
        for key in ("1", "2", "3", "f2"):  # design, machine learning, decisions about people: a follow-up
            await pilot.press(key)
            await pilot.pause()
        await settled(pilot)

    assert snap_compare(app_factory(session_path=here), terminal_size=(100, 30), run_before=run_before)


def test_summary_screen(snap_compare, app_factory, small_bank: Bank, here: Path) -> None:  # type: ignore[no-untyped-def]
    a = Assessment(small_bank, path=here)
    a.start()
    for value in ("live", "ml", "people", ["arrest"], 5000):
        a.answer(value)
    a.proceed()
    for value in ("partly", "Legal review booked for March", "1"):
        a.answer(value)
    a.proceed()
    a.skip()
    a.proceed()
    a.answer("yes")
    a.proceed()
    a.answer("no")
    a.proceed()
    assert a.finished
    assert snap_compare(app_factory(session_path=here), terminal_size=(100, 30), run_before=settled)
