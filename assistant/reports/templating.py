"""The two Jinja2 environments: HTML with autoescape, Markdown with a Markdown-escaping finalizer.

Templates ship as package data under ``assistant/reports/templates``.
"""

from __future__ import annotations

from functools import cache
from importlib import metadata
from typing import Any

import jinja2

from assistant.reports.text import MdSafe, md_block, md_cell, md_inline, md_quote


def version() -> str:
    """The installed ceder version, for the report's colophon."""
    try:
        return metadata.version("ceder-assistant")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0+unknown"


@cache
def html_env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("assistant.reports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
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
    )
    env.filters["md_block"] = md_block
    env.filters["md_cell"] = md_cell
    env.filters["md"] = md_inline
    env.filters["md_quote"] = md_quote
    return env
