"""The web server behind ``ceder serve``: textual-serve, made fit for a room of participants.

What textual-serve does not do, and a workshop needs:

- **A name first.** ``/`` asks each participant for their name or team; ``/start`` then
  issues a one-time ticket for one websocket. The name becomes the session's assessor and
  part of its file name (so the trainer's ``ceder compare`` says who is who).
- **A cap on connections** (``--max-connections``): each connection is a ceder process of
  about 60 MB; the next participant is told the room is full, the server carries on.
- **Host and Origin checked.** A page on another site cannot open sessions on the
  trainer's server (Origin), nor can a DNS-rebinding name reach it (Host).
- **Terminal size clamped**, on connect and on every resize (3000x3000 would pin a CPU).
- **Everything served locally**: no web font from an outside host.
- **No empty sessions kept**: when a connection ends with no answer given, its file goes.
- One process per connection (exec, not a shell), and no server path ever shown.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from assistant.web.names import clamp_size, clean_name, drop_if_empty, fresh_session_path, settle_web_session

log = logging.getLogger("ceder.serve")

TEMPLATES = Path(__file__).parent / "templates"
TICKET_SECONDS = 120.0


class _ProcessService(AppService):
    """textual-serve's AppService, starting the connection's ceder with exec (one process, no shell)."""

    def __init__(self, argv: list[str], **kwargs: Any) -> None:
        super().__init__(argv[0], **kwargs)
        self.argv = argv

    async def _open_app_process(self, width: int = 80, height: int = 24) -> asyncio.subprocess.Process:
        environment = self._build_environment(width=width, height=height)
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=environment,
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def run(self) -> None:
        """Relay the app until it ends; then end the browser's connection too (it would wait forever)."""
        await super().run()
        with contextlib.suppress(Exception):
            await self.remote_close()


@dataclass
class Room:
    """Who is connected, and the tickets handed out but not yet used."""

    limit: int
    active: int = 0
    tickets: dict[str, tuple[str, float]] = field(default_factory=dict)

    def issue(self, name: str) -> str:
        now = time.monotonic()
        self.tickets = {t: (n, at) for t, (n, at) in self.tickets.items() if now - at < TICKET_SECONDS}
        ticket = secrets.token_urlsafe(18)
        self.tickets[ticket] = (name, now)
        return ticket

    def redeem(self, ticket: str) -> str | None:
        found = self.tickets.pop(ticket, None)
        if found is None or time.monotonic() - found[1] >= TICKET_SECONDS:
            return None
        return found[0]

    @property
    def full(self) -> bool:
        return self.active >= self.limit


class CederServer(Server):
    """See the module docstring. ``argv`` starts ceder (with its --bank); the session, name and command are added."""

    def __init__(
        self,
        argv: list[str],
        *,
        host: str,
        port: int,
        title: str,
        public_url: str,
        allowed_hosts: set[str],
        folder: Path,
        max_connections: int,
    ) -> None:
        import textual_serve

        static = Path(textual_serve.__file__).parent / "static"
        super().__init__(
            argv[0],
            host=host,
            port=port,
            title=title,
            public_url=public_url,
            statics_path=static,
            templates_path=TEMPLATES,
        )
        self.argv = argv
        self.allowed_hosts = {h.lower() for h in allowed_hosts}
        self.folder = folder
        self.room = Room(max_connections)

    # -- the application ------------------------------------------------------------
    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._check_host], client_max_size=64 * 1024)
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path), autoescape=True)
        app.add_routes(
            [
                web.get("/", self.handle_name, name="index"),
                web.get("/start", self.handle_start, name="start"),
                web.get("/ws/{ticket}", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, show_index=False, name="static"),
            ]
        )
        app.on_startup.append(self.on_startup)
        return app

    async def on_startup(self, app: web.Application) -> None:
        """Quiet: ``ceder serve`` prints its own lines (textual-serve's would name the command it runs)."""

    def initialize_logging(self) -> None:
        logging.basicConfig(level="WARNING", format="ceder serve: %(message)s")

    @web.middleware
    async def _check_host(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        """Only the names this server is reached by (a rebinding DNS name is not one of them)."""
        if request.host.lower() not in self.allowed_hosts:
            raise web.HTTPMisdirectedRequest(text="ceder serve: this server is not reached by that name\n")
        return await handler(request)

    def _origin_ok(self, request: web.Request) -> bool:
        """A browser always says which page opened a connection: it must be one of this server's own."""
        origin = request.headers.get("Origin")
        if origin is None:
            return False
        parts = urlsplit(origin)
        return parts.scheme in ("http", "https") and parts.netloc.lower() in self.allowed_hosts

    # -- pages ------------------------------------------------------------------------
    async def handle_name(self, request: web.Request) -> web.Response:
        return self._page(request, "name.html", full=self.room.full, error="")

    async def handle_start(self, request: web.Request) -> web.Response:
        name = clean_name(request.query.get("name", ""))
        if not name:
            return self._page(request, "name.html", full=self.room.full, error="Please type your name or team.")
        if self.room.full:
            return self._page(request, "name.html", full=True, error="", status=503)
        ticket = self.room.issue(name)
        scheme = "wss" if request.secure or self.public_url.startswith("https") else "ws"
        return self._page(
            request,
            "app_index.html",
            name=name,
            app_websocket_url=f"{scheme}://{request.host}/ws/{ticket}",
            font_size=min(32, max(8, to_int(request.query.get("fontsize", "16"), 16))),
        )

    def _page(self, request: web.Request, template: str, status: int = 200, **context: Any) -> web.Response:
        context.setdefault("application", {"name": self.title})
        context.setdefault("limit", self.room.limit)
        context["static_url"] = "/static/"
        response = aiohttp_jinja2.render_template(template, request, context, status=status)
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; font-src 'self'; connect-src 'self' ws: wss:; frame-ancestors 'none'"
        )
        response.headers["Cache-Control"] = "no-store"
        return response

    # -- one participant's connection -------------------------------------------------------
    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        if not self._origin_ok(request):
            raise web.HTTPForbidden(text="ceder serve: connections come from this server's own page\n")
        name = self.room.redeem(request.match_info["ticket"])
        if name is None:
            raise web.HTTPForbidden(text="ceder serve: start from the server's page (the link has expired)\n")
        if self.room.full:
            raise web.HTTPServiceUnavailable(text="ceder serve: the room is full\n")
        width, height = clamp_size(
            to_int(request.query.get("width", "80"), 80), to_int(request.query.get("height", "24"), 24)
        )
        session = fresh_session_path(self.folder, name)
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=64 * 1024)
        service: _ProcessService | None = None
        self.room.active += 1
        try:
            await websocket.prepare(request)
            service = _ProcessService(
                [*self.argv, "--session", str(session), "serve", "--connection", "--participant", name],
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
                debug=self.debug,
            )
            await service.start(width, height)
            await self._relay(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # one participant's failure never stops the room
            log.warning("a connection ended with an error: %s", error)
        finally:
            try:
                if service is not None:
                    await service.stop()
            finally:
                self.room.active -= 1
                settle_web_session(session, name)
        return websocket

    async def _relay(self, websocket: web.WebSocketResponse, service: AppService) -> None:
        """The browser's keys and sizes to the app (sizes clamped), pings answered."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                kind, data = message.json()
            except (ValueError, TypeError):
                continue
            if kind == "stdin" and isinstance(data, str):
                await service.send_bytes(data.encode("utf-8"))
            elif kind == "resize" and isinstance(data, dict):
                width, height = clamp_size(to_int(str(data.get("width")), 80), to_int(str(data.get("height")), 24))
                await service.set_terminal_size(width, height)
            elif kind == "ping":
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await service.blur()
            elif kind == "focus":
                await service.focus()


__all__ = ["CederServer", "clamp_size", "clean_name", "drop_if_empty", "fresh_session_path", "settle_web_session"]
