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
import sys
from pathlib import Path
from typing import Any

TITLE = "CEDER self-assessment"
DEFAULT_CONNECTIONS = 20
WEB_FOLDER = "web"


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (1-65535)")
    return port


def _count(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 1 <= n <= 500:
        raise argparse.ArgumentTypeError(f"{n}: choose between 1 and 500 connections")
    return n


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser(
        "serve",
        parents=[common],
        help="the assistant in a web browser (needs the web extra)",
        description="Serve the assistant to web browsers with textual-serve. Each participant gives their name or "
        "team, then gets their own assessment, saved under the data folder's sessions/web/ (sessions left with no "
        "answer are not kept). There is no authentication: keep the default loopback address, or put a reverse "
        "proxy with authentication in front.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    p.add_argument("--port", type=_port, default=8000, help="port to listen on (default: 8000)")
    p.add_argument(
        "--public-url",
        metavar="URL",
        help="the address browsers use to reach the server (behind a reverse proxy, or when --host is 0.0.0.0)",
    )
    p.add_argument(
        "--max-connections",
        type=_count,
        default=DEFAULT_CONNECTIONS,
        metavar="N",
        help=f"participants connected at once (default: {DEFAULT_CONNECTIONS}; each is a process of about 60 MB)",
    )
    p.add_argument("--connection", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--participant", default="", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_serve)


def web_sessions_dir() -> Path:
    from assistant.paths import sessions_dir, writable_folder

    return writable_folder(sessions_dir() / WEB_FOLDER, "the web sessions folder")


def fresh_session_path(folder: Path, name: str = "") -> Path:
    """A new, unused session file name: the participant, a timestamp and a random suffix."""
    from assistant.web.names import fresh_session_path as fresh

    return fresh(folder, name)


def is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        import ipaddress

        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_wildcard(host: str) -> bool:
    return host.strip("[]") in ("0.0.0.0", "::", "")


def public_url(host: str, port: int) -> str:
    """What browsers should connect to: for a wildcard address, this machine's first network address."""
    if is_wildcard(host):
        import socket

        found = local_addresses()
        name = found[0] if found else socket.gethostname()
    else:
        name = host.strip("[]")
    if ":" in name:  # an IPv6 literal
        name = f"[{name}]"
    return f"http://{name}:{port}"


def local_addresses() -> list[str]:
    """This machine's IPv4 addresses other than loopback, read from the interfaces (no lookup, no packet)."""
    try:
        import fcntl
        import socket
        import struct
    except ImportError:  # pragma: no cover - not Unix
        return []
    found: list[str] = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        for _, name in socket.if_nameindex():
            try:
                packed = fcntl.ioctl(s.fileno(), 0x8915, struct.pack("256s", name[:15].encode()))  # SIOCGIFADDR
            except OSError:
                continue
            address = socket.inet_ntoa(packed[20:24])
            if not address.startswith("127.") and address not in found:
                found.append(address)
    return found


def allowed_hosts(host: str, port: int, url: str) -> set[str]:
    """The ``Host`` values (and origins) browsers may use: the address served, its public URL, local names."""
    from urllib.parse import urlsplit

    names = {host.strip("[]")}
    if is_loopback(host) or is_wildcard(host):
        names |= {"localhost", "127.0.0.1", "::1"}
    if is_wildcard(host):
        import socket

        names |= {*local_addresses(), socket.gethostname()}
    out = {f"[{n}]:{port}" if ":" in n else f"{n}:{port}" for n in names if n}
    public = urlsplit(url)
    if public.netloc:
        out.add(public.netloc.lower())
        if public.port is None and public.hostname:
            out.add(public.hostname.lower())  # a default port may be left out of Host
    return {h.lower() for h in out}


def connection_argv(args: argparse.Namespace) -> list[str]:
    """How the server starts each browser connection's ceder (the session, ``serve --connection`` and name follow)."""
    argv = [sys.executable, "-m", "assistant"]
    if args.bank:
        argv += ["--bank", str(Path(args.bank).resolve())]
    if getattr(args, "group", None):
        argv += ["--group", args.group]
    return argv


def cmd_serve(args: argparse.Namespace) -> int:
    from assistant.shared import CliError, load_bank_or_fail

    if args.connection:
        return run_connection(args)
    if getattr(args, "plain", False):
        raise CliError("--plain cannot be served: ceder serve runs the full-screen assistant in the browser")
    try:
        from assistant.web.server import CederServer
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
    print(
        f"ceder: up to {args.max_connections} participants at once; each gets their own session file in {folder}",
        file=sys.stderr,
    )
    server = CederServer(
        connection_argv(args),
        host=args.host,
        port=args.port,
        title=TITLE,
        public_url=url,
        allowed_hosts=allowed_hosts(args.host, args.port, url),
        folder=folder,
        max_connections=args.max_connections,
    )
    try:
        server.serve()
    except OSError as exc:
        raise CliError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from None
    return 0


def run_connection(args: argparse.Namespace) -> int:
    """One browser connection: the TUI on the session file the server chose (a fresh one when run by hand)."""
    from assistant.launch import launch_tui

    if not args.session:
        args.session = str(fresh_session_path(web_sessions_dir(), args.participant))
    args.plain = False
    return int(launch_tui(args))
