"""The summary screen (exports, revising from it) and app-wide features (palette, screenshot, themes)."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.reports import render
from assistant.tui.screens.chat import ChatScreen
from assistant.tui.screens.summary import SummaryScreen
from assistant.tui.themes import HIGH_CONTRAST
from flows import Assessment
from question_banks import Bank
from tests.tui.conftest import press, saved, settle, svg_files, transcript


def all_but_readiness(bank: Bank, path: Path) -> Assessment:
    a = Assessment(bank, path=path)
    a.start()
    for value in ("design", "dashboard", "backoffice", 10):
        a.answer(value)
    a.proceed()
    for value in ("yes", "3"):
        a.answer(value)
    a.proceed()
    a.answer("yes")
    a.proceed()
    a.answer("yes")
    a.proceed()
    return a


async def test_summary_exports_markdown_and_json(
    app_factory, small_bank: Bank, session_path: Path, tmp_path: Path
) -> None:
    all_but_readiness(small_bank, session_path)
    app = app_factory(session_path=session_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "2", "enter")  # R1 yes, then leave the readiness recap
        screen = app.screen
        assert isinstance(screen, SummaryScreen) and screen.final
        assert screen.summary.verdict == "ready"
        await press(pilot, "m", "j")
        await pilot.pause(0.3)
        summary = screen.summary
    exports = tmp_path / "exports"
    md = (exports / "s-summary.md").read_text(encoding="utf-8")
    assert md == render(summary, "md")
    data = json.loads((exports / "s-summary.json").read_text(encoding="utf-8"))
    assert data["verdict"] == "ready" and data["dimensions"][0]["id"] == "complexity"


async def test_summary_exports_html_and_the_document_drafts(
    app_factory, small_bank: Bank, session_path: Path, tmp_path: Path
) -> None:
    all_but_readiness(small_bank, session_path)
    app = app_factory(session_path=session_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "2", "enter")
        screen = app.screen
        assert isinstance(screen, SummaryScreen)
        for digit in ("1", "3", "5"):  # the export menu: HTML, ATRS (Markdown), DPIA
            await press(pilot, "e")
            await press(pilot, digit)
        await pilot.pause(0.3)
        summary = screen.summary
    exports = tmp_path / "exports"
    assert (exports / "s-summary.html").read_text(encoding="utf-8") == render(summary, "html")
    assert (exports / "s-atrs.md").read_text(encoding="utf-8") == render(summary, "atrs", small_bank.documents)
    assert (exports / "s-dpia.md").read_text(encoding="utf-8") == render(summary, "dpia", small_bank.documents)


async def test_summary_shows_verdict_tier_bars_and_lists(app_factory, small_bank: Bank, session_path: Path) -> None:
    a = Assessment(small_bank, path=session_path)
    a.start()
    for value in ("design", "biometric", "people", ["arrest", "bail"], 2_000_000):
        a.answer(value)
    a.proceed()
    a.answer("no")  # E1: no legal power, a blocker
    a.dont_know()  # E1a: an evidence gap
    a.finish()
    app = app_factory(session_path=session_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SummaryScreen)
        verdict = screen.query_one("#summary-verdict")
        assert "Not ready" in str(verdict.content) and verdict.has_class("-not_ready")
        counts = str(screen.query_one(".verdict-counts").content)
        n = len(screen.summary.blockers)
        assert n >= 1 and counts.startswith(f"{n} blocker") and "evidence gap" in counts
        blockers = screen.query_one("#summary-blockers").source
        assert blockers.startswith(f"### Blockers ({n})") and "No legal power identified." in blockers
        assert screen.query_one("#summary-conditions").source.startswith("### Conditions (")
        first = screen.query_one("#summary-actions").source
        assert "### First actions" in first and "1. " in first
        # the glance comes first: verdict, blockers, conditions, first actions, then the tier and the bars
        order = [w.id or "" for w in screen.query("#summary-body > *")]
        assert order.index("summary-verdict") < order.index("summary-blockers") < order.index("summary-actions")
        assert "Impact tier IV" in str(screen.query_one(".tier").content)
        assert "provisional" not in str(screen.query_one(".tier").content)  # finished: the tier stands
        bars = [str(b.render()) for b in screen.query(".dimension-bar")]
        assert len(bars) == 5 and "Red" in bars[1]
        details = screen.query_one("#summary-details").source
        for heading in ("Action plan", "Evidence gaps"):
            assert f"### {heading}" in details
        assert "### Blockers" not in details  # shown once, at the top
        assert "don't know" in details and "Blocker" in details  # the action plan's first heading


async def test_revise_from_the_summary_returns_to_it(app_factory, small_bank: Bank, session_path: Path) -> None:
    all_but_readiness(small_bank, session_path)
    app = app_factory(session_path=session_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "2", "enter")
        assert isinstance(app.screen, SummaryScreen)
        await press(pilot, "r")  # pick the answer to revise: F1 is the 8th asked
        await press(pilot, "8")
        chat = app.screen
        assert isinstance(chat, ChatScreen) and chat.assessment.current.id == "F1"
        await press(pilot, "1")  # F1: No
        assert isinstance(app.screen, SummaryScreen)
        assert app.screen.summary.verdict != "ready"
    assert saved(session_path)["answers"]["F1"]["value"] == "no"


async def test_command_palette_runs_conversation_commands(app_factory, session_path: Path) -> None:
    app = app_factory(session_path=session_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+p")
        await pilot.press(*"why am")
        await pilot.pause(0.4)
        await press(pilot, "enter")
        assert "Why this question?" in transcript(app)[-1]
        await press(pilot, "ctrl+p")
        await pilot.press(*"jump to data")
        await pilot.pause(0.4)
        await press(pilot, "enter")
        assert app.screen.assessment.current.id == "D1"


async def test_screenshot_key_and_high_contrast_theme(app_factory, session_path: Path, tmp_path: Path) -> None:
    app = app_factory(session_path=session_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "f9")
        assert app.theme == HIGH_CONTRAST.name
        await press(pilot, "f8")
        await pilot.pause(0.3)
        await press(pilot, "f9")
        assert app.theme != HIGH_CONTRAST.name
    shots = svg_files(tmp_path)
    assert len(shots) == 1 and "What stage is the project at?" in shots[0]


async def test_export_without_a_downloads_folder_goes_to_the_data_folder(
    app_factory, small_bank: Bank, session_path: Path, tmp_path: Path, monkeypatch
) -> None:
    import platformdirs

    monkeypatch.setattr(platformdirs, "user_downloads_path", lambda: tmp_path / "no-such-folder")
    a = all_but_readiness(small_bank, session_path)
    a.answer("yes")
    a.proceed()
    app = app_factory(session_path=session_path, export_dir=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        await press(pilot, "m")
        await pilot.pause(0.3)
    from assistant.paths import exports_dir

    assert (exports_dir() / "s-summary.md").read_text(encoding="utf-8").startswith("# ")


def test_long_lists_are_cut_at_a_glance() -> None:
    from assistant.tui.screens.glance import LIST_AT_A_GLANCE, flags_markdown
    from flows.summary import Flag

    flags = [Flag(question_id=f"Q{i}", message=f"Condition number {i}.") for i in range(LIST_AT_A_GLANCE + 3)]
    top = flags_markdown("Conditions", flags, "go-live")
    assert top.startswith(f"### Conditions ({LIST_AT_A_GLANCE + 3})")
    assert f"Condition number {LIST_AT_A_GLANCE - 1}." in top and f"Condition number {LIST_AT_A_GLANCE}." not in top
    assert "…and 3 more" in top
    assert flags_markdown("Conditions", flags[:2], "go-live").count("\n- ") == 2  # short lists: all of them
