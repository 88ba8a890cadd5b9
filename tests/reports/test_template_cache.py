"""Compiled report templates are cached in the private cache folder, on the bank cache's terms."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path

import jinja2
import pytest

from assistant.reports import render, templating
from flows.summary import Summary


@pytest.fixture(autouse=True)
def _fresh_environments() -> Iterator[None]:
    """Each test builds its environments (and so its cache) anew, in its own data folder."""

    def clear() -> None:
        for fn in (templating.html_env, templating.md_env, templating._bytecode_cache):
            fn.cache_clear()

    clear()
    yield
    clear()


def _compiled(home: Path) -> list[Path]:
    return sorted((home / "cache" / "templates").glob("__jinja2_*.cache"))


def _no_compiling(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: jinja2.Environment, *args: object, **kwargs: object) -> object:
        raise AssertionError("the template was compiled, not loaded from the cache")

    monkeypatch.setattr(jinja2.Environment, "compile", refuse)


def test_a_second_render_loads_the_compiled_templates(
    before: Summary, _private_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = {fmt: render(before, fmt) for fmt in ("md", "html")}
    files = _compiled(_private_home)
    assert len(files) >= 2
    folder = files[0].parent
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    for fn in (templating.html_env, templating.md_env, templating._bytecode_cache):
        fn.cache_clear()
    _no_compiling(monkeypatch)
    assert {fmt: render(before, fmt) for fmt in ("md", "html")} == first


@pytest.mark.parametrize("mode", [0o620, 0o602])
def test_compiled_templates_others_can_write_are_never_loaded(
    before: Summary, _private_home: Path, monkeypatch: pytest.MonkeyPatch, mode: int
) -> None:
    expected = render(before, "md")
    for f in _compiled(_private_home):
        f.chmod(mode)
    for fn in (templating.html_env, templating.md_env, templating._bytecode_cache):
        fn.cache_clear()

    def refuse(*args: object) -> object:
        raise AssertionError("compiled code others can write must not be loaded")

    monkeypatch.setattr(jinja2.bccache.marshal, "load", refuse)
    assert render(before, "md") == expected


def test_a_cache_folder_that_cannot_be_written_only_costs_the_compile(
    before: Summary, _private_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = render(before, "md")
    for fn in (templating.html_env, templating.md_env, templating._bytecode_cache):
        fn.cache_clear()
    blocker = _private_home / "elsewhere"
    blocker.write_text("a file where the cache folder should be", "utf-8")
    monkeypatch.setenv("CEDER_HOME", str(blocker))
    assert render(before, "md") == expected
