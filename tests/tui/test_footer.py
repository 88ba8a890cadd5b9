"""The chat screen's Footer: the keys it shows follow what is available, drawn as Textual's own Footer draws them."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets._footer import FooterKey

from assistant.tui.screens.chat import ChatScreen
from assistant.tui.widgets.footer import ChatFooter
from tests.tui.conftest import press, settle


def footer_keys(pilot: Pilot[None]) -> dict[str, bool]:
    """Each key the Footer shows, by its description: available (True) or greyed out."""
    footer = pilot.app.screen.query_one(ChatFooter)
    return {k.description: not k.has_class("-disabled") for k in footer.query(FooterKey)}


def footer_row(pilot: Pilot[None]) -> str:
    """The Footer's line as painted: each cell's character and style."""
    strips = pilot.app.screen._compositor.render_strips()
    return "".join(f"{seg.text}{seg.style}" for seg in strips[-1])


async def test_the_footer_keeps_its_keys_through_answers(app_factory, session_path: Path) -> None:
    app = app_factory(session_path=session_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.pause(0.1)
        first = set(footer_keys(pilot))
        assert {"Help", "Back", "Skip", "Don't know", "Why?", "Summary"} <= first
        drawn = list(app.screen.query(FooterKey))
        await press(pilot, "1")
        await press(pilot, "1")
        await pilot.pause(0.1)
        assert set(footer_keys(pilot)) == first
        assert list(app.screen.query(FooterKey)) == drawn, "the same keys: not rebuilt on every answer"


async def test_a_key_that_becomes_unavailable_is_greyed_as_a_rebuilt_footer_shows_it(
    app_factory, session_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = app_factory(session_path=session_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.pause(0.1)
        assert footer_keys(pilot)["Back"] is True
        screen = app.screen
        assert isinstance(screen, ChatScreen)
        available = ChatScreen.check_action

        def no_back(self: ChatScreen, action: str, parameters: tuple[object, ...]) -> bool | None:
            return None if parameters == ("back",) else available(self, action, parameters)

        monkeypatch.setattr(ChatScreen, "check_action", no_back)
        screen.refresh_bindings()
        await pilot.pause(0.1)
        assert footer_keys(pilot)["Back"] is False
        assert footer_keys(pilot)["Skip"] is True
        restyled = footer_row(pilot)
        footer = screen.query_one(ChatFooter)
        footer.refresh(recompose=True)  # what Textual's Footer draws from scratch
        await pilot.pause(0.1)
        assert footer_keys(pilot)["Back"] is False
        assert footer_row(pilot) == restyled
        monkeypatch.setattr(ChatScreen, "check_action", available)
        screen.refresh_bindings()
        await pilot.pause(0.1)
        assert footer_keys(pilot)["Back"] is True
