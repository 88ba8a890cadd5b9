"""Run every benchmark and print the figures; ``--update-docs`` also writes them into docs/benchmarks.md.

    python -m benchmarks.run_all [--quick] [--update-docs]

Takes about six minutes (``--quick``: about two, with fewer rounds). The
figures are ratios measured side by side in one run, alternating, medians;
absolute times on a shared machine mean little on their own.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys

from benchmarks import cli, engine, startup
from benchmarks.common import ROOT, machine, table

DOC = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- figures:begin -->", "<!-- figures:end -->"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run_all", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds (noisier)")
    parser.add_argument("--update-docs", action="store_true", help=f"rewrite the figures in {DOC.relative_to(ROOT)}")
    parser.add_argument("--no-peer", action="store_true", help="skip survey-core")
    args = parser.parse_args(argv)
    pairs, cli_rounds, engine_rounds = (5, 5, 3) if args.quick else (9, 9, 5)

    sections = []
    info = machine()
    sections.append(
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC with `python -m benchmarks.run_all`"
        + (" --quick" if args.quick else "")
        + ".\n\n"
        + table(["machine", "this run"], [[k, v] for k, v in info.items()])
    )
    print(sections[-1], "\n", flush=True)

    print("start-up ...", file=sys.stderr)
    up = startup.run(pairs)
    sections.append("### Start-up and memory\n\n" + startup.report(up) + "\n\n" + startup.importtime())
    print(sections[-1], "\n", flush=True)

    print("headless CLI ...", file=sys.stderr)
    sections.append("### Headless CLI\n\n" + cli.report(cli.run(cli_rounds)))
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
        print(f"\nwrote the figures into {DOC.relative_to(ROOT)}", file=sys.stderr)
    return 0


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
