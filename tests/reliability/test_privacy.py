"""Privacy: private files in a private folder, no silent overwrites, and no network traffic.

Network use is watched with a Python audit hook (``sys.addaudithook``) installed in
every ceder process through a ``sitecustomize`` module: it logs each Internet socket
created, connected, bound or resolved. Local plumbing (the AF_UNIX socket pairs that
asyncio uses to wake its own loop) is not network traffic and is not logged.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import SMALL_BANK
from tests.helpers.serve import serving
from tests.reliability.conftest import ceder, ceder_env

ANSWERS = "answers:\n  P1: live\n  P2: dashboard\n  C1: places\n  C2: 40\n  E1: partly\n  E1a: soon\n  E2: '2'\n  D1: 'yes'\n  F1: 'yes'\n  R1: 'no'\n"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# -- private files ------------------------------------------------------------------
def test_data_folder_is_created_private_whatever_the_umask(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.paths import data_home, exports_dir, sessions_dir

    home = tmp_path / "deep" / "ceder"
    monkeypatch.setenv("CEDER_HOME", str(home))
    old = os.umask(0)
    try:
        assert data_home() == home
        folders = [home, sessions_dir(), exports_dir()]
    finally:
        os.umask(old)
    assert [mode(f) for f in folders] == [0o700, 0o700, 0o700]


def test_the_default_data_folder_is_private(tmp_path: Path) -> None:
    """Without CEDER_HOME: the platform's user data folder (XDG on Linux), created 0700."""
    env = ceder_env()
    env.pop("CEDER_HOME", None)
    env["HOME"] = str(tmp_path)
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    code = "from assistant.paths import sessions_dir; print(sessions_dir())"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    sessions = Path(out.strip())
    assert sessions.is_relative_to(tmp_path / "data")
    assert mode(sessions) == 0o700 and mode(sessions.parent) == 0o700


def test_sessions_and_exports_are_0600_in_0700_folders(tmp_path: Path, _private_home: Path) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text(ANSWERS)
    run = ceder("--bank", str(SMALL_BANK), "run", "--answers", str(answers), "--save", str(tmp_path / "s.json"))
    assert run.code == 0, run.err
    made = [tmp_path / "s.json"]
    for fmt in ("md", "json", "html", "csv"):
        out = tmp_path / f"r.{fmt}"
        assert (
            ceder("--bank", str(SMALL_BANK), "report", str(tmp_path / "s.json"), "--format", fmt, "-o", str(out)).code
            == 0
        )
        made.append(out)
    # Plain mode with no --session: a new file in the data folder's sessions folder.
    plain = ceder("--bank", str(SMALL_BANK), "--plain", input="1\n2\n")
    assert plain.code == 0, plain.err
    sessions = list((_private_home / "sessions").glob("*.json"))
    assert len(sessions) == 1
    made += sessions
    assert {p.name: mode(p) for p in made} == {p.name: 0o600 for p in made}
    assert mode(_private_home) == 0o700 and mode(_private_home / "sessions") == 0o700


def test_a_replaced_session_stays_private_even_if_it_was_opened_up(tmp_path: Path) -> None:
    from flows import Assessment, load_session
    from question_banks import load_bank

    path = tmp_path / "s.json"
    a = Assessment(load_bank(SMALL_BANK), path=path)
    a.start()
    path.chmod(0o644)
    b = Assessment(a.bank, load_session(path), path=path)
    b.answer("live")
    assert mode(path) == 0o600


# -- never overwrite without --force ------------------------------------------------
def _outputs(tmp_path: Path) -> list[list[str]]:
    answers = tmp_path / "a.yaml"
    answers.write_text(ANSWERS)
    s1, s2 = tmp_path / "s1.json", tmp_path / "s2.json"
    for s in (s1, s2):
        assert ceder("--bank", str(SMALL_BANK), "run", "--answers", str(answers), "--save", str(s)).code == 0
    bank = ["--bank", str(SMALL_BANK)]
    return [
        [*bank, "run", "--answers", str(answers), "-o"],
        [*bank, "run", "--answers", str(answers), "--save"],
        *([*bank, "report", str(s1), "--format", fmt, "-o"] for fmt in ("md", "json", "html", "csv")),
        [*bank, "diff", str(s1), str(s2), "-o"],
        [*bank, "compare", str(s1), str(s2), "-o"],
        [*bank, "graph", "-o"],
    ]


def test_no_command_overwrites_an_existing_file_without_force(tmp_path: Path) -> None:
    checked = 0
    for i, command in enumerate(_outputs(tmp_path)):
        target = tmp_path / f"existing-{i}.out"
        target.write_bytes(b"precious")
        run = ceder(*command, str(target))
        assert run.code == 1, (command, run.err)
        assert "already exists" in run.err and "--force" in run.err and len(run.err.strip().splitlines()) == 1
        assert target.read_bytes() == b"precious"
        forced = ceder(*command, str(target), "--force")
        assert forced.code == 0, (command, forced.err)
        assert target.read_bytes() != b"precious" and mode(target) == 0o600
        checked += 1
    assert checked == 9


def test_every_command_that_writes_files_is_covered(tmp_path: Path) -> None:
    """A new command with -o/--save must be added to the overwrite test above."""
    from assistant.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    writers = {
        name
        for name, p in sub.choices.items()  # type: ignore[union-attr]
        if any(set(a.option_strings) & {"-o", "--output", "--save"} for a in p._actions)
    }
    assert writers == {"run", "report", "diff", "compare", "graph"}


# -- no network ---------------------------------------------------------------------
SITECUSTOMIZE = """
import os, sys, socket
_LOG = os.environ.get("CEDER_NET_LOG")
_INET = (socket.AF_INET, socket.AF_INET6)
_WATCH = {"socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg", "socket.getaddrinfo",
          "socket.gethostbyname", "socket.gethostbyaddr", "socket.getnameinfo", "urllib.Request",
          "http.client.connect", "http.client.send"}

def _hook(event, args):
    if event == "socket.__new__":
        if args[1] not in _INET:
            return
        detail = ("socket", int(args[1]))
    elif event in _WATCH:
        if event in ("socket.connect", "socket.bind", "socket.sendto") and getattr(args[0], "family", None) not in _INET:
            return
        detail = tuple(a for a in args if isinstance(a, (str, int, tuple)))
    else:
        return
    with open(_LOG, "a") as fh:
        fh.write(f"{os.getpid()} {event} {detail!r}\\n")

if _LOG:
    sys.addaudithook(_hook)

# Then run the sitecustomize this one shadows, if any (the mutation runner's, a system one).
_here = os.path.dirname(os.path.abspath(__file__))
for _d in sys.path:
    _f = os.path.join(_d or ".", "sitecustomize.py")
    if os.path.abspath(_d or ".") != _here and os.path.isfile(_f):
        exec(compile(open(_f).read(), _f, "exec"), {"__name__": "sitecustomize", "__file__": _f})
        break
"""


@pytest.fixture
def watched(tmp_path: Path) -> tuple[dict[str, str], Path]:
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(SITECUSTOMIZE)
    log = tmp_path / "net.log"
    env = ceder_env()
    env["PYTHONPATH"] = os.pathsep.join([str(hook), env["PYTHONPATH"]])
    env["CEDER_NET_LOG"] = str(log)
    return env, log


def _run(env: dict[str, str], *args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args], env=env, input=input, capture_output=True, text=True, timeout=60
    )


def test_the_watch_sees_network_use(watched: tuple[dict[str, str], Path]) -> None:
    """The hook itself works: a process that does resolve a name and connect is caught."""
    env, log = watched
    code = "import socket\ntry:\n    socket.create_connection(('127.0.0.1', 9), timeout=0.2)\nexcept OSError:\n    pass"
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=30)
    text = log.read_text()
    assert "socket.connect" in text and "127.0.0.1" in text


def test_headless_commands_and_plain_mode_open_no_connection(
    tmp_path: Path, watched: tuple[dict[str, str], Path]
) -> None:
    env, log = watched
    answers = tmp_path / "a.yaml"
    answers.write_text(ANSWERS)
    bank = ["--bank", str(SMALL_BANK)]
    s1, s2 = tmp_path / "s1.json", tmp_path / "s2.json"
    commands: list[tuple[list[str], str | None]] = [
        (["--version"], None),
        (["--help"], None),
        ([*bank, "questions"], None),
        ([*bank, "questions", "--format", "json"], None),
        (["validate"], None),
        (["validate", str(SMALL_BANK)], None),
        ([*bank, "run", "--answers", str(answers), "--format", "json", "--save", str(s1)], None),
        ([*bank, "run", "--answers", str(answers), "--format", "html", "--save", str(s2)], None),
        ([*bank, "scenarios"], None),
        ([*bank, "diff", str(s1), str(s2)], None),
        ([*bank, "compare", str(s1), str(s2)], None),
        ([*bank, "graph"], None),
        ([*bank, "--plain", "--session", str(tmp_path / "p.json")], "2\n1\n3\n/note x\n1\n5\n"),
        ([*bank, "--plain", "--session", str(tmp_path / "p.json")], "/summary\n/finish\n"),
    ]
    for fmt in ("md", "json", "html", "csv"):
        commands.append(([*bank, "report", str(s1), "--format", fmt], None))
    for args, stdin in commands:
        result = _run(env, *args, input=stdin)
        assert result.returncode == 0, (args, result.stderr[-500:])
    assert not log.exists(), log.read_text()[:2000]


async def test_the_tui_opens_no_connection(tmp_path: Path) -> None:
    """A Pilot session (open, answer, note, summary) with the audit hook watching this process."""
    pytest.importorskip("textual")
    from assistant.tui.app import make_app
    from question_banks import load_bank

    events: list[str] = []
    watching = [True]

    def hook(event: str, args: tuple[object, ...]) -> None:
        if not watching[0]:
            return
        if event == "socket.__new__" and args[1] in (socket.AF_INET, socket.AF_INET6):
            events.append(event)
        elif event in ("socket.connect", "socket.bind", "socket.getaddrinfo", "socket.sendto"):
            if event == "socket.getaddrinfo" or getattr(args[0], "family", None) in (socket.AF_INET, socket.AF_INET6):
                events.append(f"{event} {args[1:]!r}")

    sys.addaudithook(hook)  # audit hooks cannot be removed; this one only records while ``watching``
    try:
        app = make_app(load_bank(SMALL_BANK), session_path=tmp_path / "s.json", export_dir=tmp_path, ask_details=False)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            for key in ("1", "enter", "2", "enter", "ctrl+p"):
                await pilot.press(key)
                await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
    finally:
        watching[0] = False
    assert events == []
    assert json.loads((tmp_path / "s.json").read_text())["answers"], "the Pilot session did answer"


def test_serve_listens_only_on_the_address_asked(watched: tuple[dict[str, str], Path]) -> None:
    pytest.importorskip("textual_serve")
    env, log = watched
    with serving("--host", "127.0.0.1", env=env) as (_, port):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=20) as response:
            assert response.read(), "the server never answered"
    lines = log.read_text().splitlines()
    binds = [ln for ln in lines if "socket.bind" in ln]
    assert binds and all(f"('127.0.0.1', {port})" in ln for ln in binds), binds
    outgoing = [ln for ln in lines if "socket.connect" in ln or "socket.sendto" in ln]
    assert outgoing == [], outgoing
    lookups = [ln for ln in lines if "getaddrinfo" in ln or "gethostby" in ln]
    assert all("127.0.0.1" in ln for ln in lookups), lookups
