"""Textual's Footer, rebuilt only when the keys it shows change, not on every move of the focus.

Textual's Footer recomposes all its keys whenever the screen's bindings are refreshed, and
a screen refreshes them on every change of focus: on the chat screen, every answer (the new
answer widget takes the focus). That was tens of milliseconds of every answer, for a Footer
that looks the same. This one remembers what it drew; the same keys are left alone, and a
key that only became available or unavailable (Back after the first answer) is restyled in
place.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

Shown = tuple[tuple[str, str, str, str, bool], ...]
"""Per key shown: key, action, description, tooltip, enabled."""


class ChatFooter(Footer):
    """A Footer that recomposes only when the set of keys shown changes (see the module)."""

    def __init__(self, *, compact: bool = False) -> None:
        super().__init__(compact=compact)
        self._drawn: Shown | None = None
        """What the last compose drew (None: nothing yet)."""
        self._pending = False
        """A recompose is scheduled: it reads the bindings as they are then."""

    def _shown(self) -> Shown:
        """What :meth:`Footer.compose` would draw now (the command palette's key included)."""
        active = self.screen.active_bindings
        first: dict[str, tuple[str, str, str, str, bool]] = {}  # Footer shows one key per action, the first
        for _, b, enabled, tooltip in active.values():
            if b.show and b.action not in first:
                first[b.action] = (b.key, b.action, b.description, tooltip, enabled)
        keys = list(first.values())
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            palette = active.get(self.app.COMMAND_PALETTE_BINDING)
            if palette is not None:
                _, b, enabled, tooltip = palette
                keys.append((b.key, b.action, b.description, tooltip, enabled))
        return tuple(keys)

    def compose(self):  # type: ignore[no-untyped-def]  # Footer's own is untyped
        self._pending = False
        self._drawn = self._shown() if self._bindings_ready else None
        yield from super().compose()

    def bindings_changed(self, screen: Screen[object]) -> None:
        """As :meth:`Footer.bindings_changed`, but one recompose at a time, and only for other keys."""
        self._bindings_ready = True
        if not (screen.app.app_focus and self.is_attached and screen is self.screen) or self._pending:
            return
        if self._drawn is not None:
            shown = self._shown()
            if shown == self._drawn:
                return
            if [k[:4] for k in shown] == [k[:4] for k in self._drawn] and self._restyle(shown):
                self._drawn = shown
                return
        self._pending = True
        self.call_after_refresh(self.recompose)

    def _restyle(self, shown: Shown) -> bool:
        """The same keys, some now (un)available: each key's look changed in place (False: recompose)."""
        enabled = {(key, action): on for key, action, _, _, on in shown}
        footer_keys = list(self.query(FooterKey))
        if len(footer_keys) != len(enabled):
            return False
        for footer_key in footer_keys:
            on = enabled.get((footer_key.key, footer_key.action))
            if on is None:
                return False
            footer_key._disabled = not on
            footer_key.set_class(not on, "-disabled")
        return True
