"""The engine on SymPy index expressions, no LaTeX involved.

The cases of ``shared/notes`` (T1-T8) plus the traps it records: free
indices must match by name (a transpose is never accepted), random
instances use integer sizes, in-range indices and one value per entry.
"""

from __future__ import annotations

import pytest
import sympy
from sympy import Sum

from deriv.context import Context, Declared, Definition, definition_params
from deriv.engine.decide import decide_equal, prove_equal
from deriv.engine.differentiate import differentiate
from deriv.engine.normal import Normalizer
from deriv.ir import MatrixArg, OpaqueCall, OpaqueGrad, Partial, delta, elementwise, entry, free_indices, index, size
from deriv.results import Verdict

S, M, N = size("S"), size("M"), size("N")
i, j, k, l, m, n = (index(c) for c in "ijklmn")


def X(a, b):
    return entry("X", a, b)


def W(a, b):
    return entry("W", a, b)


def G(a, b):
    return entry("G", a, b)


def A(a, b):
    return entry("A", a, b)


def x(a):
    return entry("x", a)


def make_context() -> Context:
    context = Context(sizes=(S, M, N))
    for name, kind, shape in [
        ("X", "matrix", (S, M)), ("W", "matrix", (N, M)), ("G", "matrix", (S, N)),
        ("A", "matrix", (N, N)), ("Z", "matrix", (S, M)), ("H", "symmetric", (N, N)), ("x", "vector", (N, 1)),
        ("g", "function", (1, 1)), ("h", "elementwise", (1, 1)),
    ]:
        context.declared[name] = Declared(name, kind, shape)
    p, q = definition_params(2)
    context.definitions["Y"] = Definition("Y", (p, q), Sum(X(p, k) * W(q, k), (k, 0, M - 1)), (S, N))
    Y_arg = MatrixArg.from_entry(lambda r, c: entry("Y", r, c), S, N)
    context.definitions["L"] = Definition("L", (), OpaqueCall(sympy.Symbol("g"), Y_arg), (1, 1))
    return context


CONTEXT = make_context()
Y_ARG = MatrixArg.from_entry(lambda r, c: entry("Y", r, c), S, N)

TRUE = [
    ("T1 delta delta", Sum(delta(i, k) * delta(k, j), (k, 0, N - 1)), delta(i, j), {i: N, j: N}),
    ("T2 delta contraction", Sum(delta(i, k) * A(k, j), (k, 0, N - 1)), A(i, j), {i: N, j: N}),
    ("T3 seed's nested sum", Sum(G(i, j) * Sum(X(i, k) * delta(j, m) * delta(k, n), (k, 0, M - 1)), (i, 0, S - 1), (j, 0, N - 1)),
     Sum(G(i, m) * X(i, n), (i, 0, S - 1)), {m: N, n: M}),
    ("T5 trace of identity", Sum(delta(i, i), (i, 0, N - 1)), N, {}),
    ("T7 quadratic form gradient", Partial(Sum(x(i) * A(i, j) * x(j), (i, 0, N - 1), (j, 0, N - 1)), x(k)),
     Sum(A(k, j) * x(j), (j, 0, N - 1)) + Sum(x(i) * A(i, k), (i, 0, N - 1)), {k: N}),
    ("dummy renaming", Sum(X(i, k) * W(j, k), (k, 0, M - 1)), Sum(X(i, l) * W(j, l), (l, 0, M - 1)), {i: S, j: N}),
    ("symmetric matrix", Sum(x(i) * entry("H", i, j), (i, 0, N - 1)), Sum(entry("H", j, i) * x(i), (i, 0, N - 1)), {j: N}),
    ("free deltas identify", delta(i, k) * x(k), delta(i, k) * x(i), {i: N, k: N}),
    ("chain rule through a definition", Partial(sympy.Symbol("L"), W(m, n)),
     Sum(Partial(sympy.Symbol("L"), entry("Y", i, j)) * Partial(entry("Y", i, j), W(m, n)), (i, 0, S - 1), (j, 0, N - 1)),
     {m: N, n: M}),
    ("gradient by the defined name", Partial(sympy.Symbol("L"), entry("Y", i, j)),
     OpaqueGrad(sympy.Symbol("g"), Y_ARG, i, j), {i: S, j: N}),
    ("elementwise derivative", Partial(elementwise("h")(X(i, j)), X(i, j)), elementwise("h", 1)(X(i, j)), {i: S, j: M}),
]

FALSE = [
    ("T4 transposed gradient", Sum(entry("Z", i, m) * X(i, n), (i, 0, S - 1)), Sum(X(i, m) * entry("Z", i, n), (i, 0, S - 1)), {m: M, n: M}),
    ("T6 swapped index", Sum(delta(i, k) * A(j, k), (k, 0, N - 1)), A(i, j), {i: N, j: N}),
    ("dropped factor", Sum(x(i) * A(i, j) * x(j), (i, 0, N - 1), (j, 0, N - 1)), Sum(A(i, i) * x(i) ** 2, (i, 0, N - 1)), {}),
    ("sign flip", Sum(X(i, k) * W(j, k), (k, 0, M - 1)), -Sum(X(i, k) * W(j, k), (k, 0, M - 1)), {i: S, j: N}),
    ("sum of identity is not a constant", Sum(delta(i, i), (i, 0, N - 1)), 3, {}),
    ("chain rule without the inner derivative", Partial(sympy.Symbol("L"), W(m, n)),
     Sum(Partial(sympy.Symbol("L"), entry("Y", i, m)), (i, 0, S - 1)), {m: N, n: M}),
    ("a square transpose", A(i, j), A(j, i), {i: N, j: N}),
    ("true only at the sizes of one trial", S + M + N, 9, {}),
]


@pytest.mark.parametrize("name,lhs,rhs,ranges", TRUE, ids=[c[0] for c in TRUE])
def test_true_equalities_are_proved(name, lhs, rhs, ranges) -> None:
    assert decide_equal(lhs, rhs, CONTEXT, ranges).verdict is Verdict.PROVED


@pytest.mark.parametrize("name,lhs,rhs,ranges", FALSE, ids=[c[0] for c in FALSE])
def test_false_equalities_are_refuted_with_a_counterexample(name, lhs, rhs, ranges) -> None:
    decision = decide_equal(lhs, rhs, CONTEXT, ranges)
    assert decision.verdict is Verdict.REFUTED
    example = decision.counterexample
    assert example is not None and example.lhs_value != example.rhs_value
    sizes = dict(example.sizes)
    if example.shrunk:  # the simplest instance that shows it: small, and sizes may coincide
        assert all(1 <= v <= 3 for v in sizes.values())
    else:  # a random instance: pairwise distinct sizes
        assert len(set(sizes.values())) == len(sizes), "sizes must be pairwise distinct"
    for _name, value in example.indices:
        assert value >= 1  # reported 1-based


def test_false_equalities_are_never_proved_symbolically() -> None:
    for _, lhs, rhs, ranges in FALSE:
        assert not prove_equal(lhs, rhs, CONTEXT, ranges)


def test_counterexample_reproduces_with_its_seed() -> None:
    _, lhs, rhs, ranges = FALSE[0]
    first = decide_equal(lhs, rhs, CONTEXT, ranges, seed=7).counterexample
    again = decide_equal(lhs, rhs, CONTEXT, ranges, seed=7).counterexample
    assert first == again and first.seed == 7


def test_undecidable_is_not_passed() -> None:
    """Nested derivatives are neither proved nor tested here: undecided, never a pass."""
    inner = Partial(Partial(sympy.Symbol("L"), W(m, n)), W(m, n))
    decision = decide_equal(inner, inner + 1, CONTEXT, {m: N, n: M})
    assert decision.verdict in (Verdict.UNDECIDED, Verdict.REFUTED)


@pytest.mark.parametrize(
    "expr,var,expected",
    [
        (X(i, k), X(m, n), delta(i, m) * delta(k, n)),
        (W(i, k), X(m, n), 0),
        (x(i) ** 2, x(k), 2 * x(i) * delta(i, k)),
        (sympy.exp(x(i)), x(k), sympy.exp(x(i)) * delta(i, k)),
        (elementwise("h")(x(i)), x(k), elementwise("h", 1)(x(i)) * delta(i, k)),
    ],
)
def test_differentiation_rules(expr, var, expected) -> None:
    assert sympy.simplify(differentiate(expr, var, CONTEXT) - expected) == 0


def test_sympy_deltas_meet_ours() -> None:
    """A user's sympy.KroneckerDelta and the engine's fast Delta are one thing."""
    user = Sum(sympy.KroneckerDelta(i, k) * A(k, j), (k, 0, N - 1))
    assert decide_equal(user, Sum(delta(i, k) * A(k, j), (k, 0, N - 1)), CONTEXT, {i: N, j: N}).verdict is Verdict.PROVED


def test_normal_form_contracts_and_renames() -> None:
    normalizer = Normalizer({i: N, j: N})
    left = normalizer.normal_form(Sum(delta(i, k) * A(k, j), (k, 0, N - 1)))
    right = normalizer.normal_form(A(i, j))
    assert left == right


def test_delta_over_different_ranges_is_not_contracted() -> None:
    """sum_k delta(k, n) f(k) with k over M and n over N is left alone (not guessed)."""
    normalizer = Normalizer({n: N})
    form = normalizer.normal_form(Sum(delta(k, n) * X(i, k), (k, 0, M - 1)))
    assert len(form) == 1
    ((factors, extents),) = form.keys()
    assert extents == (M,)


def test_free_indices_ignore_bound_ones() -> None:
    assert free_indices(Sum(X(i, k) * W(j, k), (k, 0, M - 1))) == {i, j}
    assert free_indices(OpaqueGrad(sympy.Symbol("g"), Y_ARG, i, j)) == {i, j}




def _sum_cases():
    i, j, k, n = index("i"), index("j"), index("k"), size("N")
    x, w = entry("X", i, k), entry("W", k, j)
    return [
        (x * w, [(k, 0, n - 1)]),
        (x + 1, [(k, 0, n - 1), (j, 0, n - 2)]),
        (sympy.Integer(2), [(k, 0, n - 1)]),
        (sympy.exp(x), [sympy.Tuple(k, 0, n - 1)]),
        (Sum(w, (j, 0, n - 1)), [(k, 0, n - 1)]),  # nested: Sum folds the limits together
        (sympy.Piecewise((x, x > 0), (0, True)), [(k, 0, n - 1)]),  # left to Sum
        (x, [(k, 1, n)]),
        (x, [(k, n, 0)]),
        (OpaqueCall(sympy.Symbol("g"), MatrixArg.from_entry(lambda r, c: entry("Y", r, c) * x, n, n)), [(k, 0, n - 1)]),
    ]


@pytest.mark.parametrize("body, limits", _sum_cases())
def test_sum_of_builds_exactly_what_sum_builds(body, limits):
    from deriv.ir import sum_of

    expected, made = Sum(body, *limits), sum_of(body, *limits)
    assert made == expected and hash(made) == hash(expected)
    assert made.args == expected.args and type(made) is type(expected)
    assert made.is_commutative == expected.is_commutative and str(made) == str(expected)


def test_substituted_is_xreplace():
    from deriv.ir import substituted

    i, k, n = index("i"), index("k"), size("N")
    placeholder = sympy.Symbol("_range_k", integer=True, positive=True)
    cases = [
        Sum(entry("X", i, k), (k, 0, placeholder - 1)) * Sum(entry("W", k, i) ** 2, (k, 0, placeholder - 1)) + entry("b", i),
        MatrixArg.from_entry(lambda r, c: Sum(entry("Y", r, k), (k, 0, placeholder - 1)) + entry("X", c, i), n, n),
        sympy.exp(entry("X", i, i)) + 3,
        placeholder,
    ]
    for expr in cases:
        for mapping in ({placeholder: n}, {i: k, k: i}, {}):
            expected, made = expr.xreplace(mapping), substituted(expr, mapping)
            assert made == expected and hash(made) == hash(expected) and str(made) == str(expected)
