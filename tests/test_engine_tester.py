"""The random tester's parts, one table per module: certified comparison,
jets, random jets for functions, domains, size assignments.

Every case asserts a real outcome (a verdict, a value, an exception), never
only that something ran.
"""

from __future__ import annotations



import flint
import pytest
import sympy
from flint import arb, fmpq
from sympy import Sum

from deriv.context import Context, Declared
from deriv.engine import certified, jets
from deriv.engine.certified import Ball, DomainError, PrecisionError, Recorder
from deriv.engine.compare import Evaluated, InstanceResult, compare_points, margin_of
from deriv.engine.decide import decide_equal
from deriv.engine.functions import RandomFunctions
from deriv.engine.plan import plan, proved_plan
from deriv.engine.sizes import Bound, step_degrees
from deriv.ir import Partial, delta, elementwise, entry, index, size
from deriv.results import Verdict

N, M, S = size("N"), size("M"), size("S")
i, j, k, l = (index(c) for c in "ijkl")
x, y, a, b, c = (sympy.Symbol(n) for n in "xyabc")
E = sympy.exp


def context(**kinds: str) -> Context:
    ctx = Context(sizes=(S, M, N))
    shapes = {"scalar": (1, 1), "positive scalar": (1, 1), "positive vector": (N, 1), "vector": (N, 1), "matrix": (N, N),
              "identity": (N, N), "function": (1, 1), "elementwise": (1, 1), "vectorM": (M, 1)}  # fmt: skip
    for name, kind in kinds.items():
        real_kind = "vector" if kind == "vectorM" else kind.removeprefix("positive ")
        ctx.declared[name] = Declared(name, real_kind, shapes[kind], positive=kind.startswith("positive"))
    return ctx


SCALARS = context(x="scalar", y="scalar", a="scalar", b="scalar", c="scalar", h="elementwise")
VECTORS = context(v="vector", u="vectorM", A="matrix", I="identity", h="elementwise")


def verdict(lhs, rhs, ctx=SCALARS, ranges=None) -> Verdict:
    return decide_equal(sympy.sympify(lhs), sympy.sympify(rhs), ctx, ranges or {}).verdict


R = sympy.Rational
PROVED_OR_TESTED = (Verdict.PROVED, Verdict.TESTED)

# -- certified comparison: no tolerance ---------------------------------------------
FALSE_CLOSE = [
    ("exp(-300) = 0", E(-300), 0),
    ("sqrt 3 to 40 digits", sympy.sqrt(3), R("1.7320508075688772935274463415058723669")),
    ("exp(300) + x = exp(300)", E(300) + x, E(300)),
    ("tanh(800x) = tanh(900x)", sympy.tanh(800 * x), sympy.tanh(900 * x)),
    ("log(1 + 1e-70 x^2) = 0", sympy.log(1 + R(1, 10**70) * x**2), 0),
    ("x = x(1 + 1e-45)", x, x * (1 + R(1, 10**45))),
    ("exp(x)(1 + 1e-45) = exp(x)", E(x) * (1 + R(1, 10**45)), E(x)),
    ("pi to 30 digits", sympy.pi, R("3.141592653589793238462643383279")),
    ("e^200 + 1 = e^200 inside a product", (E(200) + 1) * E(-200), 1),
]
TRUE_INEXACT = [
    ("exp(exp(y)) exp(y)", E(E(y)) * E(y), E(E(y) + y)),
    ("sigmoid rearranged", 1 / (1 + E(-x)), E(x) / (1 + E(x))),
    ("sigmoid times complement", 1 / (1 + E(-x)) * (1 - 1 / (1 + E(-x))), E(-x) / (1 + E(-x)) ** 2),
    ("tanh by exp", sympy.tanh(x), (E(2 * x) - 1) / (E(2 * x) + 1)),
    ("sqrt 2 squared", sympy.sqrt(2) * sympy.sqrt(2), 2),
    ("e is exp(1)", sympy.E, E(R(1, 2)) ** 2),
    ("rational power", sympy.sqrt(x**2 + 1) ** 3, (x**2 + 1) ** R(3, 2)),
]


@pytest.mark.parametrize("name,lhs,rhs", FALSE_CLOSE, ids=[t[0] for t in FALSE_CLOSE])
def test_nearly_equal_is_refuted(name, lhs, rhs) -> None:
    assert verdict(lhs, rhs) is Verdict.REFUTED


@pytest.mark.parametrize("name,lhs,rhs", TRUE_INEXACT, ids=[t[0] for t in TRUE_INEXACT])
def test_true_inexact_identities_pass(name, lhs, rhs) -> None:
    assert verdict(lhs, rhs) in PROVED_OR_TESTED


def _evaluated(value, lo=0, overlap=False) -> Evaluated:
    recorder = Recorder()
    recorder.note(lo)
    recorder.overlap = overlap
    return Evaluated(value, recorder)


def test_certified_nonzero_difference_refutes_and_tiny_radius_agrees() -> None:
    with certified.precision(256):
        three = Ball(arb(3).sqrt())
        other = Ball(arb(3).sqrt() + arb(2) ** -200)
        same = Ball(arb(27).sqrt() / 3)
        refuted = compare_points([()], [_evaluated(three)], [_evaluated(other)], 64, 256)
        agreed = compare_points([()], [_evaluated(three)], [_evaluated(same)], 64, 256)
    assert isinstance(refuted, InstanceResult) and refuted.kind == "refuted"
    assert isinstance(agreed, InstanceResult) and agreed.kind == "agreed" and agreed.inexact


def test_wide_ball_asks_for_more_precision_not_a_verdict() -> None:
    with certified.precision(64):
        wide = Ball(arb(3).sqrt())
    with certified.precision(256):
        need = compare_points([()], [_evaluated(wide)], [_evaluated(Ball(arb(3).sqrt()))], 200, 64)
    assert isinstance(need, int) and need > 64


def test_assumed_overlap_is_not_evidence() -> None:
    with certified.precision(256):
        v = Ball(arb(2).sqrt())
        result = compare_points([()], [_evaluated(v, overlap=True)], [_evaluated(v)], 64, 256)
    assert isinstance(result, int)


def test_margin_counts_the_bits_of_the_constants() -> None:
    assert margin_of([fmpq(1, 10**45)]) > 64 + 149
    assert margin_of([]) == 64


def test_precision_is_restored() -> None:
    before = flint.ctx.prec
    with certified.precision(4096):
        assert flint.ctx.prec == 4096
    assert flint.ctx.prec == before
    verdict(E(300) + x, E(300))
    assert flint.ctx.prec == before


def test_exact_constants_stay_exact() -> None:
    assert certified.exp(0) == 1 and certified.log(1) == 0 and certified.tanh(0) == 0
    assert certified.sqrt(fmpq(9, 4)) == fmpq(3, 2)
    assert isinstance(certified.sqrt(fmpq(2)), Ball)


# -- domains ----------------------------------------------------------------------------
@pytest.mark.parametrize("function,argument", [(certified.log, -2), (certified.log, 0), (certified.sqrt, fmpq(-1)),
                                               (certified.reciprocal, 0)])  # fmt: skip
def test_domain_errors_are_certain(function, argument) -> None:
    with pytest.raises(DomainError):
        function(argument)


def test_a_ball_around_zero_is_a_precision_problem() -> None:
    with certified.precision(128):
        around_zero = Ball(arb(2).sqrt() - arb(2).sqrt())
        with pytest.raises(PrecisionError):
            certified.log(around_zero)
        with pytest.raises(PrecisionError):
            certified.reciprocal(around_zero)


def test_one_side_undefined_is_a_counterexample() -> None:
    result = compare_points([()], [_evaluated(DomainError("logarithm of a number <= 0"))], [_evaluated(fmpq(1))], 64, 128)
    assert isinstance(result, InstanceResult) and result.kind == "refuted" and "left side is undefined" in result.reason


def test_both_sides_undefined_everywhere_redraws() -> None:
    error = DomainError("division by zero")
    result = compare_points([()], [_evaluated(error)], [_evaluated(error)], 64, 128)
    assert isinstance(result, InstanceResult) and result.kind == "redraw"


DOMAIN_FALSE = [
    ("sqrt(a^2) = a", sympy.sqrt(a**2), a),
    ("sqrt(a^2 c) = a sqrt(c)", sympy.sqrt(a**2 * c), a * sympy.sqrt(c)),
    ("log(ab) = log a + log b", sympy.log(a * b), sympy.log(a) + sympy.log(b)),
    ("d log(x)/dx = 1/x for real x", Partial(sympy.log(x), x), 1 / x),
]


@pytest.mark.parametrize("name,lhs,rhs", DOMAIN_FALSE, ids=[t[0] for t in DOMAIN_FALSE])
def test_real_domains_refute_positive_only_identities(name, lhs, rhs) -> None:
    assert verdict(lhs, rhs) is Verdict.REFUTED


def test_positive_declarations_make_them_true() -> None:
    ctx = context(a="positive scalar", b="positive scalar", c="scalar", w="positive vector")
    pa, pb = sympy.Symbol("a", positive=True), sympy.Symbol("b", positive=True)
    assert verdict(sympy.log(pa * pb), sympy.log(pa) + sympy.log(pb), ctx) in PROVED_OR_TESTED
    assert verdict(sympy.sqrt(pa**2 * c**2), pa * sympy.sqrt(c**2), ctx) in PROVED_OR_TESTED
    w = sympy.IndexedBase("w", positive=True)
    assert verdict(sympy.sqrt(w[i] ** 2), w[i], ctx, {i: N}) in PROVED_OR_TESTED
    assert verdict(sympy.sqrt(c**2), c, ctx) is Verdict.REFUTED


def test_positive_kinds_are_parsed() -> None:
    import deriv

    result = deriv.check_text("---\nsymbols:\n  a: positive scalar\n  v: positive vector N\n---\n"
                              "$$ \\sqrt{a^2} = a $$\n\n$$ \\log(v_i^2) = 2 \\log v_i $$\n")  # fmt: skip
    assert [s.verdict for s in result.steps] == [Verdict.PROVED, Verdict.PROVED] or all(
        s.verdict in PROVED_OR_TESTED for s in result.steps)


def test_division_by_exact_zero_is_not_nan() -> None:
    decision = decide_equal(1 / (a - a) + x, x, SCALARS, {})
    assert decision.verdict is not Verdict.PROVED and decision.verdict is not Verdict.TESTED
    assert "nan" not in decision.message and "zoo" not in decision.message


# -- jets ---------------------------------------------------------------------------
def test_distinct_tags_multiply_and_a_tag_squares_to_zero() -> None:
    a1, a2 = jets.variable(fmpq(3), 1), jets.variable(fmpq(3), 2)
    product = a1 * a2
    assert jets.coefficient(jets.coefficient(product, 1), 2) == 1
    assert jets.value_of(jets.coefficient(product, 1)) == 3
    assert jets.coefficient(a1 * a1, 1) == 6 and jets.coefficient(jets.coefficient(a1 * a1, 1), 1) == 0


def test_two_tags_on_one_entry_give_the_second_derivative() -> None:
    a_ = jets.variable(jets.variable(fmpq(2), 1), 2)  # a + e1 + e2
    cube = a_ * a_ * a_
    assert jets.coefficient(jets.coefficient(cube, 1), 2) == 6 * 2  # (a^3)'' = 6a
    inverse = a_.reciprocal()
    assert jets.coefficient(jets.coefficient(inverse, 1), 2) == fmpq(2, 8)  # (1/a)'' = 2/a^3


def test_series_of_exp_and_log_at_two_tags() -> None:
    with certified.precision(128):
        a_ = jets.variable(jets.variable(fmpq(1, 2), 1), 2)
        second = jets.coefficient(jets.coefficient(jets.compose(a_, jets.exp_series), 1), 2)
        assert not (second.b - arb(fmpq(1, 2)).exp()).contains(1e-30) and (second.b - arb(fmpq(1, 2)).exp()).contains(0)
        log_second = jets.coefficient(jets.coefficient(jets.compose(a_, jets.log_series), 1), 2)
        assert log_second == -4  # (log a)'' = -1/a^2


def test_tanh_series_matches_its_derivatives() -> None:
    with certified.precision(128):
        a_ = jets.variable(jets.variable(fmpq(1, 3), 1), 2)
        t = certified.tanh(fmpq(1, 3)).b
        second = jets.coefficient(jets.coefficient(jets.compose(a_, jets.tanh_series), 1), 2).b
        assert (second - (-2 * t * (1 - t * t))).contains(0)


NESTED = [
    ("hessian entry of a cube", Partial(Partial(Sum(entry("v", k) ** 3, (k, 0, N - 1)), entry("v", i)), entry("v", j)),
     6 * delta(i, j) * entry("v", i), Verdict.PROVED),
    ("hessian entry wrongly without delta", Partial(Partial(Sum(entry("v", k) ** 3, (k, 0, N - 1)), entry("v", i)), entry("v", j)),
     6 * entry("v", i), Verdict.REFUTED),
    ("second derivative of h", Partial(Partial(elementwise("h")(entry("v", i) ** 2), entry("v", i)), entry("v", i)),
     2 * elementwise("h", 1)(entry("v", i) ** 2) + 4 * entry("v", i) ** 2 * elementwise("h", 2)(entry("v", i) ** 2), Verdict.PROVED),
    ("second derivative of h missing a term", Partial(Partial(elementwise("h")(entry("v", i) ** 2), entry("v", i)), entry("v", i)),
     2 * elementwise("h", 1)(entry("v", i) ** 2), Verdict.REFUTED),
]


@pytest.mark.parametrize("name,lhs,rhs,expected", NESTED, ids=[t[0] for t in NESTED])
def test_nested_partials(name, lhs, rhs, expected) -> None:
    ranges = {s: N for s in (lhs.free_symbols | sympy.sympify(rhs).free_symbols) if s in (i, j)}
    assert verdict(lhs, rhs, VECTORS, ranges) is expected


# -- random jets for functions ---------------------------------------------------
def test_same_point_same_jet_and_symmetric_mixed_partials() -> None:
    functions = RandomFunctions("test:1")
    p = [fmpq(1), fmpq(2), fmpq(-3)]
    assert functions.opaque("g", p, (3, 1)) == functions.opaque("g", list(p), (3, 1))
    # d/dv0 d/dv1 by tags 1 on v0 and 2 on v1, and the other way round
    first = functions.opaque("g", [jets.variable(p[0], 1), jets.variable(p[1], 2), p[2]], (3, 1))
    second = functions.opaque("g", [jets.variable(p[0], 2), jets.variable(p[1], 1), p[2]], (3, 1))
    assert jets.coefficient(jets.coefficient(first, 1), 2) == jets.coefficient(jets.coefficient(second, 1), 2)
    # the gradient by entry 1, perturbed in entry 0, is that same mixed partial
    gradient = functions.opaque("g", [jets.variable(p[0], 3), p[1], p[2]], (3, 1), position=1)
    assert jets.coefficient(gradient, 3) == jets.coefficient(jets.coefficient(first, 1), 2)


def test_elementwise_derivatives_read_one_jet() -> None:
    functions = RandomFunctions("test:2")
    at = jets.variable(fmpq(5, 7), 1)
    assert jets.coefficient(functions.elementwise("h", at), 1) == functions.elementwise("h", fmpq(5, 7), 1)
    assert jets.coefficient(functions.elementwise("h", at, 1), 1) == functions.elementwise("h", fmpq(5, 7), 2)


def test_an_inexact_argument_overlapping_a_known_point_is_flagged() -> None:
    functions = RandomFunctions("test:3")
    two = functions.elementwise("h", fmpq(2))
    recorder = Recorder()
    with certified.precision(128), certified.recording(recorder):
        again = functions.elementwise("h", Ball(arb(2).sqrt() * arb(2).sqrt()))
    assert again == two and recorder.overlap


def test_finite_differences_do_not_fool_random_jets() -> None:
    h = elementwise("h")
    fourth = sum((-1) ** r * sympy.binomial(4, r) * h(x + r) for r in range(5))
    assert verdict(fourth, 0) is Verdict.REFUTED
    eighth = sum((-1) ** r * sympy.binomial(8, r) * h(x + r) for r in range(9))
    assert verdict(eighth, 0) is Verdict.REFUTED


# -- size assignments ------------------------------------------------------------
def test_proved_steps_change_every_size_reverse_every_pair_and_try_size_one() -> None:
    first, other, ones = (t.sizes for t in proved_plan((S, M, N), frozenset({S, M, N})).trials)
    assert len(set(first.values())) == 3 and len(set(other.values())) == 3
    assert all(first[s] != other[s] for s in (S, M, N))
    assert all((first[a] < first[b]) != (other[a] < other[b]) for a, b in ((S, M), (S, N), (M, N)))
    assert set(ones.values()) == {1}


@pytest.mark.parametrize("per_size,total,count", [({}, 0, 3), ({N: 3}, 3, 4), ({N: 1, M: 1}, 2, 4), ({N: 2, M: 2}, 2, 6)])
def test_degree_sets_the_number_of_assignments(per_size, total, count) -> None:
    """The grid (pairwise distinct sizes, as many as the degrees ask) comes first."""
    bound = Bound(per_size, total)
    schedule = plan((S, M, N), bound)
    grid = [t.sizes for t in schedule.trials[: schedule.grid]]
    assert len(grid) == count and not schedule.why
    assert all(len(set(a.values())) == 3 for a in grid)
    assert len({tuple(a.items()) for a in grid}) == len(grid)


def test_degree_of_sums_and_sizes() -> None:
    ranges = {}
    per_size, total = step_degrees(Sum(Sum(1, (i, 0, N - 1)), (j, 0, M - 1)), N**2, VECTORS, ranges)
    assert per_size == {N: 2, M: 1} and total == 2
    per_size, total = step_degrees(Sum(i**2, (i, 0, N - 1)), 0, VECTORS, ranges)
    assert per_size == {N: 3} and total == 3


SIZE_FALSE = [
    ("N(N-2)(N-3) = 0", N * (N - 2) * (N - 3), 0),
    ("N(N-5)(N-8) = 0", N * (N - 5) * (N - 8), 0),
    ("double sum over N and M is N^2", Sum(Sum(1, (i, 0, N - 1)), (j, 0, M - 1)), N**2),
    ("trace of identity is a quadratic", Sum(delta(i, i), (i, 0, N - 1)), N**2 - 5 * N + 8),
    ("N - M = 1", N - M, 1),
    ("sum of k^2 is wrong cubic", Sum(i**2, (i, 0, N - 1)), N * (N - 1) * (2 * N - 1) / 6 + (N - 2) * (N - 5) * (N - 8)),
]


@pytest.mark.parametrize("name,lhs,rhs", SIZE_FALSE, ids=[t[0] for t in SIZE_FALSE])
def test_size_only_identities_that_vanish_somewhere_are_refuted(name, lhs, rhs) -> None:
    assert verdict(lhs, rhs, VECTORS) is Verdict.REFUTED


def test_size_identity_that_holds_passes() -> None:
    assert verdict(Sum(i, (i, 0, N - 1)), N * (N - 1) / 2, VECTORS) in PROVED_OR_TESTED
