"""Start-up and memory: ``ceder`` to its first question on screen, against a bare Textual app.

    python -m benchmarks.startup [--pairs 7] [--bank DIR] [--importtime] [--before REV|DIR]

Each run starts the program in a fresh pseudo-terminal (100x30, TERM=xterm-256color)
and reads what it writes, stripped of escape sequences, until the expected text
appears: for ceder the first words of the bank's first question (``ceder --bank DIR
--session NEW.json``, a new session each time, so it opens on that question), for
the baseline the text of ``benchmarks/bare_app.py`` (a minimal ``App`` with one
``Static``). The clock runs from just before the fork to the moment the text is
read; the peak resident memory (``VmHWM``) is read from ``/proc`` at that moment,
then the program is killed. Compiled bytecode is kept in a folder of the run's
own (``common.with_bytecode_cache``), which a warm-up run of each fills; then the
two alternate, the one going first swapping every pair, and the figures are medians.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.common import PYTHON, ROOT, fmt_time, median, rotations, source_tree, table, with_bytecode_cache

GOAL = 1.3
COLS, ROWS = 100, 30
_ESCAPES = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[PX^_][^\x1b]*\x1b\\|\x1b[@-Z\\-_]"
)


def ceder_command() -> list[str]:
    script = Path(PYTHON).parent / "ceder"
    return [str(script)] if script.exists() else [PYTHON, "-m", "assistant"]


def first_question_marker(bank_dir: Path | None) -> str:
    """The first words of the first question ceder asks on a new session (what must be on screen).

    Asked of the conversation layer, as the TUI does: it may open with the project's
    details before the bank's first question.
    """
    from flows import Assessment
    from question_banks import load_bank

    a = Assessment((bank_dir and load_bank(bank_dir)) or load_bank())
    a.start()
    text = ""
    try:
        from conversation.core import Conversation

        reply = Conversation(a, None, keys=True).open(resumed=False, ask_details=True)
        asked = [t for t in reply.turns if t.kind == "question"]
        text = asked[-1].text() if asked else ""
    except (ImportError, TypeError):  # a revision without the conversation layer opens on the question
        pass
    if not text:
        first = a.tracker.first_pending()
        if first is None:
            raise SystemExit("the bank has no question to open on")
        text = a.text_of(first)
    return marker_words(text)


def interactive_marker(bank_dir: Path | None) -> str | None:
    """The first words of what follows an empty answer to ceder's first prompt, when that prompt is a line
    (the project's details): on screen only once the engine has taken the answer, so the time to it is
    the time until ceder is interactive. None when ceder opens on something else (or an older revision)."""
    from flows import Assessment
    from question_banks import load_bank

    try:
        from conversation.core import Conversation
    except ImportError:
        return None
    a = Assessment((bank_dir and load_bank(bank_dir)) or load_bank())
    a.start()
    conv = Conversation(a, None, keys=True)
    try:
        conv.open(resumed=False, ask_details=True)
    except TypeError:
        return None
    if conv.prompt.kind != "detail":
        return None
    asked = [t for t in conv.say("").turns if t.kind == "question"]
    return marker_words(asked[-1].text()) if asked else None


def marker_words(text: str, most: int = 28) -> str:
    words: list[str] = []
    for word in text.split():
        if any(c in word for c in "*_`[]<>#"):
            break  # Markdown may style the rest differently
        if len(" ".join([*words, word])) > most:
            break
        words.append(word)
    return " ".join(words) or text[:12]


def _peak_rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return -1


def launch(
    cmd: list[str], marker: str, env: dict[str, str], timeout: float = 30.0, then: tuple[bytes, str] | None = None
) -> dict[str, Any]:
    """Start ``cmd`` in a new pty; the seconds until ``marker`` is on screen, and the peak RSS then.

    ``then``: keys to type once ``marker`` is there and the text they bring, timed from the
    same start (``interactive_seconds``, ``interactive_rss_kb``).
    """
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
            os.execve(cmd[0], cmd, env)
        finally:
            os._exit(127)
    out: dict[str, Any] = {}
    seen = bytearray()
    waits = [(marker, "")] + ([(then[1], "interactive_")] if then is not None else [])
    try:
        for want_text, key in waits:
            want = want_text.encode("utf-8")
            if key and then is not None:
                seen.clear()
                os.write(fd, then[0])
            while True:
                left = start + timeout - time.perf_counter()
                if left <= 0:
                    break
                ready, _, _ = select.select([fd], [], [], left)
                if not ready:
                    break
                try:
                    chunk = os.read(fd, 1 << 16)
                except OSError:
                    break  # the program ended
                if not chunk:
                    break
                seen += chunk
                if want in _ESCAPES.sub(b"", bytes(seen)):
                    out[f"{key}seconds"] = time.perf_counter() - start
                    out[f"{key}peak_rss_kb"] = _peak_rss_kb(pid)
                    break
            if f"{key}seconds" not in out:
                text = _ESCAPES.sub(b"", bytes(seen)).decode("utf-8", "replace")
                raise RuntimeError(f"{' '.join(cmd)}: {want_text!r} never appeared; the screen had:\n{text[-1500:]}")
    finally:
        try:
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        os.waitpid(pid, 0)
        os.close(fd)
    return out


def _marker_at(tree: Path, bank_dir: Path | None, env: dict[str, str]) -> str:
    """What ceder at ``tree`` (another revision) asks first, by that revision's own benchmark code."""
    folder = "None" if bank_dir is None else f"Path({str(bank_dir)!r})"
    code = f"from pathlib import Path; from benchmarks.startup import first_question_marker as f; print(f({folder}))"
    out = subprocess.run([PYTHON, "-c", code], capture_output=True, text=True, env=env, cwd=tree, check=True).stdout
    return out.strip().splitlines()[-1]


def _lift_limits_here() -> None:
    """Let this process load banks over the 1 MB limit (the 5,000-question bank), as the programs it times do."""
    from benchmarks import unlimited

    unlimited.install()
    for name, attr in unlimited.PATCH.items():
        if name in sys.modules:
            setattr(sys.modules[name], attr, unlimited.LIMIT)


def run(pairs: int = 7, bank_dir: Path | None = None, before: Path | None = None) -> dict[str, Any]:
    """Time ceder (and ceder at ``before``, a source tree, if given) against the bare app, alternating."""
    if bank_dir is not None:
        _lift_limits_here()
    marker = first_question_marker(bank_dir)
    after = interactive_marker(bank_dir)
    from benchmarks.bare_app import MARKER as BARE_MARKER

    with tempfile.TemporaryDirectory(prefix="ceder-startup-") as tmp:
        home = Path(tmp)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "CEDER", "PYTHONPROFILE", "TMUX"))}
        env.update(TERM="xterm-256color", COLORTERM="truecolor", LANG="C.UTF-8")
        env = with_bytecode_cache(env, home / "pycache")
        # Over the size limit (the 5,000-question bank), every ceder runs through the wrapper that lifts it.
        launcher = [PYTHON, str(ROOT / "benchmarks" / "unlimited.py")] if bank_dir is not None else ceder_command()
        bank_args = ["--bank", str(bank_dir)] if bank_dir else []
        bare = [PYTHON, str(ROOT / "benchmarks" / "bare_app.py")]
        counter = 0

        def ceder_at(tree: Path, name: str) -> Callable[[], dict[str, Any]]:
            own = {**env, "PYTHONPATH": str(tree), "CEDER_HOME": str(home / name / "home")}
            wanted = marker if tree == ROOT else _marker_at(tree, bank_dir, own)
            then = (b"\r", after) if after is not None and wanted == marker else None

            def go() -> dict[str, Any]:
                nonlocal counter
                counter += 1
                cmd = [*launcher, *bank_args, "--session", str(home / f"s{counter}.json")]
                return launch(cmd, wanted, own, then=then)

            return go

        programs: dict[str, Callable[[], dict[str, Any]]] = {"ceder": ceder_at(ROOT, "after")}
        if before is not None:
            programs["ceder before"] = ceder_at(before, "before")
        programs["bare"] = lambda: launch(bare, BARE_MARKER, {**env, "PYTHONPATH": str(ROOT)})
        for fn in programs.values():
            fn()  # warm-up: the disk cache, the bytecode, and ceder's bank cache
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in programs}
        for order in rotations(list(programs), pairs):
            for name in order:
                runs[name].append(programs[name]())
    out: dict[str, Any] = {"pairs": pairs, "marker": marker, "bank": str(bank_dir or "shipped"), "then": after}
    for name, rs in runs.items():
        out[name] = {
            "seconds": median([r["seconds"] for r in rs]),
            "peak_rss_kb": median([r["peak_rss_kb"] for r in rs]),
            "all_seconds": [round(r["seconds"], 4) for r in rs],
        }
        if all("interactive_seconds" in r for r in rs):
            out[name]["interactive_seconds"] = median([r["interactive_seconds"] for r in rs])
            out[name]["interactive_rss_kb"] = median([r["interactive_peak_rss_kb"] for r in rs])
    for name in [n for n in runs if n != "bare"]:
        key = "" if name == "ceder" else "before_"
        pair_ratios = [c["seconds"] / b["seconds"] for c, b in zip(runs[name], runs["bare"], strict=True)]
        out[f"{key}time_ratio"] = out[name]["seconds"] / out["bare"]["seconds"]
        out[f"{key}time_ratio_pairs_median"] = median(pair_ratios)
        out[f"{key}memory_ratio"] = out[name]["peak_rss_kb"] / out["bare"]["peak_rss_kb"]
    return out


LABELS = {"ceder": "ceder (first question)", "ceder before": "ceder before (first question)"}


def report(r: dict[str, Any]) -> str:
    names = [n for n in ("ceder", "ceder before", "bare") if n in r]
    rows = [
        [
            LABELS.get(n, "bare Textual app (App + Static)"),
            fmt_time(r[n]["seconds"]),
            f"{r[n]['peak_rss_kb'] / 1024:.1f} MB",
            "1.00x" if n == "bare" else f"{r[n]['seconds'] / r['bare']['seconds']:.2f}x",
            "1.00x" if n == "bare" else f"{r[n]['peak_rss_kb'] / r['bare']['peak_rss_kb']:.2f}x",
        ]
        for n in names
    ]
    lines = [
        f"Start-up to first content on screen, {r['pairs']} alternating rounds in a {COLS}x{ROWS} pty, medians "
        f"(bank: {r['bank']}; waited for {r['marker']!r}):",
        "",
        table(["program", "launch to text on screen", "peak RSS then", "time vs bare", "memory vs bare"], rows),
        "",
        f"- start-up ratio: {r['time_ratio']:.2f}x (median of per-round ratios {r['time_ratio_pairs_median']:.2f}x; "
        f"goal <= {GOAL}x): {'MET' if r['time_ratio'] <= GOAL else 'MISSED'}",
        f"- memory ratio: {r['memory_ratio']:.2f}x (goal <= {GOAL}x): {'MET' if r['memory_ratio'] <= GOAL else 'MISSED'}",
    ]
    for n in names:
        if "interactive_seconds" in r[n]:
            lines.append(
                f"- {LABELS.get(n, n)}: interactive (an answer to the first prompt taken by the engine and the next "
                f"prompt on screen, {r['then']!r}) at {fmt_time(r[n]['interactive_seconds'])}, "
                f"{r[n]['interactive_seconds'] / r['bare']['seconds']:.2f}x the bare app's first frame; "
                f"peak RSS then {r[n]['interactive_rss_kb'] / 1024:.1f} MB "
                f"({r[n]['interactive_rss_kb'] / r['bare']['peak_rss_kb']:.2f}x)"
            )
    if "before_time_ratio" in r:
        lines.append(
            f"- before (same run): start-up {r['before_time_ratio']:.2f}x, memory {r['before_memory_ratio']:.2f}x"
        )
    return "\n".join(lines)


def importtime(top: int = 12) -> str:
    """What ceder's TUI imports beyond a bare Textual app, from ``python -X importtime``."""

    tmp = tempfile.TemporaryDirectory(prefix="ceder-importtime-")
    env = with_bytecode_cache(dict(os.environ), Path(tmp.name) / "pycache")

    def profile(code: str) -> dict[str, tuple[int, int, int]]:
        subprocess.run([PYTHON, "-c", code], capture_output=True, cwd=ROOT, env=env, check=True)  # bytecode
        proc = subprocess.run(
            [PYTHON, "-X", "importtime", "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, check=True
        )
        out: dict[str, tuple[int, int, int]] = {}
        for line in proc.stderr.splitlines():
            if not line.startswith("import time:") or "self [us]" in line:
                continue
            self_us, cum_us, name = line[len("import time:") :].split("|", 2)
            depth = (len(name) - len(name.lstrip()) - 1) // 2
            out[name.strip()] = (int(self_us), int(cum_us), depth)
        return out

    with tmp:
        ours = profile("import assistant.cli, assistant.launch, assistant.tui.app")
        bare = profile("import textual.app, textual.widgets")
    extra = {k: v for k, v in ours.items() if k not in bare}
    packages: dict[str, int] = {}
    for name, (self_us, _, _) in extra.items():
        root = name.split(".")[0]
        packages[root] = packages.get(root, 0) + self_us
    lines = [
        f"Imports (self time, one run of -X importtime): the bare app {sum(v[0] for v in bare.values()) / 1000:.0f} ms; "
        f"ceder's TUI adds {sum(v[0] for v in extra.values()) / 1000:.0f} ms in {len(extra)} more modules. By package:"
    ]
    for root, us in sorted(packages.items(), key=lambda kv: -kv[1])[:top]:
        lines.append(f"  {us / 1000:7.1f} ms  {root}")
    lines.append("Slowest single modules among them (self time):")
    for name, (self_us, _, _) in sorted(extra.items(), key=lambda kv: -kv[1][0])[:top]:
        lines.append(f"  {self_us / 1000:7.1f} ms  {name}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.startup", description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=7)
    parser.add_argument("--bank", type=Path, default=None, help="bank folder (default: the shipped bank)")
    parser.add_argument("--importtime", action="store_true", help="also list the imports ceder adds")
    parser.add_argument("--before", metavar="REV|DIR", help="also time ceder at this git revision or source folder")
    parser.add_argument("--json", metavar="OUT")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ceder-before-") as tmp:
        before = source_tree(args.before, Path(tmp) / "tree") if args.before else None
        result = run(args.pairs, args.bank, before)
    print(report(result))
    if args.importtime:
        result["importtime"] = importtime()
        print()
        print(result["importtime"])
    if args.json:
        import json

        Path(args.json).write_text(json.dumps(result, indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
