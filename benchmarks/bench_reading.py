"""Reading costs time in proportion to the text: seconds per kilobyte on adversarial inputs.

Each payload (a run of spaces, braces, backslashes, ``\\quad``s, ... placed
inside a ``\\tag{``, a display, a justification, a heading, a front-matter
key, a quantifier, an ``assume`` directive, ...) is read at two lengths,
in-process and without deciding; a linear reader takes about four times as
long on four times the text.  The table lists the slowest cases: seconds
at the larger length, seconds per KB, and the ratio of the two lengths'
times (16 would be quadratic).  ``--enforce`` exits 1 when a case exceeds
``--max-ms-per-kb`` at the larger length.

    .venv/bin/python benchmarks/bench_reading.py
    .venv/bin/python benchmarks/bench_reading.py --small 4000 --large 64000 --enforce
"""

from __future__ import annotations

import argparse
import sys
import time

from deriv.check.checker import check_text
from deriv.check.options import CheckOptions

FRONT = "---\nsymbols:\n  x: scalar\n  X: matrix N x M\n---\n\n"
FILLS = {
    "space": " ", "brace": "{", "close": "}", "backslash": "\\", "escaped space": "\\ ", "dollar": "$",
    "paren": "(", "underscore": "_", "caret": "^", "ampersand": "&", "row break": " \\\\ ", "quad": "\\quad ",
    "text": "\\text{a}", "left": "\\left(", "comma": ",", "equals": "=", "letter": "x ", "sum": "\\sum_i ",
}
SHAPES = {
    "tag": "$$\\tag{{{f}{{$$\n",
    "display": "$$ x = {f} $$\n",
    "unclosed display": "$$ x = {f}\n",
    "bracket display": "\\[ x {f} \\]\n",
    "align": "\\begin{{align}} x &= {f} \\end{{align}}\n",
    "definiteness": "$$ x {f} y \\succ 0 $$\n",
    "second order": "$$ \\nabla f = 0 {f} \\implies \\text{{local minimum}} $$\n",
    "eigenvalues": "$$ H \\succ 0 \\implies \\lambda{f}(H) > 0 $$\n",
    "justification": "$$ x = x \\quad \\text{{since}} {f} $$\n",
    "quantifier": "$$ x^2 > 0 \\quad \\forall x{f} $$\n",
    "prose": "text {f} more\n\n$$ x = x $$\n",
    "heading": "# a{f}b ##\n\n$$ x = x $$\n",
    "code": "```\n{f}\n```\n$$ x = x $$\n",
    "directive": "<!-- deriv: {f} -->\n$$ x = x $$\n",
    "assume": "<!-- deriv: assume x {f} \\succ 0 -->\n$$ x = x $$\n",
    "fraction": "$$ \\frac{{{f}}}{{x}} = x $$\n",
    "label": "$$ x = x $$\n({f})\n",
    "row spacing": "\\begin{{align}} x &= x \\\\ {f} [ 2pt x \\end{{align}}\n",
}
OPTIONS = CheckOptions(isolate=False, decide=False)


def document(shape: str, fill: str, length: int) -> str:
    payload = fill * max(1, length // len(fill))
    return FRONT + SHAPES[shape].format(f=payload)


def seconds(text: str) -> float:
    start = time.perf_counter()
    check_text(text, "bench.md", OPTIONS)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=4000)
    parser.add_argument("--large", type=int, default=32000)
    parser.add_argument("--max-ms-per-kb", type=float, default=50.0)
    parser.add_argument("--show", type=int, default=12)
    parser.add_argument("--enforce", action="store_true")
    args = parser.parse_args(argv)
    seconds(FRONT + "$$ x = x $$\n")  # imports and caches, outside the figures
    rows = []
    for shape in SHAPES:
        for name, fill in FILLS.items():
            small, large = (seconds(document(shape, fill, n)) for n in (args.small, args.large))
            kb = len(document(shape, fill, args.large)) / 1024
            rows.append((1000 * large / kb, large, large / max(small, 1e-4), shape, name))
    rows.sort(reverse=True)
    print(f"{'ms/KB':>7} {'seconds':>8} {'ratio':>6}  case (at {args.large} characters)")
    for per_kb, large, ratio, shape, name in rows[: args.show]:
        print(f"{per_kb:7.2f} {large:8.3f} {ratio:6.1f}  {shape} / {name}")
    worst = rows[0][0]
    verdict = "PASS" if worst <= args.max_ms_per_kb else "FAIL"
    print(f"{verdict}: worst {worst:.2f} ms/KB (limit {args.max_ms_per_kb:g})")
    return 1 if args.enforce and verdict == "FAIL" else 0


if __name__ == "__main__":
    sys.exit(main())
