"""``ceder --plain``: the conversation line by line, without the full-screen interface.

For screen readers, logging and plain SSH: numbered options, one line of input per
answer, and it works with piped input. This module only renders: what is said and
what input means come from :class:`conversation.core.Conversation`, the same
conversation the TUI shows, with the same commands (:mod:`conversation.commands`).
Output is plain text: nothing is interpreted as markup, and text from banks and
session files is stripped of terminal control characters. Never imports Textual.

Line mode differs from the TUI only in how it shows things: a dimension's recap is
printed and the conversation carries on (``/revise`` changes an answer), and reaching
the end prints the summary and exits.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TextIO

from assistant.reports.text import clean, one_line
from assistant.shared import CliError, load_bank_or_fail
from conversation.core import Conversation
from conversation.replies import Ask, Reply
from conversation.turns import Turn
from conversation.words import option_label
from flows.engine import Assessment
from flows.matching import digits_are_ids, whole_number
from question_banks.schema import Bank, Question

INDENTED = frozenset({"notice", "why", "help", "commands", "set_aside", "restored", "undone", "error", "group"})


class Quit(Exception):
    """The user asked to stop (``/quit``) or the input ended."""

    def __init__(self, eof: bool) -> None:
        super().__init__("eof" if eof else "quit")
        self.eof = eof


class PlainAssistant:
    """Renders one conversation as lines of text and reads one line per step."""

    def __init__(
        self,
        assessment: Assessment,
        path: Path,
        inp: TextIO,
        out: TextIO,
        interactive: bool,
        participants: list[str] | None = None,
        resume_hint: Callable[[Path], str] | None = None,
        ask_details: bool | None = None,
    ) -> None:
        """``ask_details`` (default: when interactive) opens a new assessment with the project's details;
        piped input (a script) goes straight to the questions."""
        self.a = assessment
        self.conv = Conversation(assessment, path, keys=False)
        self.inp = inp
        self.out = out
        self.interactive = interactive
        self.participants = participants or []
        self.resume_hint = resume_hint
        """How to resume the session at a path (the file may take the project's name on the way)."""
        self.ask_details = interactive if ask_details is None else ask_details

    @property
    def path(self) -> Path:
        path = self.conv.path
        assert path is not None
        return path

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
        self.say(f"{prompt}{one_line(line)}")  # echo, so a piped transcript reads as a conversation
        return line

    # -- the conversation -----------------------------------------------------------
    def run(self) -> int:
        a = self.a
        bank = a.bank
        self.say(f"ceder: {one_line(bank.title)} ({bank.id} {bank.version})")
        resumed = bool(a.session.history)
        if not resumed or a.finished:
            a.start()
        try:
            opening = self.conv.open(
                resumed=resumed, participants=self.participants, ask_details=self.ask_details and not resumed
            )
            self.render(opening)
            while True:
                prompt = self.conv.prompt
                if prompt.menu_kind == "review":  # line mode carries on past a recap
                    self.render(self.conv.choose("continue"))
                    if self.ended():
                        return 0
                    continue
                was_finished = a.finished
                reply = self.conv.say(self.read(self.prompt_text()))
                self.render(reply)
                if a.finished and not was_finished and self.ended():
                    return 0
        except Quit as stop:
            self.say(
                ("End of input. " if stop.eof else "")
                + f"Your answers are saved in {self.path}."
                + (f" Resume with: {self.resume_hint(self.path)}" if self.resume_hint else "")
            )
            return 0

    def ended(self) -> bool:
        if not self.a.finished:
            return False
        self.say(f"Saved to {self.path}. Other formats: ceder report {self.path} --format html -o summary.html")
        return True

    def prompt_text(self) -> str:
        p = self.conv.prompt
        if p.settling:
            return "group> "
        return f"{p.who}> " if p.who else "> "

    def render(self, reply: Reply) -> None:
        for turn in reply.turns:
            self.turn(turn)
        if reply.ask is not None:
            answer = self.ask(reply.ask)
            if answer is not None:
                self.render(self.conv.run(reply.ask.command, answer))
                return
        if reply.quit:
            raise Quit(eof=False)

    def turn(self, t: Turn) -> None:
        if t.kind == "user" and not t.tone:
            return  # what was typed is already on the line above
        if t.kind == "question":
            self.question(t)
            return
        if t.kind == "acknowledgement":
            label = one_line(str(t.extra.get("label", t.text())))
            self.say(f"  Recorded: {label}." + (" (The group's answer, with everyone's kept.)" if t.tone else ""))
            brings = t.extra.get("brings") or []
            if isinstance(brings, list) and brings:
                n = len(brings)
                self.say(f"  That brings {n} follow-up question{'s' if n != 1 else ''}: {', '.join(brings)}.")
            return
        if t.kind == "summary":
            self.summary(t.final)
            return
        if t.kind == "heading":
            self.say()
        text = clean(t.text()).strip()
        indent = "  " if t.kind in INDENTED or t.kind == "user" else ""
        for line in text.splitlines():
            self.say(f"{indent}{line}" if line else "")

    def question(self, t: Turn) -> None:
        a = self.a
        if t.question_id is None:  # a project detail
            for line in clean(t.text()).strip().splitlines():
                self.say(line)
            return
        q = a.bank.by_id[t.question_id]
        phase = a.phase_of(q.id)
        asked = [qid for qid in a.session.history if a.is_relevant(qid) and a.phase_of(qid) == phase]
        answered = sum(1 for qid in asked if qid in a.answers)
        where = t.extra.get("estimate")
        self.say()
        self.say(
            f"[{f'{where} · ' if where else ''}{one_line(a.bank.title_of(phase))}: {answered} answered, "
            f"{len(a.tracker.pending_in(phase))} to go]"
        )
        lines = clean(t.text()).strip().splitlines() or [""]
        self.say(f"{q.id}. {lines[0]}")
        for line in lines[1:]:
            self.say(f"    {line}" if line else "")
        why = a.why(q.id) if q.is_follow_up else []
        if why:
            reasons = "; ".join(f"{w.question_id} was answered “{one_line(w.answer)}”" for w in why)
            self.say(f"    (Follow-up: asked because {reasons}.)")
        if q.kind in ("single", "scale", "multi"):
            ids = digits_are_ids(q)
            for i, o in enumerate(q.options, 1):
                self.say(f"  {o.id if ids else i}. {one_line(option_label(q, o))}")
        self.say(f"  {self.hint(q)}")
        note = t.extra.get("note")
        if isinstance(note, str):
            self.say(f"  Your note: {one_line(note)}")

    @staticmethod
    def hint(q: Question) -> str:
        if q.kind == "multi":
            return "Choose one or more: numbers or names, separated by commas (e.g. 1, 3)."
        if q.kind in ("single", "scale"):
            first = q.options[0].id if digits_are_ids(q) else "1"
            return f"Type a number (e.g. {first}) or part of an answer."
        if q.kind == "number":
            return "Type a number."
        return "Type your answer on one line."

    def summary(self, final: bool) -> None:
        from assistant.reports import render

        if not final:
            self.say("  The readiness summary so far (provisional: not every question is answered yet).")
        self.say()
        self.say(render(self.a.summary(final=final), "md").rstrip("\n"))

    def ask(self, request: Ask) -> str | None:
        """Ask for a command's argument on the next line(s); an empty line leaves things as they are."""
        self.say(f"  {request.title}")
        if request.body:
            self.say(f"  {one_line(request.body)}")
        if request.kind == "text":
            if request.value:
                self.say(f"  Now: {one_line(request.value)}")
            self.say("  Type it and press Enter (Enter alone leaves it as it is).")
        elif request.kind == "tally":
            for i, c in enumerate(request.choices, 1):
                self.say(f"  {i}. {one_line(c.label)}")
            self.say(f"  Type how many chose each, e.g. {request.placeholder} (Enter alone cancels).")
        else:
            for i, c in enumerate(request.choices, 1):
                self.say(f"  {i}. {one_line(c.label)}")
            self.say("  Type a number (Enter alone cancels).")
        line = self.read(f"{request.command}> ").strip()
        if not line:
            self.say("  Left as it was.")
            return None
        if request.kind != "choice":
            return line
        if (n := whole_number(line)) is not None and 1 <= n <= len(request.choices):
            return request.choices[n - 1].value
        wanted = line.lower()
        hits = [c for c in request.choices if c.value.lower() == wanted or c.label.lower().startswith(wanted)]
        if len(hits) == 1:
            return hits[0].value
        self.say("  That is not one of the choices; left as it was.")
        return None


# -- opening the session -------------------------------------------------------------
def open_plain_assessment(bank: Bank, args: argparse.Namespace) -> tuple[Assessment, Path, str]:
    """The assessment to continue: ``--session PATH`` (created if absent), else the latest unfinished, else new."""
    from assistant.paths import sessions_dir
    from assistant.session_files import latest_unfinished, new_session_path

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
    assessment = _open_locked(bank, path)
    if assessment.session.bank.id != bank.id:
        assessment.close()
        if args.session:
            raise CliError(
                f"{path}: made with bank {assessment.session.bank.id!r}, not {bank.id!r}; "
                "open it with --bank pointing at that bank"
            )
        note = f"(The latest unfinished assessment, {path}, uses another bank; starting a new one.)"
        path = new_session_path(sessions_dir())
        assessment = _open_locked(bank, path)
    if not args.session:  # ceder's own folder: the file takes the project's name once given
        assessment.name_file_after_project()
        path = assessment.path or path
    return assessment, path, note


def _open_locked(bank: Bank, path: Path) -> Assessment:
    """The session at ``path`` (new if absent), held by this process alone, or one line saying why not."""
    from flows import SessionFileError, SessionLocked

    try:
        return Assessment.open_file(bank, path)
    except SessionFileError as exc:
        raise CliError(str(exc)) from None
    except SessionLocked as exc:
        raise CliError(f"{exc}; close it there first") from None
    except OSError as exc:
        raise CliError(f"{path}: cannot write: {exc.strerror or exc}") from None


def resume_command(args: argparse.Namespace, path: Path) -> str:
    import shlex

    parts = ["ceder"]
    if args.bank:
        parts += ["--bank", str(args.bank)]
    if getattr(args, "group", None):
        parts += ["--group", args.group]
    parts += ["--plain", "--session", str(path)]
    return shlex.join(parts)


def run_plain(
    args: argparse.Namespace,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    ask_details: bool | None = None,
) -> int:
    """Run the line-by-line assistant; 0 when it ends (finished, /quit or end of input)."""
    from conversation.group import group_problem, parse_names

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
        participants = parse_names(args.group)
        problem = group_problem(participants)
        if problem:
            raise CliError(f"--group: {problem}")
    assessment, path, note = open_plain_assessment(bank, args)
    if note:
        out.write(note + "\n")
    try:
        interactive = stdin is None and inp.isatty()
        if interactive:
            try:
                import readline  # noqa: F401  (line editing and history for input())
            except ImportError:  # pragma: no cover - platforms without readline
                pass
        assistant = PlainAssistant(
            assessment,
            path,
            inp,
            out,
            interactive,
            participants,
            resume_hint=partial(resume_command, args),
            ask_details=ask_details,
        )
        return assistant.run()
    except BrokenPipeError:
        raise  # the reader went away (e.g. piped into head): the CLI handles it quietly
    except OSError as exc:
        raise CliError(f"{assessment.path or path}: cannot write: {exc.strerror or exc}") from None
    except KeyboardInterrupt:
        out.write(f"\nInterrupted. Your answers are saved in {assessment.path or path}.\n")
        return 130
    finally:
        assessment.close()  # the session's lock goes with the run, not only with the process
