"""Engine, shrinking (docs/deciding.md): counterexamples small, simple, certified, reproducible.

Each shrunk counterexample is checked again independently: the values it
shows are put into an ordinary instance and both sides evaluated by the
tester's own evaluator, which must give the values shown.
"""

from __future__ import annotations

import json
from contextlib import nullcontext
from fractions import Fraction

import pytest
from click.testing import CliRunner

from deriv.check.checker import check_text
from deriv.check.options import CheckOptions
from deriv.cli import main
from deriv.context import Context
from deriv.engine import certified
from deriv.engine.compare import evaluate
from deriv.engine.compiler import Compiler
from deriv.engine.instances import Evaluator
from deriv.engine.shrink import GivenInstance
from deriv.latex.parser import parse_display
from deriv.meaning.builder import Builder
from deriv.meaning.declarations import build_context
from deriv.read.document import parse_document
from deriv.render.json import counterexample_from_json, counterexample_to_json
from deriv.results import Verdict

OPTIONS = CheckOptions(isolate=False)
SQUARE = "---\nsymbols:\n  A: matrix N x N\n---\n"
DELTA = SQUARE + "$$ \\sum_k \\delta_{i,k} A_{j,k} = A_{i,j} $$\n"


def refuted(text: str):
    step = check_text(text, options=OPTIONS).steps[-1]
    assert step.verdict is Verdict.REFUTED
    return step.counterexample


def test_the_delta_mistake_shrinks_to_sizes_two_and_entries_zero_one() -> None:
    ce = refuted(DELTA)
    assert ce.shrunk and ce.precision == "exact"
    assert all(v <= 2 for _, v in ce.sizes)
    entries = {v for _, rows in ce.values for row in rows for v in row}
    assert entries <= {"0", "1", "-1"}
    assert ce.sizes == (("N", 2),)
    assert ce.values == (("A", (("0", "1"), ("0", "0"))),)
    assert ce.indices == (("i", 1), ("j", 2)) and (ce.lhs_value, ce.rhs_value) == ("0", "1")


def test_the_text_report_shows_the_matrix_and_the_reproduce_line(tmp_path) -> None:
    path = tmp_path / "wrong.md"
    path.write_text(DELTA, encoding="utf-8")
    output = CliRunner().invoke(main, ["check", "--no-color", str(path)]).output
    lines = [line.rstrip() for line in output.splitlines()]
    at = next(n for n, line in enumerate(lines) if "counterexample:" in line)
    assert lines[at].strip() == ("counterexample: with N=2 at i=1, j=2: left side = 0, right side = 1 "
                                 "(seed 0, trial 0, shrunk)")
    assert [line.strip() for line in lines[at + 1: at + 3]] == ["A = [ 0  1 ]", "[ 0  0 ]"]
    assert any(line.strip() == f"reproduce: deriv check {path} --seed 0" for line in lines)


def test_the_reproduce_line_reproduces_what_is_shown(tmp_path) -> None:
    path = tmp_path / "wrong.md"
    path.write_text(SQUARE + "$$ A_{i,j} + A_{j,i} = 2 A_{i,j} $$\n", encoding="utf-8")
    runs = [CliRunner().invoke(main, ["check", "--format", "json", "--seed", "7", str(path)]).output for _ in range(2)]
    first, second = (json.loads(r)["files"][0]["steps"][0]["counterexample"] for r in runs)
    assert first == second and first["shrunk"] and first["seed"] == 7


def _independently(text: str, ce) -> tuple[str, str]:
    """Both sides evaluated by the tester's own evaluator on the values the counterexample shows."""
    document = parse_document(text, "t.md")
    context: Context = build_context(document.front, "t.md", nullcontext)
    syntax, _ = parse_display(document.displays[-1].text)
    sides = []
    for node in syntax.members:
        builder = Builder(context)
        value = builder.build(node)
        expr, _ = builder.finish(value.expr, {})
        sides.append(expr)
    sizes = {s: dict(ce.sizes)[str(s)] for s in context.sizes}
    arrays = {}
    for name, rows in ce.values:
        arrays[name] = {(i, j): certified.fmpq(int(v)) for i, row in enumerate(rows) for j, v in enumerate(row)}
    evaluator = Evaluator(GivenInstance(context, sizes, arrays), Compiler(context))
    index = {s.name: s for e in sides for s in e.free_symbols}
    evaluator.bindings = {index[n]: v - 1 for n, v in ce.indices}
    values = [evaluate(Compiler(context).compile(e), evaluator).value for e in sides]
    return certified.show(values[0]), certified.show(values[1])


def test_a_shrunk_counterexample_is_certified_by_the_plain_evaluator() -> None:
    for body in (DELTA, SQUARE + "$$ \\sum_k A_{i,k} A_{k,j} = \\sum_k A_{k,i} A_{j,k} $$\n"):
        ce = refuted(body)
        assert ce.shrunk
        assert _independently(body, ce) == (ce.lhs_value, ce.rhs_value)


def test_an_opaque_function_becomes_one_entry_of_its_argument() -> None:
    text = "---\nsymbols:\n  Y: matrix N x N\n  g: function\n---\n" \
           "$$\\frac{\\partial g(Y)}{\\partial Y_{i,j}} = \\frac{\\partial g(Y)}{\\partial Y_{j,i}}$$\n"
    ce = refuted(text)
    assert ce.shrunk and ce.sizes == (("N", 2),)
    assert ce.functions == (("g", "g(Y) = Y_{1,2}"),)
    assert (ce.lhs_value, ce.rhs_value) == ("1", "0")


def test_an_elementwise_function_becomes_a_power() -> None:
    text = "---\nsymbols:\n  x: vector N\n  h: elementwise function\n---\n" \
           "$$\\frac{\\partial h(x_i)}{\\partial x_i} = h(x_i)$$\n"
    ce = refuted(text)
    assert ce.shrunk and ce.functions == (("h", "h(t) = t"),)  # t: x is the document's vector
    assert ce.values == (("x", (("0",),)),) and (ce.lhs_value, ce.rhs_value) == ("1", "0")


def test_a_failure_that_needs_inexact_values_is_shrunk_to_a_certified_one() -> None:
    # exp(0) = 1 agrees; at x = 1 the ball around e - 5/2 excludes 0 (softmax mistakes shrink too).
    ce = refuted("---\nsymbols:\n  x: scalar\n---\n$$ \\exp(x) = 1 + x + \\frac{x^2}{2} $$\n")
    assert ce.shrunk and ce.values == (("x", (("1",),)),) and ce.rhs_value == "5/2"
    assert ce.precision.startswith("certified at") and ce.note.startswith("their difference is [0.218281828")


def test_a_failure_where_a_side_is_undefined_keeps_the_random_counterexample() -> None:
    ce = refuted("---\nsymbols:\n  x: scalar\n---\n$$ \\log(x^2) = 2 \\log(x) $$\n")
    assert not ce.shrunk and "undefined" in ce.lhs_value + ce.rhs_value


def test_a_step_under_assumptions_is_shrunk_to_an_instance_that_satisfies_them() -> None:
    # a = 2b makes a + b = 3b, so a + b = 2b fails wherever b != 0: on an instance that satisfies a = 2b
    text = "---\nsymbols:\n  a: scalar\n  b: scalar\nassumptions:\n  - a = 2 b\n---\n$$ a + b = 2 b $$\n"
    ce = refuted(text)
    values = {name: Fraction(rows[0][0]) for name, rows in ce.values}
    assert ce.shrunk and values == {"a": 2, "b": 1}, ce


def _matrix(rows) -> list[list[Fraction]]:
    return [[Fraction(v) for v in row] for row in rows]


def _positive_definite(m: list[list[Fraction]]) -> bool:
    """Sylvester's criterion on the symmetric part (x^T A x > 0 for x != 0), in Fractions."""
    n = len(m)
    sym = [[(m[i][j] + m[j][i]) / 2 for j in range(n)] for i in range(n)]
    for k in range(1, n + 1):
        a = [row[:k] for row in sym[:k]]
        det = Fraction(1)
        for c in range(k):  # Gaussian elimination, exact
            pivot = next((r for r in range(c, k) if a[r][c] != 0), None)
            if pivot is None:
                return False
            a[c], a[pivot] = a[pivot], a[c]
            det *= a[c][c] * (-1 if pivot != c else 1)
            for r in range(c + 1, k):
                f = a[r][c] / a[c][c]
                a[r] = [x - f * y for x, y in zip(a[r], a[c])]
        if det <= 0:
            return False
    return True


#: (front matter, a false step, the assumption checked independently on the values shown)
SHRUNK_UNDER_ASSUMPTIONS = [
    ("  a: scalar\n  b: scalar\nassumptions:\n  - a b = 1\n", "a = b",
     lambda v: _matrix(v["a"])[0][0] * _matrix(v["b"])[0][0] == 1),
    ("  y: vector K\n  z: vector K\nassumptions:\n  - \\sum_k y_k = 1\n", "\\sum_k y_k z_k = z_1",
     lambda v: sum(r[0] for r in _matrix(v["y"])) == 1),
    ("  x: vector N\n  y: vector N\nassumptions:\n  - x^T y = 0\n", "x_1 y_1 = 0",
     lambda v: sum(a[0] * b[0] for a, b in zip(_matrix(v["x"]), _matrix(v["y"]))) == 0),
    ("  a: scalar\nassumptions:\n  - a > 1\n", "a^2 = a", lambda v: _matrix(v["a"])[0][0] > 1),
    ("  A: matrix N x N\nassumptions:\n  - A \\succ 0\n", "A_{i,j} = A_{j,i}", lambda v: _positive_definite(_matrix(v["A"]))),
]


@pytest.mark.parametrize(("head", "step", "holds"), SHRUNK_UNDER_ASSUMPTIONS)
def test_every_counterexample_under_assumptions_satisfies_them(head: str, step: str, holds) -> None:
    ce = refuted("---\nsymbols:\n" + head + "---\n$$ " + step + " $$\n")
    assert holds(dict(ce.values)), ce  # every name the assumption writes, the step writes too


def test_json_round_trip_of_a_shrunk_counterexample() -> None:
    ce = refuted(DELTA)
    data = json.loads(json.dumps(counterexample_to_json(ce)))
    assert data["values"] == {"A": [["0", "1"], ["0", "0"]]} and data["shrunk"] is True
    assert counterexample_from_json(data) == ce


def test_a_counterexample_not_shrunk_still_shows_its_values() -> None:
    """A refutation the shrinker can not make smaller shows the names' values, not only its seed:
    a reader checks it by hand (sqrt(c^2 a) = |c| sqrt(a) differs from c sqrt(a) where c < 0 < a)."""
    text = "---\nsymbols:\n  a: scalar\n  b: scalar\n  c: scalar\n---\n$$ \\sqrt{c^2 a} = c \\sqrt{a} $$\n"
    (step,) = check_text(text).steps
    assert step.verdict == Verdict.REFUTED
    values = {name: Fraction(rows[0][0]) for name, rows in step.counterexample.values}
    assert set(values) >= {"a", "c"} and values["c"] < 0 < values["a"], step.counterexample


def test_a_counterexample_never_shows_a_draw_its_definition_replaces() -> None:
    """``p = softmax(z)`` is computed from ``z``: a drawn ``p`` (never used) shown beside it
    would tell the reader a value ``p`` does not have."""
    text = ("---\nsymbols:\n  z: vector K\n  y: vector K\n  p: vector K\ndefinitions:\n"
            "  - p = \\operatorname{softmax}(z)\n  - L = -\\sum_k y_k \\log p_k\nassumptions:\n  - \\sum_k y_k = 1\n---\n"
            "$$ \\frac{\\partial L}{\\partial z_j} = y_j - p_j $$\n")
    ce = refuted(text)
    assert {name for name, _ in ce.values} == {"y", "z"}, ce.values


def test_a_counterexample_shows_only_the_drawn_member_of_a_recurrence() -> None:
    text = ("---\nsymbols:\n  h: scalar, for t in 0..T\n  a: scalar\nindices:\n  t: T\ndefinitions:\n"
            "  - h_t = a h_{t-1}\nassumptions:\n  - a = 2\n---\n$$ h_t = h_{t-1} $$\n")
    ce = refuted(text)
    shown = {name: rows for name, rows in ce.values if name.startswith("h")}
    # h_0, the first member, only: the others are computed (shown as h_{0} when shrunk)
    assert shown in ({"h_{0}": (("1",),)}, {"h": shown.get("h")}) and len(next(iter(shown.values()))) == 1, ce.values


def test_a_counterexample_shows_the_names_only_the_assumptions_write() -> None:
    """``A`` never appears in ``c^T x = 0``, but a reader checks ``A x = 0`` with it."""
    text = ("---\nsymbols:\n  A: matrix N x N\n  x: vector N\n  c: vector N\nassumptions:\n  - A x = 0\n---\n"
            "$$ c^T x = 0 $$\n")
    ce = refuted(text)
    assert {"A", "x", "c"} <= {name for name, _ in ce.values}, ce
