"""Run every benchmark and print the figures; ``--update-docs`` also writes them into docs/benchmarks.md and README.md.

    python -m benchmarks.run_all [--quick] [--update-docs] [--before REV|DIR] [--no-peer]

Takes about fifteen minutes (``--quick``: about six, with fewer rounds). The
figures are ratios measured side by side in one run, alternating, medians;
absolute times on a shared machine mean little on their own. ``--before`` also
runs ceder at an earlier revision (or source folder) in the same alternation, for
before/after figures measured together.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks import cli, engine, latency, startup
from benchmarks.common import ROOT, machine, source_tree, table

DOC = ROOT / "docs" / "benchmarks.md"
README = ROOT / "README.md"
BEGIN, END = "<!-- figures:begin -->", "<!-- figures:end -->"
README_BEGIN, README_END = "<!-- benchmarks:begin -->", "<!-- benchmarks:end -->"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run_all", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds (noisier)")
    parser.add_argument("--update-docs", action="store_true", help=f"rewrite the figures in {DOC.relative_to(ROOT)}")
    parser.add_argument("--no-peer", action="store_true", help="skip survey-core")
    parser.add_argument("--before", metavar="REV|DIR", help="also measure ceder at this revision, in the same runs")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ceder-before-") as tmp:
        before = source_tree(args.before, Path(tmp) / "tree") if args.before else None
        return _run(args, before)


def _run(args: argparse.Namespace, before: Path | None) -> int:
    pairs, cli_rounds, latency_rounds, engine_rounds = (5, 5, 2, 3) if args.quick else (9, 9, 3, 5)

    sections = []
    info = machine()
    sections.append(
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC with `python -m benchmarks.run_all`"
        + (" --quick" if args.quick else "")
        + (f" --before {args.before}" if args.before else "")
        + ".\n\n"
        + table(["machine", "this run"], [[k, v] for k, v in info.items()])
    )
    print(sections[-1], "\n", flush=True)

    print("start-up ...", file=sys.stderr)
    up = startup.run(pairs, None, before)
    sections.append("### Start-up and memory\n\n" + startup.report(up) + "\n\n" + startup.importtime())
    print(sections[-1], "\n", flush=True)

    print("answer latency ...", file=sys.stderr)
    lat = latency.run(latency_rounds)  # an earlier revision has another bank, so another walk: not compared here
    sections.append("### Answer latency on screen\n\n" + latency.report(lat))
    print(sections[-1], "\n", flush=True)

    print("headless CLI ...", file=sys.stderr)
    headless = cli.run(cli_rounds, before)
    sections.append("### Headless CLI\n\n" + cli.report(headless))
    print(sections[-1], "\n", flush=True)

    print("engine ...", file=sys.stderr)
    sections.append(
        "### Engine scaling and survey-core\n\n" + engine.report(engine.run(engine_rounds, peer=not args.no_peer))
    )
    print(sections[-1], flush=True)

    if args.update_docs:
        text = DOC.read_text("utf-8")
        block = "\n\n".join(s.replace("\n  ", "\n    ") for s in sections)
        block = _indent_lists(block)
        new = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), f"{BEGIN}\n{block}\n{END}", text, flags=re.S)
        if new == text and BEGIN not in text:
            raise SystemExit(f"{DOC}: no {BEGIN} ... {END} block to fill")
        DOC.write_text(new, "utf-8")
        _update_readme(up, lat, headless)
        print(f"\nwrote the figures into {DOC.relative_to(ROOT)} and {README.relative_to(ROOT)}", file=sys.stderr)
    return 0


def readme_line(up: dict[str, Any], lat: dict[str, Any], headless: dict[str, Any]) -> str:
    """The README's one-sentence summary of the latest figures."""
    progs = lat["programs"]
    first, last = lat["positions"][0], lat["positions"][-1]
    answer = progs["ceder"]["window"]
    bare = progs["bare"]["window"]
    floor = list(headless["median_s"].values())[1]
    commands = {n: t for n, t in headless["median_s"].items() if n.split()[1:2] and n.split()[1] in cli.HEADLESS}
    slowest = max(commands, key=lambda n: commands[n])
    return (
        f"Start-up to the first question is {up['time_ratio']:.2f}x a bare Textual app's first frame "
        f"(peak memory {up['memory_ratio']:.2f}x; goal 1.3x); an answer's next question is on screen in "
        f"{answer[first] * 1000:.0f} ms at answer {first} and {answer[last] * 1000:.0f} ms at answer {last} "
        f"({answer[first] / bare[first]:.2f}x and {answer[last] / bare[last]:.2f}x a bare Textual chat; goal 1.3x); "
        f"the slowest headless command (`{slowest.split(' --')[0].removesuffix(' SESSION')}`) takes "
        f"{commands[slowest] / floor:.2f}x `import pydantic, yaml` (goal 2x)."
    )


def _update_readme(up: dict[str, Any], lat: dict[str, Any], headless: dict[str, Any]) -> None:
    text = README.read_text("utf-8")
    if README_BEGIN not in text:
        raise SystemExit(f"{README}: no {README_BEGIN} ... {README_END} markers around the benchmark line")
    line = readme_line(up, lat, headless)
    new = re.sub(
        re.escape(README_BEGIN) + ".*?" + re.escape(README_END), f"{README_BEGIN}{line}{README_END}", text, flags=re.S
    )
    README.write_text(new, "utf-8")


def _indent_lists(block: str) -> str:
    """Import listings (lines starting with spaces) as code blocks, so Markdown keeps them aligned."""
    out: list[str] = []
    in_code = False
    for line in block.splitlines():
        code = line.startswith("    ")
        if code and not in_code:
            out.append("```")
        if not code and in_code:
            out.append("```")
        in_code = code
        out.append(line[4:] if code else line)
    if in_code:
        out.append("```")
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
