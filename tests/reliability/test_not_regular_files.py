"""Files that are not regular files (issue 13, item 4).

Every path ceder reads on the user's say-so (a session, an answers file, a bank file,
a bank folder's entries) and every ``-o`` target is tried with what a path can name
besides a file: endless devices, a FIFO with no writer, a FIFO fed forever, process
substitution (``/dev/fd/N``), a socket, a folder, a symlink to a device. Each ends in
one line and exit status 1, without hanging (the commands run with a timeout) and
without reading more than the size cap.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from question_banks.files import FileRefused, read_limited
from tests.conftest import SMALL_BANK
from tests.reliability.conftest import Run, ceder, ceder_env, no_traceback

ANSWERS = "answers:\n  P1: live\n  P2: dashboard\n"


def one_line_refusal(run: Run, name: str) -> None:
    no_traceback(run)
    assert run.code == 1, (name, run.err)
    lines = run.err.strip().splitlines()
    assert len(lines) == 1, (name, run.err)
    assert "not a regular file" in lines[0], (name, lines[0])


def _fifo(tmp: Path) -> Path:
    path = tmp / "fifo"
    os.mkfifo(path)
    return path


def _socket(tmp: Path) -> Path:
    path = tmp / "sock"
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(path))
    _keep.append(s)
    return path


def _link_to_zero(tmp: Path) -> Path:
    path = tmp / "zero-link"
    path.symlink_to("/dev/zero")
    return path


_keep: list[socket.socket] = []
KINDS: dict[str, Callable[[Path], Path]] = {
    "dev-zero": lambda tmp: Path("/dev/zero"),
    "dev-urandom": lambda tmp: Path("/dev/urandom"),
    "fifo-no-writer": _fifo,
    "unix-socket": _socket,
    "symlink-to-dev-zero": _link_to_zero,
    "tty-like-dev-null": lambda tmp: Path("/dev/null"),
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_session_that_is_not_a_file(tmp_path: Path, kind: str) -> None:
    path = KINDS[kind](tmp_path)
    one_line_refusal(ceder("--bank", str(SMALL_BANK), "report", str(path), timeout=30), kind)
    one_line_refusal(ceder("--bank", str(SMALL_BANK), "--plain", "--session", str(path), input="", timeout=30), kind)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_an_answers_file_that_is_not_a_file(tmp_path: Path, kind: str) -> None:
    path = KINDS[kind](tmp_path)
    one_line_refusal(ceder("--bank", str(SMALL_BANK), "run", "--answers", str(path), timeout=30), kind)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_bank_file_that_is_not_a_file(tmp_path: Path, kind: str) -> None:
    bank = tmp_path / "bank"
    shutil.copytree(SMALL_BANK, bank)
    target = KINDS[kind](tmp_path)
    (bank / "60-odd.yaml").symlink_to(target)
    run = ceder("validate", str(bank), timeout=30)
    no_traceback(run)
    assert run.code == 1
    odd = [line for line in run.out.splitlines() if "60-odd.yaml" in line]
    assert len(odd) == 1 and "not a regular file" in odd[0], run.out  # never skipped silently
    one_line_refusal(ceder("--bank", str(bank), "questions", timeout=30), kind)


@contextmanager
def fed_forever() -> Iterator[int]:
    """A pipe a thread keeps writing YAML-looking text into: ``<(yes 'P1: live')`` as ceder sees it."""
    r, w = os.pipe()
    stop = threading.Event()

    def feed() -> None:
        chunk = b"answers:\n" + b"  # padding\n" * 10_000
        try:
            while not stop.is_set():
                os.write(w, chunk)
        except OSError:
            pass

    t = threading.Thread(target=feed, daemon=True)
    t.start()
    try:
        yield r
    finally:
        stop.set()
        os.close(r)
        t.join(timeout=10)
        os.close(w)


def test_process_substitution_is_refused_not_read_forever(tmp_path: Path) -> None:
    with fed_forever() as fd:
        proc = subprocess.run(
            [sys.executable, "-m", "assistant", "--bank", str(SMALL_BANK), "run", "--answers", f"/dev/fd/{fd}"],
            pass_fds=(fd,),
            capture_output=True,
            text=True,
            timeout=30,
            env=ceder_env(),
        )
    run = Run(proc.returncode, proc.stdout, proc.stderr, 0.0)
    one_line_refusal(run, "process substitution")
    assert "a pipe" in run.err


def test_output_onto_a_fifo(tmp_path: Path) -> None:
    """``-o`` onto an existing FIFO: refused without --force; with it, never blocks waiting for a reader."""
    answers = tmp_path / "a.yaml"
    answers.write_text(ANSWERS)
    fifo = _fifo(tmp_path)
    run = ceder("--bank", str(SMALL_BANK), "run", "--answers", str(answers), "-o", str(fifo), timeout=30)
    assert run.code == 1 and "already exists" in run.err and "--force" in run.err
    forced = ceder("--bank", str(SMALL_BANK), "run", "--answers", str(answers), "-o", str(fifo), "--force", timeout=30)
    assert forced.code == 1 and "nothing is reading" in forced.err and len(forced.err.strip().splitlines()) == 1
    assert not fifo.is_file()  # still a FIFO: never replaced
    # With a reader, --force writes through the pipe.
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(open(fifo, "rb").read()))
    reader.start()
    try:
        for _ in range(100):  # until the reader has the FIFO open
            done = ceder("--bank", str(SMALL_BANK), "run", "--answers", str(answers), "-o", str(fifo), "--force")
            if done.code == 0:
                break
        assert done.code == 0, done.err
    finally:
        reader.join(timeout=30)
    assert got and got[0].startswith(b"# ")


def test_the_byte_limit_is_hard(tmp_path: Path) -> None:
    """The cap is on bytes read, not on the size a file reports (which /proc files and growing files get wrong)."""
    big = tmp_path / "big"
    big.write_bytes(b"x" * 5000)
    with pytest.raises(FileRefused, match="too large"):
        read_limited(big, 4999)
    assert read_limited(big, 5000) == b"x" * 5000
    status = Path("/proc/self/status")
    if status.exists() and status.stat().st_size == 0:  # reports 0 bytes, holds more
        with pytest.raises(FileRefused, match="too large"):
            read_limited(status, 10)
