"""Screens that close with an answer close once: the shared guard for every dialog and closing screen."""

from __future__ import annotations

from typing import TypeVar

from textual.await_complete import AwaitComplete
from textual.screen import Screen

R = TypeVar("R")


class AnswersOnce(Screen[R]):
    """A screen that answers once: a second answer that arrives before it has gone is ignored.

    Two quick keys (Enter then Escape, "1" then "2", "r" then "b") each ask the screen to
    close; without this the second pops a screen that is no longer there
    (``ScreenStackError``) or closes the screen beneath. So is a key for a screen that is
    no longer on top.
    """

    _answered = False

    def dismiss(self, result: R | None = None) -> AwaitComplete:
        if self._answered or not self.is_active:
            return AwaitComplete()
        self._answered = True
        return super().dismiss(result)
