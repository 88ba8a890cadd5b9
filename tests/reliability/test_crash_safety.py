"""No answer lost: SIGKILL at random moments, then every acknowledged answer is on disk and every file parses.

Two trial sets:

- ``ceder --plain`` driven line by line as a user would (answers, "don't know", skips,
  notes, now and then a 200 KB answer so that kills also land during a write), killed
  at a random moment: just after an input is sent, a few milliseconds later, or just
  after its acknowledgement. The next trial resumes the same session and must start on
  exactly the question the file says; a finished session starts a new file.
- the engine alone in a child process saving as fast as it can (no waiting for input),
  killed after a random delay, so that most kills land inside ``atomic_write``.

"Acknowledged" is what the user was told: plain mode prints ``Recorded: LABEL.`` after
the engine has returned, that is after the save; ``Note saved on QID.`` likewise.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from flows import Assessment, load_session
from flows.matching import digits_are_ids
from flows.verdict import answer_label
from question_banks import Bank, load_bank
from question_banks.schema import Question
from tests.conftest import SMALL_BANK
from tests.helpers.plain import PlainCeder
from tests.helpers.terminal import ceder_tui
from tests.reliability.conftest import ceder_env

PLAIN_TRIALS = int(os.environ.get("CEDER_CRASH_TRIALS", "60"))
ENGINE_TRIALS = int(os.environ.get("CEDER_ENGINE_CRASH_TRIALS", "30"))
BANK = load_bank(SMALL_BANK)
QUESTION_LINE = re.compile(r"^([A-Za-z][A-Za-z_.-]*[0-9][A-Za-z0-9_.-]*)\. ")  # an id has a digit: not "Welcome. "
RECORDED = re.compile(r"^  Recorded: (.*)\.$")
NOTE_SAVED = re.compile(r"^  Noted on ([A-Za-z][A-Za-z0-9_.-]*)\.")
STATS: dict[str, int] = {}


def one_line(text: str) -> str:
    return " ".join(text.split())


def typed_answer(q: Question, rng: random.Random) -> str:
    """What a user might type for ``q``: an option number (or id), a list, a number, or text."""
    roll = rng.random()
    if roll < 0.08:
        return "/dontknow"
    if roll < 0.14:
        return "/skip"
    if q.kind in ("single", "scale"):
        i = rng.randrange(len(q.options))
        return q.options[i].id if digits_are_ids(q) else str(i + 1)
    if q.kind == "multi":
        plain = [i for i, o in enumerate(q.options) if not o.exclusive]
        picked = sorted(rng.sample(plain, rng.randint(1, len(plain))))
        return ", ".join(str(i + 1) for i in picked)
    if q.kind == "number":
        return str(rng.randint(0, 100_000))
    if rng.random() < 0.15:
        return "Long answer " + "x" * 200_000  # a slow write: widens the window for a kill mid-write
    return f"Plan number {rng.randint(1, 10**6)} agreed with the owner"


@dataclass
class Acked:
    labels: dict[str, str] = field(default_factory=dict)
    """Question id -> the label the user was last shown as recorded."""
    notes: dict[str, str] = field(default_factory=dict)


def check_on_disk(path: Path, acked: Acked, in_flight: str | None) -> Assessment:
    """The file parses and holds every acknowledged answer and note (the in-flight one may be either way)."""
    raw = json.loads(path.read_bytes())  # strict JSON, whole file
    assert isinstance(raw, dict) and raw["schema_version"] == 1
    session = load_session(path)
    a = Assessment(BANK, session)
    for qid, label in acked.labels.items():
        record = session.answers.get(qid)
        assert record is not None, f"acknowledged answer to {qid} missing"
        on_disk = one_line(answer_label(BANK.by_id[qid], record))
        if on_disk != label:
            assert qid == in_flight, f"{qid}: acknowledged {label!r}, on disk {on_disk!r}"
    for qid, note in acked.notes.items():
        assert session.notes.get(qid) == note, f"acknowledged note on {qid} missing"
    return a


def expected_first_question(a: Assessment) -> str | None:
    """Where a resumed plain session must start: the open question, after passing any review."""
    probe = Assessment(BANK, a.session.model_copy(deep=True))
    if probe.finished:
        return None
    probe.start()
    while probe.in_review:
        probe.proceed()
    return probe.current.id if probe.current is not None else None


def test_sigkill_plain_mode_at_random_moments(tmp_path: Path) -> None:
    rng = random.Random(int(os.environ.get("CEDER_CRASH_SEED", "20261125")))
    session_no = 1
    path = tmp_path / f"s{session_no}.json"
    acked = Acked()
    kills = {"after-send": 0, "after-delay": 0, "after-ack": 0}
    answers_acked = 0
    resumed = 0
    started = time.monotonic()
    for _trial in range(PLAIN_TRIALS):
        resuming = path.exists()
        expected_start = expected_first_question(check_on_disk(path, acked, None)) if resuming else None
        child = PlainCeder(path, cwd=tmp_path)
        in_flight: str | None = None
        try:
            m = child.until(QUESTION_LINE)
            assert m is not None, "\n".join(child.seen[-20:]) + child.errors()
            current = m.group(1)
            if resuming:
                assert "Welcome back" in "\n".join(child.seen), child.seen[:5]
                assert current == expected_start, f"resumed at {current}, the file says {expected_start}"
                resumed += 1
            steps = rng.randint(0, 6)
            moment = rng.choice(list(kills))
            for n in range(steps + 1):
                q = BANK.by_id[current]
                last = n == steps
                if rng.random() < 0.15 and not last:
                    note = f"Note {rng.randint(1, 10**6)} on {current}"
                    child.send(f"/note {note}")
                    m = child.until(NOTE_SAVED)
                    assert m is not None and m.group(1) == current
                    acked.notes[current] = note
                typed = typed_answer(q, rng)
                in_flight = current
                child.send(typed)
                if last and moment == "after-send":
                    break
                if last and moment == "after-delay":
                    time.sleep(rng.uniform(0, 0.03))
                    break
                rec = child.until(RECORDED)
                if rec is None:
                    break
                acked.labels[current] = one_line(rec.group(1))
                answers_acked += 1
                in_flight = None
                if last:
                    break
                nxt = child.until(re.compile(r"^([A-Za-z][A-Za-z_.-]*[0-9][A-Za-z0-9_.-]*)\. |^That.s every question"))
                if nxt is None or nxt.group(1) is None:
                    break  # finished: the summary is on its way
                current = nxt.group(1)
            kills[moment] += 1
        finally:
            child.kill()
        a = check_on_disk(path, acked, in_flight)
        if expected_first_question(a) is None:  # finished, or killed between the last answer and the summary
            session_no += 1
            path = tmp_path / f"s{session_no}.json"
            acked = Acked()
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    for p in tmp_path.glob("s*.json"):
        load_session(p)  # every session file ever written parses
    STATS.update(
        plain_trials=PLAIN_TRIALS,
        plain_answers_acknowledged=answers_acked,
        plain_resumes_checked=resumed,
        plain_sessions=session_no,
        plain_temp_files_left=len(leftovers),
        plain_seconds=round(time.monotonic() - started),
    )
    print(STATS, kills)
    assert sum(kills.values()) == PLAIN_TRIALS >= 50
    assert min(kills.values()) > 0 and resumed > PLAIN_TRIALS // 2


DRIVER = r"""
import json, sys
from pathlib import Path
from flows import Assessment, FlowError
from flows.verdict import answer_label
from question_banks import load_bank

bank = load_bank(sys.argv[1])
path = Path(sys.argv[2])
big = "x" * int(sys.argv[3])
a = Assessment(bank, path=path)
a.start()
n = 0
while True:
    n += 1
    if a.finished or a.in_review:
        try:
            a.proceed() if a.in_review else a.revise(bank.questions[n % len(bank.questions)].id)
        except FlowError:
            a.jump(bank.phases()[n % len(bank.phases())])
        continue
    q = a.current
    if q.kind in ("single", "scale"):
        value = q.options[n % len(q.options)].id
    elif q.kind == "multi":
        value = [q.options[0].id]
    elif q.kind == "number":
        value = n
    else:
        value = f"answer {n} " + big
    a.answer(value)
    a.note(q.id, f"note {n}")
    print(json.dumps([q.id, answer_label(q, a.record_of(q.id)), f"note {n}"]), flush=True)
"""


def test_sigkill_during_fast_autosaves(tmp_path: Path) -> None:
    """The engine saving flat out (two atomic writes per answer, some 100 KB+), killed after a random delay."""
    rng = random.Random(7)
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER)
    acks_total = 0
    mid_write = 0
    for trial in range(ENGINE_TRIALS):
        path = tmp_path / f"e{trial}.json"
        proc = subprocess.Popen(
            [sys.executable, str(driver), str(SMALL_BANK), str(path), str(rng.choice([0, 1000, 100_000]))],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=ceder_env(),
        )
        assert proc.stdout is not None
        first = proc.stdout.readline()  # started and saving
        assert first, proc.stderr.read() if proc.stderr else ""
        time.sleep(rng.uniform(0.0, 0.4))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate(timeout=20)
        lines = [first, *out.splitlines()]
        acked = Acked()
        for line in lines:
            try:
                qid, label, note = json.loads(line)
            except ValueError:
                break  # the last line may be cut by the kill: not acknowledged
            acked.labels[qid] = one_line(label)
            acked.notes[qid] = note
        acks_total += len(acked.labels)
        session = load_session(path)
        # Every acknowledged answer and note is on disk, except that the one step in flight
        # when the kill came (saved, not yet acknowledged) may have replaced one of them.
        changed = set()
        for qid, label in acked.labels.items():
            assert qid in session.answers, f"acknowledged answer to {qid} missing"
            if one_line(answer_label(BANK.by_id[qid], session.answers[qid])) != label:
                changed.add(qid)
            if session.notes.get(qid) != acked.notes[qid]:
                changed.add(qid)
        assert len(changed) <= 1, changed
        mid_write += sum(1 for p in tmp_path.iterdir() if p.name.startswith(f".e{trial}.json."))
    STATS.update(engine_trials=ENGINE_TRIALS, engine_kills_mid_write=mid_write, engine_answers_acknowledged=acks_total)
    print(STATS)
    assert mid_write > 0, "no kill landed inside a write; the trial proves less than it claims"


@pytest.mark.parametrize("failing", ["write", "fsync", "replace"])
def test_a_failed_write_keeps_the_previous_file(failing: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from flows import persistence

    target = tmp_path / "s.json"
    target.write_bytes(b'{"old": true}')

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    if failing == "write":
        real_fdopen = os.fdopen

        class Full:
            def __init__(self, fd: int, mode: str) -> None:
                self.fh = real_fdopen(fd, mode)

            def __enter__(self) -> Full:
                return self

            def __exit__(self, *exc: object) -> None:
                self.fh.close()

            def write(self, data: bytes) -> None:
                self.fh.write(data[: len(data) // 2])
                boom()

        monkeypatch.setattr(os, "fdopen", Full)
    else:
        monkeypatch.setattr(os, failing, boom)
    with pytest.raises(OSError):
        persistence.atomic_write(target, b'{"new": true, "padding": "' + b"x" * 10_000 + b'"}')
    assert target.read_bytes() == b'{"old": true}'
    assert [p.name for p in tmp_path.iterdir()] == ["s.json"]


def test_write_order_is_temp_fsync_replace_then_folder_fsync(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The order that makes a write survive a power cut, not just a crash."""
    from flows import persistence

    calls: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace
    target = tmp_path / "s.json"

    def fsync(fd: int) -> None:
        kind = "dir" if os.path.isdir(f"/proc/self/fd/{fd}") else "file"
        size = os.fstat(fd).st_size
        calls.append(f"fsync-{kind}" + (f"({size})" if kind == "file" else ""))
        real_fsync(fd)

    def replace(src: str, dst: str) -> None:
        assert Path(src).parent == target.parent and Path(src).name.startswith(".s.json.")
        calls.append("replace")
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    persistence.atomic_write(target, b"0123456789")
    assert calls == ["fsync-file(10)", "replace", "fsync-dir"]
    assert target.read_bytes() == b"0123456789"
    assert oct(target.stat().st_mode & 0o777) == oct(0o600)


def test_private_mode_whatever_the_umask(tmp_path: Path) -> None:
    from flows.persistence import atomic_write

    old = os.umask(0)
    try:
        atomic_write(tmp_path / "s.json", b"{}")
        atomic_write(tmp_path / "s.json", b"{}")  # and when replacing
    finally:
        os.umask(old)
    assert (tmp_path / "s.json").stat().st_mode & 0o777 == 0o600


def test_every_answer_is_saved_before_the_call_returns(small_bank: Bank, tmp_path: Path) -> None:
    """The engine contract the trials rely on: each move is on disk when it returns (nothing deferred)."""
    path = tmp_path / "s.json"
    a = Assessment(small_bank, path=path)
    a.start()
    for value in ("live", "dashboard", "people", ["arrest"], 7):
        a.answer(value)
        assert load_session(path) == a.session
    for move in (a.proceed, a.back, a.skip, a.dont_know, a.undo, a.finish):
        move()
        assert load_session(path) == a.session
    a.note("E1", "n")
    a.set_owner("E1", "o")
    a.set_project(name="p")
    assert load_session(path) == a.session


def test_opening_a_session_clears_temp_files_left_by_a_killed_write(small_bank: Bank, tmp_path: Path) -> None:
    from flows.persistence import STALE_TEMP_SECONDS

    path = tmp_path / "s.json"
    a = Assessment(small_bank, path=path)
    a.start()
    old = tmp_path / ".s.json.abc123.tmp"
    old.write_bytes(b'{"half": ')
    stamp = time.time() - STALE_TEMP_SECONDS - 5
    os.utime(old, (stamp, stamp))
    fresh = tmp_path / ".s.json.def456.tmp"  # perhaps another process writing right now: left alone
    fresh.write_bytes(b"{")
    other = tmp_path / ".t.json.abc123.tmp"  # another session's: not ours to touch
    other.write_bytes(b"{")
    os.utime(other, (stamp, stamp))
    load_session(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".s.json.def456.tmp", ".t.json.abc123.tmp", "s.json"]


# -- the TUI in a pseudo-terminal ------------------------------------------------------
TUI_TRIALS = int(os.environ.get("CEDER_TUI_CRASH_TRIALS", "25"))


def keys_for(q: Question) -> tuple[str, object]:
    """Keys that answer ``q`` with its first option (or a fixed value), and the value they give."""
    if q.kind in ("single", "scale"):
        return q.options[0].id if digits_are_ids(q) else "1", q.options[0].id
    if q.kind == "multi":
        return "1\r", [q.options[0].id]
    if q.kind == "number":
        return "4242\r", 4242.0
    return "acknowledged plan\r", "acknowledged plan"


def screen_marker(probe: Assessment) -> str:
    """Text the TUI paints when it reaches ``probe``'s position: the open question, a recap, the summary."""
    if probe.finished:
        return "Readiness summary"  # the summary screen's title bar
    if probe.in_review:
        return f"{probe.bank.title_of(probe.review_dimension or '')}: done"
    assert probe.current is not None
    return probe.text_of(probe.current)[:18]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pseudo-terminal trials written for Linux")
def test_sigkill_tui_at_random_moments(tmp_path: Path) -> None:
    """A bonus to the plain-mode trials: the full-screen app, keys in, SIGKILL at a random moment.

    An answer counts as acknowledged once the screen shows what follows it (the next
    question, or the dimension's recap); the app saves before it paints, so that answer
    must be on disk. Every restart must resume exactly where the file says.
    """
    rng = random.Random(11)
    session_no = 1
    path = tmp_path / "t1.json"
    acked: set[str] = set()
    resumed = acked_total = 0
    for _trial in range(TUI_TRIALS):
        resuming = path.exists()
        # A new session is written before the app opens it, so it resumes at P1 (a brand-new file
        # would open with the project's details, which these trials do not type).
        probe = Assessment(BANK, load_session(path)) if resuming else Assessment(BANK, path=path)
        probe.start()
        probe.path = None  # from here the probe only predicts; the app alone writes the file
        if probe.finished:  # killed between the last recap and the summary: start another assessment
            session_no += 1
            path = tmp_path / f"t{session_no}.json"
            acked = set()
            resuming, probe = False, Assessment(BANK, path=path)
            probe.start()
            probe.path = None
        term = ceder_tui(path)
        try:
            assert term.wait_for(screen_marker(probe), 0), term.text()[-400:]
            resumed += resuming
            steps = rng.randint(1, 8)
            moment = rng.choice(["after-send", "after-delay", "after-ack"])
            for n in range(steps + 1):
                if probe.finished:
                    break
                if probe.in_review:
                    mark = term.send("\r")
                    probe.proceed()
                    assert term.wait_for(screen_marker(probe), mark), (screen_marker(probe), term.text(mark)[-1500:])
                    continue
                assert probe.current is not None
                q = probe.current
                keys, value = keys_for(q)
                mark = term.send(keys)
                probe.answer(value)  # type: ignore[arg-type]
                if n == steps and moment != "after-ack":
                    if moment == "after-delay":
                        time.sleep(rng.uniform(0, 0.05))
                    break
                assert term.wait_for(screen_marker(probe), mark), (screen_marker(probe), term.text(mark)[-1500:])
                acked.add(q.id)
                acked_total += 1
        finally:
            term.kill()
        session = load_session(path)  # parses, whole
        missing = acked - set(session.answers)
        assert not missing, f"acknowledged on screen but not on disk: {missing}"
        if Assessment(BANK, session).finished:
            session_no += 1
            path = tmp_path / f"t{session_no}.json"
            acked = set()
    STATS.update(
        tui_trials=TUI_TRIALS,
        tui_answers_acknowledged=acked_total,
        tui_resumes_checked=resumed,
        tui_sessions=session_no,
    )
    print(STATS)
    assert resumed >= TUI_TRIALS // 2 and acked_total > TUI_TRIALS
