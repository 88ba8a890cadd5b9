"""Parity by construction: every command in the registry, driven through the TUI and plain mode, does the same.

Each :data:`SCRIPTS` entry is what a person types (the command with its argument, or
the command alone and then the answer to the question it asks), starting from the
same saved session. After the TUI (through Pilot) and plain mode (through piped
input) have run it, the two session files must be equal (timestamps aside) and both
front ends must have shown the words the script expects.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from assistant.cli import build_parser
from assistant.plain import run_plain
from assistant.tui.app import make_app
from assistant.tui.screens.summary import SummaryScreen
from conversation.commands import COMMANDS, REGISTRY, lookup
from flows import Assessment
from question_banks import Bank
from tests.conftest import SMALL_BANK
from tests.tui.conftest import press, settle, transcript, type_line


@dataclass(frozen=True)
class Script:
    lines: list[str]
    """Typed lines; a line after a command that asks answers its question (dialog or next line)."""
    setup: list[Any] = field(default_factory=list)
    """Answers recorded first, in order (one per question asked)."""
    expect: str = ""
    """Words both front ends must show."""
    check: Callable[[dict[str, Any]], bool] = lambda s: True
    """What must hold of the saved session afterwards."""
    group: list[str] = field(default_factory=list)
    finished: bool = False
    """Finish the assessment after the setup answers (so the action plan is complete)."""


SCRIPTS: dict[str, list[Script]] = {
    "help": [Script(["/help"], expect="Help:"), Script(["/?"], expect="Help:")],
    "back": [Script(["/back"], setup=["design"], check=lambda s: s["current"] == "P1")],
    "skip": [Script(["/skip"], check=lambda s: s["answers"]["P1"]["status"] == "skipped")],
    "dontknow": [
        Script(["/dontknow"], check=lambda s: s["answers"]["P1"]["status"] == "dont_know"),
        Script(["/dk"], check=lambda s: s["answers"]["P1"]["status"] == "dont_know"),
    ],
    "why": [Script(["/why"], expect="Why this question?")],
    "note": [
        Script(["/note DPIA v2 signed"], check=lambda s: s["notes"] == {"P1": "DPIA v2 signed"}),
        Script(["/note", "DPIA v2 signed"], check=lambda s: s["notes"] == {"P1": "DPIA v2 signed"}),
    ],
    "jump": [
        Script(["/jump data"], check=lambda s: s["current"] == "D1"),
        Script(["/jump", "3"], check=lambda s: s["current"] == "D1"),
    ],
    "summary": [Script(["/summary"], setup=["design"], check=lambda s: s["state"] == "profile")],
    "undo": [
        Script(
            ["/back", "live", "/undo"],
            setup=["design"],
            expect="Put back your earlier answer",
            check=lambda s: s["answers"]["P1"]["value"] == "design",
        ),
        Script(
            ["/actions 2 owner Head of legal", "/actions 2 due 31/12/2026", "/undo"],
            setup=["design"],
            finished=True,
            expect="Took back your last change to action",
            check=lambda s: [(e["owner"], e["due"]) for e in s["actions"].values()] == [("Head of legal", None)],
        ),
        Script(
            ["/project Custody triage", "/undo"],
            expect="Put back the project's earlier name (none).",
            check=lambda s: s["project"]["name"] == "",
        ),
        Script(["/note DPIA v2 signed", "/undo"], expect="Took back the note on", check=lambda s: s["notes"] == {}),
    ],
    "revise": [
        Script(["/revise P1"], setup=["design", "ml"], check=lambda s: s["current"] == "P1"),
        Script(["/revise", "1"], setup=["design", "ml"], check=lambda s: s["current"] == "P1"),
    ],
    "project": [
        Script(["/project Custody triage"], check=lambda s: s["project"]["name"] == "Custody triage"),
        Script(["/project", "Custody triage"], check=lambda s: s["project"]["name"] == "Custody triage"),
    ],
    "assessor": [
        Script(["/assessor Jo, analyst"], check=lambda s: s["project"]["assessor"] == "Jo, analyst"),
        Script(["/assessor", "Jo, analyst"], check=lambda s: s["project"]["assessor"] == "Jo, analyst"),
    ],
    "owner": [
        Script(
            ["/owner Head of legal"], setup=["design", "ml"], check=lambda s: s["owners"] == {"C1": "Head of legal"}
        ),
        Script(
            ["/owner", "Head of legal"], setup=["design", "ml"], check=lambda s: s["owners"] == {"C1": "Head of legal"}
        ),
    ],
    "finish": [
        Script(["/finish", "2"], setup=["design"], check=lambda s: s["state"] == "summary"),
        Script(["/finish", "1"], setup=["design"], check=lambda s: s["state"] == "profile"),
    ],
    "commands": [Script(["/commands"], expect="/tally")],
    "details": [
        Script(
            ["/details", "Custody triage", "", "/back", "Northshire Police", "Jo", "", "", ""],
            expect="Who should questions about this assessment go to?",
            check=lambda s: (
                (s["project"]["name"], s["project"]["organisation"], s["project"]["assessor"])
                == ("Custody triage", "Northshire Police", "Jo")
            ),
        )
    ],
    "quit": [Script(["/quit"], setup=["design"], check=lambda s: s["current"] == "P2")],
    "group": [
        Script(
            ["/group Ann, Bo", "1", "2", "1"],
            check=lambda s: s["answers"]["P1"]["by"] == {"Ann": "design", "Bo": "live"},
        ),
        Script(["/group", "Ann, Bo"], check=lambda s: s["participants"] == ["Ann", "Bo"]),
        Script(["/group off", "1"], group=["Ann", "Bo"], check=lambda s: s["answers"]["P1"]["by"] == {}),
    ],
    "tally": [
        Script(
            ["/tally 1=3, 2=1", "1"],
            group=["Ann", "Bo"],
            expect="The room is divided",
            check=lambda s: s["answers"]["P1"]["by"] == {"3 votes": "design", "1 vote": "live"},
        )
    ],
    "actions": [
        Script(
            ["/actions 2 owner Head of legal"],
            setup=["design"],
            finished=True,
            expect="owner is now Head of legal.",
            check=lambda s: [e["owner"] for e in s["actions"].values()] == ["Head of legal"],
        ),
        Script(
            ["/plan 3 done"],
            setup=["design"],
            finished=True,
            expect="Action 3 (",
            check=lambda s: [e["status"] for e in s["actions"].values()] == ["done"],
        ),
        Script(
            ["/actions 1 due 31/12/2026"],
            setup=["design"],
            finished=True,
            check=lambda s: [e["due"] for e in s["actions"].values()] == ["2026-12-31"],
        ),
        Script(
            ["/actions 2 due soon"],
            setup=["design"],
            finished=True,
            expect="is not a date",
            check=lambda s: not s["actions"],
        ),
    ],
    "notes": [Script(["/notes"], expect="Facilitator notes"), Script(["/facilitator"], expect="Facilitator notes")],
}


def prepare(bank: Bank, path: Path, script: Script) -> None:
    a = Assessment(bank, path=path)
    if script.group:
        a.set_participants(script.group)
    a.start()
    for value in script.setup:
        a.answer(value)
    if script.finished:
        a.finish()


def comparable(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    for key in ("created", "updated"):
        data.pop(key, None)
    for record in (*data["answers"].values(), *data.get("actions", {}).values()):
        record.pop("at", None)
    return data


def plain_run(path: Path, lines: list[str]) -> str:
    args = build_parser().parse_args(["--bank", str(SMALL_BANK), "--plain", "--session", str(path)])
    out = io.StringIO()
    run_plain(args, stdin=io.StringIO("".join(f"{line}\n" for line in lines)), stdout=out)
    return out.getvalue()


async def tui_run(bank: Bank, path: Path, lines: list[str], tmp: Path) -> str:
    app = make_app(bank, session_path=path, export_dir=tmp, screenshot_dir=tmp)
    shown: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for line in lines:
            if isinstance(app.screen, SummaryScreen):
                await press(pilot, "escape")
            dialog_inputs = app.screen.query("#dialog-input")
            if dialog_inputs:  # a text question from a command
                dialog_inputs.first(Input).value = line
                await press(pilot, "enter")
            elif app.screen.has_class("dialog"):  # a choice: its digit
                await press(pilot, line)
            else:
                await type_line(pilot, line)
            if not app.is_running:
                break
            if isinstance(app.screen, SummaryScreen):
                shown.append("# Readiness summary")
        if app.is_running:
            shown += transcript(app) if not isinstance(app.screen, SummaryScreen) else []
            screen = app.screen_stack[0]
            shown += [str(t.content) for t in screen.query("#log > .turn") if hasattr(t, "content")]
    return "\n".join(shown)


def test_every_command_has_a_parity_script() -> None:
    assert set(SCRIPTS) == {c.name for c in COMMANDS}
    for c in COMMANDS:  # every alias reaches its command
        assert all(lookup(a) is c for a in (c.name, *c.aliases))
    assert len(REGISTRY) == sum(1 + len(c.aliases) for c in COMMANDS)  # no alias names two commands


@pytest.mark.parametrize(
    ("name", "index"), [(name, i) for name, scripts in SCRIPTS.items() for i in range(len(scripts))]
)
async def test_command_has_the_same_effect_in_the_tui_and_plain_mode(
    name: str, index: int, small_bank: Bank, tmp_path: Path
) -> None:
    script = SCRIPTS[name][index]
    tui_path, plain_path = tmp_path / "tui.json", tmp_path / "plain.json"
    prepare(small_bank, tui_path, script)
    prepare(small_bank, plain_path, script)
    tui_shown = await tui_run(small_bank, tui_path, script.lines, tmp_path)
    plain_shown = plain_run(plain_path, script.lines)
    assert comparable(tui_path) == comparable(plain_path)
    assert script.check(comparable(tui_path))
    if script.expect:
        assert script.expect in tui_shown, tui_shown[-2000:]
        assert script.expect in plain_shown, plain_shown[-2000:]


def test_plain_text_of_bank_markdown_drops_the_marks() -> None:
    from conversation.turns import Authored, Turn, para, unmarked

    assert unmarked("**Ethics** covers *assurance points* and `ceder --bank DIR`") == (
        "Ethics covers assurance points and ceder --bank DIR"
    )
    assert unmarked("snake_case_id, 2*3*4 and a lone * star") == "snake_case_id, 2*3*4 and a lone * star"
    assert Turn("heading", (para(Authored("**Data** *matters*")),)).text() == "Data matters"
