"""One conversation over one assessment, with no user interface.

A front end forwards what the person does (:meth:`Conversation.say` for a typed line,
:meth:`Conversation.choose` for a picked option, :meth:`Conversation.run` for a
command) and renders the :class:`Reply`: the turns to show, a question to put to the
person for a command's argument (:class:`Ask`), and whether the answer area changed
(:attr:`Conversation.prompt` then says what is expected next). Every engine call
saves the session before it returns, so what a front end shows is never ahead of the
file on disk.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from conversation import words
from conversation.group import GroupRound
from conversation.progress import Estimate, estimate
from conversation.replies import Ask, MenuItem, Prompt, Reply
from conversation.turns import Block, Strong, Turn, item, note, para, said
from conversation.words import facilitator_turn

if TYPE_CHECKING:
    from conversation.details import Intake
from flows import Assessment, FlowError, NotSaved, ReadOnly, StepResult
from flows.verdict import answer_label
from question_banks.conditions import AnswerValue
from question_banks.schema import Question

__all__ = ["Ask", "Conversation", "MenuItem", "Prompt", "Reply"]

T = TypeVar("T")


class Conversation:
    """See the module docstring. ``keys`` says whether the front end has the registry's keys (the TUI)."""

    def __init__(
        self, assessment: Assessment, path: Path | None = None, *, keys: bool = True, names_only: bool = False
    ) -> None:
        self.a = assessment
        self._path = path
        self.names_only = names_only
        """Show the session's file name, never its folder (in a browser, the server's folders are not shown)."""
        self.keys = keys
        self.group_mode = False
        self.round: GroupRound | None = None
        self.facilitator_notes = False
        self._shown: tuple[str, str] | None = None
        self._last_dimension: str | None = None
        self._confirm_empty = False
        self._reply = Reply()
        self.estimate: Estimate | None = None
        """How far along: "question N of about M, about K minutes left" (kept steady between steps)."""
        self.intake: Intake | None = None
        """The project's details being asked (before the first question, or after ``/details``)."""

    @property
    def path(self) -> Path | None:
        """Where the session is saved, as shown: the assessment's file (it may move to the project's name)."""
        path = self.a.path or self._path
        return Path(path.name) if path is not None and self.names_only else path

    # -- replies --------------------------------------------------------------------
    def emit(self, *turns: Turn) -> None:
        self._reply.turns.extend(turns)

    def ask(self, request: Ask) -> None:
        """Ask the person for a command's argument (the front end calls ``run(command, answer)`` with it)."""
        self._reply.ask = request

    def moved(self) -> None:
        """The prompt changed: the front end redraws the answer area."""
        self._reply.moved = True

    def notice(self, text: str, tone: str = "") -> None:
        self.emit(note("notice", text, tone=tone))

    def _take(self) -> Reply:
        reply, self._reply = self._reply, Reply()
        return reply

    def hint(self, command: str) -> str:
        """How to give a command here: its key and its name, or just the name."""
        from conversation.commands import REGISTRY

        cmd = REGISTRY.get(command)
        key = cmd.key_label() if cmd is not None and self.keys else ""
        return f"{key} or /{command}" if key else f"/{command}"

    # -- opening --------------------------------------------------------------------
    def open(
        self,
        *,
        resumed: bool,
        notice: str | None = None,
        notice_title: str = "Session file not used",
        welcomed: bool = False,
        participants: list[str] | None = None,
        ask_details: bool = False,
    ) -> Reply:
        """The first turns: welcome (unless ``welcomed``), any notice, group mode, then the project's details
        (``ask_details``, for a new assessment) or the current step."""
        where = str(self.path) if self.path is not None else None
        if not welcomed or notice:
            self.emit(words.welcome(self.a.bank, where, keys=self.keys, resumed=self.a if resumed else None))
        elif resumed:
            self.notice(f"Resuming {where} ({words.plural(len(self.a.answers), 'answer')} so far).")
        else:
            self.notice(f"Starting a new assessment, saved as you go in {where}.")
        if notice:
            self.emit(Turn("error", (para(notice),), rich=False, tone="warning", extra={"title": notice_title}))
        from conversation.grouping import start_group

        start_group(self, participants or [])
        if ask_details and not self.a.answers:
            from conversation import details

            details.start(self)
        else:
            self.present(open_summary=True)
        return self._take()

    # -- what comes next ------------------------------------------------------------
    @property
    def prompt(self) -> Prompt:
        a = self.a
        if self.intake is not None:
            d = self.intake.detail
            value = str(getattr(a.session.project, d.field))
            return Prompt("detail", title="Project details", initial=value or None, placeholder=d.placeholder)
        if a.finished:
            return Prompt(
                "menu",
                menu=(
                    MenuItem("summary", "See the summary"),
                    MenuItem("revise", "Revise an answer"),
                    MenuItem("quit", "Quit"),
                ),
                menu_kind="finished",
            )
        if a.in_review:
            dim = a.review_dimension or ""
            nxt = a.tracker.first_pending()
            onward = f"Continue to {a.bank.title_of(a.phase_of(nxt.id))}" if nxt else "Continue to the summary"
            return Prompt(
                "menu",
                menu=(
                    MenuItem("continue", onward),
                    MenuItem("revise", f"Revise an answer in {a.bank.title_of(dim)}"),
                    MenuItem("summary", "See the summary so far"),
                ),
                menu_kind="review",
            )
        q = a.current
        if q is None:
            return Prompt("none")
        if self.group_mode:
            from conversation.grouping import group_prompt

            return group_prompt(self, q)
        record = a.record_of(q.id)
        initial = record.value if record is not None and not record.is_gap else a.suggestion(q)
        return Prompt("question", question=q, initial=initial)

    def present(self, open_summary: bool = False) -> None:
        """Say what the engine has next: a question (once), a dimension recap, or the end."""
        a = self.a
        self._reply.moved = True
        self._confirm_empty = False
        self.estimate = estimate(a, self.estimate)
        if self.intake is not None:
            return
        if a.finished:
            if self._shown != ("finished", ""):
                self._shown = ("finished", "")
                self.emit(
                    Turn(
                        "finished",
                        (
                            para(
                                Strong("That's every question."),
                                " Your readiness summary is ready. From here you can open it again, revise an "
                                "answer, or quit (everything is saved).",
                            ),
                        ),
                    )
                )
            if open_summary:
                self.emit(Turn("summary", final=True))
            return
        if a.in_review:
            dim = a.review_dimension or ""
            if self._shown != ("review", dim):
                self._shown = ("review", dim)
                from conversation.recap import recap

                self.emit(recap(self, dim))
            return
        q = a.current
        if q is None:
            return
        if self.round is not None and self.round.question_id != q.id:
            self.round = None
        if self._shown != ("question", q.id):
            self._shown = ("question", q.id)
            dim = a.phase_of(q.id)
            if dim != self._last_dimension:
                self.emit(words.heading(a, dim))
                self._last_dimension = dim
            progress = next((p for p in a.progress() if p.dimension == dim), None)
            turn = words.question(a, q, progress, keys=self.keys)
            turn.extra["estimate"] = self.estimate.text()
            self.emit(turn)
            if self.facilitator_notes and q.facilitator:
                self.emit(facilitator_turn(q.facilitator))

    def reshow(self) -> None:
        """Show the current question again (after going back to it)."""
        self._shown = None

    # -- engine calls -----------------------------------------------------------------
    def attempt(self, fn: Callable[..., T], *args: Any, typed: str | None = None) -> T | None:
        """Run an engine call; a refusal becomes a plain reply, a failed save an error turn."""
        try:
            return fn(*args)
        except NotSaved as exc:  # memory is back to the file: say so, and ask the question again
            error = exc.error
            reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            text = f"Not saved: could not write {self.path}: {reason}. That change was not recorded; asking again."
            self.emit(Turn("error", (para(text),), rich=False, tone="error", extra={"title": "Not saved"}))
            self.reshow()
        except ReadOnly as exc:  # another ceder writes this session: every change is refused, saying so
            self.notice(f"Not changed: {exc}")
        except FlowError as exc:
            message = str(exc)
            q = self.a.current
            if q is not None and message.startswith(f"{q.id}: "):
                message = message[len(q.id) + 2 :]
            if typed:
                self.emit(said(typed))
            self.notice(message)
        except OSError as exc:
            self.emit(
                Turn(
                    "error",
                    (para(f"Could not save to {self.path}: {exc.strerror or exc}"),),
                    rich=False,
                    tone="error",
                    extra={"title": "Not saved"},
                )
            )
        return None

    def say_if_moved(self, before: Path | None) -> None:
        """After a change that may rename the session's file (the project's name): say where it is saved now."""
        if before is not None and self.a.path != before:
            self.notice(f"Named after the project: your assessment is now saved in {self.path}.")

    def succeeds(self, fn: Callable[..., Any], *args: Any) -> bool:
        """Like :meth:`attempt`, for engine calls that return nothing."""

        def call() -> bool:
            fn(*args)
            return True

        return bool(self.attempt(call))

    def record(self, kind: Literal["answer", "dont_know", "skip"], value: AnswerValue | None = None, **kw: Any) -> None:
        """Record the current question's answer (or gap), say so, and go on."""
        a = self.a
        q = a.current
        if q is None:
            self.notice("There is no question to answer right now.")
            return
        by = kw.get("by")
        typed = kw.get("typed")
        tier_before = a.provisional_tier() if a.record_of(q.id) is not None else None
        if kind == "answer":
            result = self.attempt(a.answer, value, by, typed=typed)
        elif kind == "skip":
            result = self.attempt(a.skip, by, typed=typed)
        else:
            result = self.attempt(a.dont_know, by, typed=typed)
        if result is None:
            return
        label = answer_label(q, a.record_of(q.id))
        brings = list(result.change.newly_relevant) if result.change is not None else []
        self.emit(
            Turn(
                "acknowledgement",
                (para(("Group: " if by else "") + label),),
                rich=False,
                tone="group" if by else "",
                question_id=q.id,
                extra={"brings": brings, "label": label},
            )
        )
        self.report_change(result)
        if tier_before is not None and a.provisional_tier() != tier_before:
            from flows.summary import TIER_LABELS

            after = TIER_LABELS[a.provisional_tier()]
            self.emit(
                Turn(
                    "notice",
                    (
                        para(
                            "This changes the impact tier from ",
                            Strong(TIER_LABELS[tier_before]),
                            " to ",
                            Strong(after),
                            ".",
                        ),
                    ),
                    rich=False,
                    tone="warning",
                )
            )
        self.present(open_summary=True)

    def report_change(self, result: StepResult) -> None:
        a = self.a
        for found in result.inconsistencies:
            # The engine found two answers that cannot both be right: ask now, while it is fresh.
            earlier = found.question_ids[0]
            self.emit(
                Turn(
                    "inconsistency",
                    (
                        para(Strong("Check:"), " ", found.message),
                        para("Type ", Strong(f"/revise {earlier}"), " to change the earlier answer, or carry on."),
                    ),
                    tone="warning",
                    extra={"ids": list(found.question_ids), "check": found.id},
                )
            )
        change = result.change
        if change is None:
            return
        if change.set_aside:
            blocks: list[Block] = [
                para(
                    f"Changing this sets aside {words.plural(len(change.set_aside), 'earlier answer')} that no "
                    f"longer {'applies' if len(change.set_aside) == 1 else 'apply'}. "
                    f"{'It stays' if len(change.set_aside) == 1 else 'They stay'} in the file but no longer "
                    f"{'counts' if len(change.set_aside) == 1 else 'count'}:"
                )
            ]
            for qid in change.set_aside:
                q = a.bank.by_id[qid]
                blocks.append(item(words.one_line(q.text), f" ({answer_label(q, a.record_of(qid))})"))
            undo = self.hint("undo")
            key, _, name = undo.rpartition(" or ")
            blocks.append(
                para("Press ", Strong(key), " or type ", Strong(name), " to put your previous answer back.")
                if key
                else para("Type ", Strong(name), " to put your previous answer back.")
            )
            self.emit(Turn("set_aside", tuple(blocks), tone="warning", undo=True, extra={"ids": change.set_aside}))
        if change.restored:
            items = ", ".join(a.bank.by_id[qid].text for qid in change.restored)
            self.emit(
                Turn(
                    "restored",
                    (para(f"These earlier answers apply again and count once more: {items}"),),
                    extra={"ids": change.restored},
                )
            )

    # -- input ---------------------------------------------------------------------------
    def say(self, raw: str) -> Reply:
        """A line the person typed: a /command, an answer, or something to clarify."""
        from conversation.intents import understand

        intent = understand(self, raw)
        intent.act(self)
        return self._take()

    def choose(self, value: AnswerValue) -> Reply:
        """An option picked from the answer area (a question's option, or a menu entry)."""
        prompt = self.prompt
        if prompt.kind == "menu":
            self.pick_menu(str(value))
        elif prompt.kind == "question":
            q = prompt.question
            assert q is not None
            if q.kind == "multi" and value == [] and not self._confirm_empty:
                self._confirm_empty = True
                self.notice(
                    "Nothing is selected. Press Enter again to record that none of these apply, "
                    "or choose with Space or a number first."
                )
            else:
                self.answer(value)
        return self._take()

    def toggled(self) -> None:
        """The person changed a multi-select: an empty confirmation must be asked again."""
        self._confirm_empty = False

    def run(self, name: str, arg: str | None = None) -> Reply:
        """Run a command from the registry (by name or alias); ``arg`` None means none was given."""
        from conversation.commands import run_command

        run_command(self, name, arg)
        return self._take()

    def pick_menu(self, value: str) -> None:
        from conversation.commands import run_command

        if value == "continue":
            if self.attempt(self.a.proceed) is not None:
                self.present(open_summary=True)
        elif value == "revise":
            from conversation.handlers import ask_revise

            ask_revise(self, self.a.review_dimension)
        elif value == "summary":
            run_command(self, "summary", None)
        elif value == "quit":
            run_command(self, "quit", None)

    def answer(self, value: AnswerValue, typed: str | None = None) -> None:
        from conversation.grouping import group_take

        if self.a.current is None:
            return
        if group_take(self, "answer", value, typed):
            return
        self.record("answer", value, typed=typed)

    def gap(self, kind: Literal["skip", "dont_know"]) -> None:
        from conversation.grouping import group_take

        if self.intake is not None:
            from conversation import details

            details.advance(self)
            return
        if group_take(self, kind, None, None):
            return
        self.record(kind)

    def note_target(self) -> Question | None:
        """The question a note or an owner is for: the current one, else the last one asked."""
        a = self.a
        if a.current is not None:
            return a.current
        asked = [qid for qid in a.session.history if a.is_relevant(qid)]
        return a.bank.by_id[asked[-1]] if asked else None
