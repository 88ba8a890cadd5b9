"""One writer per session (issue 13, item 1).

Real ceder processes on one session file: the first holds an OS lock (``flock`` on
``.NAME.lock``) for as long as it runs; a second opener is refused in one line naming
who holds it (headless and plain mode) or opens the session read-only (the TUI); the
kernel drops the lock when the holder dies, so a crash (SIGKILL) never leaves a stale
lock; racing openers never both win.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from flows import Assessment, ReadOnly, SessionLocked, load_session
from flows.locking import SessionLock, lock_path
from question_banks import Bank
from tests.conftest import SMALL_BANK
from tests.helpers.plain import PlainCeder
from tests.reliability.conftest import ceder, ceder_env

ANSWERS = "answers:\n  P1: live\n  P2: dashboard\n"
QUESTION = re.compile(r"[A-Z]+\d+[a-z]*\. ")
RECORDED = re.compile(r".*Recorded:")


class Holder(PlainCeder):
    """``ceder --plain`` on a session, kept running (waiting for input) until stopped."""

    def __init__(self, session: Path, home: Path) -> None:
        super().__init__(session, home=home)
        assert self.until(QUESTION) is not None, self.errors()  # a question: open and locked

    def answer(self, text: str) -> None:
        self.send(text)
        assert self.until(RECORDED) is not None, "holder ended"


@pytest.fixture
def holder(tmp_path: Path, _private_home: Path):  # type: ignore[no-untyped-def]
    made: list[Holder] = []

    def start(session: Path) -> Holder:
        h = Holder(session, _private_home)
        made.append(h)
        return h

    yield start
    for h in made:
        h.kill()


def test_a_second_plain_mode_is_refused_in_one_line(tmp_path: Path, holder) -> None:  # type: ignore[no-untyped-def]
    session = tmp_path / "s.json"
    first = holder(session)
    first.answer("2")
    before = session.read_bytes()
    second = ceder("--bank", str(SMALL_BANK), "--plain", "--session", str(session), input="1\n")
    assert second.code == 1
    lines = second.err.strip().splitlines()
    assert len(lines) == 1, second.err
    assert str(session) in lines[0] and "open in another ceder" in lines[0] and f"process {first.proc.pid}" in lines[0]
    assert "ceder --plain" in lines[0] and "close it there first" in lines[0]
    assert session.read_bytes() == before  # nothing written by the refused process


def test_run_save_force_cannot_replace_a_session_in_use(tmp_path: Path, holder) -> None:  # type: ignore[no-untyped-def]
    session = tmp_path / "s.json"
    first = holder(session)
    first.answer("2")
    before = session.read_bytes()
    answers = tmp_path / "a.yaml"
    answers.write_text(ANSWERS)
    run = ceder("--bank", str(SMALL_BANK), "run", "--answers", str(answers), "--save", str(session), "--force")
    assert run.code == 1 and len(run.err.strip().splitlines()) == 1, run.err
    assert "open in another ceder" in run.err
    assert session.read_bytes() == before
    first.answer("1")  # the holder's next answer is saved on top of its own, not of a stranger's
    assert load_session(session).answers["P2"].value == "dashboard"


def test_no_stale_lock_after_a_crash(tmp_path: Path, holder, small_bank: Bank) -> None:  # type: ignore[no-untyped-def]
    """SIGKILL a holder (just after it opened, or after an answer), many times: the next opener is never blocked."""
    session = tmp_path / "s.json"
    trials = int(os.environ.get("CEDER_LOCK_TRIALS", "8"))
    for i in range(trials):
        h = holder(session)
        if i % 2:
            h.answer("2" if i == 1 else "/skip")
        h.kill()
        assert lock_path(session).exists()  # a killed holder cannot tidy up: the file stays, unlocked
        again = Assessment.open_file(small_bank, session)
        assert again.lock is not None and again.read_only is None
        again.close()
    # and plain mode opens it too, straight after the last kill
    h = holder(session)
    h.kill()
    run = ceder("--bank", str(SMALL_BANK), "--plain", "--session", str(session), input="2\n")
    assert run.code == 0, run.err
    assert load_session(session).answers["P1"].value == "live"


def test_the_tui_opens_a_held_session_read_only(tmp_path: Path, holder, small_bank: Bank) -> None:  # type: ignore[no-untyped-def]
    from assistant.tui.sessions import open_session

    session = tmp_path / "s.json"
    first = holder(session)
    first.answer("2")
    before = session.read_bytes()
    opened = open_session(small_bank, session)
    a = opened.assessment
    assert a.read_only is not None and opened.notice == a.read_only
    assert f"process {first.proc.pid}" in a.read_only and "read-only" in a.read_only
    assert a.record_of("P1") is not None and a.record_of("P1").value == "live"  # type: ignore[union-attr]
    for move in (lambda: a.answer("dashboard"), a.skip, lambda: a.note("P1", "x"), a.finish, a.back):
        state = (a.state, a.session.current, a.session.model_dump())
        with pytest.raises(ReadOnly):
            move()
        assert (a.state, a.session.current, a.session.model_dump()) == state
    assert session.read_bytes() == before


def test_one_process_cannot_open_a_session_twice(tmp_path: Path, small_bank: Bank) -> None:
    session = tmp_path / "s.json"
    a = Assessment.open_file(small_bank, session)
    a.start()
    with pytest.raises(SessionLocked, match="open in another ceder"):
        Assessment.open_file(small_bank, session)
    a.close()
    b = Assessment.open_file(small_bank, session)
    assert b.lock is not None and load_session(session) == b.session
    b.close()
    assert not lock_path(session).exists()  # a normal close leaves nothing behind


RACER = """
import sys, time
from pathlib import Path
from flows import Assessment, SessionLocked
from question_banks import load_bank
bank = load_bank(sys.argv[2])
me, racers = int(sys.argv[3]), int(sys.argv[4])
session = Path(sys.argv[1])
(session.parent / f"ready-{session.stem}-{me}").touch()  # a barrier: everyone imported, then all go at once
while len(list(session.parent.glob(f"ready-{session.stem}-*"))) < racers:
    time.sleep(0.001)
try:
    a = Assessment.open_file(bank, session)
except SessionLocked:
    print("refused")
    sys.exit(0)
got = time.time()
a.start()
a.note("P1", f"racer {me}")
time.sleep(0.3)  # hold it while the others try
print(f"won {got} {time.time()}")
a.close()
"""


def test_racing_openers_never_both_win(tmp_path: Path) -> None:
    """Openers released together: never two holders at once (a later one may win after the first let go)."""
    rounds = int(os.environ.get("CEDER_LOCK_RACES", "6"))
    racers = 4
    refused = 0
    for r in range(rounds):
        session = tmp_path / f"race-{r}.json"
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", RACER, str(session), str(SMALL_BANK), str(i), str(racers)],
                env=ceder_env(),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for i in range(racers)
        ]
        results = [p.communicate(timeout=120) for p in procs]
        assert all(p.returncode == 0 for p in procs), [err for _, err in results]
        outcomes = [out.strip() for out, _ in results]
        held = sorted(
            (float(o.split()[1]), float(o.split()[2]), i) for i, o in enumerate(outcomes) if o.startswith("won")
        )
        assert held, outcomes
        for (_, end, _), (begin, _, _) in itertools.pairwise(held):
            assert begin >= end, f"two processes held the session at once: {outcomes}"
        assert load_session(session).notes["P1"] == f"racer {held[-1][2]}"
        refused += outcomes.count("refused")
    assert refused >= rounds  # the races were real: most openers found the session taken


def test_who_holds_the_lock_is_plain_text(tmp_path: Path) -> None:
    """The lock file is in the user's folder but is read back as data: no control characters reach the screen."""
    session = tmp_path / "s.json"
    held = SessionLock(session).acquire()
    raw = json.loads(lock_path(session).read_text())
    assert raw["pid"] == os.getpid() and "command" in raw and "since" in raw
    lock_path(session).write_text(json.dumps({"pid": 7, "command": "\x1b]0;pwned\x07ceder", "host": "h\x9b2J"}))
    try:
        SessionLock(session).acquire()
    except SessionLocked as exc:
        assert "\x1b" not in str(exc) and "\x9b" not in str(exc) and "process 7" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("a second lock was granted")
    finally:
        held.release()


async def test_the_tui_read_only_view_has_a_banner_naming_the_holder_and_refuses_every_change(
    tmp_path: Path,
    holder,  # type: ignore[no-untyped-def]
    small_bank: Bank,
) -> None:
    """A persistent band at the top of every screen (theme colours), and a clear line for every change refused."""
    from textual.color import Color

    from assistant.tui.app import make_app
    from assistant.tui.screens.actions import ActionPlanScreen
    from assistant.tui.screens.summary import SummaryScreen
    from assistant.tui.themes import HIGH_CONTRAST
    from assistant.tui.widgets.banner import ReadOnlyBanner
    from tests.tui.conftest import transcript

    session = tmp_path / "s.json"
    a = Assessment.open_file(small_bank, session)
    a.start()
    for value in ("live", "dashboard", "people", ["arrest"], 40, "no", "a plan"):  # to E2, with actions to track
        if a.in_review:
            a.proceed()
        a.answer(value)  # type: ignore[arg-type]
    a.close()
    first = holder(session)
    before = session.read_bytes()
    pid = f"process {first.proc.pid}"
    app = make_app(small_bank, session_path=session, export_dir=tmp_path / "exports")

    def banner() -> ReadOnlyBanner:
        shown = [b for b in app.screen.query(ReadOnlyBanner) if b.display]
        assert len(shown) == 1, app.screen
        text = str(shown[0].render())
        assert text.startswith("READ-ONLY") and pid in text and "ceder --plain" in text, text
        assert shown[0].region.y == 0 and shown[0].region.height >= 1  # on screen, at the top
        return shown[0]

    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.3)
        assert any(n.title == "Read-only" and pid in n.message for n in app._notifications)  # said at opening too
        default = banner().styles.background
        assert default == Color.parse(app.theme_variables["warning"])  # the theme's variable, not a fixed colour
        changes = {
            "answer": ["1"],
            "skip": ["ctrl+s"],
            "don't know": ["ctrl+d"],
            "back": ["ctrl+b"],
            "note": ["ctrl+n", "x", "enter"],
            "finish": [*"/finish", "enter", "2"],
        }
        for what, keys in changes.items():
            said = len(transcript(app))
            await pilot.press(*keys)
            await pilot.pause(0.3)
            new = transcript(app)[said:]
            assert any(line.startswith("Not changed: ") and pid in line and "read-only" in line for line in new), (
                what,
                new,
            )
            assert session.read_bytes() == before, what
            banner()
        await pilot.press("f9")  # the high-contrast theme: the band follows it
        await pilot.pause()
        assert app.theme == HIGH_CONTRAST.name
        assert banner().styles.background == Color.parse(app.theme_variables["warning"]) != default
        await pilot.press("ctrl+r")
        await pilot.pause(0.5)
        assert isinstance(app.screen, SummaryScreen)
        banner()
        await pilot.press("a")
        await pilot.pause(0.5)
        assert isinstance(app.screen, ActionPlanScreen)
        banner()
        await pilot.press("s", "2")  # an action's status: refused, said, no traceback
        await pilot.pause(0.5)
        told = [n.message for n in app._notifications]
        assert any(m.startswith("Not changed: ") and pid in m for m in told), told
        assert isinstance(app.screen, ActionPlanScreen)
    assert session.read_bytes() == before
