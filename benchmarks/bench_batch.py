"""Throughput and false verdicts of ``deriv.check_many`` beside Math-Verify's ``verify``.

Generated derivations as a model would write them: matrix-calculus steps,
each true one beside mutations of it (a transpose dropped, factors swapped,
a term lost), every step made distinct by its own integer factor so no
result is reused.  deriv checks them with :func:`deriv.check_many` (one
job: steps per second per core); Math-Verify, when it is installed in the
benchmark's environment (``pip install 'math-verify[antlr4_13_2]'`` -- it
is not a dependency of deriv), is asked ``verify(parse(lhs), parse(rhs))``
on the same pairs.  The table gives, for each: steps per second, true steps
accepted, false steps accepted (false accepts), true steps rejected (false
refutations) and steps left undecided or in error.

    python benchmarks/bench_batch.py --steps 1000
    /path/to/venv-with-math-verify/bin/python benchmarks/bench_batch.py --steps 1000

deriv's "accepted" is proved or tested; its "rejected" is refuted; an
error, undecided or timeout is neither.  A measurement, not a test.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import deriv

SYMBOLS = {"A": "matrix N x N", "B": "matrix N x N", "C": "matrix N x N", "X": "matrix N x N",
           "W": "matrix N x M", "V": "matrix N x M", "x": "vector N", "b": "vector N", "a": "vector N",
           "c": "vector N"}

#: (left side, the true right side, false right sides) -- each scaled by its own integer.
TEMPLATES = [
    ("(A B)^T", "B^T A^T", ["A^T B^T", "B A"]),
    (r"\operatorname{tr}(A B)", r"\operatorname{tr}(B A)", [r"\operatorname{tr}(A^T B)"]),
    ("(A + B)^T", "A^T + B^T", ["A + B^T", "A^T - B^T"]),
    (r"\frac{\partial x^T A x}{\partial x}", "(A + A^T) x", ["2 A x", "A x"]),
    (r"\frac{\partial \operatorname{tr}(A X)}{\partial X}", "A^T", ["A", "X^T A^T"]),
    (r"\frac{\partial a^T X c}{\partial X}", "a c^T", ["c a^T", "a^T c"]),
    ("(A B) C", "A (B C)", ["A (C B)", "(B A) C"]),
    (r"\frac{\partial (A x - b)^T (A x - b)}{\partial x}", "2 A^T (A x - b)", ["2 A (A x - b)", "2 (A x - b)"]),
    ("(W^T V)^T", "V^T W", ["W^T V"]),
    ("(A + B) x", "A x + B x", ["A x + B", "x^T A + B x"]),
    (r"x^T (A + A^T) x", "2 x^T A x", ["x^T A x"]),
    (r"\frac{\partial b^T A x}{\partial x}", "A^T b", ["A b"]),
]


def corpus(steps: int) -> list[tuple[str, str, bool]]:
    """``steps`` pairs (lhs, rhs, true?), each with its own factor."""
    pairs: list[tuple[str, str, bool]] = []
    for factor in itertools.count(2):
        for lhs, true, false in TEMPLATES:
            for rhs, holds in [(true, True), *((f, False) for f in false)]:
                pairs.append((f"{factor} {lhs}",
                              f"{factor} \\left({rhs}\\right)", holds))
                if len(pairs) == steps:
                    return pairs
    return pairs


def tally(found: list[bool | None], truth: list[bool], seconds: float) -> dict[str, float]:
    return {"steps/s": len(found) / seconds,
            "true accepted": sum(f is True and t for f, t in zip(found, truth)),
            "false accepted": sum(f is True and not t for f, t in zip(found, truth)),
            "true rejected": sum(f is False and t for f, t in zip(found, truth)),
            "false rejected": sum(f is False and not t for f, t in zip(found, truth)),
            "neither": sum(f is None for f in found)}


def run_deriv(pairs: list[tuple[str, str, bool]]) -> dict[str, float]:
    items = [{"id": n, "text": f"$$ {lhs} = {rhs} $$"} for n, (lhs, rhs, _) in enumerate(pairs)]
    started = time.perf_counter()
    results = deriv.check_many(items, symbols=SYMBOLS, timeout=10)
    seconds = time.perf_counter() - started
    verdicts = [r.steps[0].verdict.value if len(r.steps) == 1 else "error" for r in results]
    found = [True if v in ("proved", "tested") else False if v == "refuted" else None for v in verdicts]
    return tally(found, [t for _, _, t in pairs], seconds)


def run_math_verify(pairs: list[tuple[str, str, bool]]) -> dict[str, float] | None:
    try:
        from math_verify import parse, verify
    except ImportError:
        return None
    found: list[bool | None] = []
    started = time.perf_counter()
    for lhs, rhs, _ in pairs:
        try:
            found.append(bool(verify(parse(f"${lhs}$"), parse(f"${rhs}$"))))
        except Exception:  # noqa: BLE001 - a crash of the reference is "neither"
            found.append(None)
    return tally(found, [t for _, _, t in pairs], time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=1000)
    args = parser.parse_args()
    pairs = corpus(args.steps)
    rows = {"deriv check_many (1 job)": run_deriv(pairs)}
    reference = run_math_verify(pairs)
    if reference is not None:
        rows["Math-Verify verify"] = reference
    true_count = sum(t for _, _, t in pairs)
    print(f"{len(pairs)} steps: {true_count} true, {len(pairs) - true_count} false")
    columns = ["steps/s", "true accepted", "false accepted", "true rejected", "false rejected", "neither"]
    print("| checker | " + " | ".join(columns) + " |")
    print("|---" * (len(columns) + 1) + "|")
    for name, row in rows.items():
        cells = [f"{row[c]:.1f}" if c == "steps/s" else str(int(row[c])) for c in columns]
        print(f"| {name} | " + " | ".join(cells) + " |")
    if reference is None:
        print("(Math-Verify is not installed here: pip install 'math-verify[antlr4_13_2]' in this environment)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
