"""On-screen answer latency: a key pressed to the next question painted, through a whole assessment.

    python -m benchmarks.latency [--rounds 3] [--positions 1,50,110] [--no-large] [--before REV|DIR]

ceder runs in a fresh pseudo-terminal (110x45, so a long question and its options fit) on a new session and is walked through
the shipped bank by keys, as a user would: a digit for a single choice, digits and
Enter for a multi-select, digits or words and Enter for typed answers, "1" (continue)
at each recap. Which answers are given is worked out beforehand on the engine
(:func:`plan`): for the shipped bank, at each question the answer that keeps the most
questions in play, so the walk is as long as the bank allows; for the synthetic
5,000-question bank, ``synth.answer_for``. For each key the clock runs from writing it
to the pty to the moment the next screen's marker (the first words of the next
question, or "... : done" for a recap) is read, escape sequences stripped; then the
benchmark waits until the app has painted nothing for 0.3 s before the next key.

The baseline, ``benchmarks/bare_chat.py``, is a bare Textual app given the same walk
(the same question texts, replies and options) that does the least a chat must do per
answer: append two turns to a scrolling log and replace the option list. The two take
turns round by round; the figures are medians over rounds at the 1st, 50th and 110th
answer, and over windows of ten answers around them (flatness). The same walk on the
5,000-question bank gives first paint and latency at the same answers, against the
shipped bank's.
"""

from __future__ import annotations

import argparse
import json
import os
import pty
import select
import signal
import struct
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmarks.common import PYTHON, ROOT, fmt_time, median, rotations, source_tree, table, with_bytecode_cache
from benchmarks.startup import _ESCAPES, ceder_command, first_question_marker

if TYPE_CHECKING:
    from flows import Assessment
    from question_banks import Bank, Question
    from question_banks.conditions import AnswerValue

GOAL = 1.3
"""ceder's latency against the bare chat's."""
FLAT = 1.2
"""The last window of answers against the first."""
LARGE_GOAL = 1.5
"""The 5,000-question bank's first paint and latency against the shipped bank's."""
POSITIONS = (1, 50, 110)
QUIET = 0.3
"""Nothing painted for this long before the next key: on a loaded machine a question and its answer widget
can be painted a tenth of a second apart, and a key typed between them would go to the wrong widget."""
COLS, ROWS = 110, 45
"""Tall enough that a long question and its options fit on screen together (the marker must be painted)."""
MARKER_CHARS = 40


@dataclass
class Step:
    keys: str
    marker: str
    answer: bool
    """An answer (counted for the positions) rather than a recap's "continue"."""
    echo: str
    text: str
    mode: str
    """What the next screen takes: "pick" (a digit), "multi" (digits, Enter) or "typed"."""
    options: list[str] = field(default_factory=list)
    measured: bool = True
    """False when the marker also appears in an earlier turn, so its arrival proves nothing."""


# -- the walk ---------------------------------------------------------------------------
def _marker(text: str) -> str:
    words: list[str] = []
    for word in text.split():
        if any(c in word for c in "*_`[]<>#\\"):
            break
        if len(" ".join([*words, word])) > MARKER_CHARS:
            break
        words.append(word)
    return " ".join(words) or text[:12]


def _screen(a: Assessment) -> tuple[str, str, str, list[str]]:
    """The marker, main text, mode and option labels of what ``a`` shows now."""
    if a.in_review:
        # A recap can be taller than the log, so its first line may never be painted: its answer list is.
        dim = a.review_dimension or ""
        phases = a.bank.phases()
        later = phases[phases.index(dim) + 1 :] if dim in phases else []
        cont = f"Continue to {a.bank.title_of(later[0])}" if later else "Continue"
        title = a.bank.title_of(dim)
        return cont, f"{title}: done.", "pick", [cont, f"Revise an answer in {title}", "See the summary so far"]
    q = a.current
    assert q is not None, "the walk ended before the positions measured"
    text = a.text_of(q)
    mode = {"single": "pick", "scale": "pick", "multi": "multi"}.get(q.kind, "typed")
    return _marker(text), text, mode, [o.label for o in q.options]


def keys_for(q: Question, value: AnswerValue) -> str:
    from flows.matching import option_for_digit

    def digit(option_id: str) -> str:
        for d in range(10):
            opt = option_for_digit(q, d)
            if opt is not None and opt.id == option_id:
                return str(d)
        raise ValueError(f"{q.id}: option {option_id!r} has no digit key")

    if q.kind in ("single", "scale"):
        return digit(str(value))
    if q.kind == "multi":
        assert isinstance(value, list)
        # Nothing ticked: ceder asks to press Enter again before recording that none apply.
        return "".join(digit(v) for v in value) + "\r" if value else "\r\r"
    if q.kind == "number":
        return f"{float(value):g}\r"  # type: ignore[arg-type]
    return f"{value}\r"


Chooser = Callable[["Bank", list[Any], "Question"], "AnswerValue"]


def _replay(bank: Bank, moves: list[Any]) -> Assessment:
    from flows import Assessment

    a = Assessment(bank)
    a.start()
    for move in moves:
        if move is None:
            a.proceed()
        else:
            a.answer(move)
    return a


def _candidates(q: Question) -> list[AnswerValue]:
    from flows.matching import option_for_digit

    keyed = {o.id: o for d in range(10) if (o := option_for_digit(q, d)) is not None}
    if q.kind in ("single", "scale"):
        return list(keyed)
    if q.kind == "multi":
        plain = [o.id for o in keyed.values() if not o.exclusive]
        return [plain, *[[o] for o in plain]]
    if q.kind == "number":
        lo, hi = q.min if q.min is not None else 0.0, q.max if q.max is not None else 1e6
        return [v for v in (1.0, 12.0, 250.0, 5000.0, lo, hi) if lo <= v <= hi]
    return ["Recorded for the benchmark."]


def most_questions(bank: Bank, moves: list[Any], q: Question) -> AnswerValue:
    """The answer to ``q`` that leaves the most questions in play (ties: the first), so the walk is long."""
    best: tuple[int, AnswerValue] | None = None
    for value in _candidates(q):
        a = _replay(bank, [*moves, value])
        count = sum(a.is_relevant(x.id) for x in bank.questions)
        if best is None or count > best[0]:
            best = (count, value)
    assert best is not None
    return best[1]


def synthetic_answers(bank: Bank, moves: list[Any], q: Question) -> AnswerValue:
    from benchmarks import synth

    return synth.answer_for(q.model_dump(exclude_none=True))


def plan(bank: Bank, choose: Chooser, answers: int) -> dict[str, Any]:
    """The walk: the first screen and each step up to the ``answers``-th answer."""
    a = _replay(bank, [])
    moves: list[Any] = []
    marker, text, mode, options = _screen(a)
    first = {"marker": marker, "text": text, "mode": mode, "options": options}
    shown = [text]
    steps: list[Step] = []
    count = 0
    while count < answers and not a.finished:
        if a.in_review:
            keys, echo = "1", "Continue"
            moves.append(None)
            a.proceed()
        else:
            q = a.current
            assert q is not None
            value = choose(bank, moves, q)
            keys = keys_for(q, value)
            echo = str(value)
            moves.append(value)
            a.answer(value)
            count += 1
        if a.finished:
            break
        marker, text, mode, options = _screen(a)
        measured = not any(marker in earlier for earlier in shown)
        shown.append(text)
        steps.append(Step(keys, marker, moves[-1] is not None, echo, text, mode, options, measured))
    if count < answers:
        raise SystemExit(f"the walk gives only {count} answers; positions up to {answers} were asked for")
    return {"first": first, "steps": [asdict(s) for s in steps]}


# -- driving a program in a pty -----------------------------------------------------------
class Pty:
    def __init__(self, cmd: list[str], env: dict[str, str]) -> None:
        self.start = time.perf_counter()
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # pragma: no cover - the child
            try:
                import fcntl
                import termios

                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
                os.execve(cmd[0], cmd, env)
            finally:
                os._exit(127)
        self.out = bytearray()

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self.fd, 1 << 16)
        except OSError:
            chunk = b""
        if not chunk:
            raise RuntimeError("the program ended:\n" + self.screen(0)[-1500:])
        self.out += chunk
        return True

    def screen(self, since: int) -> str:
        return _ESCAPES.sub(b"", bytes(self.out[since:])).decode("utf-8", "replace")

    def until(self, marker: str, since: int, timeout: float = 30.0) -> float:
        """Read until ``marker`` is in the output after ``since``; the time it appeared."""
        want = marker.encode("utf-8")
        deadline = time.perf_counter() + timeout
        while want not in _ESCAPES.sub(b"", bytes(self.out[since:])):
            left = deadline - time.perf_counter()
            if left <= 0:
                raise RuntimeError(f"{marker!r} never appeared; the screen had:\n{self.screen(since)[-1500:]}")
            self._read(left)
        return time.perf_counter()

    def quiet(self, seconds: float = QUIET, timeout: float = 10.0) -> None:
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline and self._read(seconds):
            pass

    def send(self, keys: str) -> tuple[int, float]:
        mark = len(self.out)
        os.write(self.fd, keys.encode())
        return mark, time.perf_counter()

    def close(self) -> None:
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        os.waitpid(self.pid, 0)
        os.close(self.fd)


def walk(
    cmd: list[str], env: dict[str, str], walk_plan: dict[str, Any], limit: int | None = None, opening: str | None = None
) -> dict[str, Any]:
    """One run: first paint, then the latency of every step (None where not measured); ``limit``: steps to take.

    ``opening``: what the program asks first when that is not the walk's first question
    (ceder asks the project's details first); Enter skips until the first question shows.
    """
    term = Pty(cmd, env)
    try:
        first = term.until(opening or walk_plan["first"]["marker"], 0, timeout=60) - term.start
        want = walk_plan["first"]["marker"].encode("utf-8")
        for _ in range(20):
            if opening is None or want in _ESCAPES.sub(b"", bytes(term.out)):
                break
            term.quiet()
            mark, _sent = term.send("\r")
            term.quiet(0.3)
        latencies: list[float | None] = []
        for step in walk_plan["steps"][:limit]:
            term.quiet()
            mark, sent = term.send(step["keys"])
            seen = term.until(step["marker"], mark)
            latencies.append(seen - sent if step["measured"] else None)
    finally:
        term.close()
    return {"first_paint": first, "latencies": latencies}


def _answer_steps(walk_plan: dict[str, Any]) -> list[int]:
    """Step index of the 1st, 2nd, ... answer."""
    return [i for i, s in enumerate(walk_plan["steps"]) if s["answer"]]


def at_positions(
    runs: list[dict[str, Any]], walk_plan: dict[str, Any], positions: tuple[int, ...]
) -> dict[str, dict[int, float]]:
    """Medians over runs: the latency at each answer position and over ten answers around it."""
    index = _answer_steps(walk_plan)
    out: dict[str, dict[int, float]] = {"at": {}, "window": {}}
    for p in positions:
        step = index[p - 1]
        values = [r["latencies"][step] for r in runs if r["latencies"][step] is not None]
        out["at"][p] = median(values)
        lo = max(0, p - 6)
        window = index[lo : lo + 10]
        out["window"][p] = median(
            [median([r["latencies"][i] for i in window if r["latencies"][i] is not None]) for r in runs]
        )
    return out


def run(
    rounds: int = 3, positions: tuple[int, ...] = POSITIONS, large: bool = True, before: Path | None = None
) -> dict[str, Any]:
    from benchmarks import synth
    from benchmarks.startup import _lift_limits_here
    from question_banks import load_bank

    _lift_limits_here()
    shipped = load_bank()
    walks = {"shipped": plan(shipped, most_questions, max(positions))}
    with tempfile.TemporaryDirectory(prefix="ceder-latency-") as tmp:
        home = Path(tmp)
        big_dir = None
        if large:
            big_dir = synth.write(synth.generate(5000), home / "bank-5000")
            walks["5000"] = plan(load_bank(big_dir), synthetic_answers, max(positions))
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "CEDER", "PYTHONPROFILE", "TMUX"))}
        env.update(TERM="xterm-256color", COLORTERM="truecolor", LANG="C.UTF-8")
        env = with_bytecode_cache(env, home / "pycache")
        plan_files = {}
        for name, w in walks.items():
            plan_files[name] = home / f"walk-{name}.json"
            plan_files[name].write_text(json.dumps(w), "utf-8")
        counter = 0

        opening = first_question_marker(None)

        def ceder(tree: Path, label: str, bank: str) -> Callable[..., dict[str, Any]]:
            launcher = [PYTHON, str(ROOT / "benchmarks" / "unlimited.py")] if bank == "5000" else ceder_command()
            bank_args = ["--bank", str(big_dir)] if bank == "5000" else []
            own = {**env, "PYTHONPATH": str(tree), "CEDER_HOME": str(home / label / "home")}

            def go(limit: int | None = None) -> dict[str, Any]:
                nonlocal counter
                counter += 1
                cmd = [*launcher, *bank_args, "--session", str(home / f"s{counter}.json")]
                return walk(cmd, own, walks[bank], limit, opening)

            return go

        programs: dict[str, Callable[..., dict[str, Any]]] = {"ceder": ceder(ROOT, "after", "shipped")}
        if before is not None:
            programs["ceder before"] = ceder(before, "before", "shipped")
        bare_cmd = [PYTHON, str(ROOT / "benchmarks" / "bare_chat.py"), str(plan_files["shipped"])]
        programs["bare"] = lambda limit=None: walk(bare_cmd, {**env, "PYTHONPATH": str(ROOT)}, walks["shipped"], limit)
        if large:
            programs["ceder 5,000"] = ceder(ROOT, "after", "5000")
        for name in programs:  # warm-up: bytecode, disk cache and ceder's bank cache
            print(f"latency: warming {name} ...", file=sys.stderr, flush=True)
            programs[name](3)
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in programs}
        for r, order in enumerate(rotations(list(programs), rounds)):
            for name in order:
                print(f"latency: round {r + 1}/{rounds}: {name} ...", file=sys.stderr, flush=True)
                runs[name].append(programs[name]())
    out: dict[str, Any] = {"rounds": rounds, "positions": list(positions), "programs": {}}
    for name, rs in runs.items():
        w = walks["5000" if name == "ceder 5,000" else "shipped"]
        stats = at_positions(rs, w, positions)
        out["programs"][name] = {
            "first_paint": median([r["first_paint"] for r in rs]),
            "at": stats["at"],
            "window": stats["window"],
            "steps": len(w["steps"]),
            "unmeasured": sum(1 for s in w["steps"] if not s["measured"]),
            "all_step_medians": [
                median([r["latencies"][i] for r in rs if r["latencies"][i] is not None]) for i in range(len(w["steps"]))
            ],
        }
    return out


def report(r: dict[str, Any]) -> str:
    progs = r["programs"]
    positions = r["positions"]
    names = [n for n in ("ceder", "ceder before", "bare", "ceder 5,000") if n in progs]
    labels = {
        "ceder": "ceder, shipped bank",
        "ceder before": "ceder before, shipped bank",
        "bare": "bare Textual chat (same walk)",
        "ceder 5,000": "ceder, 5,000-question bank",
    }
    rows = []
    for n in names:
        p = progs[n]
        rows.append(
            [
                labels[n],
                fmt_time(p["first_paint"]),
                *[f"{fmt_time(p['at'][k])} ({fmt_time(p['window'][k])})" for k in positions],
                f"{p['window'][positions[-1]] / p['window'][positions[0]]:.2f}x",
            ]
        )
    head = ["program", "first paint", *[f"answer {k} (ten around it)" for k in positions], "last / first window"]
    c, b = progs["ceder"], progs["bare"]
    lines = [
        f"Answer latency: key to the next question painted, {r['rounds']} rounds taking turns in a {COLS}x{ROWS} pty, "
        f"medians; the walk answers {max(positions)} questions "
        f"({c['steps']} keys with the recaps; {c['unmeasured']} steps whose marker also stood earlier are not timed).",
        "",
        table(head, rows),
        "",
    ]
    for k in positions:
        ratio = c["window"][k] / b["window"][k]
        lines.append(
            f"- answer {k}: ceder {ratio:.2f}x the bare chat (ten answers around it; goal <= {GOAL}x): "
            f"{'MET' if ratio <= GOAL else 'MISSED'}"
        )
    flat = c["window"][positions[-1]] / c["window"][positions[0]]
    bare_flat = b["window"][positions[-1]] / b["window"][positions[0]]
    lines.append(
        f"- flat: answers around {positions[-1]} take {flat:.2f}x those around {positions[0]} "
        f"(the bare chat: {bare_flat:.2f}x; goal <= {FLAT}x): {'MET' if flat <= FLAT else 'MISSED'}"
    )
    if "ceder 5,000" in progs:
        big = progs["ceder 5,000"]
        paint = big["first_paint"] / c["first_paint"]
        lines.append(
            f"- 5,000 questions, first paint: {paint:.2f}x the shipped bank's (goal <= {LARGE_GOAL}x): "
            f"{'MET' if paint <= LARGE_GOAL else 'MISSED'}"
        )
        worst = max(big["window"][k] / c["window"][k] for k in positions)
        lines.append(
            f"- 5,000 questions, answer latency: at most {worst:.2f}x the shipped bank's at the same answers "
            f"(goal <= {LARGE_GOAL}x): {'MET' if worst <= LARGE_GOAL else 'MISSED'}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.latency", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--positions", default=",".join(map(str, POSITIONS)))
    parser.add_argument("--no-large", action="store_true", help="skip the 5,000-question bank")
    parser.add_argument("--before", metavar="REV|DIR", help="also walk ceder at this git revision or source folder")
    parser.add_argument("--json", metavar="OUT")
    args = parser.parse_args(argv)
    positions = tuple(int(p) for p in args.positions.split(","))
    with tempfile.TemporaryDirectory(prefix="ceder-before-") as tmp:
        before = source_tree(args.before, Path(tmp) / "tree") if args.before else None
        result = run(args.rounds, positions, not args.no_large, before)
    print(report(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
