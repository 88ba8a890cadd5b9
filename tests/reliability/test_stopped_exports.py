"""An export stopped mid-write leaves no temporary file (issue 13, item 5: killed exports).

Real ``ceder`` processes are stopped while a temporary file is half written: ``ceder report
-o`` by SIGTERM (``kill``, a container stopping) and SIGHUP (the terminal closed), and the
full-screen app, in a pseudo-terminal, by SIGHUP to its process group in the middle of an
export from the summary. A hook in the process (``sitecustomize``, test-only) holds the write
just before its ``fsync``, so the signal lands inside the write every time, not by chance.

Each process must end by that signal, as it would have without ceder's handler, and leave
neither the temporary file nor a partial export. SIGKILL cannot be caught by any process:
its temporary file stays until the next write into the folder sweeps it (shown here too).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows import Assessment
from flows.persistence import STALE_TEMP_SECONDS, TEMP_MARK
from question_banks import Bank
from tests.conftest import SMALL_BANK
from tests.helpers.env import ROOT, ceder_env
from tests.helpers.terminal import ceder_tui

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/fd; signals as on Linux")

HOLD = """
import os, time
_slow = os.environ.get("CEDER_TEST_HOLD_WRITE")
if _slow:
    _fsync = os.fsync

    def fsync(fd):
        try:
            name = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            name = ""
        if _slow in os.path.basename(name):
            with open(os.environ["CEDER_TEST_HOLD_MARK"], "w") as mark:
                mark.write(name)
            time.sleep(120)  # held mid-write until the test stops the process
        return _fsync(fd)

    os.fsync = fsync
if os.environ.get("CEDER_MUTANT"):  # the mutation runner's hook, which this one shadows on the path
    from tests.reliability.mutants import apply

    apply(os.environ["CEDER_MUTANT"])
"""


def held_env(tmp_path: Path, hold: str) -> tuple[dict[str, str], Path]:
    """An environment whose ceder holds any write of a temporary file named ``*hold*``; the mark file it writes then."""
    hook = tmp_path / "hook"
    hook.mkdir(exist_ok=True)
    (hook / "sitecustomize.py").write_text(HOLD)
    env = ceder_env(tmp_path / "home")
    env["PYTHONPATH"] = os.pathsep.join([str(hook), env["PYTHONPATH"]])
    mark = tmp_path / "held"
    env.update(CEDER_TEST_HOLD_WRITE=hold, CEDER_TEST_HOLD_MARK=str(mark))
    return env, mark


def wait_for_file(path: Path, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert proc.poll() is None, "ended before the write was held"
        assert time.monotonic() < deadline, "the write was never held"
        time.sleep(0.05)


def temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if TEMP_MARK in p.name and p.name.endswith(".tmp"))


def finished_session(bank: Bank, path: Path) -> None:
    a = Assessment.open_file(bank, path)
    a.start()
    a.finish()
    a.close()


def held_report(bank: Bank, tmp_path: Path) -> tuple[subprocess.Popen[bytes], Path, list[str]]:
    """``ceder report SESSION -o out/report.md`` held inside its write: the process, the output path, the command."""
    session, out = tmp_path / "s.json", tmp_path / "out" / "report.md"
    out.parent.mkdir()
    finished_session(bank, session)
    env, mark = held_env(tmp_path, f"report.md.{TEMP_MARK}")
    argv = [sys.executable, "-m", "assistant", "--bank", str(SMALL_BANK), "report", str(session), "-o", str(out)]
    proc = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wait_for_file(mark, proc)
    assert len(temps(out.parent)) == 1  # held with its temporary file half written
    return proc, out, argv


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_report_stopped_mid_write_leaves_no_temp_file(signum: int, small_bank: Bank, tmp_path: Path) -> None:
    proc, out, _ = held_report(small_bank, tmp_path)
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == -signum, err  # ended by the signal, as without the handler
    assert temps(out.parent) == [] and not out.exists()
    assert b"Traceback" not in err


def test_the_tui_closed_mid_export_leaves_no_temp_file(small_bank: Bank, tmp_path: Path) -> None:
    """The terminal window closed (SIGHUP to the app's process group) while the summary's Markdown export is written."""
    session, exports = tmp_path / "s.json", tmp_path / "home" / "exports"
    finished_session(small_bank, session)
    env, mark = held_env(tmp_path, f".md.{TEMP_MARK}")
    env["HOME"] = str(tmp_path / "home")  # no Downloads folder: exports go to ceder's own folder
    env.pop("XDG_DOWNLOAD_DIR", None)
    term = ceder_tui(session, env=env)
    try:
        assert term.wait_for("Readiness summary"), term.text()[-1500:]
        term.send("m")  # export the Markdown report
        wait_for_file(mark, term.proc)
        held = Path(mark.read_text())
        assert held.parent == exports and held.exists()
        os.killpg(term.proc.pid, signal.SIGHUP)
        term.proc.wait(timeout=60)
        assert term.proc.returncode == -signal.SIGHUP
        assert temps(exports) == [] and not list(exports.glob("*.md"))
    finally:
        term.kill()


def test_sigkill_cannot_be_caught_the_next_write_sweeps_its_temp_file(small_bank: Bank, tmp_path: Path) -> None:
    proc, out, argv = held_report(small_bank, tmp_path)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    (left,) = temps(out.parent)  # no handler runs on SIGKILL
    old = time.time() - STALE_TEMP_SECONDS - 5  # a minute later (a fresh one may be another export in progress)
    os.utime(out.parent / left, (old, old))
    again = subprocess.run(argv, env=ceder_env(tmp_path / "home"), cwd=ROOT, capture_output=True, timeout=60)
    assert again.returncode == 0, again.stderr
    assert temps(out.parent) == [] and out.read_text().startswith("# ")
