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
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Input

from assistant.tui.commands import PaletteCommand
from assistant.tui.render import widget_for
from assistant.tui.screens.dialogs import ChoiceDialog, TextDialog, numbered
from assistant.tui.sessions import Opened, ResumeOffer
from assistant.tui.text import literal
from assistant.tui.widgets.answers import Answered, Choice, ChoiceList, MultiChoice, PromptInput
from assistant.tui.widgets.banner import ReadOnlyBanner
from assistant.tui.widgets.chat import ChatLog
from assistant.tui.widgets.progress import ProgressSidebar, ProgressStrip
from conversation import words
from conversation.commands import COMMANDS, lookup, palette
from conversation.core import Conversation
from conversation.group import reply_label
from conversation.progress import tier_is_provisional
from conversation.replies import Ask, Reply
from conversation.words import option_label, plural
from flows import Assessment
from flows.matching import option_for_digit
from question_banks.schema import Question

if TYPE_CHECKING:
    from assistant.tui.app import CederApp

WIDE = 100
"""From this many columns the progress shows as a sidebar; below, as a one-line strip."""


def choices_for(question: Question) -> list[Choice]:
    """The question's options, each with the digit that picks it."""
    digit_of: dict[str, str] = {}
    for d in range(10):
        opt = option_for_digit(question, d)
        if opt is not None and opt.id not in digit_of:
            digit_of[opt.id] = str(d)
    return [
        Choice(o.id, option_label(question, o), digit_of.get(o.id), o.exclusive, number=str(i))
        for i, o in enumerate(question.options, 1)
    ]


def registry_bindings() -> list[BindingType]:
    """A key binding for every command in the registry that has a key."""
    return [
        Binding(c.key, f"run('{c.name}')", c.footer or c.palette_title, priority=True, show=bool(c.footer))  # type: ignore[arg-type]
        for c in COMMANDS
        if c.key is not None
    ]


class ChatScreen(Screen[None]):
    """The guided conversation."""

    AUTO_FOCUS = None
    BINDINGS: ClassVar[list[BindingType]] = [
        *registry_bindings(),
        Binding("pageup", "scroll_log(-1)", "Scroll up", show=False, priority=True),
        Binding("pagedown", "scroll_log(1)", "Scroll down", show=False, priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.conv: Conversation | None = None
        self.session_path: Path | None = None
        self._choices_widget: Widget | None = None
        self._shown_for: str | None = None
        """The question the answer widget was drawn for (None: a menu, details, the prompt alone)."""
        self._available: tuple[bool | None, ...] = ()
        self._turn = asyncio.Lock()
        """Held while a step runs (a key, a click, a command): one step at a time, each on what the last left."""

    @property
    def ceder(self) -> CederApp:
        return cast("CederApp", self.app)

    @property
    def assessment(self) -> Assessment | None:
        return self.conv.a if self.conv is not None else None

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
        yield Footer(compact=True)

    def on_resize(self) -> None:
        self.set_class(self.size.width >= WIDE, "-wide")

    @property
    def log_view(self) -> ChatLog:
        return self.query_one("#log", ChatLog)

    @property
    def prompt(self) -> PromptInput:
        return self.query_one("#prompt", PromptInput)

    async def say(self, *turns: Widget) -> None:
        await self.log_view.say(*turns)

    async def on_mount(self) -> None:
        self.set_class(self.app.size.width >= WIDE, "-wide")
        offer = self.ceder.resume_offer
        if offer is not None:
            bank = self.ceder.bank
            await self.say(widget_for(words.welcome(bank, None, keys=True)))
            self.app.push_screen(self._resume_dialog(offer), self._resume_chosen)
            return
        async with self._turn:
            await self.begin(self.ceder.open_initial())

    def _resume_dialog(self, offer: ResumeOffer) -> ChoiceDialog:
        body = f"{offer.label}: {plural(offer.answers, 'answer')}, last updated {offer.updated}."
        return ChoiceDialog(
            "Resume your unfinished assessment?",
            numbered([("resume", "Resume it"), ("new", "Start a new assessment")]),
            body=body,
        )

    async def _resume_chosen(self, choice: str | None) -> None:
        async with self._turn:
            await self.begin(self.ceder.open_resume() if choice in ("resume", None) else self.ceder.open_new())

    async def begin(self, opened: Opened) -> None:
        # In a browser (ceder serve) the participant never sees the server's folders: the file name only.
        shown = Path(opened.path.name) if self.app.is_web else opened.path
        self.conv = Conversation(opened.assessment, shown, keys=True)
        self.session_path = opened.path
        self.ceder.sub_title = str(shown)
        self.query_one(ReadOnlyBanner).show_for(opened.assessment)
        reply = self.conv.open(
            resumed=opened.resumed,
            notice=opened.notice,
            notice_title=opened.notice_title,
            welcomed=self.ceder.resume_offer is not None,
            participants=self.ceder.participants,
            ask_details=self.ceder.ask_details and not opened.resumed,
        )
        await self.show(reply)

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
        if widgets:
            await self.say(*widgets)
        if reply.moved:
            await self.draw_prompt()
        self.refresh_progress()
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
        await self.run_command(name)

    def action_scroll_log(self, direction: int) -> None:
        """PageUp and PageDown scroll the conversation, wherever the focus is."""
        if direction < 0:
            self.log_view.scroll_page_up(animate=False)
        else:
            self.log_view.scroll_page_down(animate=False)

    def ask(self, request: Ask) -> None:
        """A dialog for a command's argument; its answer runs the command."""
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
        a = self.assessment
        if a is None:
            return
        rows = a.progress()
        current = a.review_dimension if a.in_review else (a.phase_of(a.current.id) if a.current else None)
        tier = a.provisional_tier() if any(r.rating for r in rows if r.dimension == "complexity") else None
        conv = self.conv
        where = conv.estimate.text() if conv is not None and conv.estimate is not None and not a.finished else ""
        provisional = tier_is_provisional(a)
        for view in (self.query_one("#strip", ProgressStrip), self.query_one("#sidebar", ProgressSidebar)):
            view.show(rows, current, tier, provisional=provisional, where=where)
        # Refreshing the bindings rebuilds the Footer (tens of ms a move): only when a key's availability changed.
        available = tuple(self.check_action("run", (c.name,)) for c in COMMANDS if c.key is not None)
        if available != self._available:
            self._available = available
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action != "run" or not parameters:
            return True
        cmd = lookup(str(parameters[0]))
        if cmd is None or self.conv is None:
            return None
        if cmd.available(self.conv):
            return True
        return False if cmd.section == "workshop" else None

    # -- the answer area ----------------------------------------------------------------
    async def draw_prompt(self) -> None:
        """The answer widget for what the conversation expects now."""
        conv = self.conv
        assert conv is not None
        p = conv.prompt
        q = p.question
        answer = self.query_one("#answer", Vertical)
        answer.border_title = Content(f" {literal(p.title)} ") if p.title else None
        answer.set_class(bool(p.who) or p.settling, "-turn")
        if p.kind == "detail":
            self.prompt.placeholder = f"{p.placeholder} · Enter skips"
            self.prompt.value = ""
            await self._replace_choices(None)
        elif p.kind == "menu":
            self.prompt.placeholder = "Enter or a number picks · or type a /command (/help)"
            items = numbered([(m.value, m.label) for m in p.menu])
            await self._replace_choices(ChoiceList(items, classes="choices"))
        elif q is None:
            await self._replace_choices(None)
        elif q.kind in ("single", "scale"):
            self.prompt.placeholder = "…or type an answer or a /command (/help)"
            initial = str(p.initial) if p.initial is not None else None
            choices = ChoiceList(choices_for(q), initial=initial, preselect=False, classes="choices")
            await self._replace_choices(choices)
        elif q.kind == "multi":
            self.prompt.placeholder = "…or type numbers or names, separated by commas"
            initial_list = [str(v) for v in p.initial] if isinstance(p.initial, list) else None
            multi = MultiChoice(choices_for(q), initial=initial_list, on_toggle=conv.toggled, classes="choices")
            await self._replace_choices(multi)
        else:
            if p.initial is not None and (not self.prompt.value or conv.group_mode):
                shown = reply_label(q, p.initial)
                self.prompt.value = literal(shown.removesuffix(f" {q.unit}" if q.unit else ""))
                self.prompt.select_all()  # Enter keeps the recorded answer; typing replaces it (not "30" + "409")
            elif conv.group_mode:
                self.prompt.value = ""
            if p.settling:
                self.prompt.placeholder = "Type what the group settles on"
            else:
                self.prompt.placeholder = "Type a number and press Enter" if q.kind == "number" else "Type your answer"
            await self._replace_choices(None)

    async def _replace_choices(self, widget: Widget | None) -> None:
        old = self._choices_widget
        self._choices_widget = widget
        p = self.conv.prompt if self.conv is not None else None
        self._shown_for = p.question.id if p is not None and p.question is not None and p.kind != "menu" else None
        # Focus the new widget before the old one goes, so focus never falls back onto the
        # transcript (which would restyle every turn in it).
        typing = self.focused is self.prompt and bool(self.prompt.value)
        if widget is not None:
            await self.query_one("#answer", Vertical).mount(widget, before=self.prompt)
            if not typing:  # never pull the focus away from someone typing ahead
                self.set_focus(widget)
        else:
            self.set_focus(self.prompt)
        if old is not None:
            await old.remove()

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
            if self.conv is None or not isinstance(widget, ChoiceList | MultiChoice | PromptInput):
                return False
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
        p = self.conv.prompt
        now = p.question.id if p.question is not None and p.kind != "menu" else None
        if widget is not self._choices_widget or now != self._shown_for:
            return  # the previous question's list (a click that arrived after it was answered)
        await self.show(self.conv.choose(value))

    @on(ChoiceList.Picked, ".choices")
    async def _picked(self, event: ChoiceList.Picked) -> None:
        """A click on an option (keys are taken by :meth:`take_input`)."""
        event.stop()
        async with self._turn:
            await self._answered(event.choice_list, event.value)

    @on(MultiChoice.Confirmed, ".choices")
    async def _confirmed(self, event: MultiChoice.Confirmed) -> None:
        event.stop()
        async with self._turn:
            await self._answered(event.multi_choice, list(event.values))

    @on(Input.Submitted, "#prompt")
    async def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        async with self._turn:
            await self.handle_text(event.value)

    async def handle_text(self, raw: str) -> None:
        conv = self.conv
        if conv is None:
            return
        text = raw.strip()
        choices = self._choices_widget
        if not text and choices is not None:
            if isinstance(choices, ChoiceList) and conv.prompt.kind == "menu":
                if choices.highlighted is not None:  # Enter on an empty line continues
                    await self._answered(choices, choices.choices[choices.highlighted].value)
            else:
                self.set_focus(choices)
            return
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
        if self.conv is None:
            return []
        cmds: list[PaletteCommand] = [
            (e.title, e.help, partial(self.run_command, e.command, e.arg)) for e in palette(self.conv)
        ]
        return cmds + self.ceder.app_palette_commands()
