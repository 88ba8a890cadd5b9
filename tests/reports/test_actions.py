"""The action plan as a working document in the reports: actions-csv, and closed actions in ``ceder diff``."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from assistant.cli import main
from assistant.reports import render
from flows import Assessment, save_session
from flows.tracking import action_id
from question_banks import Bank
from tests.conftest import SMALL_BANK
from tests.reports.conftest import AFTER, BEFORE, play

BANK = ["--bank", str(SMALL_BANK)]


def rows(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff") and "\r\n" in text
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_actions_csv_has_one_row_per_action_with_owner_due_and_status(small_bank: Bank) -> None:
    a = play(small_bank, BEFORE)
    plan = a.summary(final=True).actions
    a.track(action_id(plan[1]), owner="Superintendent", due="2027-01-15", status="in_progress")
    got = rows(render(a.summary(final=True), "actions-csv"))
    assert len(got) == len(plan)
    assert list(got[0]) == [
        "project",
        "id",
        "priority",
        "priority_in_words",
        "theme",
        "dimension",
        "questions",
        "action",
        "owner",
        "due",
        "due_as_written",
        "status",
    ]
    assert [r["id"] for r in got] == [action_id(x) for x in plan]
    assert [r["action"] for r in got] == [x.action for x in plan]
    assert (got[1]["owner"], got[1]["due"], got[1]["status"]) == ("Superintendent", "2027-01-15", "in_progress")
    assert got[0]["owner"] == "Data Protection Officer"  # from /owner, carried over
    assert {r["status"] for r in got[2:]} == {"open"}
    assert {r["project"] for r in got} == {"Hotspot mapping pilot"}


def test_due_dates_from_plan_answers_are_iso_with_the_words_kept(small_bank: Bank) -> None:
    """A plan answer's "end of January 2027" is tracked as 2027-01-31; words that are no date stay, flagged."""
    a = play(small_bank, BEFORE)
    a.set_owner("E1", "")  # the owner and due date now come from the plan answer, E1a
    a.record("E1a", "Legal services, by end of January 2027.")
    got = rows(render(a.summary(final=True), "actions-csv"))
    legal = next(r for r in got if "E1" in r["questions"].split(";"))
    assert (legal["owner"], legal["due"], legal["due_as_written"]) == (
        "Legal services",
        "2027-01-31",
        "end of January 2027",
    )
    md = render(a.summary(final=True), "md")
    assert "2027-01-31 (written “end of January 2027”)" in md
    a.record("E1a", "Legal services, before 31/02/2027")
    summary = a.summary(final=True)
    legal = next(r for r in rows(render(summary, "actions-csv")) if "E1" in r["questions"].split(";"))
    assert (legal["due"], legal["due_as_written"]) == ("", "31/02/2027")
    assert "“31/02/2027” (not a date)" in render(summary, "md")
    assert "“31/02/2027” (not a date)" in render(summary, "html")
    entry = next(x for x in json.loads(render(summary, "json"))["actions"] if "E1" in x["question_ids"])
    assert (entry["due"], entry["due_written"]) == ("", "31/02/2027")
    a.track(action_id(next(x for x in summary.actions if "E1" in x.question_ids)), due="Q1 2027")
    legal = next(r for r in rows(render(a.summary(final=True), "actions-csv")) if "E1" in r["questions"].split(";"))
    assert (legal["due"], legal["due_as_written"]) == ("2027-03-31", "")  # the user's own date replaces the words


def test_actions_csv_guards_against_formulas(small_bank: Bank) -> None:
    a = play(small_bank, BEFORE)
    ident = action_id(a.summary(final=True).actions[0])
    a.track(ident, owner='=HYPERLINK("http://evil.example","x")')
    a.session.project.name = "+cmd|' /C calc'!A0"
    got = rows(render(Assessment(a.bank, a.session).summary(final=True), "actions-csv"))
    assert got[0]["owner"].startswith("'=") and got[0]["project"].startswith("'+")


def test_cli_report_writes_the_actions_csv(small_bank: Bank, tmp_path: Path) -> None:
    session = tmp_path / "s.json"
    save_session(session, play(small_bank, BEFORE).session)
    out = tmp_path / "plan.csv"
    assert main([*BANK, "report", str(session), "--format", "actions-csv", "-o", str(out)]) == 0
    assert out.stat().st_mode & 0o777 == 0o600
    assert len(rows(out.read_bytes().decode("utf-8"))) == len(play(small_bank, BEFORE).summary(final=True).actions)


def test_the_summary_json_carries_owner_due_and_status(small_bank: Bank) -> None:
    a = play(small_bank, BEFORE)
    ident = action_id(a.summary(final=True).actions[1])
    a.track(ident, owner="Superintendent Ops", due="2027-01-15", status="in_progress")
    summary = a.summary(final=True)
    data = json.loads(render(summary, "json"))
    entry = next(x for x in data["actions"] if (x["id"] or x["question_id"]) == ident)
    assert (entry["owner"], entry["due"], entry["status"]) == ("Superintendent Ops", "2027-01-15", "in_progress")
    for fmt in ("md", "html"):
        text = render(summary, fmt)
        assert "Superintendent Ops" in text and "2027-01-15" in text and "In progress" in text, fmt


def _id(a: Assessment, question_id: str) -> str:
    """The id of the action a question raises (ids are the engine's business, not the test's)."""
    return next(action_id(x) for x in a.summary(final=True).actions if x.question_id == question_id)


def _sessions(small_bank: Bank, tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """Before: an action in progress. After: answers improved (some gaps closed) and one action marked done."""
    old = play(small_bank, BEFORE)
    old.track(_id(old, "E2"), status="in progress")
    new = play(small_bank, AFTER)
    new.track(_id(new, "F1"), status="done")
    paths = tmp_path / "old.json", tmp_path / "new.json"
    save_session(paths[0], old.session)
    save_session(paths[1], new.session)
    questions = {action_id(x): x.question_id for x in old.summary(final=True).actions}
    return paths[0], paths[1], questions


def test_diff_shows_which_actions_were_closed_and_how(small_bank: Bank, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    old, new, questions = _sessions(small_bank, tmp_path)
    assert main([*BANK, "diff", str(old), str(new), "--format", "json"]) == 0
    actions = json.loads(capsys.readouterr().out)["actions"]
    closed = {c["id"]: c["how"] for c in actions["closed"]}
    after = {action_id(x) for x in play(small_bank, AFTER).summary(final=True).actions}
    gone = {i for i in questions if i not in after}
    done_id = next(i for i, q in questions.items() if q == "F1")
    gone_id = next(i for i, q in questions.items() if q == "D2")  # the biometric question is no longer asked
    assert closed == {**dict.fromkeys(gone, "gap_closed"), done_id: "done"}
    assert closed[gone_id] == "gap_closed" and len(gone) >= 2
    assert actions["opened"] == [] or all(o["id"] not in questions for o in actions["opened"])
    moved = [(questions[c["id"]], c["old_status"], c["status"]) for c in actions["status_changed"]]
    assert moved == [("E2", "in_progress", "open")]
    assert main([*BANK, "diff", str(old), str(new)]) == 0
    text = capsys.readouterr().out
    assert f"Actions closed ({len(closed)})" in text
    assert f"  - {done_id}, marked done: " in text and f"  - {gone_id}, gap closed: no longer needed: " in text
    assert "(owner: Data Protection Officer)" in text
    assert f"{len(closed)} actions closed" in text


def test_diff_of_a_session_with_itself_closes_nothing(small_bank: Bank, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    old, _, _ = _sessions(small_bank, tmp_path)
    assert main([*BANK, "diff", str(old), str(old), "--format", "json"]) == 0
    actions = json.loads(capsys.readouterr().out)["actions"]
    assert actions == {"closed": [], "opened": [], "status_changed": []}


def test_actions_csv_names_each_priority_in_the_reports_words(small_bank: Bank) -> None:
    summary = play(small_bank, BEFORE).summary(final=True)
    got = rows(render(summary, "actions-csv"))
    words = {r["priority"]: r["priority_in_words"] for r in got}
    assert words.get("blocker", "Blocker") == "Blocker"
    assert all(w and "_" not in w and "next gate" not in w for w in words.values())
