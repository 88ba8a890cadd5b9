"""The conversation screen: transcript, the current question's answer widget, progress, and the commands.

Every move goes through the engine first (which saves the session before it
returns); only then does the screen show what comes next. The screen keeps no
state of the assessment of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Input

from assistant.tui.commands import PaletteCommand
from assistant.tui.screens import group as grp
from assistant.tui.screens.dialogs import ChoiceDialog, TextDialog, numbered
from assistant.tui.sessions import Opened, ResumeOffer
from assistant.tui.text import RATING_WORDS, literal, md_escape, plural
from assistant.tui.widgets.answers import Choice, ChoiceList, MultiChoice, PromptInput
from assistant.tui.widgets.chat import AssistantNote, AssistantTurn, ChatLog, UserTurn
from assistant.tui.widgets.progress import ProgressSidebar, ProgressStrip
from flows import Assessment, FlowError, StepResult
from flows.engine import validate_value
from flows.matching import interpret, option_for_digit
from flows.summary import TIER_LABELS
from flows.verdict import answer_label
from question_banks.conditions import DONT_KNOW, SKIP, AnswerValue
from question_banks.schema import Question

if TYPE_CHECKING:
    from assistant.tui.app import CederApp

T = TypeVar("T")
_FROM_RECORD: Any = object()
"""Default of :meth:`ChatScreen.set_answer_widget`: start from the answer already recorded."""
WIDE = 100
"""From this many columns the progress shows as a sidebar; below, as a one-line strip."""

GAP_WORDS = {"dont_know": "don't know", "skipped": "skipped", "unanswered": "not answered"}
COMMAND_HELP = (
    "Commands (type them, or use the keys): /back (ctrl+b) revise the previous answer · /skip (ctrl+s) · "
    "/dontknow (ctrl+d) · /why (F2) why this question · /help (F1) guidance and references · "
    "/note TEXT (ctrl+n) attach a note or evidence · /jump DIMENSION (ctrl+g) · /summary (ctrl+r) "
    "the summary so far · /undo (ctrl+z) · /revise · /project NAME · /assessor NAME · /owner NAME (of this "
    "answer's action) · /finish end now · /quit (ctrl+q). Workshops: /group NAMES (group mode; /group off) · "
    "/tally (ctrl+t) · /notes (F6) facilitator notes. F8 screenshot · F9 high contrast · ctrl+p all commands. "
    "Start with // to send text that begins with a slash."
)


def choices_for(question: Question) -> list[Choice]:
    """The question's options, each with the digit that picks it."""
    digit_of: dict[str, str] = {}
    for d in range(10):
        opt = option_for_digit(question, d)
        if opt is not None and opt.id not in digit_of:
            digit_of[opt.id] = str(d)
    return [Choice(o.id, o.label, digit_of.get(o.id), o.exclusive) for o in question.options]


class ChatScreen(Screen[None]):
    """The guided conversation."""

    AUTO_FOCUS = None
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help_question", "Help", priority=True),
        Binding("ctrl+b", "back", "Back", priority=True),
        Binding("ctrl+s", "skip", "Skip", priority=True),
        Binding("ctrl+d", "dont_know", "Don't know", priority=True),
        Binding("f2", "why", "Why?", priority=True),
        Binding("ctrl+n", "note", "Note", priority=True),
        Binding("ctrl+g", "jump", "Jump", priority=True, show=False),
        Binding("ctrl+r", "summary", "Summary", priority=True),
        Binding("ctrl+z", "undo", "Undo", priority=True, show=False),
        Binding("ctrl+t", "tally", "Tally", priority=True),
        Binding("f6", "facilitator_notes", "Facilitator notes", priority=True, show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.assessment: Assessment | None = None
        self.session_path: Path | None = None
        self._shown: tuple[str, str] | None = None
        self._last_dimension: str | None = None
        self._choices_kind = ""
        self._choices_widget: Widget | None = None
        self._confirm_empty = False
        self.group_mode = False
        """Group mode: each participant answers in turn, then the group settles on its answer."""
        self.round: grp.GroupRound | None = None
        self.facilitator_notes = False
        """Show the bank's notes for trainers under each question (F6)."""

    @property
    def ceder(self) -> CederApp:
        from assistant.tui.app import CederApp

        assert isinstance(self.app, CederApp)
        return self.app

    # -- layout -----------------------------------------------------------------
    def compose(self) -> ComposeResult:
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
        await self.log_view.mount_all(turns)
        self.log_view.scroll_end(animate=False)

    async def on_mount(self) -> None:
        self.set_class(self.app.size.width >= WIDE, "-wide")
        offer = self.ceder.resume_offer
        if offer is not None:
            await self.say(AssistantTurn(self.welcome_markdown(None)))
            self.app.push_screen(self._resume_dialog(offer), self._resume_chosen)
            return
        await self.begin(self.ceder.open_initial())

    def _resume_dialog(self, offer: ResumeOffer) -> ChoiceDialog:
        body = f"{offer.label}: {plural(offer.answers, 'answer')}, last updated {offer.updated}."
        return ChoiceDialog(
            "Resume your unfinished assessment?",
            numbered([("resume", "Resume it"), ("new", "Start a new assessment")]),
            body=body,
        )

    async def _resume_chosen(self, choice: str | None) -> None:
        await self.begin(self.ceder.open_resume() if choice in ("resume", None) else self.ceder.open_new())

    def welcome_markdown(self, path: Path | None, resumed: bool = False) -> str:
        bank = self.ceder.bank
        where = f" in {md_escape(str(path))}" if path is not None else ""
        if resumed:
            a = self.assessment
            count = plural(len(a.answers), "answer") if a is not None else "Your answers"
            first = (
                f"**Welcome back.** {count} so far, saved{where}. Carrying on where you stopped "
                "(ctrl+b goes back to revise)."
            )
            note = a.resume_note() if a is not None else ""
            if note:
                first += f" {md_escape(note)}"
        else:
            first = (
                "**Welcome.** I'll take you through a CEDER self-assessment, one question at a time, ending with a "
                f"readiness summary. Answers are saved as you go{where}."
            )
        return "  \n".join(
            [
                first,
                f"*{md_escape(bank.title)}:* {md_escape(self.ceder.honesty())}",
                "Pick with ↑↓ and Enter or a number · type an answer or /help · F1 explains a question.",
            ]
        )

    async def begin(self, opened: Opened) -> None:
        self.assessment = opened.assessment
        self.session_path = opened.path
        self.ceder.sub_title = str(opened.path)
        turns: list[Widget] = []
        if self.ceder.resume_offer is None or opened.notice:
            turns.append(AssistantTurn(self.welcome_markdown(opened.path, opened.resumed)))
        elif opened.resumed:
            turns.append(
                AssistantNote(f"Resuming {opened.path} ({plural(len(opened.assessment.answers), 'answer')} so far).")
            )
        else:
            turns.append(AssistantNote(f"Starting a new assessment, saved as you go in {opened.path}."))
        if opened.notice:
            turns.append(AssistantNote(opened.notice, classes="warning"))
            self.app.notify(opened.notice, title="Session file not used", severity="warning", markup=False, timeout=12)
        turns += self.start_group(self.ceder.participants)
        await self.say(*turns)
        await self.present(open_summary=True)

    # -- group mode ---------------------------------------------------------------------
    def start_group(self, names: list[str]) -> list[Widget]:
        """Group mode from ``--group`` names, or from the session's participants; the turns that announce it."""
        a = self.assessment
        if a is None:
            return []
        if names and names != a.session.participants:
            try:
                a.set_participants(names)
            except OSError as exc:
                return [AssistantNote(f"Could not save the participants: {exc.strerror or exc}", classes="warning")]
        self.group_mode = len(a.session.participants) >= 2
        self.round = None
        if not self.group_mode:
            return []
        who = ", ".join(a.session.participants)
        return [
            AssistantNote(
                f"Group mode: {who} answer each question in turn. When they differ, you see who said what and "
                "record what the group settles on; everyone's answers are kept. ctrl+t takes a tally instead; "
                "ctrl+p → Group mode changes the names or turns it off.",
                classes="group",
            )
        ]

    def answer_title(self, title: str = "") -> None:
        self.query_one("#answer", Vertical).border_title = Content(literal(title)) if title else None

    async def group_ask(self, q: Question) -> None:
        """Ask the next participant (or the group, once all have answered and differ)."""
        a = self.assessment
        assert a is not None
        r = self.round
        if r is None or r.question_id != q.id:
            r = self.round = grp.GroupRound(q.id, list(a.session.participants))
        record = a.record_of(q.id)
        if r.settling:
            self.answer_title("The group's answer")
            await self.set_answer_widget(q, value=grp.majority(a.bank, q, r), settling=True)
            return
        who = r.current
        self.answer_title(f"{who}'s answer ({r.index + 1} of {len(r.participants)})")
        earlier = record.by.get(who) if record is not None else None
        await self.set_answer_widget(q, value=earlier if earlier not in (DONT_KNOW, SKIP) else None)

    async def group_reply(self, q: Question, value: AnswerValue, typed: str | None = None) -> None:
        """One participant's answer: checked at once, then the next participant, the spread, or the record."""
        a = self.assessment
        r = self.round
        assert a is not None and r is not None
        if value not in (DONT_KNOW, SKIP):
            try:
                value = validate_value(q, value)
            except FlowError as exc:
                message = str(exc).removeprefix(f"{q.id}: ")
                await self.say(*([UserTurn(typed)] if typed else []), AssistantNote(message))
                return
        who = r.current
        r.take(value)
        await self.say(UserTurn(f"{who}: {grp.reply_label(q, value)}", classes="participant"))
        if not r.complete:
            await self.group_ask(q)
            return
        await self.group_compare(q)

    async def group_compare(self, q: Question) -> None:
        """Everyone has answered: record a unanimous answer, else show the spread and ask the group."""
        a = self.assessment
        r = self.round
        assert a is not None and r is not None
        if not r.tally and len(grp.spread(a.bank, q, r.replies).groups) == 1:
            from flows.group import unanimous

            agreed = unanimous(r.replies)
            await self.say(AssistantNote(f"All {len(r.replies)} agree."))
            await self.group_record(q, agreed if agreed is not None else next(iter(r.replies.values())))
            return
        r.settling = True
        await self.say(AssistantTurn(grp.spread_markdown(a.bank, q, r), classes="spread"))
        await self.group_ask(q)

    async def group_record(self, q: Question, value: AnswerValue, typed: str | None = None) -> None:
        """Record the group's answer (or gap) with everyone's answers behind it."""
        a = self.assessment
        r = self.round
        assert a is not None and r is not None
        by = dict(r.replies)
        if value == DONT_KNOW:
            result = await self.attempt(a.dont_know, by, typed=typed)
        elif value == SKIP:
            result = await self.attempt(a.skip, by, typed=typed)
        else:
            result = await self.attempt(a.answer, value, by, typed=typed)
        if result is None:
            return
        if r.tally and a.session.participants != r.participants:
            await self.succeeds(a.set_participants, r.participants)  # a tally's counts are not participants
        self.round = None
        await self.say(UserTurn(f"Group: {answer_label(q, a.record_of(q.id))}", classes="group"))
        await self.report_change(result)
        await self.present(open_summary=True)

    async def group_take(self, value: AnswerValue, typed: str | None = None) -> bool:
        """Route an answer in group mode; False when group mode does not apply to the current question."""
        a = self.assessment
        if not self.group_mode or a is None or a.current is None:
            return False
        q = a.current
        r = self.round
        if r is None or r.question_id != q.id:
            return False
        if r.settling:
            await self.group_record(q, value, typed)
        else:
            await self.group_reply(q, value, typed)
        return True

    def action_tally(self) -> None:
        a = self.assessment
        q = a.current if a is not None else None
        if a is None or q is None or not self.group_mode or q.kind not in grp.TALLY_KINDS:
            return

        async def done(counts: dict[str, int] | None) -> None:
            if counts is None or a.current is not q:
                return
            replies, weights = grp.tally_replies(q, counts)
            names = list(a.session.participants)
            self.round = grp.GroupRound(q.id, names, replies, index=len(names), tally=weights)
            tally = ", ".join(f"{grp.reply_label(q, v)}: {k}" for k, v in replies.items())
            await self.say(UserTurn(f"Tally: {tally}"))
            if len(replies) == 1:
                await self.say(AssistantNote("Everyone chose the same answer."))
                await self.group_record(q, next(iter(replies.values())))
                return
            await self.group_compare(q)

        self.app.push_screen(grp.TallyDialog(q, a.text_of(q)), done)

    def action_group(self) -> None:
        """Turn group mode on (or change the names): ask for the participants."""
        a = self.assessment
        if a is None:
            return

        async def done(text: str | None) -> None:
            if text is not None:
                await self.set_group(text)

        self.app.push_screen(
            TextDialog(
                "Group mode: who is answering?",
                body="Names separated by commas. Each answers every question in turn.",
                value=", ".join(a.session.participants),
                placeholder="analyst, DPO, ops lead",
            ),
            done,
        )

    async def set_group(self, text: str) -> None:
        names = grp.parse_names(text)
        problem = grp.group_problem(names)
        if problem:
            await self.say(AssistantNote(problem))
            return
        await self.say(*self.start_group(names))
        self._shown = None
        await self.present()

    async def action_group_off(self) -> None:
        if not self.group_mode:
            return
        self.group_mode = False
        self.round = None
        self.answer_title()
        await self.say(
            AssistantNote(
                "Group mode is off: one answer per question from here. Earlier participants' answers are kept."
            )
        )
        await self.present()

    async def action_facilitator_notes(self) -> None:
        self.facilitator_notes = not self.facilitator_notes
        a = self.assessment
        q = a.current if a is not None else None
        if not self.facilitator_notes:
            await self.say(AssistantNote("Facilitator notes are hidden (F6 shows them)."))
        elif q is not None and q.facilitator:
            await self.say(self.facilitator_turn(q.facilitator))
        else:
            await self.say(
                AssistantNote("Facilitator notes are shown under the questions that have one (F6 hides them).")
            )

    def facilitator_turn(self, text: str) -> Widget:
        return AssistantNote(
            Content.assemble(("Facilitator note: ", "bold"), " ".join(literal(text).split())), classes="facilitator"
        )

    # -- showing what the engine says is next -------------------------------------------
    def refresh_progress(self) -> None:
        a = self.assessment
        if a is None:
            return
        rows = a.progress()
        current = a.review_dimension if a.in_review else (a.phase_of(a.current.id) if a.current else None)
        tier = a.provisional_tier() if any(r.rating for r in rows if r.dimension == "complexity") else None
        for view in (self.query_one("#strip", ProgressStrip), self.query_one("#sidebar", ProgressSidebar)):
            view.show(rows, current, tier)
        self.refresh_bindings()

    async def present(self, open_summary: bool = False) -> None:
        """Show the engine's current step: a question, a dimension recap, or the end."""
        a = self.assessment
        if a is None:
            return
        self.refresh_progress()
        self.answer_title()
        if a.finished:
            if self._shown != ("finished", ""):
                self._shown = ("finished", "")
                await self.say(
                    AssistantTurn(
                        "**That's every question.** Your readiness summary is ready. From here you can open it "
                        "again, revise an answer, or quit (everything is saved)."
                    )
                )
            await self.set_choices(
                "finished",
                numbered([("summary", "See the summary"), ("revise", "Revise an answer"), ("quit", "Quit")]),
            )
            if open_summary:
                self.open_summary()
            return
        if a.in_review:
            dim = a.review_dimension or ""
            if self._shown != ("review", dim):
                self._shown = ("review", dim)
                await self.say(AssistantTurn(self.recap_markdown(dim), classes="recap"))
            nxt = a.tracker.first_pending()
            onward = f"Continue to {a.bank.title_of(a.phase_of(nxt.id))}" if nxt else "Continue to the summary"
            await self.set_choices(
                "review",
                numbered(
                    [
                        ("continue", onward),
                        ("revise", f"Revise an answer in {a.bank.title_of(dim)}"),
                        ("summary", "See the summary so far"),
                    ]
                ),
            )
            return
        q = a.current
        if q is None:
            return
        if self._shown != ("question", q.id):
            self._shown = ("question", q.id)
            turns: list[Widget] = []
            dim = a.phase_of(q.id)
            if dim != self._last_dimension:
                turns.append(AssistantTurn(self.heading_markdown(dim), classes="dimension"))
                self._last_dimension = dim
            turns.append(AssistantTurn(self.question_markdown(q), classes="question"))
            if self.facilitator_notes and q.facilitator:
                turns.append(self.facilitator_turn(q.facilitator))
            await self.say(*turns)
        if self.group_mode:
            await self.group_ask(q)
        else:
            self.answer_title()
            await self.set_answer_widget(q)

    def heading_markdown(self, dim: str) -> str:
        a = self.assessment
        assert a is not None
        section = a.bank.section_for(dim)
        intro = f"\n\n{section.intro.strip()}" if section is not None and section.intro.strip() else ""
        return f"**{md_escape(a.bank.title_of(dim))}**{intro}"

    def question_markdown(self, q: Question) -> str:
        a = self.assessment
        assert a is not None
        parts = [a.text_of(q).strip()]
        notes: list[str] = []
        if q.is_follow_up:
            notes.append("A follow-up to your earlier answers (F2: why am I asked this?)")
        if q.kind == "multi":
            notes.append("Choose all that apply: Space or a number toggles, Enter confirms.")
            implied = a.suggestion(q)
            if implied:
                labels = ", ".join(q.option_index[o].label for o in implied)
                notes.append(f"Pre-ticked from your earlier answers, for you to check: {md_escape(labels)}.")
        elif q.kind == "number":
            bounds = []
            if q.min is not None:
                bounds.append(f"at least {q.min:g}")
            if q.max is not None:
                bounds.append(f"at most {q.max:g}")
            unit = f" {q.unit}" if q.unit else ""
            notes.append(f"A number{unit}" + (f", {' and '.join(bounds)}." if bounds else "."))
        elif q.kind == "text":
            notes.append("Type your answer and press Enter.")
        if notes:
            parts.append("  \n".join(f"*{md_escape(n)}*" for n in notes))
        record = a.record_of(q.id)
        if record is not None and a.is_relevant(q.id):
            parts.append(
                f"You answered **{md_escape(answer_label(q, record))}** before. Answer again, or press Enter to keep it."
            )
        return "\n\n".join(parts)

    def recap_markdown(self, dim: str) -> str:
        a = self.assessment
        assert a is not None
        summary = a.summary(final=False)
        result = summary.dimension(dim)
        title = md_escape(result.title)
        if dim == "complexity":
            lines = [
                f"**{title}: done.** Provisional impact tier **{TIER_LABELS[summary.impact_tier]}** "
                f"({RATING_WORDS[result.rating]})."
            ]
            lines += [f"- {md_escape(r)}" for r in summary.tier_reasons]
        elif result.max_score == 0:
            lines = [f"**{title}: done.** Nothing here was scored."]
        else:
            lines = [f"**{title}: done.** Score **{result.score_0_5}/5**, {RATING_WORDS[result.rating]}."]
        issues = [f"- Blocker: {md_escape(f.message)}" for f in summary.blockers if f.dimension == dim]
        issues += [f"- Condition: {md_escape(f.message)}" for f in summary.conditions if f.dimension == dim]
        issues += [
            f"- Evidence gap ({GAP_WORDS[g.reason]}): {md_escape(g.text)}"
            for g in summary.evidence_gaps
            if g.dimension == dim
        ]
        actions = [x for x in summary.actions if x.dimension == dim]
        if issues:
            lines.append(f"\n{plural(len(issues), 'issue')} found:\n")
            lines += issues
        else:
            lines.append("\nNo issues found.")
        if actions:
            lines.append(f"\n{plural(len(actions), 'action')} for the plan, e.g. {md_escape(actions[0].action)}")
        group_line = grp.recap_markdown(a, dim)
        if group_line:
            lines.append(group_line)
        return "\n".join(lines)

    async def set_choices(self, kind: str, choices: list[Choice], initial: str | None = None) -> None:
        self.prompt.placeholder = "Enter or a number picks · or type a /command (/help)"
        await self._replace_choices(ChoiceList(choices, initial=initial, classes="choices"), kind)

    async def _replace_choices(self, widget: Widget | None, kind: str) -> None:
        self._choices_kind = kind
        self._confirm_empty = False
        old = self._choices_widget
        self._choices_widget = widget
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

    async def set_answer_widget(self, q: Question, *, value: Any = _FROM_RECORD, settling: bool = False) -> None:
        """The answer widget for ``q``, showing ``value`` (by default the recorded answer) as the starting choice."""
        a = self.assessment
        assert a is not None
        record = a.record_of(q.id)
        if value is _FROM_RECORD:
            previous = record.value if record is not None and not record.is_gap else None
        else:
            previous = value
        if q.kind in ("single", "scale"):
            self.prompt.placeholder = "…or type an answer or a /command (/help)"
            await self._replace_choices(
                ChoiceList(choices_for(q), initial=str(previous) if previous is not None else None, classes="choices"),
                "question",
            )
        elif q.kind == "multi":
            self.prompt.placeholder = "…or type numbers or names, separated by commas"
            initial = [str(v) for v in previous] if isinstance(previous, list) else a.suggestion(q)
            await self._replace_choices(MultiChoice(choices_for(q), initial=initial, classes="choices"), "question")
        else:
            if value is _FROM_RECORD and previous is not None and not self.prompt.value:
                self.prompt.value = literal(answer_label(q, record).removesuffix(f" {q.unit}" if q.unit else ""))
            elif value is not _FROM_RECORD:  # group mode: this participant's earlier answer, or the majority's
                shown = grp.reply_label(q, previous) if previous is not None else ""
                self.prompt.value = literal(shown.removesuffix(f" {q.unit}" if q.unit else ""))
            if settling:
                self.prompt.placeholder = "Type what the group settles on"
            else:
                self.prompt.placeholder = "Type a number and press Enter" if q.kind == "number" else "Type your answer"
            await self._replace_choices(None, "question")

    # -- engine calls ---------------------------------------------------------------
    async def attempt(self, fn: Callable[..., T], *args: Any, typed: str | None = None) -> T | None:
        """Run an engine call; a refusal becomes a plain reply, a failed save an error notice."""
        try:
            return fn(*args)
        except FlowError as exc:
            message = str(exc)
            a = self.assessment
            if a is not None and a.current is not None and message.startswith(f"{a.current.id}: "):
                message = message[len(a.current.id) + 2 :]
            turns: list[Widget] = [UserTurn(typed)] if typed else []
            await self.say(*turns, AssistantNote(message))
        except OSError as exc:
            self.app.notify(
                f"Could not save to {self.session_path}: {exc.strerror or exc}",
                title="Not saved",
                severity="error",
                markup=False,
                timeout=15,
            )
        return None

    async def succeeds(self, fn: Callable[..., Any], *args: Any) -> bool:
        """Like :meth:`attempt`, for engine calls that return nothing."""

        def call() -> bool:
            fn(*args)
            return True

        return bool(await self.attempt(call))

    async def answer(self, value: Any, typed: str | None = None) -> None:
        a = self.assessment
        if a is None or a.current is None:
            return
        if await self.group_take(value, typed):
            return
        q = a.current
        result = await self.attempt(a.answer, value, typed=typed)
        if result is None:
            return
        await self.say(UserTurn(answer_label(q, a.record_of(q.id))))
        await self.report_change(result)
        await self.present(open_summary=True)

    async def report_change(self, result: StepResult) -> None:
        a = self.assessment
        change = result.change
        if a is None or change is None:
            return
        if change.set_aside:
            lines = [
                f"Changing this sets aside {plural(len(change.set_aside), 'earlier answer')} that no longer "
                "apply. They stay in the file but no longer count:\n"
            ]
            for qid in change.set_aside:
                q = a.bank.by_id[qid]
                lines.append(f"- {md_escape(q.text)} ({md_escape(answer_label(q, a.record_of(qid)))})")
            lines.append("\nPress **ctrl+z** or type **/undo** to put your previous answer back.")
            await self.say(AssistantTurn("\n".join(lines), classes="warning"))
        if change.restored:
            items = ", ".join(md_escape(a.bank.by_id[qid].text) for qid in change.restored)
            await self.say(AssistantTurn(f"These earlier answers apply again and count once more: {items}"))

    # -- answer widgets and the prompt ----------------------------------------------
    @on(ChoiceList.Picked, ".choices")
    async def _picked(self, event: ChoiceList.Picked) -> None:
        event.stop()
        if event.choice_list is not self._choices_widget:
            return  # a key that reached the previous question's list after it was answered
        kind = self._choices_kind
        if kind == "question":
            await self.answer(event.value)
        elif kind == "review":
            if event.value == "continue":
                await self.proceed()
            elif event.value == "revise":
                self.action_revise(self.assessment.review_dimension if self.assessment else None)
            else:
                self.action_summary()
        elif kind == "finished":
            if event.value == "summary":
                self.open_summary()
            elif event.value == "revise":
                self.action_revise()
            else:
                self.app.exit()

    @on(MultiChoice.Confirmed, ".choices")
    async def _confirmed(self, event: MultiChoice.Confirmed) -> None:
        event.stop()
        if event.multi_choice is not self._choices_widget:
            return
        if not event.values and not self._confirm_empty:
            self._confirm_empty = True
            await self.say(
                AssistantNote(
                    "Nothing is selected. Press Enter again to record that none of these apply, "
                    "or choose with Space or a number first."
                )
            )
            return
        await self.answer(event.values)

    @on(MultiChoice.SelectionToggled, ".choices")
    def _toggled(self) -> None:
        self._confirm_empty = False

    @on(Input.Submitted, "#prompt")
    async def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        await self.handle_text(event.value)

    async def handle_text(self, raw: str) -> None:
        text = raw.strip()
        a = self.assessment
        if a is None:
            return
        if not text:
            choices = self._choices_widget
            if isinstance(choices, ChoiceList) and self._choices_kind != "question":
                choices.action_select()  # Enter on an empty line continues
            elif choices is not None:
                self.set_focus(choices)
            elif a.current is not None:
                await self.say(AssistantNote("Please type an answer, or /skip, or /dontknow."))
            return
        if text.startswith("/") and not text.startswith("//"):
            await self.run_command(text)
            if self._choices_widget is not None and self.app.screen is self:
                self.set_focus(self._choices_widget)  # back to the options once the command is done
            return
        if text.startswith("//"):
            text = text[1:]
        if a.in_review:
            if text.lower() in ("c", "continue", "next", "ok", "y", "yes", "go"):
                await self.say(UserTurn(text))
                await self.proceed()
            else:
                await self.say(UserTurn(text), AssistantNote("Press Enter to continue, or type /help."))
            return
        q = a.current
        if q is None:
            await self.say(UserTurn(text), AssistantNote("Every question is answered. Type /summary or /revise."))
            return
        meaning = interpret(q, text)
        if meaning.kind == "unclear":
            await self.say(UserTurn(text), AssistantNote(meaning.message))
        elif meaning.kind == "dont_know":
            await self.action_dont_know()
        elif meaning.kind == "skip":
            await self.action_skip()
        else:
            await self.answer(meaning.value, typed=text)

    # -- conversation commands --------------------------------------------------------
    async def run_command(self, text: str) -> None:
        name, _, arg = text[1:].partition(" ")
        name = name.lower().replace("-", "").replace("_", "").replace("'", "")
        arg = arg.strip()
        simple: dict[str, Callable[[], Any]] = {
            "back": self.action_back,
            "b": self.action_back,
            "skip": self.action_skip,
            "dontknow": self.action_dont_know,
            "dk": self.action_dont_know,
            "idk": self.action_dont_know,
            "why": self.action_why,
            "help": self.action_help_question,
            "?": self.action_help_question,
            "summary": self.action_summary,
            "undo": self.action_undo,
            "finish": self.action_finish,
            "done": self.action_finish,
            "commands": self.action_commands,
            "keys": self.action_commands,
            "quit": self.app.exit,
            "exit": self.app.exit,
        }
        if name in simple:
            outcome = simple[name]()
            if hasattr(outcome, "__await__"):
                await outcome
        elif name == "note":
            if arg:
                await self.save_note(arg)
            else:
                self.action_note()
        elif name in ("jump", "goto", "go"):
            if arg:
                await self.jump_to(arg)
            else:
                self.action_jump()
        elif name == "revise":
            if arg:
                await self.revise(arg)
            else:
                self.action_revise()
        elif name == "project":
            if arg:
                await self.set_project(arg)
            else:
                self.action_project()
        elif name == "assessor":
            if arg:
                await self.set_assessor(arg)
            else:
                self.action_assessor()
        elif name == "owner":
            await self.set_owner(arg)
        elif name == "group":
            if arg.lower() == "off":
                await self.action_group_off()
            elif arg:
                await self.set_group(arg)
            else:
                self.action_group()
        elif name == "tally":
            self.action_tally()
        elif name in ("notes", "facilitator"):
            await self.action_facilitator_notes()
        else:
            await self.say(UserTurn(text), AssistantNote(f"I don't know the command /{name}. {COMMAND_HELP}"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        a = self.assessment
        if action in ("skip", "dont_know", "why", "help_question"):
            return True if a is not None and a.current is not None else None
        if action == "undo":
            return True if a is not None and a.can_undo else None
        if action == "tally":  # shown only in group mode, on a question one option answers
            q = a.current if a is not None else None
            return self.group_mode and q is not None and q.kind in grp.TALLY_KINDS
        return True

    async def action_back(self) -> None:
        a = self.assessment
        if a is None:
            return
        r = self.round
        if self.group_mode and r is not None and a.current is not None and r.question_id == a.current.id:
            if r.undo_one():  # back to the previous participant of this question
                await self.say(AssistantNote(f"Back to {r.current}'s answer."))
                await self.group_ask(a.current)
                return
        if await self.attempt(a.back) is not None:
            self._shown = None
            await self.present()

    async def action_skip(self) -> None:
        a = self.assessment
        if a is None:
            return
        if a.current is None:
            await self.say(AssistantNote("There is no question to skip right now."))
            return
        if await self.group_take(SKIP):
            return
        result = await self.attempt(a.skip)
        if result is not None:
            await self.say(UserTurn("Skip"))
            await self.report_change(result)
            await self.present(open_summary=True)

    async def action_dont_know(self) -> None:
        a = self.assessment
        if a is None:
            return
        if a.current is None:
            await self.say(AssistantNote("There is no question to answer “don't know” to right now."))
            return
        if await self.group_take(DONT_KNOW):
            return
        result = await self.attempt(a.dont_know)
        if result is not None:
            await self.say(UserTurn("Don't know"))
            await self.report_change(result)
            await self.present(open_summary=True)

    async def proceed(self) -> None:
        a = self.assessment
        if a is None:
            return
        if await self.attempt(a.proceed) is not None:
            await self.present(open_summary=True)

    async def action_why(self) -> None:
        a = self.assessment
        if a is None:
            return
        if a.current is None:
            await self.say(AssistantNote("There is no question to explain right now."))
            return
        q = a.current
        reasons = a.why(q.id)
        if not reasons:
            if a.phase_of(q.id) == "profile":
                text = "**Why this question?** It is part of the project profile, which decides which follow-up questions you will see."
            else:
                text = "**Why this question?** It is a core question, asked about every project."
        else:
            lines = ["**Why this question?** It follows up on your earlier answers:\n"]
            for w in reasons:
                lines.append(f"- {md_escape(w.text)} You said: **{md_escape(w.answer)}**")
            text = "\n".join(lines)
        await self.say(AssistantTurn(text, classes="why"))

    async def action_help_question(self) -> None:
        a = self.assessment
        if a is None or a.current is None:
            await self.say(AssistantNote(COMMAND_HELP))
            return
        q = a.wording_of(a.current)
        lines = [f"**Help:** {q.help.strip() or 'No guidance for this question.'}"]
        if q.references:
            lines.append("\n**References:**\n")
            lines += [f"- {md_escape(r)}" for r in q.references]
        lines.append("\n*Type /commands for the list of commands.*")
        await self.say(AssistantTurn("\n".join(lines), classes="help"))

    async def action_commands(self) -> None:
        await self.say(AssistantNote(COMMAND_HELP))

    def note_target(self) -> Question | None:
        a = self.assessment
        if a is None:
            return None
        if a.current is not None:
            return a.current
        asked = [qid for qid in a.session.history if a.is_relevant(qid)]
        return a.bank.by_id[asked[-1]] if asked else None

    def action_note(self) -> None:
        a = self.assessment
        q = self.note_target()
        if a is None or q is None:
            return

        async def done(text: str | None) -> None:
            if text is not None:
                await self.save_note(text)

        self.app.push_screen(
            TextDialog(
                "Note or evidence for this answer",
                body=" ".join(a.text_of(q).split()),
                value=literal(a.session.notes.get(q.id, "")),
                placeholder="e.g. DPIA v2 signed 3 Oct; link to the file",
            ),
            done,
        )

    async def save_note(self, text: str) -> None:
        a = self.assessment
        q = self.note_target()
        if a is None or q is None:
            await self.say(AssistantNote("There is no question to attach a note to yet."))
            return
        if not await self.succeeds(a.note, q.id, text):
            return
        if text.strip():
            await self.say(
                UserTurn(f"Note: {text}"),
                AssistantNote("Noted. It is saved with this answer and shows in the summary."),
            )
        else:
            await self.say(AssistantNote("Note removed."))

    def jump_choices(self) -> list[Choice]:
        a = self.assessment
        assert a is not None
        items = []
        for row in a.progress():
            state = f"{row.answered} of {row.asked} answered" if row.asked else "not started"
            items.append((row.dimension, f"{row.title} ({state})"))
        return numbered(items)

    def action_jump(self) -> None:
        if self.assessment is None:
            return

        async def done(dim: str | None) -> None:
            if dim is not None:
                await self.jump_to(dim)

        self.app.push_screen(ChoiceDialog("Jump to a dimension", self.jump_choices()), done)

    async def jump_to(self, target: str) -> None:
        a = self.assessment
        if a is None:
            return
        wanted = target.strip().lower()
        dims = [c.value for c in self.jump_choices()]
        match = [d for d in dims if d == wanted or a.bank.title_of(d).lower().startswith(wanted)]
        if not match and wanted.isdigit() and 1 <= int(wanted) <= len(dims):
            match = [dims[int(wanted) - 1]]
        if len(match) != 1:
            names = ", ".join(dims)
            await self.say(AssistantNote(f"Which dimension? Type /jump with one of: {names}."))
            return
        if await self.attempt(a.jump, match[0]) is not None:
            await self.present()

    def revise_choices(self, dimension: str | None = None) -> list[Choice]:
        a = self.assessment
        assert a is not None
        items = []
        for qid in a.session.history:
            if not a.is_relevant(qid) or (dimension and a.phase_of(qid) != dimension):
                continue
            q = a.bank.by_id[qid]
            label = answer_label(q, a.record_of(qid))
            items.append((qid, f"{' '.join(a.text_of(q).split())} → {label}"))
        return numbered(items)

    def action_revise(self, dimension: str | None = None) -> None:
        if self.assessment is None:
            return
        choices = self.revise_choices(dimension)
        if not choices:
            return

        async def done(qid: str | None) -> None:
            if qid is not None:
                await self.revise(qid)

        self.app.push_screen(ChoiceDialog("Which answer do you want to revise?", choices), done)

    async def revise(self, question_id: str) -> None:
        a = self.assessment
        if a is None:
            return
        qid = next((q for q in a.bank.by_id if q.lower() == question_id.strip().lower()), question_id.strip())
        if await self.attempt(a.revise, qid) is not None:
            self._shown = None
            await self.present()

    async def action_undo(self) -> None:
        a = self.assessment
        if a is None:
            return
        result = await self.attempt(a.undo)
        if result is None or result.question_id is None:
            return
        q = a.bank.by_id[result.question_id]
        await self.say(
            AssistantTurn(
                f"Put back your earlier answer to “{md_escape(' '.join(q.text.split()))}”: "
                f"**{md_escape(answer_label(q, a.record_of(q.id)))}**."
            )
        )
        await self.report_change(result)
        await self.present()

    def action_finish(self) -> None:
        a = self.assessment
        if a is None:
            return
        open_count = len(a.tracker.pending)

        async def done(choice: str | None) -> None:
            if choice == "finish" and await self.attempt(a.finish) is not None:
                await self.present(open_summary=True)

        if a.finished:
            self.open_summary()
            return
        self.app.push_screen(
            ChoiceDialog(
                "Finish the assessment now?",
                numbered([("keep", "Keep going"), ("finish", "Finish now")]),
                body=f"{plural(open_count, 'question')} still open will count as unanswered evidence gaps.",
            ),
            done,
        )

    def action_project(self) -> None:
        a = self.assessment
        if a is None:
            return

        async def done(name: str | None) -> None:
            if name is not None:
                await self.set_project(name)

        self.app.push_screen(
            TextDialog(
                "Project name", value=literal(a.session.project.name), placeholder="e.g. Custody risk triage pilot"
            ),
            done,
        )

    async def set_project(self, name: str) -> None:
        a = self.assessment
        if a is None:
            return
        if await self.succeeds(a.set_project, name.strip()):
            await self.say(AssistantNote(Content.assemble("Project name set to: ", (name.strip(), "bold"))))

    def action_assessor(self) -> None:
        a = self.assessment
        if a is None:
            return

        async def done(name: str | None) -> None:
            if name is not None:
                await self.set_assessor(name)

        self.app.push_screen(
            TextDialog(
                "Who is doing this assessment?", value=literal(a.session.project.assessor), placeholder="Name, role"
            ),
            done,
        )

    async def set_assessor(self, name: str) -> None:
        a = self.assessment
        if a is not None and await self.succeeds(a.set_project, None, name.strip()):
            await self.say(AssistantNote(Content.assemble("Assessor set to: ", (name.strip(), "bold"))))

    async def set_owner(self, owner: str) -> None:
        """Name who owns the action this answer raises (shown in the action plan)."""
        a = self.assessment
        q = self.note_target()
        if a is None or q is None:
            return
        if await self.succeeds(a.set_owner, q.id, owner):
            text = f"Owner of any action from this answer: {owner.strip()}" if owner.strip() else "Owner removed."
            await self.say(AssistantNote(text))

    # -- summary ------------------------------------------------------------------------
    def action_summary(self) -> None:
        self.open_summary()

    def open_summary(self) -> None:
        from assistant.tui.screens.summary import SummaryScreen

        a = self.assessment
        if a is None or isinstance(self.app.screen, SummaryScreen):
            return
        self.app.push_screen(SummaryScreen(a, final=a.finished), self._summary_closed)

    async def _summary_closed(self, result: str | None) -> None:
        if result == "back":
            await self.action_back()
        elif result == "revise":
            self.action_revise()
        elif result is not None and result.startswith("revise:"):
            await self.revise(result.removeprefix("revise:"))
        else:
            self.set_focus(self._choices_widget or self.prompt)

    # -- command palette -------------------------------------------------------------------
    def palette_commands(self) -> list[PaletteCommand]:
        a = self.assessment
        if a is None:
            return []
        cmds: list[PaletteCommand] = [
            ("Back", "Go back to the previous question to revise it (ctrl+b)", self.action_back),
            ("Skip", "Skip this question for now (ctrl+s)", self.action_skip),
            ("Don't know", "Record that you don't know yet: an evidence gap (ctrl+d)", self.action_dont_know),
            ("Why am I asked this?", "Which earlier answers made this follow-up appear (F2)", self.action_why),
            ("Help for this question", "Guidance and references (F1)", self.action_help_question),
            ("Add a note or evidence", "Attach a note to this answer (ctrl+n)", self.action_note),
            ("Summary so far", "The provisional readiness summary (ctrl+r)", self.action_summary),
            ("Undo the last revision", "Put back the answer as it was (ctrl+z)", self.action_undo),
            ("Revise an earlier answer", "Pick any answer to change", self.action_revise),
            ("Set the project name", "Shown on the summary and exports", self.action_project),
            ("Set the assessor", "Who is doing this assessment", self.action_assessor),
            ("Finish now", "End the assessment; open questions become evidence gaps", self.action_finish),
            ("List the commands", "Typed commands and their keys", self.action_commands),
            (
                "Group mode: change participants" if self.group_mode else "Group mode…",
                "Several people answer each question in turn; disagreements are kept (/group)",
                self.action_group,
            ),
            (
                "Hide facilitator notes" if self.facilitator_notes else "Show facilitator notes",
                "Trainers' notes on the questions that have one (F6)",
                self.action_facilitator_notes,
            ),
        ]
        if self.group_mode:
            cmds.append(("Group mode off", "One answer per question from here (/group off)", self.action_group_off))
            if a.current is not None and a.current.kind in grp.TALLY_KINDS:
                cmds.append(
                    ("Tally for this question", "How many chose each answer (ctrl+t, /tally)", self.action_tally)
                )
        for row in a.progress():
            cmds.append(
                (f"Jump to {row.title}", f"Go to the {row.title} questions", partial(self.jump_to, row.dimension))
            )
        cmds += self.ceder.app_palette_commands()
        return cmds
