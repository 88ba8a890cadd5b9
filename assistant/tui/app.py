"""The ceder Textual app: built by :func:`make_app` (used by tests and :func:`run_app`)."""

from __future__ import annotations

import argparse
import io
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.app import App
from textual.binding import Binding, BindingType
from textual.events import DeliveryComplete, DeliveryFailed
from textual.screen import Screen

from assistant.tui.commands import CederCommands, PaletteCommand
from assistant.tui.screens.chat import ChatScreen
from assistant.tui.themes import DEFAULT_THEME, HIGH_CONTRAST, THEMES

if TYPE_CHECKING:
    from assistant.tui.opening import Opening
    from assistant.tui.sessions import Opened, ResumeOffer
    from question_banks import Bank


class CederApp(App[None]):
    """A guided CEDER self-assessment as a chat."""

    CSS_PATH: ClassVar[str | PurePath | list[str | PurePath] | None] = "ceder.tcss"
    """The chat screen's styles only: other screens' are parsed when one first opens (their own ``CSS_PATH``)."""
    TITLE = "ceder"
    COMMANDS = App.COMMANDS | {CederCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f8", "ceder_screenshot", "Screenshot", show=False),
        Binding("f9", "toggle_contrast", "High contrast", show=False),
    ]

    def __init__(
        self,
        bank: Bank | None,
        *,
        session_path: Path | None = None,
        resume_candidate: Path | None = None,
        new_path: Path | None = None,
        export_dir: Path | None = None,
        screenshot_dir: Path | None = None,
        theme: str | None = None,
        participants: list[str] | None = None,
        ask_details: bool = True,
        opening: Opening | None = None,
        bank_dir: str | None = None,
        cache_dir: Path | None = None,
    ) -> None:
        """``bank`` None: ``opening`` is painted first, and the bank in ``bank_dir`` loaded behind it.

        ``cache_dir``: where a new session's first screen is kept for the next launch (:mod:`assistant.tui.opening`).
        """
        super().__init__()
        self.ask_details = ask_details
        """A new assessment opens by asking the project's details."""
        for t in THEMES:
            self.register_theme(t)
        self.theme = theme or DEFAULT_THEME
        self._plain_theme = self.theme if self.theme != HIGH_CONTRAST.name else DEFAULT_THEME
        self.bank: Bank = bank  # type: ignore[assignment]  # None only until the engine is loaded (see opening)
        self.opening = opening
        self.bank_dir = bank_dir
        self.cache_dir = cache_dir
        self.startup_error: Exception | None = None
        """Why the session could not be opened behind a painted first screen (run_app reports it)."""
        self.session_path = session_path
        self.new_path = new_path
        self.export_dir = export_dir
        self.screenshot_dir = screenshot_dir
        self.resume_offer: ResumeOffer | None = None
        self.participants: list[str] = list(participants or [])
        """Group mode (``--group``): who answers together; the chat screen records it in the session."""
        if session_path is None and resume_candidate is not None and bank is not None:
            from assistant.tui.sessions import describe_resume

            self.resume_offer = describe_resume(resume_candidate, bank)
        self.opened: Opened | None = None

    def get_default_screen(self) -> Screen[None]:
        return ChatScreen(self.opening)

    async def on_event(self, event: events.Event) -> None:
        """Keys for the conversation are handled one at a time, each to its end (see ``ChatScreen.take_input``)."""
        if isinstance(event, events.Key | events.Paste) and not event.is_forwarded:
            stack = self.screen_stack
            if stack and isinstance(stack[-1], ChatScreen) and await stack[-1].take_input(event):
                return
        await super().on_event(event)

    # -- sessions -----------------------------------------------------------------------
    def _new_path(self) -> Path:
        if self.new_path is not None and not self.new_path.exists():
            return self.new_path
        from assistant.paths import sessions_dir
        from assistant.session_files import new_session_path

        return new_session_path(sessions_dir())

    def _ours(self, opened: Opened) -> Opened:
        """A session in ceder's own folder (no --session): its file takes the project's name once given."""
        if self.session_path is None:
            opened.assessment.name_file_after_project()
            opened.path = opened.assessment.path or opened.path
        return opened

    def open_initial(self) -> Opened:
        if self.opened is not None:  # opened before the screen took over (see run_app)
            opened, self.opened = self.opened, None
            return opened
        from assistant.tui.sessions import fresh_path_near, open_session  # the engine's: behind the first frame

        if self.session_path is not None:
            return open_session(self.bank, self.session_path, fallback=fresh_path_near(self.session_path))
        return self._ours(open_session(self.bank, self._new_path()))

    def open_checked(self, participant: str = "") -> Opened:
        """:meth:`open_initial`, a problem as one line (:class:`CliError`), not a traceback.

        Loads the bank first if it is not loaded yet (behind a painted first screen, in a thread).
        """
        from assistant.shared import CliError
        from flows import FlowError, SessionLocked

        if self.bank is None:
            from assistant.shared import load_bank_or_fail

            self.bank = load_bank_or_fail(self.bank_dir)
        try:
            opened = self.open_initial()
            if participant and opened.assessment.read_only is None:  # ceder serve: the name asked first
                opened.assessment.set_project(assessor=participant)
        except (FlowError, SessionLocked) as exc:
            raise CliError(str(exc)) from None
        except OSError as exc:
            target = self.session_path or self.new_path or "the session file"
            raise CliError(f"{target}: cannot create the session file: {exc.strerror or exc}") from None
        return opened

    def first_path(self) -> Path:
        """The file a new session opened now is saved in (shown on the first screen)."""
        return self.session_path if self.session_path is not None else self._new_path()

    def fresh_opening(self, opened: Opened) -> bool:
        """Whether ``opened`` opens as every new session does, so that its first screen may be kept."""
        return (
            self.cache_dir is not None
            and not opened.resumed
            and opened.notice is None
            and self.resume_offer is None
            and not self.participants
            and self.ask_details
            and not self.is_web
            and not opened.assessment.session.project.assessor
        )

    def keep_opening(self, opening: Opening) -> None:
        from assistant.tui.opening import save

        save(opening, Path(self.bank_dir) if self.bank_dir else None, self.cache_dir)

    def start_failed(self, error: Exception) -> None:
        """The session behind the painted first screen could not be opened: end, saying why."""
        self.startup_error = error
        self.exit(return_code=1)

    def open_resume(self) -> Opened:
        assert self.resume_offer is not None
        from assistant.tui.sessions import open_session

        return self._ours(open_session(self.bank, self.resume_offer.path, fallback=self._new_path()))

    def open_new(self) -> Opened:
        from assistant.tui.sessions import open_session

        return self._ours(open_session(self.bank, self._new_path()))

    # -- app-wide actions ---------------------------------------------------------------------
    def save_folder(self, preferred: Path | None) -> Path | None:
        """Where files go in a terminal: ``preferred``, else Downloads if it exists, else ceder's exports folder.

        In a browser there is no folder: the file is offered as a download (None).
        """
        if self.is_web:
            return None
        if preferred is not None:
            preferred.mkdir(parents=True, exist_ok=True)
            return preferred
        from platformdirs import user_downloads_path

        downloads = user_downloads_path()
        if downloads.is_dir():
            return downloads
        from assistant.paths import exports_dir

        return exports_dir()

    def export_text(self, name: str, text: str, mime_type: str) -> None:
        """Save a report: a download in a browser; in a terminal, the safe writer into :meth:`save_folder`.

        A file that exists (or a symlink) is never replaced or followed: the next free name is used.
        """
        if self.is_web:
            self.deliver_text(io.StringIO(text), save_filename=name, open_method="download", mime_type=mime_type)
            return
        from assistant.shared import CliError
        from flows.persistence import write_new_in

        try:
            folder = self.save_folder(self.export_dir)
            assert folder is not None
            path = write_new_in(folder, name, text.encode("utf-8"))
        except (OSError, CliError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            self.notify(f"Could not save {name}: {reason}", title="Not saved", severity="error", markup=False)
            return
        self.notify(f"Saved {path}", title="Saved", markup=False, timeout=8)

    def action_ceder_screenshot(self) -> None:
        folder = self.save_folder(self.screenshot_dir)
        self.deliver_screenshot(path=str(folder) if folder else None)

    def action_toggle_contrast(self) -> None:
        if self.theme == HIGH_CONTRAST.name:
            self.theme = self._plain_theme
        else:
            self._plain_theme = self.theme
            self.theme = HIGH_CONTRAST.name

    def on_delivery_complete(self, event: DeliveryComplete) -> None:
        where = str(event.path) if event.path else (event.name or "the download")
        self.notify(f"Saved {where}", title="Saved", markup=False, timeout=8)

    def on_delivery_failed(self, event: DeliveryFailed) -> None:
        self.notify(f"Could not save: {event.exception}", title="Not saved", severity="error", markup=False)

    def app_palette_commands(self) -> list[PaletteCommand]:
        return [
            ("High-contrast theme (on/off)", "For projectors and low vision (F9)", self.action_toggle_contrast),
            ("Screenshot", "Save an SVG screenshot of the screen (F8)", self.action_ceder_screenshot),
        ]


def make_app(
    bank: Bank | None,
    *,
    session_path: Path | None = None,
    resume_candidate: Path | None = None,
    new_path: Path | None = None,
    export_dir: Path | None = None,
    screenshot_dir: Path | None = None,
    theme: str | None = None,
    participants: list[str] | None = None,
    ask_details: bool = True,
    opening: Opening | None = None,
    bank_dir: str | None = None,
    cache_dir: Path | None = None,
) -> CederApp:
    return CederApp(
        bank,
        session_path=session_path,
        resume_candidate=resume_candidate,
        new_path=new_path,
        export_dir=export_dir,
        screenshot_dir=screenshot_dir,
        theme=theme,
        participants=participants,
        ask_details=ask_details,
        opening=opening,
        bank_dir=bank_dir,
        cache_dir=cache_dir,
    )


def run_app(
    bank: Bank | None,
    *,
    bank_dir: str | None = None,
    session_path: Path | None = None,
    resume_candidate: Path | None = None,
    new_path: Path | None = None,
    args: argparse.Namespace | None = None,
) -> int:
    """Run the TUI on ``bank`` (or the bank in ``bank_dir``, None: the shipped one).

    A new session (no file yet, nothing to offer to resume, not group mode or ``ceder
    serve``) is painted from its recorded first screen when there is one for this bank and
    code, before the engine is imported; otherwise the bank is loaded and the session
    opened before the app starts, and the first screen recorded for next time.
    """
    from assistant.shared import CliError, cache_folder

    participants: list[str] | None = None
    if args is not None and getattr(args, "group", None):  # group mode (--group "analyst,DPO")
        from conversation.group import group_problem, parse_names

        participants = parse_names(args.group)
        problem = group_problem(participants)
        if problem:
            raise CliError(f"--group: {problem}")
    participant = getattr(args, "participant", "") if args is not None else ""
    cache_dir = cache_folder()
    opening = None
    target = session_path or new_path
    if bank is None and not participants and not participant and resume_candidate is None and target is not None:
        if not target.exists():
            from assistant.tui.opening import load

            opening = load(Path(bank_dir) if bank_dir else None, cache_dir)
    if opening is None and bank is None:
        from assistant.shared import load_bank_or_fail

        bank = load_bank_or_fail(bank_dir)
    app = make_app(
        bank,
        session_path=session_path,
        resume_candidate=resume_candidate,
        new_path=new_path,
        participants=participants,
        opening=opening,
        bank_dir=bank_dir,
        cache_dir=None if participant else cache_dir,
    )
    if opening is None and app.resume_offer is None:  # a session file that cannot be made ends here in one line
        app.opened = app.open_checked(participant)
    app.run()
    if app.startup_error is not None:
        raise app.startup_error
    return app.return_code or 0
