"""Engine, tester: how the random tester draws and evaluates values (docs/deciding.md).

- A power by a size (``x^N``, ``(x^2)^{N/2}``, ``\\sqrt{x^{2N}}``) meets negative bases
  at odd exponents, whichever scalar the base is and however many sizes there are.
- An opaque function sees its argument's shape: ``g(v)`` and ``g(v^T)`` differ.
- A random function's value at a point depends on the function, the point and the
  instance only -- not on what was evaluated before, nor on the precision.
- A scalar exponent is drawn small enough to evaluate (no "exponent too large"), and
  of both kinds (even integers, fractions) where the base is negative.
"""

from __future__ import annotations

import itertools

import pytest
from flint import fmpq
from hypothesis import given, settings
from hypothesis import strategies as st

import deriv
from deriv.engine import certified, jets
from deriv.engine.functions import RandomFunctions
from deriv.engine.patterns import SIGN_TRIALS, pattern, pattern_sign, scalar_kind


def verdicts(symbols: str, *displays: str) -> list[str]:
    text = "---\nsymbols:\n" + symbols + "\n---\n\n" + "\n\n".join(f"$$ {d} $$" for d in displays) + "\n"
    return [step.verdict.value for step in deriv.check_text(text).steps]


# -- item 13a: powers by a size at negative bases ------------------------------------

#: The base ``x`` as the first, the fourth and the third-after-a-positive scalar, and
#: with one or two sizes.
POWER_HEADS = {
    "first, two sizes": "  x: scalar\n  v: vector N\n  A: matrix M x N",
    "fourth, two sizes": "  a: scalar\n  b: scalar\n  c: scalar\n  x: scalar\n  v: vector N\n  A: matrix M x N",
    "third, after a positive": "  y: positive scalar\n  a: scalar\n  b: scalar\n  x: scalar\n  u: vector M\n  v: vector N\n  A: matrix M x N",
    "second, one size": "  w: scalar\n  x: scalar\n  v: vector N",
}

POWER_STEPS = [
    (r"\sqrt{x^{2N}} = x^N", "refuted"),
    (r"(x^2)^{N/2} = x^N", "refuted"),
    (r"\sqrt{x^{2N+2}} = x^{N+1}", "refuted"),
    (r"\sqrt{x^{2N-2}} = x^{N-1}", "refuted"),
    (r"|x|^N = x^N", "refuted"),
    (r"|x|^{N+1} = x^{N+1}", "refuted"),
    (r"\sqrt{v_i^{2N}} = v_i^N", "refuted"),
    (r"(-1)^N = 1", "refuted"),
    (r"(x^2)^N = x^{2N}", "proved"),
    (r"x^{2N} = (x^N)^2", "proved"),
    (r"x^N x^N = x^{2N}", "proved"),
    (r"(-x)^N = (-1)^N x^N", "proved"),
    (r"\sqrt{x^{2N}} = |x|^N", "tested"),
    (r"(x^2)^{N/2} = |x|^N", "tested"),
    (r"\sqrt{v_i^{2N}} = |v_i|^N", "tested"),
]


@pytest.mark.parametrize("head", POWER_HEADS.values(), ids=POWER_HEADS.keys())
def test_a_power_by_a_size_meets_negative_bases(head):
    displays = [d for d, _ in POWER_STEPS]
    assert verdicts(head, *displays) == [v for _, v in POWER_STEPS]


@pytest.mark.parametrize("display", [r"\sqrt{x^{2M}} = x^M", r"(-1)^M = 1", r"(-1)^{M+1} = -1", r"\sqrt{x^{2(M+N)}} = x^{M+N}",
                                     r"\sqrt{x^{2 M (N+1)}} = x^{M (N+1)}", r"(-1)^{M N} = 1"])
def test_every_size_takes_both_parities(display):
    # (and a power by a product of sizes past 64 is evaluated: x^{M(N+1)} at M=5, N=6)
    # With two sizes the levels used to step by 2: M was even at every assignment.
    assert verdicts(POWER_HEADS["first, two sizes"], display) == ["refuted"]


@pytest.mark.parametrize("display", [r"|c| = -c", r"|c| = c", r"\sqrt{c^2} = -c", r"\sqrt{a^2 c} = a \sqrt{c}",
                                     r"\sqrt{c^2 a} = c \sqrt{a}", r"\sqrt{a^2 c^2} = a c", r"\log(a c) = \log a + \log c"])
def test_every_scalar_takes_both_signs_and_every_pair_all_four(display):
    assert verdicts("  a: scalar\n  b: scalar\n  c: scalar\n  d: scalar", display) == ["refuted"]


def _reference_covers(count: int, trials: int) -> bool:
    """The sign patterns' promises, checked by brute force over the patterns' table."""
    signs = [[pattern_sign(c, pattern(t, 0)) for t in range(trials)] for c in range(count)]
    for c in range(count):
        negative = [t for t in range(trials) if signs[c][t] < 0]
        # both signs; negative at an even and an odd level (the padding grid's parities)
        if 1 not in signs[c] or not negative or {t % 2 for t in negative} != {0, 1}:
            return False
    for a, b in itertools.permutations(range(count), 2):
        if not {(signs[a][t], signs[b][t]) for t in range(trials)} >= {(-1, 1), (-1, -1), (1, 1)}:
            return False
    return True


def test_the_sign_patterns_cover_the_first_four_scalars():
    assert _reference_covers(4, SIGN_TRIALS)


# -- item 18: scalar exponents --------------------------------------------------------

EXPONENT_HEAD = "  y: positive scalar\n  s: scalar\n  t: scalar\n  gamma: scalar\n  p: positive vector N\n  q: vector N"


#: A scalar exponent is evaluated (no "exponent too large"): exact verdicts.
EXPONENT_STEPS = [
    (r"y^s y^t = y^{s+t}", "proved"),
    (r"(y^s)^t = y^{s t}", "tested"),
    (r"p_i^s = p_i^s", "proved"),
    (r"p_i^{\gamma} p_i = p_i^{\gamma + 1}", "tested"),
    (r"p_i^{\gamma} p_i = p_i^{\gamma + 2}", "refuted"),
    (r"\sum_i p_i^{s} = \sum_i p_i^{\gamma}", "refuted"),
    (r"(q_i^s)^t = q_i^{s t}", "refuted"),
    (r"y^{s t} = y^{t s}", "proved"),
    (r"y^{s \cdot 100} = (y^{s})^{100}", "error"),  # an exponent above 64 written in the step
]


ORDERS = ["x, s, t", "s, x, t", "t, s, x", "s, t, x", "x, t, s", "t, x, s"]


@pytest.mark.parametrize("order", ORDERS)
def test_negative_base_falsehoods_are_found_in_any_order_of_declaration(order):
    head = "".join(f"  {name}: scalar\n" for name in order.split(", ")) + "  v: vector N"
    steps = [r"(x^s)^t = x^{s t}", r"(x^t)^s = x^{s t}", r"(x^2)^s = x^{2 s}", r"(x^s)^2 = (x^2)^s",
             r"(x^s)^t = (x^t)^s"]
    assert verdicts(head, *steps) == ["refuted"] * 5
    # x^s x^t = x^{s+t} is defined on fewer points than its right side where x < 0 (a
    # fraction s + t may be whole): refuted or tested, never undecided
    assert verdicts(head, r"x^s x^t = x^{s+t}")[0] in ("refuted", "tested")


def _reference_kinds(count: int) -> bool:
    kinds = {(c, k): scalar_kind(c, k) for c in range(count) for k in range(1, SIGN_TRIALS)}
    negative = {c: [k for k in range(1, SIGN_TRIALS) if pattern_sign(c, k) < 0] for c in range(count)}
    for x, s, t in itertools.permutations(range(count), 3):
        if not any(kinds[s, k] == "even" and kinds[t, k] == "fraction" for k in negative[x]):
            return False
    return all(any(kinds[s, k] == "fraction" for k in negative[x]) for x, s in itertools.permutations(range(count), 2))


def test_the_exponent_kinds_cover_the_first_four_scalars():
    assert _reference_kinds(4)


# -- item 13b: a function sees its argument's shape ----------------------------------

SHAPE_HEAD = "  x: scalar\n  v: vector N\n  A: matrix N x N\n  g: function"


#: A column and a row are different arguments of a function: exact verdicts.
SHAPE_STEPS = [
    (r"g(v) = g(v^T)", "refuted"),
    (r"g(v^T) = g(v)", "refuted"),
    (r"g(A) = g(A^T)", "refuted"),
    (r"g(A v) = g(v^T A^T)", "refuted"),
    (r"\frac{\partial g(v^T)}{\partial v_i} = \frac{\partial g(v)}{\partial v_i}", "refuted"),
    (r"g(x) = g(x^T)", "proved"),  # a scalar is its own transpose
    (r"g(v v^T) = g((v v^T)^T)", "proved"),  # a symmetric argument
    (r"g(v^T) = g(v^T)", "proved"),
    (r"g((A^T)^T) = g(A)", "proved"),
]


@pytest.mark.parametrize("head,display,expected",
                         [(EXPONENT_HEAD, d, v) for d, v in EXPONENT_STEPS] + [(SHAPE_HEAD, d, v) for d, v in SHAPE_STEPS])
def test_exact_verdicts(head, display, expected):
    assert verdicts(head, display) == [expected]


def test_random_jets_are_keyed_by_shape():
    functions = RandomFunctions("shape")
    values = [fmpq(1), fmpq(-2), fmpq(3)]
    seen = {functions.opaque("g", values, shape) for shape in ((3, 1), (1, 3), (3, 1))}
    assert len(seen) <= 2 and functions.opaque("g", values, (3, 1)) == functions.opaque("g", list(values), (3, 1))


# -- item 15: values independent of the order of evaluation --------------------------

POINTS = st.lists(st.tuples(st.integers(-3, 3), st.integers(1, 3)), min_size=1, max_size=3)


@settings(max_examples=60, deadline=None)
@given(st.lists(POINTS, min_size=1, max_size=6), st.randoms(use_true_random=False))
def test_a_function_value_depends_on_the_point_not_the_order(points, rng):
    """Two instances' functions with one identity, asked in two orders (also for
    derivatives), give the same values; a third identity is another function."""
    exact = [[fmpq(p, q) for p, q in point] for point in points]
    first, second = RandomFunctions("order"), RandomFunctions("order")
    order = list(range(len(exact)))
    rng.shuffle(order)
    ahead = [first.opaque("g", p, (len(p), 1)) for p in exact]
    for n in order:
        assert second.opaque("g", exact[n], (len(exact[n]), 1)) == ahead[n]
    for n in reversed(order):
        tagged = [jets.variable(exact[n][0], 1)] + exact[n][1:]
        assert jets.coefficient(second.opaque("g", tagged, (len(tagged), 1)), 1) == first.opaque(
            "g", exact[n], (len(exact[n]), 1), position=0)
        assert second.elementwise("h", exact[n][0], 1) == first.elementwise("h", exact[n][0], 1)


def test_a_function_is_the_same_at_every_precision():
    from deriv.context import Context, Declared
    from deriv.engine.compiler import Compiler
    from deriv.engine.instances import Evaluator, Instance
    from deriv.ir import size

    n = size("N")
    context = Context(sizes=(n,))
    context.declared["v"] = Declared("v", "vector", (n, 1))
    context.declared["g"] = Declared("g", "function", (1, 1))
    instance = Instance(context, 0, 1, {n: 3})
    compiler = Compiler(context)
    values = []
    for bits in (128, 512, 128):
        with certified.precision(bits):
            ev = Evaluator(instance, compiler, bits)
            values.append(ev.functions.opaque("g", [fmpq(1), fmpq(2)], (2, 1)))
    assert values[0] == values[1] == values[2]


FUNCTION_FACT = "  x: vector N\n  g: function\nassumptions:\n  - g(x) > 0"


@pytest.mark.parametrize("display,expected", [
    # the claim evaluates g at other points before g(x): the assumption still holds there
    (r"g(3 x) + g(2 x) + \exp(g(x)) > 1 + g(2 x) + g(3 x)", "tested"),
    (r"\frac{g(2 x)^2 + g(x)}{1 + g(2 x)^2} > 0", "proved"),
    (r"\exp(g(x)) + g(x^T) > 1 + g(x^T)", "tested"),
    (r"\exp(g(x)) > 1", "tested"),
    (r"g(x^T) > 0", "refuted"),  # g(x^T) is another value
    # an argument only known as a ball, equal to x: the point the assumption was checked at
    (r"g((\sqrt{2}+1)(\sqrt{2}-1) x) > 0", "tested"),
    (r"\exp(g((\sqrt{2}+1)(\sqrt{2}-1) x)) > 1", "tested"),
    (r"g(2 x) > 0", "refuted"),
])
def test_a_function_assumption_holds_where_the_claim_looks(display, expected):
    assert verdicts(FUNCTION_FACT, display) == [expected]


def test_a_shape_counterexample_is_shrunk_to_a_function_of_the_shape():
    text = "---\nsymbols:\n  v: vector N\n  g: function\n---\n\n$$ g(v) = g(v^T) $$\n"
    (step,) = deriv.check_text(text).steps
    example = step.counterexample
    assert step.verdict.value == "refuted" and example.shrunk
    assert dict(example.sizes) == {"N": 2} and (example.lhs_value, example.rhs_value) == ("2", "1")
    assert any("number of rows" in description for _, description in example.functions)


ORDER_STEPS = [r"g(x) > 0", r"g(2 x) + g(x) > g(x^T)", r"\exp(g(x)) > 1", r"g(x)^2 + g(3 x) > 0",
               r"\frac{\partial g(x)}{\partial x_i} \neq 0", r"g(x + x) = g(2 x)", r"g(x) = g(x^T)"]


@pytest.mark.parametrize("order", [list(range(len(ORDER_STEPS))), list(reversed(range(len(ORDER_STEPS)))),
                                   [3, 0, 6, 2, 5, 1, 4]])
def test_a_document_s_verdicts_do_not_depend_on_the_order_of_its_steps(order):
    head = "---\nsymbols:\n  x: vector N\n  g: function\nassumptions:\n  - g(2 x) > 0\n---\n\n"

    def results(indices):
        text = head + "\n\n".join(f"$$ {ORDER_STEPS[n]} $$" for n in indices) + "\n"
        steps = deriv.check_text(text).steps
        return {n: (s.verdict.value, s.counterexample and (s.counterexample.lhs_value, s.counterexample.rhs_value))
                for n, s in zip(indices, steps)}

    assert results(order) == results(list(range(len(ORDER_STEPS))))


# -- the compiled arithmetic: a written number, a ball's magnitude ------------------------


def _scalars_evaluator():
    from deriv.context import Context, Declared
    from deriv.engine.compiler import Compiler
    from deriv.engine.instances import Evaluator, Instance

    context = Context()
    for name in ("x", "y"):
        context.declared[name] = Declared(name, "scalar", (1, 1))
    instance = Instance(context, 0, 1, {})
    return Compiler(context), Evaluator(instance, Compiler(context)), instance


@settings(max_examples=40, deadline=None)
@given(st.fractions(max_denominator=12).filter(lambda f: f != 0), st.sampled_from(["sum", "product", "both"]))
def test_a_written_number_in_a_sum_or_product_evaluates_as_sympy_does(c, shape):
    import sympy

    x, y = sympy.Symbol("x"), sympy.Symbol("y")
    number = sympy.Rational(c.numerator, c.denominator)
    expr = {"sum": number + x * y, "product": number * x * y, "both": number * x + number * y * x + number}[shape]
    compiler, ev, instance = _scalars_evaluator()
    values = {sympy.Symbol(n): sympy.Rational(int(fmpq(v).p), int(fmpq(v).q)) for n, v in instance.arrays.items()}
    expected = expr.xreplace(values)  # the reference: SymPy's own exact arithmetic
    got = fmpq(compiler.compile(expr)(ev))
    assert (int(got.p), int(got.q)) == (int(expected.p), int(expected.q))


def test_a_written_zero_factor_evaluates_nothing_after_it():
    import sympy

    x = sympy.Symbol("x")
    undefined = sympy.Pow(sympy.Add(x, sympy.Mul(-1, x, evaluate=False), evaluate=False), -1, evaluate=False)
    compiler, ev, _ = _scalars_evaluator()
    assert compiler.compile(sympy.Mul(sympy.Integer(0), undefined, evaluate=False))(ev) == 0
    with pytest.raises((certified.DomainError, ZeroDivisionError)):
        compiler.compile(sympy.Mul(sympy.Integer(2), undefined, evaluate=False))(ev)


@settings(max_examples=40, deadline=None)
@given(st.fractions(min_value=-1000, max_value=1000, max_denominator=50), st.sampled_from([64, 128, 256]))
def test_a_ball_remembers_the_magnitude_it_would_compute(q, bits):
    with certified.precision(bits):
        ball = certified.exp(fmpq(q.numerator, q.denominator)) - certified.exp(fmpq(1, 3))
        for b in (ball, -ball, ball * ball):
            assert isinstance(b, certified.Ball)
            assert b.magnitude() == certified.ball_magnitude(b.b)
