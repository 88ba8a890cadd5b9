"""``ceder serve``: safe defaults, one session file per browser, clear errors; and a real browser."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

from assistant.cli import build_parser, main
from assistant.commands import serve
from assistant.web.names import settle_web_session
from tests.conftest import SMALL_BANK
from tests.helpers.serve import serving
from tests.workshop.cdp import Browser, Terminal, find_chromium

ROOT = Path(__file__).resolve().parents[2]


def test_loopback_detection() -> None:
    for host in ("127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"):
        assert serve.is_loopback(host), host
    for host in ("0.0.0.0", "::", "192.168.1.20", "example.org"):
        assert not serve.is_loopback(host), host


def test_public_url() -> None:
    assert serve.public_url("127.0.0.1", 8000) == "http://127.0.0.1:8000"
    assert serve.public_url("::1", 8080) == "http://[::1]:8080"
    first = (serve.local_addresses() or [socket.gethostname()])[0]
    assert serve.public_url("0.0.0.0", 8000) == f"http://{first}:8000"


def test_each_connection_gets_a_fresh_session_file(tmp_path: Path) -> None:
    paths = {serve.fresh_session_path(tmp_path) for _ in range(50)}
    assert len(paths) == 50
    assert all(p.parent == tmp_path and p.name.startswith("web-") and p.suffix == ".json" for p in paths)


def test_connection_command_carries_bank_and_group(tmp_path: Path) -> None:
    args = build_parser().parse_args(["--bank", "tests/fixtures/bank_small", "--group", "a b,c", "serve"])
    argv = serve.connection_argv(args)
    assert argv[:3] == [sys.executable, "-m", "assistant"]
    assert argv[3:5] == ["--bank", str((Path.cwd() / "tests/fixtures/bank_small").resolve())]
    assert argv[5:] == ["--group", "a b,c"]


def test_the_per_connection_option_is_not_advertised(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    out = capsys.readouterr().out
    assert "--host" in out and "--port" in out and "--max-connections" in out
    assert "--connection" not in out and "--participant" not in out


def test_bad_port_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["serve", "--port", "99999"])
    assert exit_.value.code == 2


class FakeServer:
    """Stands in for ceder's web server: records how it was made, serves nothing."""

    made: ClassVar[list[dict[str, Any]]] = []

    def __init__(self, argv: list[str], **kwargs: Any) -> None:
        FakeServer.made.append({"argv": argv, **kwargs})

    def serve(self) -> None:
        pass


@pytest.fixture
def fake_server(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    pytest.importorskip("textual_serve.server")
    import assistant.web.server

    FakeServer.made = []
    monkeypatch.setattr(assistant.web.server, "CederServer", FakeServer)
    return FakeServer.made


def test_serve_defaults_to_loopback_without_warning(
    capsys: pytest.CaptureFixture[str], fake_server: list[dict[str, Any]], _private_home: Path
) -> None:
    assert main(["--bank", str(SMALL_BANK), "serve"]) == 0
    err = capsys.readouterr().err
    assert "WARNING" not in err
    assert "http://127.0.0.1:8000" in err
    assert str(_private_home / "sessions" / "web") in err
    assert fake_server[0]["host"] == "127.0.0.1" and fake_server[0]["port"] == 8000
    assert fake_server[0]["max_connections"] == serve.DEFAULT_CONNECTIONS
    assert fake_server[0]["allowed_hosts"] >= {"127.0.0.1:8000", "localhost:8000"}
    assert (_private_home / "sessions" / "web").is_dir()


def test_binding_elsewhere_warns_there_is_no_authentication(
    capsys: pytest.CaptureFixture[str], fake_server: list[dict[str, Any]]
) -> None:
    assert main(["--bank", str(SMALL_BANK), "serve", "--host", "0.0.0.0", "--public-url", "https://x.example"]) == 0
    err = capsys.readouterr().err
    assert "WARNING" in err and "NO authentication" in err
    assert fake_server[0]["public_url"] == "https://x.example"


def test_serve_refuses_a_broken_bank_before_serving(
    capsys: pytest.CaptureFixture[str], fake_server: list[dict[str, Any]], tmp_path: Path
) -> None:
    assert main(["--bank", str(tmp_path), "serve"]) == 1
    assert fake_server == []
    assert capsys.readouterr().err.count("\n") == 1


def test_serve_without_the_web_extra_says_how_to_install_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)
    monkeypatch.setitem(sys.modules, "assistant.web.server", None)
    assert main(["--bank", str(SMALL_BANK), "serve"]) == 1
    err = capsys.readouterr().err
    assert "ceder-assistant[web]" in err and err.count("\n") == 1


def test_plain_cannot_be_served(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--bank", str(SMALL_BANK), "--plain", "serve"]) == 1
    assert "--plain" in capsys.readouterr().err


def test_a_connection_opens_the_tui_on_a_fresh_web_session(
    monkeypatch: pytest.MonkeyPatch, _private_home: Path
) -> None:
    seen: list[argparse.Namespace] = []
    import assistant.launch

    monkeypatch.setattr(assistant.launch, "launch_tui", lambda args: seen.append(args) or 0)
    assert main(["--bank", str(SMALL_BANK), "serve", "--connection"]) == 0
    assert main(["--bank", str(SMALL_BANK), "serve", "--connection"]) == 0
    first, second = (Path(a.session) for a in seen)
    assert first != second
    assert first.parent == second.parent == _private_home / "sessions" / "web"


def test_a_port_in_use_is_a_one_line_error() -> None:
    pytest.importorskip("textual_serve")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "assistant", "--bank", str(SMALL_BANK), "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=60,
        )
    assert result.returncode == 1
    assert f"ceder: cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


WHOLE_ASSESSMENT = [  # (what the screen must show, then the keys that answer it)
    ("What stage is the project at?", "2"),  # live
    ("What kind of tool is it?", "1"),  # dashboard
    ("What will the output be used for?", "1"),  # back office
    ("How many people could it affect?", "40\r"),
    ("Complexity and Operational effect: done", "\r"),
    ("Is the legal power identified?", "3"),  # yes
    ("How confident are you in the human oversight?", "3"),  # 3 on the 0-3 scale
    ("Ethics: done", "\r"),
    ("Is the lawful basis documented?", "2"),
    ("Data: done", "\r"),
    ("Is there an evidenced problem statement?", "2"),
    ("Efficacy: done", "\r"),
    ("Who owns the tool now that it is live?", "2"),  # the wording for live tools
    ("Readiness: done", "\r"),
]


@contextlib.contextmanager
def served(tmp_path: Path, home: Path) -> Iterator[tuple[Browser, int]]:
    """``ceder serve`` on the fixture bank and a headless Chromium; both stopped afterwards."""
    chromium = find_chromium()
    if chromium is None:
        pytest.skip("Chromium is not installed")
    pytest.importorskip("textual_serve")
    log = tmp_path / "server.log"
    with log.open("w") as out, serving(env=os.environ.copy(), out=out, log=log, timeout=20) as (_, port):
        browser: Browser | None = None
        try:
            browser = Browser(chromium, tmp_path / "profile")
            yield browser, port
        finally:
            if browser is not None:
                browser.close()


def open_tab(browser: Browser, port: int, name: str = "Participant") -> Terminal:
    """A tab on the server's page: it asks for a name or team first, then starts the assistant."""
    target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    page = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    browser.send("Network.enable", {}, page)
    browser.send("Page.navigate", {"url": f"http://127.0.0.1:{port}/"}, page)
    deadline = time.monotonic() + 20
    script = (
        "(() => { const i = document.getElementById('name'); if (!i) return false;"
        f" i.value = {json.dumps(name)}; i.form.submit(); return true; }})()"
    )
    while not browser.send("Runtime.evaluate", {"expression": script, "returnByValue": True}, page)["result"].get(
        "value"
    ):
        assert time.monotonic() < deadline, "the page never asked for a name"
        time.sleep(0.2)
    terminal = Terminal(browser, page)
    terminal.target = target  # type: ignore[attr-defined]
    return terminal


@pytest.mark.browser
def test_serve_in_headless_chromium_through_the_first_question(tmp_path: Path, _private_home: Path) -> None:
    """Serve the app, open two tabs in Chromium, answer the first question in one by typing "2"."""
    web = _private_home / "sessions" / "web"
    with served(tmp_path, _private_home) as (browser, port):
        first, second = open_tab(browser, port), open_tab(browser, port)
        for tab in (first, second):  # a new assessment asks the project's details first: Enter skips each
            assert tab.wait_for("What is the project called?", 30), tab.text[-2000:]
            skip_details(tab)
        assert first.wait_for("What stage is the project at?", 30), first.text[-2000:]
        assert second.wait_for("What stage is the project at?", 30), second.text[-2000:]
        assert "Design or build" in first.text and "In live use" in first.text

        first.type("2")  # digits pick option N
        answered = None
        deadline = time.monotonic() + 15
        while answered is None and time.monotonic() < deadline:
            for path in web.glob("*.json"):
                data = json.loads(path.read_text())
                if data["answers"].get("P1", {}).get("value") == "live":
                    answered = path
            time.sleep(0.2)
        assert answered is not None, "the answer typed in the browser never reached a session file"
        assert first.wait_for("What kind of tool is it?", 15), first.text[-2000:]

        sessions = sorted(web.glob("*.json"))
        assert len(sessions) == 2  # one per browser tab
        other = next(p for p in sessions if p != answered)
        assert json.loads(other.read_text())["answers"] == {}  # the second tab's session is untouched
        assert oct(answered.stat().st_mode & 0o777) == "0o600"


def skip_details(tab: Terminal) -> None:
    """Enter past the six project details, waiting for each so no key is lost."""
    for n in range(1, 7):
        assert tab.wait_for(f"({n} of 6)", 30), tab.text[-1500:]
        time.sleep(0.3)
        tab.type("\r")


@pytest.mark.browser
def test_a_whole_assessment_in_the_browser_ends_in_a_downloaded_summary(tmp_path: Path, _private_home: Path) -> None:
    """Answer every question of the fixture bank in Chromium, reach the summary, download it as Markdown."""
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    with served(tmp_path, _private_home) as (browser, port):
        browser.send("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
        tab = open_tab(browser, port)
        assert tab.wait_for("What is the project called?", 30), tab.text[-2000:]
        skip_details(tab)
        steps = WHOLE_ASSESSMENT
        for needle, keys in steps:
            assert tab.wait_for(needle, 30), (needle, tab.text[-1500:])
            time.sleep(0.3)  # let the answer widget mount before typing
            tab.type(keys)
        assert tab.wait_for("0 blockers · 0 conditions", 30), tab.text[-1500:]  # the verdict screen
        session = next((_private_home / "sessions" / "web").glob("*.json"))
        data = json.loads(session.read_text())
        assert data["state"] == "summary" and len(data["answers"]) == 9
        time.sleep(0.3)
        tab.type("m")  # export Markdown: delivered to the browser as a download
        deadline = time.monotonic() + 30
        got: list[Path] = []
        while not got and time.monotonic() < deadline:
            got = [p for p in downloads.iterdir() if p.suffix == ".md"]
            time.sleep(0.2)
        assert got, (list(downloads.iterdir()), tab.text[-800:])
        text = got[0].read_text(encoding="utf-8")
        assert "Verdict: Ready" in text and "Small fixture bank" in text


@pytest.mark.browser
def test_two_participants_named_report_downloaded_no_empty_session_left(tmp_path: Path, _private_home: Path) -> None:
    """Issue 15 item 6: names asked first, each participant's HTML report downloads, an idle tab leaves no file."""
    web = _private_home / "sessions" / "web"
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    with served(tmp_path, _private_home) as (browser, port):
        browser.send("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
        ann, idle = open_tab(browser, port, "Ann (DPO)"), open_tab(browser, port, "Team 3")
        assert ann.wait_for("What is the project called?", 40), ann.text[-1500:]
        assert idle.wait_for("What is the project called?", 40), idle.text[-1500:]
        assert str(_private_home) not in ann.text + idle.text  # no server path on screen
        skip_details(ann)
        for needle, keys in WHOLE_ASSESSMENT:
            assert ann.wait_for(needle, 30), (needle, ann.text[-1500:])
            time.sleep(0.3)  # let the answer widget mount before typing
            ann.type(keys)
        assert ann.wait_for("0 blockers · 0 conditions", 30), ann.text[-1500:]  # the verdict screen
        time.sleep(0.5)
        ann.type("h")  # the HTML report, delivered as a download
        deadline = time.monotonic() + 30
        got: list[Path] = []
        while not got and time.monotonic() < deadline:
            got = [p for p in downloads.iterdir() if p.suffix == ".html"]
            time.sleep(0.2)
        assert got, (list(downloads.iterdir()), ann.text[-800:])
        html = got[0].read_text(encoding="utf-8")
        assert "Ann (DPO)" in html and str(_private_home) not in html
        browser.send("Target.closeTarget", {"targetId": idle.target})  # type: ignore[attr-defined]
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(list(web.glob("*.json"))) != 1:
            time.sleep(0.2)
        kept = list(web.glob("*.json"))
        assert len(kept) == 1 and kept[0].name.startswith("web-ann-dpo-"), kept
        assert json.loads(kept[0].read_text())["project"]["assessor"] == "Ann (DPO)"


def test_a_browser_session_is_named_after_the_project_when_its_participant_leaves(tmp_path: Path) -> None:
    from flows import Assessment, load_session
    from flows.locking import SessionLock
    from question_banks import load_bank

    bank = load_bank(SMALL_BANK)
    path = serve.fresh_session_path(tmp_path, "Ann (DPO)")
    a = Assessment.open_file(bank, path)
    a.set_project("DV perpetrator triage", assessor="Ann (DPO)")
    a.start()
    a.answer("design")
    assert settle_web_session(path, "Ann (DPO)") == path  # still open in its connection: it stays
    a.close()
    moved = settle_web_session(path, "Ann (DPO)")
    assert moved is not None and moved.name.startswith("dv-perpetrator-triage-ann-dpo-") and not path.exists()
    assert load_session(moved).answers["P1"].value == "design"
    SessionLock(moved).acquire().release()  # nobody holds it
    unnamed = serve.fresh_session_path(tmp_path, "Bo")
    b = Assessment.open_file(bank, unnamed)
    b.start()
    b.answer("live")
    b.close()
    assert settle_web_session(unnamed, "Bo") == unnamed  # no project name: the participant's name stays
    empty = serve.fresh_session_path(tmp_path, "Cy")
    Assessment.open_file(bank, empty).close()
    assert settle_web_session(empty, "Cy") is None and not empty.exists()
    other = serve.fresh_session_path(tmp_path, "Dee")
    d = Assessment.open_file(bank, other)
    d.set_project("DV perpetrator triage")
    d.start()
    d.answer("live")
    d.close()
    second = settle_web_session(other, "Dee")
    assert second is not None and second.name.startswith("dv-perpetrator-triage-dee-")
    out = tmp_path / "compare.json"  # compare, as the trainer runs it on the folder, groups them by project
    files = [str(p) for p in sorted(tmp_path.glob("*.json"))]
    assert main(["--bank", str(SMALL_BANK), "compare", *files, "--format", "json", "-o", str(out)]) == 0
    projects = {p["project"]: sorted(p["sessions"]) for p in json.loads(out.read_text())["projects"]}
    assert projects["DV perpetrator triage"] == sorted([str(moved), str(second)])
