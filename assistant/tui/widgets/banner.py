"""The read-only band: while another ceder writes this session, every screen says so, and who it is."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

from assistant.tui.text import literal

if TYPE_CHECKING:  # the first screen is painted before the engine is imported
    from flows import Assessment


class ReadOnlyBanner(Static):
    """A band across the top of the screen, shown only while the session is open read-only.

    A notice at opening scrolls away; a person who comes back to the window later must
    still see, before typing anything, that nothing here is saved and which window has
    the session. Its colours are theme variables (see ``ceder.tcss``).
    """

    def __init__(self) -> None:
        super().__init__(classes="read-only-banner")

    def show_for(self, assessment: Assessment | None) -> None:
        reason = assessment.read_only if assessment is not None else None
        self.display = reason is not None
        if reason is not None:
            said = literal(reason)
            self.update(Content.assemble(("READ-ONLY", "bold reverse"), "  ", said[:1].upper() + said[1:]))
