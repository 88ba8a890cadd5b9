"""Engine scaling (load-and-lint, answer step) at 50, 500 and 5,000 questions, against survey-core.

    python -m benchmarks.engine [--rounds 5] [--sizes 50,500,5000] [--no-peer] [--json OUT]

Every measurement runs in a fresh process (what a user's ``ceder validate`` or
``ceder`` sees), sizes and engines alternate round by round, and the figures
are medians over the rounds. In each run:

* ``lint``: :func:`question_banks.lint` on the generated bank folder (read the
  YAML, validate, cross-check, reachability search), first call in the process;
* ``step``: after one untimed pass (survey-core gets one too, to warm V8's JIT),
  :meth:`flows.Assessment.answer` on each question as it comes, answering
  with :func:`benchmarks.synth.answer_for`: validate, record, update relevance and
  scores through the dependency index, choose the next question, move the phase
  machine. Not saved (``path=None``); the cost of saving is reported apart.
  The step's figure is the median over all the steps of a run;
* ``recompute``: relevance and scores from scratch (what an engine without the
  dependency index would pay after each answer), for comparison;
* ``save``: writing the final session atomically (JSON, fsync), the disk cost
  each answer pays on top of the step in the real application.

The survey-core side (``peer/surveyjs_step.js``) runs the same questionnaire,
converted by :mod:`benchmarks.surveyjs`, with the same answers; both sides report
how many questions were visible and answered and the total score, which must agree.
"""

from __future__ import annotations

import argparse
import itertools
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import PEER, PYTHON, ROOT, fmt_time, median, run_json, table

SIZES = (50, 500, 5000)
GOAL_LOAD_RATIO = 12.0


def worker(bank_dir: Path, answers_path: Path, save_dir: Path, first: int = 0) -> dict[str, Any]:
    """One fresh-process run: lint, then answer every question as it comes.

    With ``first`` > 0, also the figures over the first ``first`` steps alone and the
    state after them (what a survey-core run cut short at that step can be held against).
    """
    import gc

    t0 = time.perf_counter()
    from flows import Assessment, save_session
    from flows.scoring import recompute
    from question_banks import lint, loader

    import_s = time.perf_counter() - t0
    # The 5,000-question bank (2.5 MB) is over the loader's 1 MB safety limit for a
    # whole bank; the limit guards users, not this measurement, so lift it here.
    if hasattr(loader, "MAX_BANK_BYTES"):
        loader.MAX_BANK_BYTES = 64 * 1024 * 1024
    t0 = time.perf_counter()
    result = lint(bank_dir)
    lint_s = time.perf_counter() - t0
    if result.bank is None:
        raise SystemExit("synthetic bank does not lint clean:\n" + "\n".join(map(str, result.problems[:10])))
    bank = result.bank
    answers = json.loads(answers_path.read_text("utf-8"))
    warm = Assessment(bank)  # an untimed pass first, as survey-core gets one to warm V8
    warm.start()
    while not warm.finished:
        if warm.in_review:
            warm.proceed()
        else:
            assert warm.current is not None
            warm.answer(answers[warm.current.id])
    del warm
    t0 = time.perf_counter()
    a = Assessment(bank)
    open_s = time.perf_counter() - t0
    a.start()
    steps: list[float] = []
    clock = time.perf_counter_ns
    at_first: dict[str, float] = {}
    while not a.finished:
        if first and len(steps) == first and not at_first:
            at_first = {
                "visible": sum(a.tracker.relevant),
                "answered": len(a.answers),
                "score": round(sum(t.points for t in a.tracker.totals.values()), 6),
            }
        if a.in_review:
            a.proceed()
            continue
        q = a.current
        assert q is not None
        value = answers[q.id]
        t = clock()
        a.answer(value)
        steps.append((clock() - t) / 1e9)
    assert a.consistent(), "incremental state differs from a recomputation"
    recomputes = []
    for _ in range(5):
        t0 = time.perf_counter()
        recompute(bank, a.answers)
        recomputes.append(time.perf_counter() - t0)
    path = save_dir / f"session-{len(bank.questions)}.json"
    saves = []
    for _ in range(3):
        t0 = time.perf_counter()
        save_session(path, a.session)
        saves.append(time.perf_counter() - t0)
    ordered = sorted(steps)
    score = sum(t.points for t in a.tracker.totals.values())
    gc.collect()
    if first and at_first:
        head = steps[:first]
        at_first.update({"step_median_s": median(head), "step_mean_s": sum(head) / len(head), "steps": len(head)})
    return {
        "first": at_first,
        "engine": "ceder",
        "questions": len(bank.questions),
        "import_s": import_s,
        "lint_s": lint_s,
        "open_s": open_s,
        "steps": len(steps),
        "step_median_s": median(steps),
        "step_mean_s": sum(steps) / max(1, len(steps)),
        "step_p90_s": ordered[int(0.9 * (len(ordered) - 1) + 0.5)] if ordered else float("nan"),
        "step_max_s": ordered[-1] if ordered else float("nan"),
        "recompute_s": median(recomputes),
        "save_s": median(saves),
        "visible": sum(a.tracker.relevant),
        "answered": len(a.answers),
        "score": round(score, 6),
    }


def prepare(sizes: tuple[int, ...], folder: Path, peer: bool) -> dict[int, dict[str, Path]]:
    from benchmarks import surveyjs, synth

    out: dict[int, dict[str, Path]] = {}
    for n in sizes:
        bank = synth.generate(n)
        bank_dir = synth.write(bank, folder / f"bank-{n}")
        answers = synth.answers(bank)
        answers_path = folder / f"answers-{n}.json"
        answers_path.write_text(json.dumps(answers), "utf-8")
        paths = {"bank": bank_dir, "answers": answers_path}
        if peer:
            job = folder / f"surveyjs-{n}.json"
            surveyjs.write_job(bank, answers, str(job))
            paths["job"] = job
        out[n] = paths
        print(f"  bank of {n}: {synth.stats(bank)}", file=sys.stderr)
    return out


def ensure_peer() -> str | None:
    """Install survey-core (from package-lock.json) if needed; the reason it cannot run, if so."""
    if shutil.which("node") is None:
        return "node is not installed"
    if not (PEER / "node_modules" / "survey-core").is_dir():
        npm = shutil.which("npm")
        if npm is None:
            return "npm is not installed"
        print("  installing survey-core (npm ci) ...", file=sys.stderr)
        proc = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=PEER, capture_output=True, text=True)
        if proc.returncode != 0:
            return f"npm ci failed: {proc.stderr.strip().splitlines()[-1:]}"
    return None


def peer_steps(n: int, cap: int) -> int:
    """How many answers survey-core is timed over at size ``n`` (0: the whole questionnaire)."""
    return 0 if n <= 1000 or cap <= 0 else cap


def run(rounds: int = 5, sizes: tuple[int, ...] = SIZES, peer: bool = True, cap: int = 300) -> dict[str, Any]:
    why_not = ensure_peer() if peer else "disabled with --no-peer"
    peer = why_not is None
    results: dict[int, dict[str, list[dict[str, Any]]]] = {n: {"ceder": [], "survey-core": []} for n in sizes}
    with tempfile.TemporaryDirectory(prefix="ceder-bench-") as tmp:
        folder = Path(tmp)
        files = prepare(sizes, folder, peer)
        for r in range(rounds):
            order = list(sizes) if r % 2 == 0 else list(reversed(sizes))
            for n in order:
                k = peer_steps(n, cap) if peer else 0
                py_cmd = [PYTHON, "-m", "benchmarks.engine", "--first", str(k), "--worker"]
                py_cmd += [str(files[n]["bank"]), str(files[n]["answers"]), str(folder)]
                js_cmd = ["node", str(PEER / "surveyjs_step.js"), str(files[n].get("job", "")), str(k)]
                jobs = [("ceder", py_cmd)] + ([("survey-core", js_cmd)] if peer else [])
                if (r + n) % 2:
                    jobs.reverse()
                for name, cmd in jobs:
                    results[n][name].append(run_json(cmd, cwd=ROOT if name == "ceder" else PEER))
            print(f"  round {r + 1}/{rounds} done", file=sys.stderr)
    summary: dict[str, Any] = {"rounds": rounds, "peer": peer, "peer_note": why_not, "sizes": {}}
    for n in sizes:
        entry: dict[str, Any] = {}
        for name, runs in results[n].items():
            if not runs:
                continue
            keys = [k for k, v in runs[0].items() if isinstance(v, int | float) and not isinstance(v, bool)]
            entry[name] = {k: median([float(run[k]) for run in runs]) for k in keys}
            entry[name]["engine"] = runs[0]["engine"]
            if runs[0].get("first"):
                entry[name]["first"] = {k: median([float(run["first"][k]) for run in runs]) for k in runs[0]["first"]}
        if peer:
            ours, theirs = results[n]["ceder"][0], results[n]["survey-core"][0]
            held = ours["first"] or ours  # the state after as many steps as survey-core took
            entry["agree"] = (
                all(abs(float(held[k]) - float(theirs[k])) < 1e-6 for k in ("visible", "answered", "score"))
                and abs(float(theirs["score"]) - float(theirs["score_recount"])) < 1e-6
            )
        summary["sizes"][n] = entry
    return summary


def report(summary: dict[str, Any]) -> str:
    sizes = sorted(summary["sizes"])
    s = summary["sizes"]
    lines = [f"Engine: medians of {summary['rounds']} fresh-process runs per size and engine, alternating.", ""]
    rows = []
    for i, n in enumerate(sizes):
        c = s[n]["ceder"]
        prev = s[sizes[i - 1]]["ceder"] if i else None
        load_ratio = f"{c['lint_s'] / prev['lint_s']:.1f}x for {n / sizes[i - 1]:g}x" if prev else "-"
        step_ratio = f"{c['step_median_s'] / prev['step_median_s']:.2f}x" if prev else "-"
        rows.append(
            [
                f"{int(c['questions']):,}",
                fmt_time(c["lint_s"]),
                load_ratio,
                f"{int(c['steps']):,}",
                fmt_time(c["step_median_s"]),
                fmt_time(c["step_mean_s"]),
                fmt_time(c["step_p90_s"]),
                step_ratio,
                fmt_time(c["recompute_s"]),
                fmt_time(c["save_s"]),
            ]
        )
    headers = ["questions", "load+lint", "load growth", "steps", "step median", "step mean", "step p90"]
    headers += ["step growth", "full recompute", "save session"]
    lines.append(table(headers, rows))
    if summary["peer"]:
        lines += [
            "",
            "Against survey-core (same questionnaire, same answers; step = set the answer, route, read score):",
        ]
        lines.append("")
        rows = []
        for n in sizes:
            c, p = s[n]["ceder"], s[n]["survey-core"]
            held = c.get("first") or c
            rows.append(
                [
                    f"{int(c['questions']):,}",
                    f"{int(p['steps']):,}" + ("" if "first" not in c else " (first)"),
                    fmt_time(held["step_median_s"]),
                    fmt_time(p["step_median_s"]),
                    f"{p['step_median_s'] / held['step_median_s']:,.0f}x",
                    fmt_time(held["step_mean_s"]),
                    fmt_time(p["step_mean_s"]),
                    fmt_time(c["lint_s"]),
                    fmt_time(p["load_s"]),
                    "yes" if s[n]["agree"] else "NO",
                ]
            )
        headers = ["questions", "steps timed", "ceder step", "survey-core step", "ceder faster by", "ceder mean"]
        headers += ["survey-core mean", "ceder load+lint", "survey-core new Model", "same state"]
        lines.append(table(headers, rows))
        lines.append(f"\n({s[sizes[0]]['survey-core']['engine']} on Node {_node_version()})")
    else:
        lines.append(f"\nsurvey-core not run: {summary['peer_note']}")
    lines += ["", *goals(summary)]
    return "\n".join(lines)


def goals(summary: dict[str, Any]) -> list[str]:
    s = summary["sizes"]
    sizes = sorted(s)
    out = []
    for a, b in itertools.pairwise(sizes):
        ratio = s[b]["ceder"]["lint_s"] / s[a]["ceder"]["lint_s"]
        allowed = GOAL_LOAD_RATIO * (b / a) / 10
        out.append(
            f"- load {a:,} -> {b:,}: {ratio:.1f}x for {b / a:g}x the questions "
            f"(goal <= {allowed:g}x): {'MET' if ratio <= allowed else 'MISSED'}"
        )
    lo, hi = sizes[0], sizes[-1]
    step_ratio = s[hi]["ceder"]["step_median_s"] / s[lo]["ceder"]["step_median_s"]
    out.append(
        f"- step {lo:,} -> {hi:,}: {step_ratio:.2f}x for {hi / lo:g}x the questions "
        f"(goal: sub-linear): {'MET' if step_ratio < hi / lo else 'MISSED'}"
    )
    if summary["peer"]:
        held = s[hi]["ceder"].get("first") or s[hi]["ceder"]
        ours, theirs = held["step_median_s"], s[hi]["survey-core"]["step_median_s"]
        out.append(
            f"- step at {hi:,} against survey-core: {fmt_time(ours)} vs {fmt_time(theirs)} "
            f"(goal: faster): {'MET' if ours < theirs else 'MISSED'}"
        )
    return out


def _node_version() -> str:
    try:
        return subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    except OSError:  # pragma: no cover
        return "?"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.engine", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--no-peer", action="store_true", help="skip survey-core")
    parser.add_argument("--json", metavar="OUT", help="also write the medians as JSON")
    parser.add_argument(
        "--peer-steps", type=int, default=300, help="above 1,000 questions, time survey-core over this many answers"
    )
    parser.add_argument("--first", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--worker", nargs=3, metavar=("BANK", "ANSWERS", "TMP"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        bank, answers, tmp = (Path(x) for x in args.worker)
        print(json.dumps(worker(bank, answers, tmp, args.first)))
        return 0
    sizes = tuple(int(x) for x in args.sizes.split(","))
    summary = run(args.rounds, sizes, peer=not args.no_peer, cap=args.peer_steps)
    print(report(summary))
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
