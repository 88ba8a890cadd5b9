"""The conversation screen: it renders the conversation's turns and forwards keys, picks and typed lines.

What is said, what input means and what each command does all live in
:mod:`conversation` (the same conversation plain mode shows). This screen only draws
turns (:mod:`assistant.tui.render`), the answer area for :attr:`Conversation.prompt`,
the progress, dialogs for a command's argument, and the summary screen. Its keys,
Footer and command palette come from the command registry.
"""

from __future__ import annotations

import asyncio
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingsMap, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input

from assistant.tui.commands import PaletteCommand
from assistant.tui.opening import Opening, ProgressView, PromptView
from assistant.tui.render import widget_for
from assistant.tui.screens import painted
from assistant.tui.screens.answer_area import AnswerArea
from assistant.tui.text import literal
from assistant.tui.views import choices_for, progress_view
from assistant.tui.widgets.answers import Answered, ChoiceList, MultiChoice, PromptInput, numbered
from assistant.tui.widgets.banner import ReadOnlyBanner
from assistant.tui.widgets.chat import ChatLog
from assistant.tui.widgets.footer import ChatFooter
from assistant.tui.widgets.progress import ProgressSidebar, ProgressStrip
from conversation import words
from conversation.words import plural

if TYPE_CHECKING:  # the engine and the conversation are imported once the first screen is painted
    from assistant.tui.app import CederApp
    from assistant.tui.screens.dialogs import ChoiceDialog
    from assistant.tui.sessions import Opened, ResumeOffer
    from conversation.core import Conversation
    from conversation.replies import Ask, Reply
    from flows import Assessment

__all__ = ["ChatScreen", "choices_for"]
WIDE = 100
"""From this many columns the progress shows as a sidebar; below, as a one-line strip."""


def registry_keys() -> tuple[tuple[str, str, str, bool], ...]:
    """Every command in the registry that has a key: key, action, description, shown in the Footer."""
    from conversation.commands import COMMANDS

    return tuple(
        (c.key, f"run('{c.name}')", c.footer or (c.title if isinstance(c.title, str) else c.name), bool(c.footer))
        for c in COMMANDS
        if c.key is not None
    )


def key_availability(screen: ChatScreen) -> tuple[bool | None, ...]:
    from conversation.commands import COMMANDS

    return tuple(screen.check_action("run", (c.name,)) for c in COMMANDS if c.key is not None)


class ChatScreen(AnswerArea):
    """The guided conversation."""

    AUTO_FOCUS = None
    BINDINGS: ClassVar[list[BindingType]] = [  # and the registry's keys (:func:`registry_keys`), per screen
        Binding("pageup", "scroll_log(-1)", "Scroll up", show=False, priority=True),
        Binding("pagedown", "scroll_log(1)", "Scroll down", show=False, priority=True),
    ]

    def __init__(self, opening: Opening | None = None) -> None:
        """``opening``: a new session's first screen, painted before the engine is loaded (see :mod:`assistant.tui.screens.painted`)."""
        super().__init__()
        self.conv: Conversation | None = None
        self._choices_widget: Widget | None = None
        self._shown_for: str | None = None
        """The question the answer widget was drawn for (None: a menu, details, the prompt alone)."""
        self._available: tuple[bool | None, ...] = ()
        self.opening = opening
        self.starting = False
        """The painted first screen is up but the engine is not ready: what the person does is queued."""
        self.queued: list[tuple[str, object, int | None]] = []
        """What the person did while the engine was loading (kind, value, prompt drawn), done in order once ready."""
        self._prompt_drawn = 0
        """How many times the answer area was drawn: an answer queued on one is never given to another."""
        self._prompt_view: PromptView | None = None
        self._progress_view: ProgressView | None = None
        self._keys = keys = opening.keys if opening is not None else registry_keys()
        registry = BindingsMap(
            Binding(key, action, description, show=show, priority=True) for key, action, description, show in keys
        )
        self._bindings = BindingsMap.merge([registry, self._bindings])
        self._turn = asyncio.Lock()
        """Held while a step runs (a key, a click, a command): one step at a time, each on what the last left."""

    @property
    def ceder(self) -> CederApp:
        return cast("CederApp", self.app)

    @property
    def assessment(self) -> Assessment | None:
        return self.conv.a if self.conv is not None else None

    @property
    def session_path(self) -> Path | None:
        """The session's file: it may take the project's name during the conversation (see flows.naming)."""
        return self.assessment.path if self.assessment is not None else None

    @property
    def group_mode(self) -> bool:
        return self.conv is not None and self.conv.group_mode

    # -- layout -----------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield ReadOnlyBanner()
        yield ProgressStrip(id="strip")
        with Horizontal(id="body"):
            with Vertical(id="main"):
                yield ChatLog(id="log")
                with Vertical(id="answer"):
                    yield PromptInput(placeholder="Type an answer or a /command (/help)", id="prompt")
            yield ProgressSidebar(id="sidebar")
        yield ChatFooter(compact=True)

    def on_resize(self) -> None:
        self.set_class(self.size.width >= WIDE, "-wide")

    @property
    def log_view(self) -> ChatLog:
        return self.query_one("#log", ChatLog)

    async def say(self, *turns: Widget) -> None:
        await self.log_view.say(*turns)

    async def on_mount(self) -> None:
        self.set_class(self.app.size.width >= WIDE, "-wide")
        if self.opening is not None:
            await self._paint_opening(self.opening)
            return
        offer = self.ceder.resume_offer
        if offer is not None:
            bank = self.ceder.bank
            await self.say(widget_for(words.welcome(bank, None, keys=True)))
            self.app.push_screen(self._resume_dialog(offer), self._resume_chosen)
            return
        async with self._turn:
            await self.begin(self.ceder.open_initial())

    def _resume_dialog(self, offer: ResumeOffer) -> ChoiceDialog:
        from assistant.tui.screens.dialogs import ChoiceDialog  # dialogs: not on the first frame's path

        body = f"{offer.label}: {plural(offer.answers, 'answer')}, last updated {offer.updated}."
        return ChoiceDialog(
            "Resume your unfinished assessment?",
            numbered([("resume", "Resume it"), ("new", "Start a new assessment")]),
            body=body,
        )

    async def _resume_chosen(self, choice: str | None) -> None:
        async with self._turn:
            await self.begin(self.ceder.open_resume() if choice in ("resume", None) else self.ceder.open_new())

    def _conversation(self, opened: Opened) -> tuple[Conversation, Reply, Path]:
        """The conversation over ``opened`` and its first reply; draws nothing (also runs off the main thread)."""
        from conversation.core import Conversation

        # In a browser (ceder serve) the participant never sees the server's folders: the file name only.
        conv = Conversation(opened.assessment, opened.path, keys=True, names_only=self.app.is_web)
        shown = conv.path
        assert shown is not None
        reply = conv.open(
            resumed=opened.resumed,
            notice=opened.notice,
            notice_title=opened.notice_title,
            welcomed=self.ceder.resume_offer is not None,
            participants=self.ceder.participants,
            ask_details=self.ceder.ask_details and not opened.resumed,
        )
        return conv, reply, shown

    async def begin(self, opened: Opened) -> None:
        conv, reply, shown = self._conversation(opened)
        self.conv = conv
        self.ceder.sub_title = str(shown)
        self.query_one(ReadOnlyBanner).show_for(opened.assessment)
        await self.show(reply)
        self._keep_opening(opened, reply, shown)

    def _keep_opening(self, opened: Opened, reply: Reply, shown: Path) -> None:
        """Record a new session's first screen, so the next one is painted before the engine loads."""
        plain = all(t.kind not in ("summary", "actions", "error") for t in reply.turns) and reply.ask is None
        if plain and self.ceder.fresh_opening(opened):
            assert self._prompt_view is not None and self._progress_view is not None
            opening = Opening(tuple(reply.turns), self._prompt_view, self._progress_view, self._available, self._keys)
            self.ceder.keep_opening(opening.recorded(str(shown)))

    async def _paint_opening(self, opening: Opening) -> None:
        await painted.paint(self, opening)

    def _queue(self, kind: str, value: object, *, answer: bool) -> bool:
        return painted.queue(self, kind, value, answer=answer)

    # -- rendering replies ----------------------------------------------------------
    async def show(self, reply: Reply) -> None:
        """Draw a reply: its turns, then the answer area if it moved, then any dialog, summary or exit."""
        widgets: list[Widget] = []
        summary: bool | None = None
        plan = False
        for turn in reply.turns:
            if turn.kind == "summary":
                summary = turn.final
                continue
            if turn.kind == "actions":  # the plan opens as its own screen, to move through and edit
                plan = True
                continue
            if turn.kind == "error":
                title = str(turn.extra.get("title", "Not saved"))
                if turn.tone == "warning":
                    self.app.notify(turn.text(), title=title, severity="warning", markup=False, timeout=12)
                else:
                    self.app.notify(turn.text(), title=title, severity="error", markup=False, timeout=15)
                if turn.tone != "warning":
                    continue
            widgets.append(widget_for(turn))
        # One frame for the whole reply: its turns, the new answer area and the progress are painted
        # together, not a frame after each part (each frame re-renders every turn in view).
        with self.app.batch_update():
            if widgets:
                await self.say(*widgets)
            if reply.moved:
                await self.draw_prompt()
            self.refresh_progress()
        if self.conv is not None:
            self.ceder.sub_title = str(self.conv.path)  # the file may have taken the project's name
        if reply.quit:
            self.app.exit()
        elif reply.ask is not None:
            self.ask(reply.ask)
        elif summary is not None:
            self.open_summary()
        elif plan:
            self.open_actions()

    async def run_command(self, name: str, arg: str | None = None) -> None:
        async with self._turn:
            if self.conv is not None:
                await self.show(self.conv.run(name, arg))

    async def action_run(self, name: str) -> None:
        if self.starting:
            self._queue("run", name, answer=False)
            return
        await self.run_command(name)

    def action_scroll_log(self, direction: int) -> None:
        """PageUp and PageDown scroll the conversation, wherever the focus is."""
        if direction < 0:
            self.log_view.scroll_page_up(animate=False)
        else:
            self.log_view.scroll_page_down(animate=False)

    def ask(self, request: Ask) -> None:
        """A dialog for a command's argument; its answer runs the command."""
        from assistant.tui.screens.dialogs import ChoiceDialog, TextDialog

        conv = self.conv
        assert conv is not None

        async def done(answer: object) -> None:
            if isinstance(answer, dict):
                answer = ", ".join(f"{k}={v}" for k, v in answer.items())
            if isinstance(answer, str):
                await self.run_command(request.command, answer)
            if self.app.screen is self:  # back to the options (or the prompt) once the dialog is done
                self.set_focus(self._choices_widget or self.prompt)

        if request.kind == "text":
            dialog: Screen[object] = TextDialog(  # type: ignore[assignment]
                request.title, body=request.body, value=literal(request.value), placeholder=request.placeholder
            )
        elif request.kind == "tally":
            from assistant.tui.screens.group import TallyDialog

            q = conv.a.bank.by_id[request.question_id or ""]
            dialog = TallyDialog(q, request.body)  # type: ignore[assignment]
        else:
            choices = numbered([(c.value, c.label) for c in request.choices])
            dialog = ChoiceDialog(request.title, choices, body=request.body)  # type: ignore[assignment]
        self.app.push_screen(dialog, done)

    def refresh_progress(self) -> None:
        if self.conv is not None:
            self._draw_progress(progress_view(self.conv))
            available = key_availability(self)
        elif self.opening is not None:
            available = self.opening.available
        else:
            return
        # Refreshing the bindings rebuilds the Footer (tens of ms a move): only when a key's availability changed.
        if available != self._available:
            self._available = available
            self.refresh_bindings()

    def _draw_progress(self, view: ProgressView) -> None:
        self._progress_view = view
        for panel in (self.query_one("#strip", ProgressStrip), self.query_one("#sidebar", ProgressSidebar)):
            panel.show(view.rows, view.current, view.tier, provisional=view.provisional, where=view.where)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action != "run" or not parameters:
            return True
        if self.conv is None:  # the first screen, painted before the engine: as it was recorded
            opening = self.opening
            if opening is None:
                return None
            return dict(zip((k[1] for k in opening.keys), opening.available, strict=False)).get(
                f"run('{parameters[0]}')"
            )
        from conversation.commands import lookup

        cmd = lookup(str(parameters[0]))
        if cmd is None:
            return None
        if cmd.available(self.conv):
            return True
        return False if cmd.section == "workshop" else None

    # -- keys and answers ---------------------------------------------------------------------
    async def take_input(self, event: events.Key | events.Paste) -> bool:
        """Handle a key (or a paste) on the answer area now, in arrival order; False: Textual routes it.

        The app calls this for every key before routing it (``CederApp.on_event``), and reads
        the next key only once this returns. Textual would queue a burst of keys on whichever
        widget had focus when they arrived: the old question's list, while the answer it was
        given is still being recorded and the next question drawn. So each key is taken here,
        by the focused answer widget, and what it answers is finished (saved, the next
        question drawn and focused) before the next key is looked at: keys answer the
        questions in turn, none lost, none applied twice. Keys with a priority binding (the
        commands) are left to the app, which runs them at once, in the same order.
        """
        if isinstance(event, events.Key):
            active = self.active_bindings.get(event.key)
            if active is not None and active.binding.priority:
                return False
        async with self._turn:
            widget = self.focused
            if self.conv is None or self.starting or not isinstance(widget, ChoiceList | MultiChoice | PromptInput):
                return False  # (while the engine loads, what is done is queued: see adopt)
            if isinstance(event, events.Paste):
                self.set_focus(self.prompt)
                self.prompt.paste_text(" ".join(event.text.splitlines()))
                return True
            taken = widget.take_key(event)
            if taken is False:  # a key the widget binds (Backspace, Tab...): run the binding here, in turn
                active = self.active_bindings.get(event.key)
                if active is None or not active.enabled:
                    return False
                await self.app.run_action(active.binding.action, active.node)
            elif isinstance(taken, Answered):
                await self._answered(widget, taken.value)
            return True

    async def _answered(self, widget: Widget, value: str | list[str]) -> None:
        """Record what ``widget`` answered, if it is still the question it was drawn for. Under ``_turn``."""
        if self.conv is None:
            return
        if widget is self.prompt:
            await self.handle_text(str(value))
            return
        if widget is not self._choices_widget or self._question_on_screen() != self._shown_for:
            return  # the previous question's list (a click that arrived after it was answered)
        await self.show(self.conv.choose(value))

    @on(ChoiceList.Picked, ".choices")
    async def _picked(self, event: ChoiceList.Picked) -> None:
        """A click on an option (keys are taken by :meth:`take_input`)."""
        event.stop()
        if self.starting:
            if event.choice_list is self._choices_widget:
                self._queue("choose", event.value, answer=True)
            return
        async with self._turn:
            await self._answered(event.choice_list, event.value)

    @on(MultiChoice.Confirmed, ".choices")
    async def _confirmed(self, event: MultiChoice.Confirmed) -> None:
        event.stop()
        if self.starting:
            if event.multi_choice is self._choices_widget:
                self._queue("choose", list(event.values), answer=True)
            return
        async with self._turn:
            await self._answered(event.multi_choice, list(event.values))

    @on(MultiChoice.SelectionToggled, ".choices")
    def _toggled(self) -> None:
        """A change to a multi-select (a key, through ``on_toggle``; a click, through the message)."""
        if self.starting:
            self._queue("toggle", None, answer=False)
        elif self.conv is not None:
            self.conv.toggled()

    @on(Input.Submitted, "#prompt")
    async def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        async with self._turn:
            await self.handle_text(event.value)

    async def handle_text(self, raw: str) -> None:
        text = raw.strip()
        choices = self._choices_widget
        if not text and choices is not None:
            menu = self._prompt_view is not None and self._prompt_view.kind == "menu"
            if isinstance(choices, ChoiceList) and menu:
                if self.starting:
                    choices.action_select()  # queued, as a pick (see _picked)
                elif choices.highlighted is not None:  # Enter on an empty line continues
                    await self._answered(choices, choices.choices[choices.highlighted].value)
            else:
                self.set_focus(choices)
            return
        if self.starting:  # a /command is done when it comes; anything else answers the question on screen
            if self._queue("text", raw, answer=not text.startswith("/")):
                self.prompt.value = ""
            return
        await self._say(raw)

    async def _say(self, raw: str) -> None:
        conv = self.conv
        if conv is None:
            return
        text = raw.strip()
        await self.show(conv.say(raw))
        if text.startswith("/") and self._choices_widget is not None and self.app.screen is self:
            self.set_focus(self._choices_widget)  # back to the options once the command is done

    # -- summary ------------------------------------------------------------------------
    def open_summary(self) -> None:
        from assistant.tui.screens.summary import SummaryScreen

        a = self.assessment
        if a is None or isinstance(self.app.screen, SummaryScreen):
            return
        self.app.push_screen(SummaryScreen(a, final=a.finished), self._summary_closed)

    def open_actions(self) -> None:
        from assistant.tui.screens.actions import ActionPlanScreen

        if self.assessment is not None:
            self.app.push_screen(
                ActionPlanScreen(self.assessment), lambda _: self.set_focus(self._choices_widget or self.prompt)
            )

    async def _summary_closed(self, result: str | None) -> None:
        if result == "back":
            await self.run_command("back")
        elif result == "revise":
            await self.run_command("revise")
        elif result is not None and result.startswith("revise:"):
            await self.run_command("revise", result.removeprefix("revise:"))
        else:
            self.set_focus(self._choices_widget or self.prompt)

    # -- command palette -------------------------------------------------------------------
    def palette_commands(self) -> list[PaletteCommand]:
        if self.conv is None or self.starting:
            return []
        from conversation.commands import palette

        cmds: list[PaletteCommand] = [
            (e.title, e.help, partial(self.run_command, e.command, e.arg)) for e in palette(self.conv)
        ]
        return cmds + self.ceder.app_palette_commands()
