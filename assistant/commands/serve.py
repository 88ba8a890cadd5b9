"""``ceder serve``: the assistant in a web browser, through textual-serve.

Every browser connection starts its own ``ceder`` process (textual-serve runs one
subprocess per websocket), and each of those opens a fresh session file under
``<data folder>/sessions/web/``, so participants never share or overwrite an
assessment. The trainer can then ``ceder compare`` those files.

There is no authentication: bind to loopback (the default) and, for a workshop
network, put a reverse proxy with authentication in front. Needs the ``web`` extra
(textual-serve); Textual is imported only by the per-connection processes.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import secrets
import shlex
import socket
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

TITLE = "CEDER self-assessment"
WEB_FOLDER = "web"


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (1-65535)")
    return port


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser(
        "serve",
        parents=[common],
        help="the assistant in a web browser (needs the web extra)",
        description="Serve the assistant to web browsers with textual-serve. Each browser tab gets its own "
        "assessment, saved under the data folder's sessions/web/. There is no authentication: keep the default "
        "loopback address, or put a reverse proxy with authentication in front.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    p.add_argument("--port", type=_port, default=8000, help="port to listen on (default: 8000)")
    p.add_argument(
        "--public-url",
        metavar="URL",
        help="the address browsers use to reach the server (behind a reverse proxy, or when --host is 0.0.0.0)",
    )
    p.add_argument("--connection", action="store_true", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_serve)


def web_sessions_dir() -> Path:
    from assistant.paths import sessions_dir

    folder = sessions_dir() / WEB_FOLDER
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def fresh_session_path(folder: Path) -> Path:
    """A new, unused session file name: a timestamp and a random suffix (connections can start together)."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    while True:
        path = folder / f"web-{stamp}-{secrets.token_hex(3)}.json"
        if not path.exists():
            return path


def is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_wildcard(host: str) -> bool:
    return host.strip("[]") in ("0.0.0.0", "::", "")


def public_url(host: str, port: int) -> str:
    """What browsers should connect to (the page embeds it in the websocket address)."""
    name = socket.getfqdn() if is_wildcard(host) else host.strip("[]")
    if ":" in name:  # an IPv6 literal
        name = f"[{name}]"
    return f"http://{name}:{port}"


def connection_command(args: argparse.Namespace) -> str:
    """The shell command textual-serve runs for each browser connection."""
    argv = [sys.executable, "-m", "assistant"]
    if args.bank:
        argv += ["--bank", str(Path(args.bank).resolve())]
    if getattr(args, "group", None):
        argv += ["--group", args.group]
    argv += ["serve", "--connection"]
    return subprocess.list2cmdline(argv) if os.name == "nt" else shlex.join(argv)


def cmd_serve(args: argparse.Namespace) -> int:
    from assistant.shared import CliError, load_bank_or_fail

    if args.connection:
        return run_connection(args)
    if getattr(args, "plain", False):
        raise CliError("--plain cannot be served: ceder serve runs the full-screen assistant in the browser")
    try:
        from textual_serve.server import Server
    except ImportError:
        raise CliError("ceder serve needs textual-serve: pip install 'ceder-assistant[web]'") from None
    load_bank_or_fail(args.bank)  # a broken bank fails here, not in every browser
    folder = web_sessions_dir()
    url = args.public_url or public_url(args.host, args.port)
    if not is_loopback(args.host):
        print(
            f"WARNING: listening on {args.host}, not just this machine. ceder serve has NO authentication: "
            f"anyone who can reach port {args.port} can start assessments on this server. On a shared network, "
            "put a reverse proxy with authentication in front, or use the default --host 127.0.0.1.",
            file=sys.stderr,
        )
    print(f"ceder: serving the assistant at {url} (Ctrl+C to stop)", file=sys.stderr)
    print(f"ceder: each browser tab gets its own session file in {folder}", file=sys.stderr)
    server = Server(connection_command(args), host=args.host, port=args.port, title=TITLE, public_url=url)
    try:
        server.serve()
    except OSError as exc:
        raise CliError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from None
    return 0


def run_connection(args: argparse.Namespace) -> int:
    """One browser connection: the TUI on a fresh session file."""
    from assistant.launch import launch_tui

    args.session = str(fresh_session_path(web_sessions_dir()))
    args.plain = False
    return int(launch_tui(args))
