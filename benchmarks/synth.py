"""Synthetic question banks for the benchmarks: any size, deterministic, lint-clean.

The shape follows the shipped bank: about 7% of the questions are in the profile
(unscored), the rest spread evenly over the five dimensions; about 40% are
follow-ups; a third of the follow-ups' conditions reach back into another
dimension (mostly the profile, as the shipped bank does with S2/S3), and the
condition trees mix ``equals``, ``in``, ``range``, ``not``, ``any`` and ``all``.
A follow-up may hang off another follow-up (two levels at most), so the
linter's reachability search stays within its bounds, as for a real bank.

Only condition shapes that SurveyJS can express are generated (no ``range`` on
the points of a choice answer, no ``count``), so :mod:`benchmarks.peer` can
convert the same questionnaire for ``survey-core``.

Run ``python -m benchmarks.synth 500 OUT_DIR`` to write one.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

PHASES = ("profile", "complexity", "ethics", "data", "efficacy", "readiness")
PREFIX = {"profile": "P", "complexity": "C", "ethics": "E", "data": "D", "efficacy": "F", "readiness": "R"}
FOLLOW_UP_SHARE = 0.40
CROSS_SHARE = 0.35
PROFILE_SHARE = 0.07
KINDS = (("single", 0.60), ("multi", 0.15), ("scale", 0.10), ("number", 0.08), ("text", 0.07))


@dataclass
class _Q:
    id: str
    phase: str
    kind: str
    n_options: int
    depth: int
    """0 for a core question, 1 for a follow-up of a core question, 2 below that."""
    data: dict[str, Any]


def _kind(rng: random.Random) -> str:
    x = rng.random()
    for kind, share in KINDS:
        if x < share:
            return kind
        x -= share
    return "single"


def _leaf(rng: random.Random, parent: _Q) -> dict[str, Any]:
    """A satisfiable leaf condition on ``parent``."""
    ids = [f"o{i}" for i in range(parent.n_options)]
    if parent.kind == "number":
        lo = rng.choice([0, 1, 5, 10])
        return {"op": "range", "question": parent.id, "min": lo, "max": lo + rng.choice([5, 50, 500])}
    if parent.kind == "text":
        return {"op": "answered", "question": parent.id}
    roll = rng.random()
    if roll < 0.45:
        return {"op": "equals", "question": parent.id, "value": rng.choice(ids)}
    if roll < 0.85:
        return {"op": "in", "question": parent.id, "values": rng.sample(ids, k=min(2, len(ids)))}
    return {"op": "not", "condition": {"op": "equals", "question": parent.id, "value": rng.choice(ids)}}


def _condition(rng: random.Random, parents: list[_Q]) -> dict[str, Any]:
    if len(parents) == 1:
        return _leaf(rng, parents[0])
    op = "any" if rng.random() < 0.6 else "all"
    return {"op": op, "conditions": [_leaf(rng, p) for p in parents]}


def generate(n: int, seed: int = 7) -> dict[str, Any]:
    """The bank as plain data: ``{"manifest": {...}, "sections": {phase: {...}}}``."""
    rng = random.Random(seed * 1_000_003 + n)
    n_profile = max(2, round(n * PROFILE_SHARE))
    per_dim = [(n - n_profile) // 5 + (1 if i < (n - n_profile) % 5 else 0) for i in range(5)]
    counts = dict(zip(PHASES, [n_profile, *per_dim], strict=True))
    everything: list[_Q] = []
    cores: dict[str, list[_Q]] = {p: [] for p in PHASES}
    sections: dict[str, dict[str, Any]] = {}
    for phase in PHASES:
        questions: list[dict[str, Any]] = []
        scored = phase != "profile"
        for k in range(counts[phase]):
            qid = f"{PREFIX[phase]}{k + 1}"
            kind = _kind(rng) if k > 0 else "single"
            n_opts = {"single": rng.choice([2, 3, 4, 4, 5]), "multi": rng.choice([3, 4, 5]), "scale": 4}.get(kind, 0)
            q: dict[str, Any] = {
                "id": qid,
                "text": f"Synthetic question {qid}: how well does the project meet requirement {k + 1} of {phase}?",
                "kind": kind,
            }
            depth = 0
            # A follow-up needs something earlier to hang off; the first two of each phase are core.
            if k >= 2 and rng.random() < FOLLOW_UP_SHARE:
                local = [x for x in everything[-12:] if x.phase == phase and x.depth < 2]
                if not local:
                    local = [x for x in cores[phase][-4:]]
                parents = [rng.choice(local)] if local else []
                if rng.random() < CROSS_SHARE:
                    # Reach across: mostly into the profile, sometimes into an earlier dimension.
                    pool_phase = (
                        "profile"
                        if rng.random() < 0.6 or phase == "profile"
                        else rng.choice(PHASES[: PHASES.index(phase)] or ("profile",))
                    )
                    pool = cores[pool_phase] if pool_phase != phase else cores[phase][:-1]
                    if pool:
                        other = rng.choice(pool)
                        parents = [other] if rng.random() < 0.5 or not parents else [parents[0], other]
                if parents:
                    if len(parents) == 2 and parents[0].id == parents[1].id:
                        parents = parents[:1]
                    q["ask_if"] = _condition(rng, parents)
                    depth = 1 + max(p.depth for p in parents)
            if n_opts:
                q["options"] = [
                    {"id": f"o{i}", "label": f"Option {i + 1} for {qid}", **({"score": float(i)} if scored else {})}
                    for i in range(n_opts)
                ]
                if kind == "multi" and rng.random() < 0.5:
                    q["options"].append(
                        {
                            "id": "none",
                            "label": "None of these",
                            "exclusive": True,
                            **({"score": 0.0} if scored else {}),
                        }
                    )
            if kind == "number":
                q["min"] = 0
                q["max"] = 100_000
                q["unit"] = "records"
            q["help"] = f"Good practice for {qid}: say what good looks like and why it matters."
            q["references"] = [f"Synthetic framework, section {k + 1}"]
            if scored and kind in ("single", "multi", "scale") and phase != "complexity":
                q["action"] = f"Improve the evidence for {qid}."
                if rng.random() < 0.25:
                    q["rules"] = [
                        {
                            "level": rng.choice(["blocker", "condition"]),
                            "when": {"op": "equals", "question": qid, "value": "o0"},
                            "message": f"Weak answer to {qid}.",
                            **({"tiers": [3, 4]} if rng.random() < 0.5 else {}),
                        }
                    ]
            questions.append(q)
            entry = _Q(qid, phase, kind, n_opts, depth, q)
            everything.append(entry)
            if depth == 0:
                cores[phase].append(entry)
        sections[phase] = {
            "id": f"synthetic-{phase}",
            "version": "1.0",
            "title": f"Synthetic {phase}",
            "dimension": phase,
            "provenance": "Generated by benchmarks/synth.py; not guidance.",
            "questions": questions,
        }
    manifest = {
        "id": f"synthetic-{n}",
        "version": "1.0",
        "title": f"Synthetic bank of {n} questions",
        "provenance": "Generated by benchmarks/synth.py for the benchmarks; not guidance.",
        "scoring": {
            "amber_from": 0.4,
            "green_from": 0.7,
            "tier_floors": [
                {"when": {"op": "equals", "question": "P1", "value": "o0"}, "tier": 2, "reason": "Synthetic floor."}
            ],
            "tier_minimums": {1: {"default": 2}, 2: {"default": 3}, 3: {"default": 3}, 4: {"default": 4}},
        },
    }
    return {"manifest": manifest, "sections": sections}


def write(bank: dict[str, Any], directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    dump = yaml.CSafeDumper if hasattr(yaml, "CSafeDumper") else yaml.SafeDumper
    (directory / "bank.yaml").write_text(yaml.dump(bank["manifest"], Dumper=dump, sort_keys=False), "utf-8")
    for i, phase in enumerate(PHASES):
        text = yaml.dump(bank["sections"][phase], Dumper=dump, sort_keys=False, width=200)
        (directory / f"{i}0-{phase}.yaml").write_text(text, "utf-8")
    return directory


def answer_for(q: dict[str, Any]) -> str | float | list[str]:
    """The deterministic answer the benchmarks give to a question (a mix of weak and strong)."""
    h = sum(map(ord, q["id"])) * 2654435761 % 2**32
    kind = q["kind"]
    if kind in ("single", "scale"):
        return f"o{h % len(q['options'])}"
    if kind == "multi":
        plain = [o["id"] for o in q["options"] if not o.get("exclusive")]
        chosen = [o for i, o in enumerate(plain) if (h >> i) & 1]
        return chosen or [plain[0]]
    if kind == "number":
        return float(h % 40)
    return f"Free text answer {h % 97}"


def answers(bank: dict[str, Any]) -> dict[str, str | float | list[str]]:
    """An answer for every question, in asking order (the run answers only those asked)."""
    return {q["id"]: answer_for(q) for phase in PHASES for q in bank["sections"][phase]["questions"]}


def stats(bank: dict[str, Any]) -> dict[str, int]:
    qs = [q for phase in PHASES for q in bank["sections"][phase]["questions"]]
    follow = [q for q in qs if "ask_if" in q]
    prefix = {v: k for k, v in PREFIX.items()}

    def phases_in(cond: dict[str, Any]) -> set[str]:
        if "question" in cond:
            return {prefix[cond["question"][0]]}
        subs = cond.get("conditions") or [cond["condition"]]
        return set().union(*(phases_in(c) for c in subs))

    cross = [q for q in follow if phases_in(q["ask_if"]) - {prefix[q["id"][0]]}]
    return {"questions": len(qs), "follow_ups": len(follow), "cross_dimension": len(cross)}


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(f"synthetic-{size}")
    generated = generate(size)
    write(generated, out)
    print(out, stats(generated))
