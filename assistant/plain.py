"""``ceder --plain``: the assistant line by line, without the full-screen interface.

For screen readers, logging and plain SSH: numbered options, the same commands as
the TUI, one line of input per answer, and it works with piped input. Everything
goes through the engine (:class:`flows.engine.Assessment`, which saves the session
atomically inside every call) and :func:`flows.matching.interpret` for typed
answers. Output is written as plain text: nothing is interpreted as markup, and
text from banks and session files is stripped of terminal control characters.
This module must never import Textual.

With ``--group "analyst,DPO"`` each participant answers in turn; when they differ,
the group then types the answer it settles on, and everyone's answers are kept
with it (:attr:`flows.session.AnswerRecord.by`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from flows.engine import Assessment, FlowError, StepResult
from flows.group import unanimous
from flows.matching import digits_are_ids, interpret
from flows.session import AnswerRecord
from flows.summary import TIER_LABELS
from flows.verdict import answer_label
from question_banks.conditions import DONT_KNOW, SKIP, AnswerValue, describe
from question_banks.schema import Bank, Question

COMMANDS: list[tuple[str, str]] = [
    ("/back", "go back to the previous question, to change its answer"),
    ("/skip", "skip this question for now (it becomes an evidence gap)"),
    ("/dontknow", 'answer "don\'t know" (an evidence gap to close later)'),
    ("/why", "why this question is asked (which earlier answers brought it)"),
    ("/help", "guidance and references for this question, and these commands"),
    ("/note TEXT", "attach a note to this question (/note alone shows it)"),
    ("/jump DIM", "go to a part: profile, complexity, ethics, data, efficacy, readiness"),
    ("/summary", "show the readiness summary so far"),
    ("/undo", "put back the answer as it was before your last change"),
    ("/finish", "end now and show the summary (open questions become gaps)"),
    ("/quit", "stop here; everything is saved, resume later"),
]
ALIASES = {
    "dontknow": "dontknow",
    "dont_know": "dontknow",
    "dk": "dontknow",
    "idk": "dontknow",
    "?": "help",
    "h": "help",
    "exit": "quit",
    "q": "quit",
    "notes": "note",
    "end": "finish",
}
NAMES = {c.split()[0][1:] for c, _ in COMMANDS}
Reply = tuple[str, AnswerValue | None]
"""A person's reply to a question: ("value", v), ("dont_know", None) or ("skip", None)."""


def _clean(text: str) -> str:
    from assistant.reports.text import clean

    return clean(text)


def _one_line(text: str) -> str:
    from assistant.reports.text import one_line

    return one_line(text)


class Quit(Exception):
    """The user asked to stop (``/quit``) or the input ended."""

    def __init__(self, eof: bool) -> None:
        super().__init__("eof" if eof else "quit")
        self.eof = eof


class PlainAssistant:
    """One line-by-line conversation over one assessment."""

    def __init__(
        self,
        assessment: Assessment,
        path: Path,
        inp: TextIO,
        out: TextIO,
        interactive: bool,
        participants: list[str] | None = None,
        resume_hint: str = "",
    ) -> None:
        self.a = assessment
        self.path = path
        self.inp = inp
        self.out = out
        self.interactive = interactive
        self.participants = participants or []
        self.resume_hint = resume_hint
        self.shown: str | None = None

    # -- input and output ---------------------------------------------------------
    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def read(self, prompt: str = "> ") -> str:
        """One line of input; raises :class:`Quit` at the end of input."""
        if self.interactive:
            try:
                return input(prompt)
            except EOFError:
                self.say()
                raise Quit(eof=True) from None
        line = self.inp.readline()
        if not line:
            raise Quit(eof=True)
        line = line.rstrip("\r\n")
        self.say(f"{prompt}{_one_line(line)}")  # echo, so a piped transcript reads as a conversation
        return line

    # -- the conversation -----------------------------------------------------------
    def run(self) -> int:
        a = self.a
        self.intro()
        opened_finished = a.finished
        if opened_finished:
            self.say("This assessment is finished. Its summary follows; to change an answer, type /back or /jump DIM.")
            self.print_summary(final=True)
        else:
            a.start()
        try:
            while True:
                if a.in_review:
                    self.review_recap()
                    a.proceed()
                    continue
                if a.finished and not opened_finished:
                    self.say()
                    self.say("That was the last question. Here is the readiness summary.")
                    self.print_summary(final=True)
                    self.say(
                        f"Saved to {self.path}. Other formats: ceder report {self.path} --format html -o summary.html"
                    )
                    return 0
                q = a.current
                if q is not None and q.id != self.shown:
                    self.show(q)
                if a.finished:
                    self.step(self.read(), None)
                elif q is not None:
                    self.ask(q)
                else:  # a phase with no question on show (should not happen): let the engine place one
                    a.settle()
                if not a.finished:
                    opened_finished = False
        except Quit as stop:
            self.say(
                ("End of input. " if stop.eof else "")
                + f"Your answers are saved in {self.path}. Resume with: {self.resume_hint}"
            )
            return 0

    def intro(self) -> None:
        bank = self.a.bank
        self.say(f"ceder: {_one_line(bank.title)} ({bank.id} {bank.version})")
        self.say(_one_line(bank.manifest.provenance))
        started = bool(self.a.session.history)
        self.say(f"{'Resuming' if started else 'New assessment'}, saved after every answer to {self.path}")
        if self.participants:
            self.say(f"Group mode: {', '.join(self.participants)} answer each question in turn.")
        self.say("Type a number or an answer and press Enter. /help lists the commands.")

    def show(self, q: Question) -> None:
        a = self.a
        self.shown = q.id
        phase = a.phase_of(q.id)
        asked = [qid for qid in a.session.history if a.is_relevant(qid) and a.phase_of(qid) == phase]
        answered = sum(1 for qid in asked if qid in a.answers)
        remaining = len(a.tracker.pending_in(phase))
        self.say()
        self.say(f"[{_one_line(a.bank.title_of(phase))}: {answered} answered, {remaining} to go]")
        text = _clean(a.text_of(q)).strip().splitlines() or [""]
        self.say(f"{q.id}. {text[0]}")
        for line in text[1:]:
            self.say(f"    {line}")
        why = a.why(q.id)
        if why:
            reasons = "; ".join(f"{w.question_id} was answered “{_one_line(w.answer)}”" for w in why)
            self.say(f"    (Follow-up: asked because {reasons}.)")
        if q.kind in ("single", "scale", "multi"):
            ids = digits_are_ids(q)
            for i, o in enumerate(q.options, 1):
                self.say(f"  {o.id if ids else i}. {_one_line(o.label)}")
        self.say(f"  {self.hint(q)}")
        record = a.record_of(q.id)
        if record is not None:
            self.say(f"  Current answer: {_one_line(answer_label(q, record))}. Press Enter to keep it.")
        implied = a.suggestion(q)
        if implied and not self.participants:
            labels = "; ".join(_one_line(q.option_index[o].label) for o in implied)
            self.say(f"  Your earlier answers imply: {labels}. Press Enter to confirm them, or type your own.")
        note = a.session.notes.get(q.id)
        if note:
            self.say(f"  Your note: {_one_line(note)}")

    @staticmethod
    def hint(q: Question) -> str:
        if q.kind == "multi":
            return "Choose one or more: numbers or names, separated by commas (e.g. 1, 3)."
        if q.kind in ("single", "scale"):
            first = q.options[0].id if digits_are_ids(q) else "1"
            return f"Type a number (e.g. {first}) or part of an answer."
        if q.kind == "number":
            unit = f" ({q.unit})" if q.unit else ""
            bounds = ""
            if q.min is not None and q.max is not None:
                bounds = f", from {q.min:g} to {q.max:g}"
            elif q.min is not None:
                bounds = f", at least {q.min:g}"
            elif q.max is not None:
                bounds = f", at most {q.max:g}"
            return f"Type a number{unit}{bounds}."
        return "Type your answer on one line."

    def ask(self, q: Question) -> None:
        """Read and act on input for the current question (one participant round in group mode)."""
        if not self.participants:
            self.step(self.read(), q)
            return
        replies: dict[str, Reply] = {}
        for who in self.participants:
            while who not in replies:
                line = self.read(f"{who}> ")
                if line.strip().startswith("/") and not line.strip().startswith("//"):
                    self.command(line.strip())
                    return
                if not line.strip() and self.a.record_of(q.id) is not None:
                    self.keep(q)
                    return
                reply = self.interpret(q, line)
                if reply is not None:
                    replies[who] = reply
        by = {
            who: (v if kind == "value" and v is not None else DONT_KNOW if kind == "dont_know" else SKIP)
            for who, (kind, v) in replies.items()
        }
        agreed = unanimous(by)
        if agreed is not None:
            self.submit(q, _reply_of(agreed), by)
            return
        self.say("  The answers differ:")
        for who, value in by.items():
            self.say(f"    {who}: {_one_line(answer_label(q, _record_of(value)))}")
        self.say("  What does the group settle on?")
        while True:
            line = self.read("group> ")
            if line.strip().startswith("/") and not line.strip().startswith("//"):
                name = ALIASES.get(line.strip()[1:].lower(), line.strip()[1:].lower())
                if name in ("skip", "dontknow"):  # the group settles on a gap: keep what each said
                    self.submit(q, ("skip" if name == "skip" else "dont_know", None), by)
                else:
                    self.command(line.strip())
                return
            reply = self.interpret(q, line)
            if reply is not None:
                self.submit(q, reply, by)
                return

    def step(self, line: str, q: Question | None) -> None:
        """One line of input from a single user."""
        text = line.strip()
        if text.startswith("/") and not text.startswith("//"):
            self.command(text)
            return
        if q is None:
            self.say("There is no question right now: type /back or /jump DIM to change an answer, or /quit.")
            return
        if not text and self.a.record_of(q.id) is not None:
            self.keep(q)
            return
        implied = self.a.suggestion(q) if not text else None
        if implied:
            self.submit(q, ("value", implied))
            return
        reply = self.interpret(q, line)
        if reply is not None:
            self.submit(q, reply)

    def interpret(self, q: Question, line: str) -> Reply | None:
        """A typed answer as a reply, or ``None`` after saying what was unclear."""
        text = line.strip()
        if text.startswith("//"):
            text = text[1:]
        result = interpret(q, text)
        if result.kind == "unclear":
            self.say(f"  {result.message}")
            return None
        if result.kind == "value":
            return ("value", result.value)
        return (result.kind, None)

    def submit(self, q: Question, reply: Reply, by: dict[str, AnswerValue] | None = None) -> None:
        kind, value = reply
        try:
            if kind == "dont_know":
                result = self.a.dont_know(by=by)
            elif kind == "skip":
                result = self.a.skip(by=by)
            else:
                assert value is not None
                result = self.a.answer(value, by=by)
        except FlowError as exc:
            self.say(f"  {exc}")
            return
        self.acknowledge(q, result)

    def keep(self, q: Question) -> None:
        """Enter on a question already answered: keep that answer and move on."""
        record = self.a.record_of(q.id)
        assert record is not None
        reply: Reply = (
            ("value", record.value)
            if record.status == "answered"
            else (("dont_know", None) if record.status == "dont_know" else ("skip", None))
        )
        self.submit(q, reply, dict(record.by) or None)

    def acknowledge(self, q: Question, result: StepResult) -> None:
        record = self.a.record_of(q.id)
        label = answer_label(q, record)
        self.say(f"  Recorded: {_one_line(label)}.")
        change = result.change
        if change is None:
            return
        if change.newly_relevant:
            n = len(change.newly_relevant)
            self.say(
                f"  That brings {n} follow-up question{'s' if n != 1 else ''}: {', '.join(change.newly_relevant)}."
            )
        if change.set_aside:
            self.say(f"  No longer applies (set aside, kept): {', '.join(change.set_aside)}.")
        if change.restored:
            self.say(f"  Applies again: {', '.join(change.restored)}.")

    def review_recap(self) -> None:
        a = self.a
        dim = a.review_dimension
        progress = next((p for p in a.progress() if p.dimension == dim), None)
        if progress is None:
            return
        rating = f" Rating so far: {progress.rating}" if progress.rating else ""
        if progress.score_0_5 is not None:
            rating += f" ({progress.score_0_5}/5)"
        elif dim == "complexity" and progress.rating:
            rating += f" (impact tier {TIER_LABELS[a.provisional_tier()]})"
        gaps = progress.asked - progress.answered
        gap_words = f", {gaps} gap{'s' if gaps != 1 else ''}" if gaps else ""
        status = "done" if progress.remaining == 0 else f"{progress.remaining} still open"
        self.say()
        self.say(
            f"== {_one_line(progress.title)}: {status}; {progress.answered} answered{gap_words}.{rating}"
            f"{'.' if rating else ''} (/back to change an answer)"
        )

    def print_summary(self, final: bool) -> None:
        from assistant.reports import render

        self.say()
        self.say(render(self.a.summary(final=final), "md").rstrip("\n"))

    # -- commands -------------------------------------------------------------------
    def command(self, text: str) -> None:
        word, _, rest = text[1:].partition(" ")
        name = ALIASES.get(word.lower(), word.lower())
        rest = rest.strip()
        handlers: dict[str, Callable[[str], None]] = {
            "back": lambda _: self.move(self.a.back),
            "skip": lambda _: self.gap("skip"),
            "dontknow": lambda _: self.gap("dont_know"),
            "why": lambda _: self.why(),
            "help": lambda _: self.help(),
            "note": self.note,
            "jump": self.jump,
            "summary": lambda _: self.summary(),
            "undo": lambda _: self.undo(),
            "finish": lambda _: self.move(self.a.finish),
            "quit": lambda _: self.quit(),
        }
        handler = handlers.get(name)
        if handler is None:
            self.say(f"  Unknown command /{_one_line(word)}. Commands: {' '.join(c.split()[0] for c, _ in COMMANDS)}")
            self.say("  (To type an answer that starts with /, begin it with //.)")
            return
        handler(rest)

    def quit(self) -> None:
        raise Quit(eof=False)

    def move(self, action: Callable[[], StepResult]) -> None:
        try:
            action()
        except FlowError as exc:
            self.say(f"  {exc}")
            return
        self.shown = None

    def gap(self, kind: str) -> None:
        q = self.a.current
        if q is None:
            self.say("  There is no question to answer right now.")
            return
        self.submit(q, (kind, None))

    def why(self) -> None:
        q = self.a.current
        if q is None:
            self.say("  There is no question right now.")
            return
        reasons = self.a.why(q.id)
        if q.ask_if is None or not reasons:
            title = _one_line(self.a.bank.title_of(self.a.phase_of(q.id)))
            self.say(f"  Everyone is asked this: it is a core question of {title}.")
            return
        self.say(f"  {q.id} is a follow-up, asked when {describe(q.ask_if)}. Here:")
        for w in reasons:
            self.say(f"    {w.question_id} ({_one_line(w.text)}) was answered “{_one_line(w.answer)}”.")

    def help(self) -> None:
        q = self.a.current
        if q is not None:
            said = self.a.wording_of(q)
            self.say(f"  About {q.id}:")
            for line in _clean(said.help).strip().splitlines():
                self.say(f"    {line.strip()}")
            if said.references:
                self.say("  References: " + "; ".join(_one_line(r) for r in said.references))
        self.say("  Commands:")
        width = max(len(c) for c, _ in COMMANDS)
        for c, what in COMMANDS:
            self.say(f"    {c:<{width}}  {what}")

    def note(self, text: str) -> None:
        q = self.a.current
        if q is None:
            self.say("  There is no question to attach a note to right now.")
            return
        if not text:
            current = self.a.session.notes.get(q.id)
            self.say(
                f"  Note on {q.id}: {_one_line(current)}" if current else f"  No note on {q.id}. Usage: /note TEXT"
            )
            return
        self.a.note(q.id, text)
        self.say(f"  Note saved on {q.id}.")

    def jump(self, target: str) -> None:
        phases = self.a.bank.phases()
        if not target:
            self.say(f"  Usage: /jump DIM, where DIM is one of: {', '.join(phases)}")
            return
        t = target.lower()
        matches = [p for p in phases if p == t] or [
            p for p in phases if p.startswith(t) or self.a.bank.title_of(p).lower().startswith(t)
        ]
        if len(matches) != 1:
            self.say(f"  No single part matches {_one_line(target)!r}; choose one of: {', '.join(phases)}")
            return
        self.move(lambda: self.a.jump(matches[0]))

    def summary(self) -> None:
        final = self.a.finished
        self.say(
            "  The readiness summary "
            + ("follows." if final else "so far (provisional: not every question is answered yet).")
        )
        self.print_summary(final=final)
        self.shown = None

    def undo(self) -> None:
        try:
            result = self.a.undo()
        except FlowError as exc:
            self.say(f"  {exc}")
            return
        qid = result.question_id
        if qid is not None:
            q = self.a.bank.by_id[qid]
            self.say(f"  Undone: {qid} is back to {_one_line(answer_label(q, self.a.record_of(qid)))}.")
        self.shown = None


def _record_of(value: AnswerValue) -> AnswerRecord:
    from flows.group import record_for

    return record_for(value)


def _reply_of(value: AnswerValue) -> Reply:
    if value == DONT_KNOW:
        return ("dont_know", None)
    if value == SKIP:
        return ("skip", None)
    return ("value", value)


# -- opening the session -------------------------------------------------------------
def open_plain_assessment(bank: Bank, args: argparse.Namespace) -> tuple[Assessment, Path, str]:
    """The assessment to continue: ``--session PATH`` (created if absent), else the latest unfinished, else new."""
    from assistant.cli import CliError
    from assistant.launch import latest_unfinished, new_session_path
    from assistant.paths import sessions_dir
    from flows import SessionFileError, load_session

    note = ""
    if args.session:
        path = Path(args.session).expanduser()
        if path.is_dir():
            raise CliError(f"{path}: is a folder, not a session file")
        if not path.parent.is_dir():
            raise CliError(f"{path}: the folder {path.parent} does not exist")
    else:
        folder = sessions_dir()
        candidate = latest_unfinished(folder)
        path = candidate or new_session_path(folder)
    if path.exists():
        try:
            session = load_session(path)
        except SessionFileError as exc:
            raise CliError(str(exc)) from None
        if session.bank.id != bank.id:
            if args.session:
                raise CliError(
                    f"{path}: made with bank {session.bank.id!r}, not {bank.id!r}; open it with --bank pointing at that bank"
                )
            note = f"(The latest unfinished assessment, {path}, uses another bank; starting a new one.)"
            path = new_session_path(sessions_dir())
            return Assessment(bank, path=path), path, note
        return Assessment(bank, session, path=path), path, note
    return Assessment(bank, path=path), path, note


def resume_command(args: argparse.Namespace, path: Path) -> str:
    import shlex

    parts = ["ceder"]
    if args.bank:
        parts += ["--bank", str(args.bank)]
    if getattr(args, "group", None):
        parts += ["--group", args.group]
    parts += ["--plain", "--session", str(path)]
    return shlex.join(parts)


def run_plain(args: argparse.Namespace, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    """Run the line-by-line assistant; 0 when it ends (finished, /quit or end of input)."""
    from assistant.cli import CliError, load_bank_or_fail

    inp = stdin or sys.stdin
    out = stdout or sys.stdout
    for stream in (inp, out):
        if hasattr(stream, "reconfigure"):  # undecodable input and unprintable output never crash
            try:
                stream.reconfigure(errors="replace")
            except (ValueError, OSError):  # pragma: no cover - exotic streams
                pass
    bank = load_bank_or_fail(args.bank)
    participants: list[str] = []
    if getattr(args, "group", None):
        participants = list(dict.fromkeys(n for n in (" ".join(p.split()) for p in args.group.split(",")) if n))
        if len(participants) < 2:
            raise CliError('--group needs at least two names, separated by commas (e.g. "analyst,DPO")')
    assessment, path, note = open_plain_assessment(bank, args)
    if note:
        out.write(note + "\n")
    resumed_note = assessment.resume_note()
    if resumed_note:
        out.write(resumed_note + "\n")
    try:
        if participants and participants != assessment.session.participants:
            assessment.set_participants(participants)
        interactive = stdin is None and inp.isatty()
        if interactive:
            try:
                import readline  # noqa: F401  (line editing and history for input())
            except ImportError:  # pragma: no cover - platforms without readline
                pass
        assistant = PlainAssistant(
            assessment, path, inp, out, interactive, participants, resume_hint=resume_command(args, path)
        )
        return assistant.run()
    except BrokenPipeError:
        raise  # the reader went away (e.g. piped into head): the CLI handles it quietly
    except OSError as exc:
        raise CliError(f"{path}: cannot write: {exc.strerror or exc}") from None
    except KeyboardInterrupt:
        out.write(f"\nInterrupted. Your answers are saved in {path}.\n")
        return 130
