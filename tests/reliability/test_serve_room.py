"""A server fit for a room (issue 13, item 11; issue 15, item 6's ``ceder serve`` parts).

A real ``ceder serve`` on loopback, driven over HTTP and websockets as a browser would:
the name is asked first and tickets are single-use; connections are capped (the room is
full, the server carries on); Host and Origin are checked; the terminal size is clamped on
connect and on resize (read from the connection process's own environment and from the
screen it draws); every page loads only from this server; sessions left with no answer
are removed on disconnect, answered ones kept with the participant's name; no server path
ever reaches the browser; one process per connection.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers.serve import serving
from tests.reliability.conftest import ceder_env

pytest.importorskip("textual_serve")
aiohttp = pytest.importorskip("aiohttp")

_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]")


@dataclass
class Served:
    port: int
    home: Path
    proc: subprocess.Popen[bytes]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def web(self) -> Path:
        return self.home / "sessions" / "web"

    def get(self, path: str, host: str | None = None) -> tuple[int, str]:
        request = urllib.request.Request(self.base + path, headers={"Host": host} if host else {})
        try:
            with urllib.request.urlopen(request, timeout=20) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace")

    def ticket_url(self, name: str) -> str:
        status, page = self.get(f"/start?name={urllib.request.quote(name)}")
        assert status == 200, page
        found = re.search(r'data-session-websocket-url="([^"]+)"', page)
        assert found, page
        return found.group(1)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    home = tmp_path / "home"
    log = tmp_path / "server.log"
    with log.open("wb") as out, serving("--max-connections", "2", env=ceder_env(home), out=out, log=log) as started:
        proc, port = started
        yield Served(port, home, proc)
    assert "Traceback" not in log.read_text(), log.read_text()[-3000:]


class Participant:
    """One browser tab's websocket: what the app draws, and keys sent to it."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.raw = b""

    async def read_until(self, needle: str, within: float = 40) -> bool:
        deadline = time.monotonic() + within
        while needle not in _ANSI.sub("", self.raw[-20000:].decode("utf-8", "replace")):
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            try:
                msg = await self.ws.receive(timeout=left)
            except TimeoutError:
                return False
            if msg.type == aiohttp.WSMsgType.BINARY:
                self.raw += msg.data
            elif msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                return needle in self.text
        return True

    @property
    def text(self) -> str:
        return _ANSI.sub("", self.raw.decode("utf-8", "replace"))

    async def type(self, keys: str) -> None:
        await self.ws.send_str(json.dumps(["stdin", keys]))


async def skip_details(p: Participant) -> None:
    """Enter past the six project details the assessment opens with, waiting for each."""
    for n in range(1, 7):
        assert await p.read_until(f"({n} of 6)"), p.text[-500:]
        await asyncio.sleep(0.3)
        await p.type("\r")


async def connect(
    session: aiohttp.ClientSession, url: str, origin: str | None, size: tuple[int, int] = (100, 30)
) -> aiohttp.ClientWebSocketResponse:
    headers = {"Origin": origin} if origin else {}
    return await session.ws_connect(f"{url}?width={size[0]}&height={size[1]}", headers=headers)


def connection_processes(name: str) -> list[int]:
    """The pids of connection processes started for participant ``name`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"--participant" in argv and name.encode() in argv:
            found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    return os.path.exists(f"/proc/{pid}")


def parent_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def environ_of(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(item.decode().split("=", 1) for item in raw if b"=" in item)


def test_the_name_is_asked_first_and_pages_load_nothing_from_elsewhere(served: Served) -> None:
    status, page = served.get("/")
    assert status == 200 and 'name="name"' in page and "Your name or team" in page
    status, again = served.get("/start?name=%20%20")
    assert status == 200 and "Please type your name or team" in again and "websocket" not in again
    app_page = served.get("/start?name=Team%20%1b%5b31m3")[1]
    assert "Team [31m3" in app_page and "\x1b" not in app_page  # the name is plain text: ESC gone, words kept
    for html in (page, app_page):
        urls = re.findall(r'(?:src|href|url)\s*[=(]\s*["\']?([^"\')\s>]+)', html)
        assert urls, html
        outside = [u for u in urls if re.match(r"(https?:)?//", u) and "127.0.0.1" not in u and "w3.org" not in u]
        assert outside == [], outside  # the SVG namespace URI is an identifier, never fetched
        assert "googleapis" not in html and "gstatic" not in html
    # the static files the pages name are really served here
    for path in re.findall(r'"(/static/[^"]+)"', app_page):
        assert served.get(path)[0] == 200, path
    assert str(served.home) not in page + app_page


def test_host_and_origin_are_checked(served: Served) -> None:
    status, _ = served.get("/", host=f"attacker.example:{served.port}")
    assert status == 421  # a DNS-rebinding name never reaches the app
    status, _ = served.get("/", host=f"localhost:{served.port}")
    assert status == 200

    async def attempts() -> list[int]:
        out = []
        async with aiohttp.ClientSession() as s:
            for origin in ("http://attacker.example", None, f"http://127.0.0.1:{served.port + 1}"):
                url = served.ticket_url("Eve")
                try:
                    ws = await connect(s, url, origin)
                    await ws.close()
                    out.append(101)
                except aiohttp.WSServerHandshakeError as exc:
                    out.append(exc.status)
        return out

    assert asyncio.run(attempts()) == [403, 403, 403]
    assert not list(served.web.glob("*.json"))


def test_tickets_are_single_use(served: Served) -> None:
    async def go() -> tuple[int, int]:
        async with aiohttp.ClientSession() as s:
            url = served.ticket_url("Ann")
            first = await connect(s, url, served.base)
            try:
                await connect(s, url, served.base)
                second = 101
            except aiohttp.WSServerHandshakeError as exc:
                second = exc.status
            await first.close()
            forged = 101
            try:
                await connect(s, served.base.replace("http", "ws") + "/ws/forged-ticket", served.base)
            except aiohttp.WSServerHandshakeError as exc:
                forged = exc.status
            return second, forged

    assert asyncio.run(go()) == (403, 403)


def test_connections_are_capped_and_sizes_clamped(served: Served) -> None:
    async def go() -> dict[str, object]:
        report: dict[str, object] = {}
        async with aiohttp.ClientSession() as s:
            a = Participant(await connect(s, served.ticket_url("Ann"), served.base, size=(3000, 3000)))
            b = Participant(await connect(s, served.ticket_url("Bob"), served.base, size=(5, 2)))
            assert await a.read_until("What is the project called?"), a.text[-500:]
            assert await b.read_until("e.g."), b.text[-500:]  # 20 columns: the question wraps; its hint shows
            report["full_page"] = served.get("/")[1]
            status, _ = served.get("/start?name=Cat")
            report["full_status"] = status
            (ann,) = connection_processes("Ann")
            (bob,) = connection_processes("Bob")
            report["ann"] = (environ_of(ann)["COLUMNS"], environ_of(ann)["ROWS"])
            report["bob"] = (environ_of(bob)["COLUMNS"], environ_of(bob)["ROWS"])
            # started by the server itself (exec), not through a shell: one process per participant
            report["parents"] = {parent_of(pid) for pid in (ann, bob)}
            await a.ws.send_str(json.dumps(["resize", {"width": 100000, "height": 100000}]))
            await a.ws.send_str(json.dumps(["resize", {"width": "lots", "height": None}]))
            await asyncio.sleep(0.5)
            report["alive_after_resizes"] = alive(ann)
            await a.ws.close()
            await b.ws.close()
            for _ in range(100):  # the room has space again
                if served.get("/start?name=Cat")[0] == 200:
                    report["space_again"] = True
                    break
                await asyncio.sleep(0.1)
        return report

    report = asyncio.run(go())
    assert report["full_status"] == 503 and "The room is full" in str(report["full_page"])
    assert report["ann"] == ("300", "120") and report["bob"] == ("20", "8")
    assert report["parents"] == {served.proc.pid} and report["alive_after_resizes"] is True
    assert report.get("space_again") is True
    assert served.proc.poll() is None  # the server carried on throughout


def test_empty_sessions_are_not_kept_and_answered_ones_carry_the_name(served: Served) -> None:
    async def go() -> tuple[str, str]:
        async with aiohttp.ClientSession() as s:
            idle = Participant(await connect(s, served.ticket_url("Idle Ian"), served.base))
            busy = Participant(await connect(s, served.ticket_url("Team 3"), served.base))
            assert await idle.read_until("What is the project called?")
            assert await busy.read_until("What is the project called?")
            assert len(list(served.web.glob("*.json"))) == 2  # both sessions exist while connected
            await skip_details(busy)
            assert await busy.read_until("What stage is the project at?")
            await busy.type("2")
            assert await busy.read_until("What kind of tool is it?")
            await idle.ws.close()
            await busy.ws.close()
        return idle.text, busy.text

    idle_text, busy_text = asyncio.run(go())
    deadline = time.monotonic() + 30
    while len(list(served.web.glob("*.json"))) != 1 and time.monotonic() < deadline:
        time.sleep(0.2)
    (kept,) = served.web.glob("*.json")
    assert kept.name.startswith("web-team-3-")
    data = json.loads(kept.read_text())
    assert data["answers"]["P1"]["value"] == "live" and data["project"]["assessor"] == "Team 3"
    assert not list(served.web.glob(".*.lock"))
    for text in (idle_text, busy_text):  # the participant never sees where the server keeps files
        assert str(served.home) not in text and "/sessions/" not in text


def test_the_advertised_url_is_reachable_when_bound_beyond_loopback() -> None:
    from assistant.commands import serve

    url = serve.public_url("0.0.0.0", 8000)
    host = url.split("//", 1)[1].rsplit(":", 1)[0]
    addresses = serve.local_addresses()
    if addresses:
        assert host == addresses[0]  # an address this machine has, not a name that may not resolve
    allowed = serve.allowed_hosts("0.0.0.0", 8000, url)
    assert f"{host}:8000" in allowed and "localhost:8000" in allowed and "attacker.example:8000" not in allowed
    assert serve.allowed_hosts("127.0.0.1", 8000, "https://ceder.example") >= {"ceder.example", "127.0.0.1:8000"}
