"""The validated-bank cache the TUI loads through (``question_banks.cache.load_bank_cached``)."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from question_banks import BankError, load_bank, shipped_bank_dir
from question_banks.cache import load_bank_cached
from tests.helpers.fresh import in_fresh_python


def _same(a: object, b: object) -> bool:
    return a.manifest == b.manifest and a.sections == b.sections  # type: ignore[attr-defined]


@pytest.fixture
def bank_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "bank"
    shutil.copytree(shipped_bank_dir(), folder, ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def _cached(cache: Path) -> list[Path]:
    return sorted(cache.glob("bank-*.pickle"))


def test_first_load_writes_the_cache_and_the_second_reads_it(bank_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = load_bank_cached(bank_dir, cache)
    assert _same(first, load_bank(bank_dir))
    assert len(_cached(cache)) == 1
    second = load_bank_cached(bank_dir, cache)
    assert second is not first
    assert _same(second, first)
    assert [q.id for q in second.questions] == [q.id for q in first.questions]
    assert second.position == first.position and second.dimension_of == first.dimension_of


@pytest.mark.parametrize("garbage", [b"", b"not a pickle", b"\x80\x05K\x01.", b"\x80\x05\x95"])
def test_a_corrupt_cache_is_silently_rebuilt(bank_dir: Path, tmp_path: Path, garbage: bytes) -> None:
    cache = tmp_path / "cache"
    load_bank_cached(bank_dir, cache)
    (path,) = _cached(cache)
    path.write_bytes(garbage)
    bank = load_bank_cached(bank_dir, cache)
    assert _same(bank, load_bank(bank_dir))
    assert path.read_bytes() != garbage  # rewritten
    assert _same(load_bank_cached(bank_dir, cache), bank)


def test_a_changed_bank_is_reloaded(bank_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    before = load_bank_cached(bank_dir, cache)
    manifest = bank_dir / "bank.yaml"
    text = manifest.read_text("utf-8")
    assert "\ntitle: " in text
    manifest.write_text(text.replace("\ntitle: ", "\ntitle: Changed ", 1), "utf-8")
    st = manifest.stat()
    os.utime(manifest, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    after = load_bank_cached(bank_dir, cache)
    assert _same(after, load_bank(bank_dir))
    assert after.title != before.title


def test_a_broken_bank_raises_as_load_bank_does_and_is_not_cached(bank_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    (bank_dir / "bank.yaml").write_text("id: [unclosed\n", "utf-8")
    with pytest.raises(BankError) as cached_exc:
        load_bank_cached(bank_dir, cache)
    with pytest.raises(BankError) as plain_exc:
        load_bank(bank_dir)
    assert [str(p) for p in cached_exc.value.problems] == [str(p) for p in plain_exc.value.problems]
    assert _cached(cache) == []


def test_an_unwritable_cache_folder_is_ignored(bank_dir: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the folder should be", "utf-8")
    assert _same(load_bank_cached(bank_dir, blocker), load_bank(bank_dir))


@pytest.mark.parametrize("mode", [0o620, 0o602])
def test_a_cache_others_can_write_is_never_unpickled(
    bank_dir: Path, tmp_path: Path, mode: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pickle
    import stat

    cache = tmp_path / "cache"
    load_bank_cached(bank_dir, cache)
    (path,) = _cached(cache)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.chmod(mode)

    def refuse(data: bytes) -> object:
        raise AssertionError("a cache others can write must not be unpickled")

    monkeypatch.setattr(pickle, "loads", refuse)
    bank = load_bank_cached(bank_dir, cache)
    assert _same(bank, load_bank(bank_dir))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # rewritten privately


def test_the_size_limit_is_the_loaders(tmp_path: Path) -> None:
    from question_banks import cache, loader

    assert cache._MAX_BYTES == loader.MAX_BANK_BYTES


def test_a_cache_from_another_pydantic_is_rebuilt(
    bank_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from question_banks import cache as module

    cache = tmp_path / "cache"
    load_bank_cached(bank_dir, cache)
    (path,) = _cached(cache)
    written = path.read_bytes()
    monkeypatch.setattr(module, "_pydantic_version", lambda: "0.0.1")
    assert _same(load_bank_cached(bank_dir, cache), load_bank(bank_dir))
    assert path.read_bytes() != written  # rewritten for this pydantic


def test_a_bank_that_changes_while_loading_is_not_cached(
    bank_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from question_banks import loader

    real = loader.load_bank

    def load_then_edit(folder: Path) -> object:
        bank = real(folder)
        manifest = bank_dir / "bank.yaml"
        manifest.write_text(manifest.read_text("utf-8").replace("\ntitle: ", "\ntitle: Edited ", 1), "utf-8")
        return bank

    monkeypatch.setattr(loader, "load_bank", load_then_edit)
    load_bank_cached(bank_dir, tmp_path / "cache")
    assert _cached(tmp_path / "cache") == []


def test_a_symlinked_cache_file_is_never_followed(bank_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_bank_cached(bank_dir, cache)
    (path,) = _cached(cache)
    elsewhere = tmp_path / "elsewhere.pickle"
    path.rename(elsewhere)
    path.symlink_to(elsewhere)
    assert _same(load_bank_cached(bank_dir, cache), load_bank(bank_dir))
    assert not path.is_symlink()  # replaced by a private file of its own
    assert elsewhere.read_bytes()  # the target is untouched


def test_a_bank_with_a_non_regular_yaml_entry_is_not_cached(bank_dir: Path, tmp_path: Path) -> None:
    (bank_dir / "60-extra.yaml").mkdir()  # a folder named like a section file: the cache leaves it to the loader
    try:
        expected = load_bank(bank_dir)
    except BankError as exc:
        with pytest.raises(BankError) as cached_exc:
            load_bank_cached(bank_dir, tmp_path / "cache")
        assert [str(p) for p in cached_exc.value.problems] == [str(p) for p in exc.problems]
    else:
        assert _same(load_bank_cached(bank_dir, tmp_path / "cache"), expected)
    assert _cached(tmp_path / "cache") == []


def test_an_edit_of_the_documents_mapping_is_seen(bank_dir: Path, tmp_path: Path) -> None:
    """The mapping beside ``bank.yaml`` is part of the bank: a same-size, same-time edit reaches the TUI."""
    cache = tmp_path / "cache"
    before = load_bank_cached(bank_dir, cache)
    mapping = bank_dir / "documents.yaml"
    st = mapping.stat()
    text = mapping.read_text("utf-8")
    assert "function: [{text: Public order and safety}]" in text
    mapping.write_text(text.replace("Public order and safety", "Public order and SAFETY", 1), "utf-8")
    os.utime(mapping, ns=(st.st_atime_ns, st.st_mtime_ns))
    after = load_bank_cached(bank_dir, cache)
    assert after.documents == load_bank(bank_dir).documents
    assert after.documents != before.documents


def test_the_shipped_folder_is_the_loaders() -> None:
    from question_banks import cache

    assert cache.SHIPPED == shipped_bank_dir()


def test_a_current_cache_loads_without_the_loader_or_yaml(bank_dir: Path, tmp_path: Path) -> None:
    """What the TUI saves at start-up: a cache hit imports neither the linter nor PyYAML."""

    load_bank_cached(bank_dir, tmp_path / "cache")
    code = (
        "import sys; from pathlib import Path; from question_banks.cache import load_bank_cached; "
        f"b = load_bank_cached(Path({str(bank_dir)!r}), Path({str(tmp_path / 'cache')!r})); "
        "print(len(b.questions), 'question_banks.loader' in sys.modules, 'yaml' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == [str(len(load_bank(bank_dir).questions)), "False", "False"]


def test_the_documents_mapping_comes_back_from_the_cache(bank_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    fresh = load_bank(bank_dir)
    assert fresh.documents is not None
    load_bank_cached(bank_dir, cache)
    cached = load_bank_cached(bank_dir, cache)
    assert cached.documents == fresh.documents
    again = pickle.loads(pickle.dumps(load_bank_cached(bank_dir, cache)))  # pickled before its mapping was read
    assert again.documents == fresh.documents


def test_a_cached_bank_reads_its_documents_mapping_only_when_asked(tmp_path: Path) -> None:
    """Commands that draft no ATRS or DPIA record do not pay for the mapping's models."""
    cache = tmp_path / "cache"
    load_bank_cached(shipped_bank_dir(), cache)
    code = (
        "import sys; from pathlib import Path; from question_banks.cache import load_bank_cached; "
        f"bank = load_bank_cached(None, Path({str(cache)!r})); "
        "before = 'question_banks.documents' in sys.modules; "
        "mapping = bank.documents; "
        "print(before, type(mapping).__name__); "
        "sys.exit(1 if before or type(mapping).__name__ != 'DocumentMap' else 0)"
    )
    in_fresh_python(code)
