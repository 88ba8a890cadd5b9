"""DPIA screening comes pre-ticked from earlier answers, and the user confirms it (plain mode, a real process)."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from tests.reliability.conftest import ceder, no_traceback

ROOT = Path(__file__).resolve().parents[2]
LFR = ROOT / "question_banks" / "scenarios" / "live-facial-recognition.yaml"


def _up_to_d4(tmp_path: Path) -> Path:
    """A saved session that stops on D4, made from the LFR scenario without its D4 answer."""
    data = yaml.safe_load(LFR.read_text(encoding="utf-8"))
    data["answers"].pop("D4")
    data["notes"] = {}
    answers = tmp_path / "answers.yaml"
    answers.write_text(yaml.safe_dump(data), encoding="utf-8")
    session = tmp_path / "s.json"
    run = ceder("run", "--answers", str(answers), "--save", str(session), "--format", "json")
    no_traceback(run)
    assert json.loads(session.read_text())["current"] == "D4"
    return session


def test_plain_mode_offers_the_implied_indicators_and_enter_confirms_them(tmp_path: Path) -> None:
    session = _up_to_d4(tmp_path)
    run = ceder("--plain", "--session", str(session), input="\n/quit\n")
    no_traceback(run)
    assert "Your earlier answers imply: Evaluating" not in run.out  # LFR matches faces; it does not score people
    assert "Your earlier answers imply: Systematic monitoring" in run.out
    saved = json.loads(session.read_text())["answers"]["D4"]["value"]
    assert saved == ["monitoring", "sensitive", "large_scale", "matching", "vulnerable", "innovative"]


def test_typing_an_answer_replaces_the_suggestion(tmp_path: Path) -> None:
    session = _up_to_d4(tmp_path)
    run = ceder("--plain", "--session", str(session), input="3\n/quit\n")
    no_traceback(run)
    assert json.loads(session.read_text())["answers"]["D4"]["value"] == ["monitoring"]


async def test_the_tui_pre_ticks_the_implied_indicators(tmp_path: Path) -> None:
    from assistant.tui.app import make_app
    from assistant.tui.widgets.answers import MultiChoice
    from question_banks import load_bank

    session = _up_to_d4(tmp_path)
    app = make_app(load_bank(ROOT / "question_banks" / "shipped"), session_path=session, export_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        choices = app.screen.query_one(MultiChoice)
        assert choices.selected == ["monitoring", "sensitive", "large_scale", "matching", "vulnerable", "innovative"]
        await pilot.press("enter")
        await pilot.pause()
    saved = json.loads(session.read_text())["answers"]["D4"]["value"]
    assert saved == ["monitoring", "sensitive", "large_scale", "matching", "vulnerable", "innovative"]
