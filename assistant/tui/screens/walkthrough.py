"""``ceder walkthrough SCENARIO``: a demo scenario shown step by step, for a trainer at a projector.

The steps are worked out beforehand (:mod:`assistant.walkthrough` plays the scenario
through an in-memory assessment), so moving forward or back is only moving an index:
nothing is saved. Space, → or n goes on; ←, p or Backspace goes back; Home and End
jump to the start and the summary; PageUp/PageDown move a whole dimension; f hides or
shows the facilitator notes; q quits.
"""

from __future__ import annotations

from pathlib import Path, PurePath
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Markdown, Static

from assistant.tui.app import CederApp
from assistant.tui.commands import PaletteCommand
from assistant.tui.screens.chat import WIDE
from assistant.tui.screens.summary import body_markdown
from assistant.tui.text import literal, md_escape
from assistant.tui.widgets.bars import DimensionBar
from assistant.tui.widgets.progress import ProgressStrip
from assistant.tui.widgets.walkthrough import RunningScores, StepTrack, panel, question_card, review_card
from assistant.walkthrough import Step, Walkthrough
from flows.summary import TIER_LABELS

_HERE = Path(__file__).resolve().parent


class WalkthroughScreen(Screen[None]):
    """One step of the scenario at a time: a card, the running scores, and the facilitator's note."""

    AUTO_FOCUS = None
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "next", "Next"),
        Binding("right", "next", "Next", show=False),
        Binding("n", "next", "Next", show=False),
        Binding("left", "previous", "Back"),
        Binding("p", "previous", "Back", show=False),
        Binding("backspace", "previous", "Back", show=False),
        Binding("pagedown", "next_dimension", "Next part"),
        Binding("pageup", "previous_dimension", "Previous part", show=False),
        Binding("home", "first", "Start"),
        Binding("end", "last", "Summary"),
        Binding("down", "scroll(1)", "Scroll", show=False),
        Binding("up", "scroll(-1)", "Scroll", show=False),
        Binding("f", "toggle_notes", "Facilitator notes"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, walkthrough: Walkthrough, *, show_notes: bool = True, start: int = 0) -> None:
        super().__init__()
        self.walkthrough = walkthrough
        self.index = max(0, min(start, len(walkthrough.steps) - 1))
        self.show_notes = show_notes
        self._titles = {d: walkthrough.bank.title_of(d) for d in walkthrough.bank.phases()}

    # -- layout -----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="wt-top"):
            yield Static(
                Content.assemble(("Walkthrough  ", "bold"), self.walkthrough.title), id="wt-title", markup=False
            )
            yield Static("", id="wt-position", markup=False)
        yield StepTrack(id="wt-track")
        yield ProgressStrip(id="wt-strip")
        with Horizontal(id="wt-body"):
            with Vertical(id="wt-main"):
                yield VerticalScroll(id="wt-card", can_focus=False, can_focus_children=False)
                yield Static("", id="wt-facilitator", markup=False)
            yield RunningScores(id="wt-scores")
        yield Footer(compact=True)

    async def on_mount(self) -> None:
        self.on_resize()
        await self.show_step()

    def on_resize(self) -> None:
        # Wide (a projector at 120x35): the running scores as a sidebar; narrow: as a one-line strip.
        self.set_class(self.app.size.width >= WIDE, "-wide")

    @property
    def step(self) -> Step:
        return self.walkthrough.steps[self.index]

    def position_text(self) -> str:
        step, w = self.step, self.walkthrough
        if step.kind == "title":
            return f"Introduction · {w.questions} questions"
        if step.kind == "question":
            return f"Question {step.number} of {w.questions}"
        if step.kind == "review":
            return f"{step.dimension_title}: review"
        return "Readiness summary"

    async def show_step(self) -> None:
        """Rebuild the card for the current step; update the position, track, scores and note."""
        step = self.step
        w = self.walkthrough
        self.query_one("#wt-position", Static).update(
            Content.assemble((self.position_text(), "bold"), (f"   step {self.index + 1}/{len(w.steps)}", ""))
        )
        self.query_one("#wt-track", StepTrack).show(self.index, len(w.steps))
        summary = step.summary
        self.query_one("#wt-scores", RunningScores).show(
            step.scores,
            step.dimension or None,
            step.tier,
            len(summary.blockers) if summary else 0,
            len(summary.conditions) if summary else 0,
        )
        self.query_one("#wt-strip", ProgressStrip).show(step.scores, step.dimension or None, step.tier)
        self.set_class(step.kind == "summary", "-final")
        card = self.query_one("#wt-card", VerticalScroll)
        await card.remove_children()
        await card.mount_all(self.card_for(step))
        card.scroll_home(animate=False)
        self.refresh_note()

    def refresh_note(self) -> None:
        note = self.query_one("#wt-facilitator", Static)
        text = self.step.facilitator
        note.display = bool(text) and self.show_notes
        note.border_title = "Facilitator note"
        note.update(Content(" ".join(text.split())))

    def card_for(self, step: Step) -> list[Widget]:
        if step.kind == "title":
            return self.title_card()
        if step.kind == "question":
            return question_card(step, self.walkthrough.bank.dimension_of, self._titles)
        if step.kind == "review":
            return review_card(step)
        return self.summary_card()

    def title_card(self) -> list[Widget]:
        w = self.walkthrough
        out: list[Widget] = [
            Static(Content.styled("DEMO SCENARIO", "bold $text-accent"), classes="wt-dimension"),
            Static(Content.styled(w.title, "bold"), classes="wt-question wt-big"),
        ]
        if w.narrative:
            out.append(Static(Content(" ".join(w.narrative.split())), classes="wt-narrative"))
        who = []
        if w.project:
            who.append(Content.assemble(("Project: ", "$text-muted"), (w.project, "bold")))
        if w.assessor:
            who.append(Content.assemble(("Assessor: ", "$text-muted"), w.assessor))
        if who:
            out.append(Static(Content("\n").join(who), classes="wt-options"))
        reviews = sum(1 for s in w.steps if s.kind == "review")
        plan = (
            f"{w.questions} questions and {reviews} dimension reviews, in the order the assistant asks them. "
            "For each: the question as asked, the scenario's answer, why a follow-up appears, the points it earns "
            "and the running scores."
        )
        if w.expected_verdict:
            plan += " The verdict the scenario expects is revealed at the end."
        out.append(panel(Content(plan), "wt-why"))
        out.append(
            Static(
                Content.assemble(
                    ("Space", "bold"),
                    " or ",
                    ("→", "bold"),
                    " next   ",
                    ("←", "bold"),
                    " back   ",
                    ("PgDn", "bold"),
                    " next part   ",
                    ("End", "bold"),
                    " summary   ",
                    ("f", "bold"),
                    " facilitator notes   ",
                    ("q", "bold"),
                    " quit",
                ),
                classes="wt-keys",
            )
        )
        bank = w.bank
        out.append(
            Static(
                Content.styled(
                    literal(f"{bank.title} ({bank.id} {bank.version}). {_honesty(bank.id, bank.manifest.provenance)}"),
                    "$text-muted",
                ),
                classes="wt-options",
            )
        )
        return out

    def summary_card(self) -> list[Widget]:
        w = self.walkthrough
        s = w.summary
        out: list[Widget] = [
            Static(Content.styled("READINESS SUMMARY", "bold $text-accent"), classes="wt-dimension"),
            Static(Content(f"Verdict: {s.verdict_label}"), classes=f"verdict -{s.verdict}"),
        ]
        if w.expected_verdict:
            match = w.matches_expectation
            out.append(
                Static(
                    Content.assemble(
                        "The scenario expects: ",
                        (w.expected_label, "bold"),
                        (
                            "   ✓ as expected" if match else "   ✗ not what the scenario expects",
                            "bold $text-success" if match else "bold $text-error",
                        ),
                    ),
                    classes="wt-expected",
                )
            )
        out.append(Markdown("\n".join(f"- {md_escape(r)}" for r in s.verdict_reasons), classes="summary-md"))
        out.append(Static(Content(f"Impact tier {s.impact_tier_label}"), classes=f"tier -tier{s.impact_tier}"))
        tier_md = [f"- {md_escape(r)}" for r in s.tier_reasons]
        if s.tier_demands:
            tier_md.append(f"\n**What tier {TIER_LABELS[s.impact_tier]} demands:**\n")
            tier_md += [f"- {md_escape(d)}" for d in s.tier_demands]
        out.append(Markdown("\n".join(tier_md), classes="summary-md"))
        out.append(Static(Content("Dimensions"), classes="section-title"))
        out += [DimensionBar(result, s.impact_tier) for result in s.dimensions]
        out.append(Markdown(body_markdown(s), classes="summary-md"))
        return out

    # -- moving --------------------------------------------------------------------------
    async def go(self, index: int) -> None:
        index = max(0, min(index, len(self.walkthrough.steps) - 1))
        if index != self.index:
            self.index = index
            await self.show_step()

    async def action_next(self) -> None:
        await self.go(self.index + 1)

    async def action_previous(self) -> None:
        await self.go(self.index - 1)

    async def action_first(self) -> None:
        await self.go(0)

    async def action_last(self) -> None:
        await self.go(len(self.walkthrough.steps) - 1)

    async def action_next_dimension(self) -> None:
        """To the first question of the next part (or the summary)."""
        steps = self.walkthrough.steps
        here = self.step.dimension
        for i in range(self.index + 1, len(steps)):
            if steps[i].kind == "summary" or (steps[i].kind == "question" and steps[i].dimension != here):
                await self.go(i)
                return

    async def action_previous_dimension(self) -> None:
        """To the first question of this part, or of the previous part when already there."""
        steps = self.walkthrough.steps
        starts = [
            i
            for i, s in enumerate(steps)
            if s.kind == "question"
            and (i == 0 or steps[i - 1].dimension != s.dimension or steps[i - 1].kind != "question")
        ]
        earlier = [i for i in starts if i < self.index]
        await self.go(earlier[-1] if earlier else 0)

    def action_scroll(self, lines: int) -> None:
        card = self.query_one("#wt-card", VerticalScroll)
        card.scroll_to(y=card.scroll_y + lines * 3, animate=False)

    def action_toggle_notes(self) -> None:
        self.show_notes = not self.show_notes
        self.refresh_note()
        self.app.notify(
            "Facilitator notes shown" if self.show_notes else "Facilitator notes hidden (f shows them)", timeout=3
        )

    def action_quit(self) -> None:
        self.app.exit()

    def palette_commands(self) -> list[PaletteCommand]:
        cmds: list[PaletteCommand] = [
            ("Next step", "Space, → or n", self.action_next),
            ("Previous step", "←, p or Backspace", self.action_previous),
            ("Back to the start", "The scenario's title card (Home)", self.action_first),
            ("Go to the summary", "The readiness summary the scenario ends with (End)", self.action_last),
            ("Show or hide the facilitator notes", "f", self.action_toggle_notes),
        ]
        for dim, title in self._titles.items():
            first = next((i for i, s in enumerate(self.walkthrough.steps) if s.dimension == dim), None)
            if first is not None:
                cmds.append((f"Go to {title}", f"The first {title} question", _goto(self, first)))
        app = self.app
        if isinstance(app, CederApp):
            cmds += app.app_palette_commands()
        return cmds


def _goto(screen: WalkthroughScreen, index: int):  # type: ignore[no-untyped-def]
    async def go() -> None:
        await screen.go(index)

    return go


def _honesty(bank_id: str, provenance: str) -> str:
    from conversation.words import honesty

    return honesty(bank_id, provenance)


class WalkthroughApp(CederApp):
    """The ceder app opened on a walkthrough instead of an assessment (no session file is opened)."""

    CSS_PATH: ClassVar[str | PurePath | list[str | PurePath] | None] = [
        str(_HERE.parent / "ceder.tcss"),
        str(_HERE / "summary.tcss"),
        str(_HERE / "walkthrough.tcss"),
    ]
    """The chat's styles (its transcript turns), the summary's (its summary card) and its own."""

    def __init__(
        self,
        walkthrough: Walkthrough,
        *,
        show_notes: bool = True,
        start: int = 0,
        theme: str | None = None,
        screenshot_dir: Path | None = None,
    ) -> None:
        super().__init__(walkthrough.bank, theme=theme, screenshot_dir=screenshot_dir)
        self.walkthrough = walkthrough
        self.show_notes = show_notes
        self.start_step = start
        self.title = "ceder walkthrough"
        self.sub_title = walkthrough.title

    def get_default_screen(self) -> Screen[None]:
        return WalkthroughScreen(self.walkthrough, show_notes=self.show_notes, start=self.start_step)


def make_walkthrough_app(
    walkthrough: Walkthrough,
    *,
    show_notes: bool = True,
    start: int = 0,
    theme: str | None = None,
    screenshot_dir: Path | None = None,
) -> WalkthroughApp:
    return WalkthroughApp(walkthrough, show_notes=show_notes, start=start, theme=theme, screenshot_dir=screenshot_dir)


def run_walkthrough(walkthrough: Walkthrough, *, show_notes: bool = True, start: int = 0) -> int:
    app = make_walkthrough_app(walkthrough, show_notes=show_notes, start=start)
    app.run()
    return app.return_code or 0
