"""The ``ceder`` command line.

Headless commands (questions, validate, run, report, scenarios, ...) never import
Textual, so they start fast; the TUI is imported only when it is opened.
Exit codes: 0 success, 1 invalid input or failed validation, 2 usage error.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from assistant.shared import (
    HONESTY,
    CliError,
    load_bank_or_fail,
    open_assessment,
    render_or_fail,
    scenarios_dir,
    write_output,
)
from flows.wording import plural


def version() -> str:
    from importlib import metadata  # about 20 ms: only when the version is asked for

    try:
        return metadata.version("ceder-assistant")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0+unknown"


class _VersionAction(argparse.Action):
    """``--version``, looking the version up only when it is asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, **kwargs: Any) -> None:
        super().__init__(option_strings, dest=dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> NoReturn:
        sys.stdout.write(f"ceder {version()}\n")
        parser.exit()


# -- commands ----------------------------------------------------------------
def cmd_questions(args: argparse.Namespace) -> int:
    bank = load_bank_or_fail(args.bank)
    if args.format == "json":
        items = []
        for q in bank.questions:
            items.append(
                {
                    "id": q.id,
                    "dimension": bank.dimension_of[q.id],
                    "text": q.text,
                    "kind": q.kind,
                    "options": [{"id": o.id, "label": o.label, "score": o.score} for o in q.options],
                    "ask_if": q.ask_if.model_dump(mode="json") if q.ask_if else None,
                    "help": q.help,
                    "references": q.references,
                    "action": q.action,
                    "rules": [r.model_dump(mode="json") for r in q.rules],
                    "variants": [v.model_dump(mode="json", exclude_none=True) for v in q.variants],
                    "prefill": [pf.model_dump(mode="json") for pf in q.prefill],
                }
            )
        from flows.persistence import json_dumps

        sys.stdout.write(json_dumps(items) + "\n")
        return 0
    from assistant.reports.text import one_line as lit  # bank text is data: never a control sequence
    from question_banks.conditions import describe

    lines = [
        lit(f"{bank.title} ({bank.id} {bank.version})"),
        HONESTY if bank.id == "ceder-public" else lit(bank.manifest.provenance),
        "",
    ]
    current = None
    for q in bank.questions:
        dim = bank.dimension_of[q.id]
        if dim != current:
            current = dim
            lines.append(f"== {lit(bank.title_of(dim))} ({dim})")
        cond = f"  [if {lit(describe(q.ask_if))}]" if q.ask_if else ""
        lines.append(f"{q.id:<8} {q.kind:<6} {lit(q.text)}{cond}")
        for i, o in enumerate(q.options, 1):
            score = "" if o.score is None else f" ({o.score:g})"
            lines.append(f"{'':9}{i}. {lit(o.label)}{score}")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from question_banks import lint, maxima, shipped_bank_dir

    directory = Path(args.dir or args.bank or shipped_bank_dir())
    result = lint(directory)
    if result.problems:
        for p in result.problems:
            print(p)
        print(f"{plural(len(result.problems), 'problem')} in {directory}", file=sys.stderr)
        return 1
    assert result.bank is not None
    bank = result.bank
    follow = sum(1 for q in bank.questions if q.ask_if is not None)
    print(f"{directory}: OK ({bank.id} {bank.version}: {len(bank.questions)} questions, {follow} follow-ups)")
    print("Maximum achievable score per dimension (core questions / every question):")
    for dim, (core, every) in maxima(bank).items():
        print(f"  {dim:<11} {core:g} / {every:g}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from flows.answers_file import AnswersFileError, read_answers, run_answers

    bank = load_bank_or_fail(args.bank)
    try:
        answers = read_answers(Path(args.answers))
        result = run_answers(bank, answers)
    except AnswersFileError as exc:
        raise CliError(str(exc)) from None
    if result.ignored:
        print(
            f"note: {plural(len(result.ignored), 'answer')} ignored, never asked given the other answers: "
            f"{', '.join(result.ignored)}",
            file=sys.stderr,
        )
    summary = result.assessment.summary(final=True)
    text = render_or_fail(summary, args.format, bank)
    if args.save:
        from flows import SessionLocked
        from flows.persistence import SessionTooLarge, save_new_session

        try:
            save_new_session(Path(args.save), result.assessment.session, overwrite=args.force)
        except SessionLocked as exc:
            raise CliError(f"{exc}; close it there first") from None
        except (OSError, SessionTooLarge) as exc:
            raise CliError(f"{args.save}: {getattr(exc, 'strerror', None) or exc}") from None
    write_output(text, args.output, args.force)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    assessment = open_assessment(Path(args.session), args.bank)
    summary = assessment.summary(final=True)
    if summary.bank is not None and summary.bank.made_with:
        print(
            f"note: {args.session} was begun with bank {summary.bank.made_with}; "
            f"this report uses {summary.bank.id} {summary.bank.version}",
            file=sys.stderr,
        )
    if summary.orphans:
        print(
            f"note: {plural(len(summary.orphans), 'answer')} kept in {args.session} but out of scoring, "
            f"so the verdict is provisional: {'; '.join(o.reason for o in summary.orphans)}",
            file=sys.stderr,
        )
    write_output(render_or_fail(summary, args.format, assessment.bank), args.output, args.force)
    return 0


def cmd_scenarios(args: argparse.Namespace) -> int:
    from flows.answers_file import AnswersFileError, read_answers

    folder = Path(args.bank) / "scenarios" if args.bank else scenarios_dir()
    items = []
    for path in sorted(folder.glob("*.y*ml")) if folder.is_dir() else []:
        try:
            meta = read_answers(path).meta
        except AnswersFileError as exc:
            raise CliError(str(exc)) from None
        items.append(
            {
                "id": str(meta.get("id", path.stem)),
                "title": str(meta.get("title", path.stem)),
                "path": str(path),
                "expected_verdict": meta.get("expected_verdict"),
            }
        )
    if args.format == "json":
        from flows.persistence import json_dumps

        print(json_dumps(items))
    elif not items:
        print(f"No scenarios in {folder}")
    else:
        from assistant.reports.text import one_line as lit  # scenario text is data: never a control sequence

        width = max(len(lit(str(i["id"]))) for i in items)
        for i in items:
            print(f"{lit(str(i['id'])):<{width}}  {lit(str(i['expected_verdict'] or '-')):<22} {lit(str(i['title']))}")
            print(f"{'':<{width}}  {lit(str(i['path']))}")
    return 0


def cmd_tui(args: argparse.Namespace) -> int:
    from assistant.launch import launch_tui

    return int(launch_tui(args))


# -- parser ------------------------------------------------------------------
class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


REPORT_FORMATS = ("md", "json", "html", "csv", "actions-csv", "atrs", "atrs-json", "dpia", "dpia-json")
"""Kept here, not imported from assistant.reports, so ``--help`` stays fast."""
FORMAT_HELP = (
    "md, json, html, csv: the readiness summary; actions-csv: the action plan, one row per action; "
    "atrs, atrs-json: a draft ATRS record (Markdown, JSON); "
    "dpia, dpia-json: a draft DPIA for the project's regime (Markdown, JSON)"
)

EXTRA_COMMANDS: dict[str, str] = {
    "diff": "assistant.commands.diff",
    "compare": "assistant.commands.compare",
    "graph": "assistant.commands.graph",
    "serve": "assistant.commands.serve",
    "walkthrough": "assistant.commands.walkthrough",
}
"""Subcommands added by other modules, by name: each module has ``register(subparsers, common)`` and imports lazily."""
COMMANDS = ("questions", "validate", "run", "report", "scenarios", *EXTRA_COMMANDS)
"""Every subcommand, in the order ``ceder --help`` lists them."""
_TAKES_VALUE = ("--bank", "--session", "--group")
"""The top-level options that take a value (argparse also accepts any unambiguous prefix of them)."""


def _register(sub: Any, common: argparse.ArgumentParser, name: str) -> None:
    """Add the subcommand ``name`` to ``sub``."""
    if name in EXTRA_COMMANDS:
        importlib.import_module(EXTRA_COMMANDS[name]).register(sub, common)
        return
    p = sub.add_parser(name, parents=[common], help=_HELP[name])
    if name == "questions":
        p.add_argument("--format", choices=("text", "json"), default="text")
        p.set_defaults(func=cmd_questions)
    elif name == "validate":
        p.add_argument("dir", nargs="?", metavar="DIR")
        p.set_defaults(func=cmd_validate)
    elif name == "run":
        p.add_argument("--answers", required=True, metavar="FILE")
        p.add_argument("--format", choices=REPORT_FORMATS, default="md", help=FORMAT_HELP)
        p.add_argument("-o", "--output", metavar="OUT")
        p.add_argument("--save", metavar="SESSION", help="also write a session file the TUI can open")
        p.add_argument("--force", action="store_true", help="overwrite existing output files")
        p.set_defaults(func=cmd_run)
    elif name == "report":
        p.add_argument("session", metavar="SESSION")
        p.add_argument("--format", choices=REPORT_FORMATS, default="md", help=FORMAT_HELP)
        p.add_argument("-o", "--output", metavar="OUT")
        p.add_argument("--force", action="store_true", help="overwrite an existing output file")
        p.set_defaults(func=cmd_report)
    else:
        p.add_argument("--format", choices=("text", "json"), default="text")
        p.set_defaults(func=cmd_scenarios)


_HELP = {
    "questions": "list every question of the bank",
    "validate": "lint a bank (default: the shipped one)",
    "run": "headless assessment from an answers file",
    "report": "the summary of a saved session",
    "scenarios": "list the demo scenarios",
}


def build_parser(only: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The command line's parser, with every subcommand or, for speed, only those named in ``only``.

    A parser with fewer subcommands parses those exactly as the full one does, but its own
    help and its usage errors would list too few commands: :func:`main` uses it only through
    :func:`_parse`, which hands those cases to the full parser.
    """
    common = _Parser(prog="ceder", add_help=False)
    common.add_argument("--bank", metavar="DIR", default=argparse.SUPPRESS, help="use the bank files in DIR")
    parser = (_Parser if only is None else _Partial)(
        prog="ceder",
        description="A chat-style assistant for CEDER self-assessments of policing data-analytics projects.",
        epilog=HONESTY,
        parents=[common],
    )
    parser.add_argument("--version", action=_VersionAction, help="show program's version number and exit")
    parser.add_argument("--session", metavar="PATH", help="open the TUI on this session file (created if absent)")
    parser.add_argument("--plain", action="store_true", help="line-by-line mode without the full-screen interface")
    parser.add_argument("--group", metavar="NAMES", help='group mode: comma-separated participants, e.g. "analyst,DPO"')
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS if only is None else only:
        _register(sub, common, name)
    return parser


class _Fallback(Exception):
    """A partial parser met something only the full parser answers exactly (help, a usage error)."""


class _Partial(_Parser):
    """The top level of a parser built with only some subcommands: its help and usage errors defer to the full one."""

    def error(self, message: str) -> NoReturn:
        raise _Fallback(message)

    def print_help(self, file: Any = None) -> None:
        raise _Fallback("help")


def _command_in(argv: Sequence[str]) -> str | None:
    """The subcommand argparse will find in ``argv`` (None when there is none, or it is not plain to see)."""
    takes_value = False
    for arg in argv:
        if takes_value:
            takes_value = False
        elif arg == "--":
            return None
        elif arg.startswith("-"):
            # ``--bank DIR`` or an unambiguous prefix of it (``--ba DIR``); ``--bank=DIR`` carries its own value.
            takes_value = "=" not in arg and len(arg) > 2 and any(o.startswith(arg) for o in _TAKES_VALUE)
        else:
            return arg if arg in COMMANDS else None
    return None


def _parse(argv: Sequence[str]) -> argparse.Namespace:
    """``argv`` parsed exactly as the full parser does, building only the subcommand it names.

    Building every subcommand (and importing the modules that add some) costs several
    milliseconds on every command and on the TUI's launch. The guess is checked: anything
    the partial parser cannot answer exactly (top-level help, any usage error, a command
    other than the one guessed) is parsed again by the full parser.
    """
    command = _command_in(argv)
    try:
        args = build_parser(only=() if command is None else (command,)).parse_args(argv)
    except _Fallback:
        return build_parser().parse_args(argv)
    if getattr(args, "command", None) != command:  # pragma: no cover - the guess above is exact
        return build_parser().parse_args(argv)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    # ceder uses no pydantic plugins: skip pydantic's scan of every installed package's entry points,
    # made when the first validator is built (about 5-10 ms a command). A value set by the user is kept.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    args = _parse(sys.argv[1:] if argv is None else argv)
    if not hasattr(args, "bank"):
        args.bank = None
    func = getattr(args, "func", cmd_tui)
    try:
        return int(func(args))
    except CliError as exc:
        print(f"ceder: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("ceder: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as exc:
        if os.environ.get("CEDER_DEBUG"):
            raise
        first = str(exc).splitlines()[0] if str(exc) else ""
        print(
            f"ceder: unexpected error: {type(exc).__name__}: {first} (set CEDER_DEBUG=1 for details)", file=sys.stderr
        )
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
