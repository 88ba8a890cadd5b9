"""The two Jinja2 environments: HTML with autoescape, Markdown with a Markdown-escaping finalizer.

Templates ship as package data under ``assistant/reports/templates``.
"""

from __future__ import annotations

import io
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache

from assistant.reports.text import MdSafe, md_block, md_cell, md_inline, md_quote
from question_banks.cache import read_private


def version() -> str:
    """The installed ceder version, for the report's colophon."""
    try:
        return metadata.version("ceder-assistant")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0+unknown"


class _PrivateBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates in ceder's private cache folder: compiling the report templates costs 25-35 ms a run.

    Compiled code is code, so a file is loaded only on the bank cache's terms (a regular
    file this user owns that nobody else can write, in a folder nobody else can write);
    a cache that cannot be read or written only costs the compile. Jinja itself drops a
    file written by another Jinja or Python, or for another version of the template.
    """

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            data = read_private(Path(self._get_cache_filename(bucket)), Path(self.directory))
        except OSError:
            return
        bucket.load_bytecode(io.BytesIO(data))

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)  # a private temporary file (0600) renamed into place
        except OSError:
            pass


@cache
def _bytecode_cache() -> jinja2.BytecodeCache | None:
    try:
        from assistant.paths import cache_dir

        root = cache_dir()  # None when the data folder cannot be used: the cache is optional
        if root is None:
            return None
        folder = root / "templates"
        folder.mkdir(mode=0o700, exist_ok=True)
    except OSError:
        return None
    return _PrivateBytecodeCache(str(folder))


@cache
def html_env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("assistant.reports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_bytecode_cache(),
    )


def _md_finalize(value: Any) -> Any:
    """Every ``{{ expression }}`` in a Markdown template is escaped unless already Markdown."""
    if isinstance(value, MdSafe) or isinstance(value, int | float):
        return value
    return md_inline(value)


@cache
def md_env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("assistant.reports", "templates"),
        autoescape=False,
        finalize=_md_finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_bytecode_cache(),
    )
    env.filters["md_block"] = md_block
    env.filters["md_cell"] = md_cell
    env.filters["md"] = md_inline
    env.filters["md_quote"] = md_quote
    return env
