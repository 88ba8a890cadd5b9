"""Command palette entries for the main actions (ctrl+p), taken from whatever screen is open.

A screen offers its commands through ``palette_commands()``: a list of
(title, help, callback). The palette only shows them; the screen does the work.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from textual.command import DiscoveryHit, Hit, Hits, Provider

PaletteCommand = tuple[str, str, Callable[[], Any]]


class OffersCommands(Protocol):
    def palette_commands(self) -> list[PaletteCommand]: ...


class CederCommands(Provider):
    """Back, skip, why, help, note, jump to each dimension, summary, undo, finish, export, theme..."""

    def _commands(self) -> list[PaletteCommand]:
        getter = getattr(self.screen, "palette_commands", None)
        if getter is None:
            return []
        commands: list[PaletteCommand] = getter()
        return commands

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = max(matcher.match(title), matcher.match(help_text) * 0.5)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
