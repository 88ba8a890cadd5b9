"""Parsing the command line: building only the subcommand given behaves exactly like the full parser."""

from __future__ import annotations

import argparse

import pytest

from assistant.cli import COMMANDS, EXTRA_COMMANDS, _parse, build_parser
from tests.helpers.fresh import in_fresh_python

CASES = [
    [],
    ["--plain"],
    ["--session", "x.json", "--bank", "b"],
    ["--help"],
    ["-h"],
    ["--he"],
    *([name, "--help"] for name in COMMANDS),
    ["questions"],
    ["--bank", "b", "questions", "--format", "json"],
    ["questions", "--bank", "b"],
    ["--bank", "questions", "questions"],  # the first "questions" is the bank folder
    ["--ba", "questions", "validate"],  # an abbreviated option still takes its value
    ["--bank=questions", "report", "s.json", "--format", "csv"],
    ["--group", "a,b", "serve"],
    ["validate", "dir"],
    ["run", "--answers", "a.yaml", "--save", "s.json", "-o", "out.md"],
    ["scenarios", "--format", "json"],
    ["walkthrough", "demo"],
    ["bogus"],
    ["--bank", "b", "bogus"],
    ["-h", "questions"],
    ["--he", "questions"],
    ["questions", "--format", "xml"],
    ["questions", "extra"],
    ["questions", "--version"],
    ["run"],
    ["report"],
    ["--", "questions"],
    ["--session"],
    ["--bogus"],
    ["--bogus", "questions"],
    ["--version"],
    ["--version", "questions"],
]


def _outcome(parse: object, argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[object, str, str]:
    """What parsing ``argv`` gives: the namespace or the exit code, and what was printed."""
    try:
        result: object = vars(parse(argv))  # type: ignore[operator]
    except SystemExit as exit_:
        result = ("exit", exit_.code)
    out, err = capsys.readouterr()
    return result, out, err


@pytest.mark.parametrize("argv", CASES, ids=lambda a: " ".join(a) or "(none)")
def test_the_quick_parse_matches_the_full_parser(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """Namespace, help text, usage errors and exit codes are the full parser's, to the character."""
    assert _outcome(_parse, argv, capsys) == _outcome(build_parser().parse_args, argv, capsys)


@pytest.mark.parametrize("name", COMMANDS)
def test_each_command_has_its_own_help(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        _parse([name, "--help"])
    out = capsys.readouterr().out
    assert exit_.value.code == 0
    assert out.startswith(f"usage: ceder {name} ") and "--bank DIR" in out


def test_the_top_level_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        _parse(["-h", "questions"])
    out = capsys.readouterr().out
    assert exit_.value.code == 0
    assert out.startswith("usage: ceder ") and all(f"\n    {name} " in out for name in COMMANDS)


def test_an_unknown_command_is_a_usage_error_naming_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        _parse(["--bank", "b", "questoins"])
    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert "invalid choice: 'questoins'" in err and all(repr(name) in err for name in COMMANDS)


def test_a_headless_command_builds_no_other_command() -> None:
    """``ceder questions`` imports none of the modules that add the other subcommands."""
    code = (
        "import sys; from assistant.cli import _parse; args = _parse(['questions']); "
        "extra = [m for m in sys.modules if m.startswith('assistant.commands.')]; "
        "print(args.command, extra); sys.exit(1 if extra or args.command != 'questions' else 0)"
    )
    in_fresh_python(code)


def test_every_extra_command_is_registered_under_its_name() -> None:
    """The name-to-module table matches what each module registers, so ``ceder NAME`` finds its module."""
    for name, module in EXTRA_COMMANDS.items():
        sub = build_parser(only=(name,))._subparsers
        assert sub is not None
        choices = next(a for a in sub._group_actions if isinstance(a, argparse._SubParsersAction)).choices
        assert list(choices) == [name], module
