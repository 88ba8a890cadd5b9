"""Bank text is data, never terminal control (issue 13, item 6).

The linter refuses C0 and C1 control characters (and DEL) in every string of a bank and
of its scenarios, naming the file, line and question; and every display path shows bank
and scenario text literally even when a bank reaches it without the linter.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from question_banks import lint
from tests.conftest import SMALL_BANK
from tests.reliability.conftest import PROBLEM, ceder

CONTROLS = {
    "esc-title": "\x1b]0;pwned\x07",
    "esc-clear": "\x1b[2J",
    "c1-csi": "\x9b2J",
    "del": "\x7f",
    "nul": "\\0",  # YAML escape in a double-quoted string
    "bell": "\\a",
    "c1-nel": "\\N",
}
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

PLACES = {
    # where, the file, how to plant it (YAML double-quoted text), the question id expected in the problem
    "question text": (
        "20-ethics.yaml",
        "text: Is the legal power identified?",
        'text: "Is the legal {c} power?"',
        "E1",
    ),
    "option label": (
        "20-ethics.yaml",
        "{id: partly, label: Partly, score: 1}",
        '{id: partly, label: "Part{c}ly", score: 1}',
        "E1",
    ),
    "help": (
        "20-ethics.yaml",
        "help: A documented power is the starting point.",
        'help: "A doc{c}umented power."',
        "E1",
    ),
    "action": (
        "20-ethics.yaml",
        "action: Identify and document the legal power, with legal advice.",
        'action: "Identify{c}"',
        "E1",
    ),
    "rule message": ("20-ethics.yaml", "message: No legal power identified.", 'message: "No legal{c} power."', "E1"),
    "section title": ("20-ethics.yaml", "title: Ethics", 'title: "Eth{c}ics"', "-"),
    "bank title": ("bank.yaml", "title: Small fixture bank", 'title: "Small{c} bank"', "-"),
}


def _escape(c: str) -> str:
    return c if c.startswith("\\") else "".join(f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else ch for ch in c)


@pytest.mark.parametrize("place", sorted(PLACES))
@pytest.mark.parametrize("kind", sorted(CONTROLS))
def test_the_linter_refuses_control_characters(tmp_path: Path, place: str, kind: str) -> None:
    bank = tmp_path / "bank"
    shutil.copytree(SMALL_BANK, bank)
    name, old, new, qid = PLACES[place]
    text = (bank / name).read_text()
    assert old in text
    (bank / name).write_text(text.replace(old, new.replace("{c}", _escape(CONTROLS[kind])), 1))
    problems = [str(p) for p in lint(bank).problems]
    hits = [p for p in problems if "control character" in p]
    assert len(hits) == 1, problems
    m = PROBLEM.match(hits[0])
    assert m and m["file"].endswith(name) and int(m["line"]) > 0 and m["qid"] == qid, hits[0]
    assert not RAW.search(hits[0])  # the message names the character (U+001B), never prints it


def test_the_linter_refuses_control_characters_in_scenarios(tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    shutil.copytree(SMALL_BANK, bank)
    (bank / "scenarios").mkdir()
    (bank / "scenarios" / "demo.yaml").write_text(
        'id: demo\ntitle: "Demo \\x1b]0;pwned\\x07"\nanswers:\n  P1: live\nnotes:\n  P1: "ok\\x9b2J"\n'
    )
    problems = [str(p) for p in lint(bank).problems]
    hits = [p for p in problems if "demo.yaml" in p]
    assert len(hits) == 2 and all("control character" in p for p in hits), problems
    assert [PROBLEM.match(p)["line"] for p in hits] == ["2", "6"]  # type: ignore[index]
    run = ceder("validate", str(bank))
    assert run.code == 1 and "demo.yaml:2:" in run.out


def test_shipped_banks_and_scenarios_are_plain_text() -> None:
    root = Path(__file__).resolve().parents[2] / "question_banks"
    for path in [*root.glob("shipped/*.yaml"), *root.glob("scenarios/*.yaml")]:
        assert not RAW.search(path.read_text(encoding="utf-8")), path


def test_scenarios_print_literally(tmp_path: Path) -> None:
    """``ceder scenarios`` reads scenario files directly (not through the linter): it shows them as text."""
    bank = tmp_path / "bank"
    shutil.copytree(SMALL_BANK, bank)
    (bank / "scenarios").mkdir()
    (bank / "scenarios" / "demo.yaml").write_text(
        'id: "demo\\x1b[2J"\ntitle: "Demo \\x1b]0;pwned\\x07 title \\x9b31m"\nexpected_verdict: ready\nanswers:\n  P1: live\n'
    )
    text = ceder("--bank", str(bank), "scenarios")
    assert text.code == 0, text.err
    assert not RAW.search(text.out) and "Demo" in text.out and "title" in text.out
    js = ceder("--bank", str(bank), "scenarios", "--format", "json")
    assert js.code == 0 and not RAW.search(js.out)
    assert json.loads(js.out)[0]["title"] == "Demo \x1b]0;pwned\x07 title \x9b31m"  # JSON keeps the data exactly


def test_questions_print_literally(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bank that reached ``questions`` without the linter (built in code) still prints as plain text."""
    from assistant import cli
    from question_banks import load_bank

    bank = load_bank(SMALL_BANK)
    q = bank.by_id["E1"]
    object.__setattr__(q, "text", "Legal \x1b]0;pwned\x07 power\x9b2J?")
    object.__setattr__(q.options[1], "label", "Part\x1b[31mly")
    monkeypatch.setattr(cli, "load_bank_or_fail", lambda _dir: bank)
    assert cli.main(["questions"]) == 0
    out = capsys.readouterr().out
    assert not RAW.search(out) and "Legal" in out and "power" in out and "Part" in out
    assert cli.main(["questions", "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert not RAW.search(out)
    assert next(i for i in json.loads(out) if i["id"] == "E1")["text"] == "Legal \x1b]0;pwned\x07 power\x9b2J?"


def test_diff_json_has_no_raw_controls(tmp_path: Path) -> None:
    hostile = 'answers:\n  P1: live\n  P2: dashboard\n  E1: partly\n  E1a: "plan \\x9b2J \\x1b]0;t\\x07 \\x7f"\n'
    hostile += 'notes:\n  P1: "n\\x85\\x9d0;x\\x9c"\n'
    (tmp_path / "a.yaml").write_text(hostile)
    (tmp_path / "b.yaml").write_text(hostile.replace("partly", "'yes'"))  # E1a no longer asked: it shows in the diff
    for name in ("a", "b"):
        answers, session = tmp_path / f"{name}.yaml", tmp_path / f"{name}.json"
        run = ceder("--bank", str(SMALL_BANK), "run", "--answers", str(answers), "--save", str(session))
        assert run.code == 0, run.err
    diff = ceder(
        "--bank", str(SMALL_BANK), "diff", str(tmp_path / "a.json"), str(tmp_path / "b.json"), "--format", "json"
    )
    assert diff.code == 0, diff.err
    assert not RAW.search(diff.out)
    assert "\\u009b" in diff.out  # escaped, so the data is kept
