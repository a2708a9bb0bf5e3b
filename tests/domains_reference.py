"""An independent reference for steps in two scalars ``x``, ``y`` built from rational
functions, square roots and logarithms (tests/test_engine_adversarial_domains_property.py).

A tree is a tuple: ``("num", Fraction)``, ``("var", name)``, ``("add"|"sub"|"mul", a, b)``,
``("sq", a)``, ``("div", a, p)``, ``("sqrt", p)``, ``("log", p)``, ``("abs", a)``, ``("pow", b,
Fraction)`` -- a denominator, radicand or logarithm's argument ``p`` is a polynomial tree, and a
power's base ``b`` one or a power of one, so where each side is defined is decided
exactly at a rational point (python-flint ``fmpq``); values are exact while rational, else
``arb`` balls at 256 bits.  A power by a fraction that is not whole is real only at a base
``>= 0`` (``> 0`` for a negative exponent), as deriv documents it (docs/deciding.md, Domains) (a difference is certified nonzero only when its ball excludes 0).
Nothing here uses deriv: the tree is written to LaTeX and evaluated on its own.
"""

from __future__ import annotations

from fractions import Fraction

from flint import arb, ctx, fmpq

from hypothesis import strategies as st

NAMES = ("x", "y")
BITS = 256


def _number(q: Fraction) -> str:
    text = str(q.numerator) if q.denominator == 1 else f"\\frac{{{abs(q.numerator)}}}{{{q.denominator}}}"
    return f"(-{text.lstrip('-')})" if q < 0 else text


def latex(tree: tuple) -> str:
    """The tree written in deriv's LaTeX, bracketed wherever precedence could matter."""
    kind = tree[0]
    if kind == "num":
        return _number(tree[1])
    if kind == "var":
        return tree[1]
    if kind in ("add", "sub"):
        return f"\\left({latex(tree[1])} {'+' if kind == 'add' else '-'} {latex(tree[2])}\\right)"
    if kind == "mul":
        return f"\\left({latex(tree[1])}\\right) \\cdot \\left({latex(tree[2])}\\right)"
    if kind == "sq":
        return f"\\left({latex(tree[1])}\\right)^2"
    if kind == "div":
        return f"\\frac{{{latex(tree[1])}}}{{{latex(tree[2])}}}"
    if kind == "sqrt":
        return f"\\sqrt{{{latex(tree[1])}}}"
    if kind == "abs":
        return f"\\left|{latex(tree[1])}\\right|"
    if kind == "pow":
        r = tree[2]
        shown = str(r.numerator) if r.denominator == 1 else f"{r.numerator}/{r.denominator}"
        return f"\\left({latex(tree[1])}\\right)^{{{shown}}}"
    return f"\\log\\left({latex(tree[1])}\\right)"


def exact(tree: tuple, point: dict[str, fmpq]) -> fmpq:
    """The exact value of a polynomial tree."""
    kind = tree[0]
    if kind == "num":
        return fmpq(tree[1].numerator, tree[1].denominator)
    if kind == "var":
        return point[tree[1]]
    if kind == "sq":
        return exact(tree[1], point) ** 2
    a, b = exact(tree[1], point), exact(tree[2], point)
    return a + b if kind == "add" else a - b if kind == "sub" else a * b


def _sign(tree: tuple, point: dict[str, fmpq]) -> int:
    """The sign of a power's base where it is defined: a polynomial tree, or a power of one."""
    if tree[0] != "pow":
        e = exact(tree, point)
        return (e > 0) - (e < 0)
    inner = _sign(tree[1], point)
    return -1 if inner < 0 and tree[2].numerator % 2 else inner


def _power_defined(tree: tuple, point: dict[str, fmpq]) -> bool:
    base, r = tree[1], tree[2]
    if not defined(base, point):
        return False
    s = _sign(base, point)
    if r.denominator == 1:
        return s != 0 or r >= 0
    return s > 0 or (s == 0 and r > 0)


def defined(tree: tuple, point: dict[str, fmpq]) -> bool:
    """Whether the tree is defined over the reals at ``point`` (decided exactly)."""
    kind = tree[0]
    if kind == "pow":
        return _power_defined(tree, point)
    if kind == "div":
        return defined(tree[1], point) and exact(tree[2], point) != 0
    if kind == "sqrt":
        return exact(tree[1], point) >= 0
    if kind == "log":
        return exact(tree[1], point) > 0
    return all(defined(child, point) for child in tree[1:] if isinstance(child, tuple))


def value(tree: tuple, point: dict[str, fmpq]) -> arb:
    """The value of a tree defined at ``point``, as a ball."""
    kind = tree[0]
    if kind in ("num", "var"):
        return arb(exact(tree, point))
    if kind == "sqrt":
        return arb(exact(tree[1], point)).sqrt()
    if kind == "log":
        return arb(exact(tree[1], point)).log()
    if kind == "sq":
        return value(tree[1], point) ** 2
    if kind == "abs":
        return abs(value(tree[1], point))
    if kind == "pow":
        return _power_value(tree, point)
    a = value(tree[1], point)
    b = value(tree[2], point)
    return {"add": a + b, "sub": a - b, "mul": a * b, "div": a / b}[kind]


def _power_value(tree: tuple, point: dict[str, fmpq]) -> arb:
    base, r = tree[1], tree[2]
    if r.denominator == 1:
        return value(base, point) ** int(r)
    if _sign(base, point) == 0:
        return arb(0)
    return value(base, point) ** arb(fmpq(r.numerator, r.denominator))


def differ(left: tuple, right: tuple, point: dict[str, fmpq]) -> bool:
    """Whether the step ``left = right`` certainly fails at ``point``: exactly one side
    defined, or both defined with a difference certified nonzero."""
    a, b = defined(left, point), defined(right, point)
    if a != b:
        return True
    if not a:
        return False
    old = ctx.prec
    ctx.prec = BITS
    try:
        d = value(left, point) - value(right, point)
        return bool(d > 0 or d < 0)
    finally:
        ctx.prec = old


# -- strategies ----------------------------------------------------------------------------

SMALL = st.sampled_from([Fraction(n) for n in (1, 2, 3, 5)] + [Fraction(1, 2), Fraction(-1), Fraction(-2)])
VARIABLES = st.sampled_from([("var", n) for n in NAMES])


def _binary(children):
    return st.tuples(st.sampled_from(["add", "sub", "mul"]), children, children)


POLYNOMIALS = st.recursive(st.one_of(VARIABLES, SMALL.map(lambda q: ("num", q))),
                           lambda children: st.one_of(_binary(children), children.map(lambda c: ("sq", c))),
                           max_leaves=4)


#: Exponents of powers: whole, and fractions of odd and even denominator, of both signs.
EXPONENTS = st.sampled_from([Fraction(n, d) for n, d in ((-1, 1), (3, 1), (1, 3), (2, 3), (-1, 3), (1, 2), (3, 2), (-1, 2))])
#: A power's base: a polynomial tree or a power of one (so its sign is known exactly).
POWER_BASES = st.one_of(POLYNOMIALS, st.tuples(st.just("pow"), POLYNOMIALS, EXPONENTS))


def _with_domains(children):
    return st.one_of(
        _binary(children),
        st.tuples(st.just("pow"), POWER_BASES, EXPONENTS),
        children.map(lambda c: ("abs", c)),
        st.tuples(st.just("div"), children, POLYNOMIALS),
        POLYNOMIALS.map(lambda p: ("sqrt", p)),
        POLYNOMIALS.map(lambda p: ("log", p)),
    )


EXPRESSIONS = st.recursive(st.one_of(VARIABLES, SMALL.map(lambda q: ("num", q))), _with_domains, max_leaves=4)

#: Linear factors that vanish at rational points deriv's search can solve for.
ROOTS = [Fraction(n) for n in (-2, -1, 0, 1, 2)] + [Fraction(1, 2)]
LINEAR = st.one_of(
    st.tuples(VARIABLES, st.sampled_from(ROOTS)).map(lambda t: ("sub", t[0], ("num", t[1]))),
    st.just(("sub", ("var", "x"), ("var", "y"))),
)

#: Rational points: where the linear factors vanish, and spread values of both signs.
VALUES = [fmpq(n) for n in (-3, -2, -1, 0, 1, 2, 3)] + [fmpq(1, 2), fmpq(-1, 2), fmpq(7, 3), fmpq(-5, 4)]
POINTS = [{"x": a, "y": b} for a in VALUES for b in VALUES]


def mutated(tree: tuple, choice: int) -> tuple:
    """A small change of the tree: a number changed, an operation swapped, or a whole
    subtree replaced by ``x``.  Not always a change of value (``x \\cdot 1`` is ``x``)."""
    kind = tree[0]
    if kind == "num":
        return ("num", tree[1] + 1)
    if kind == "var":
        return ("var", "y" if tree[1] == "x" else "x")
    if kind in ("add", "sub", "mul") and choice % 3 == 0:
        return ({"add": "sub", "sub": "add", "mul": "add"}[kind], tree[1], tree[2])
    if kind in ("sqrt", "log") and choice % 3 == 0:
        return ("log" if kind == "sqrt" else "sqrt", tree[1])
    if kind == "pow" and choice % 3 == 0:
        return ("pow", tree[1], tree[2] * 2)
    if kind == "abs" and choice % 3 == 0:
        return tree[1]
    children = [i for i, c in enumerate(tree) if isinstance(c, tuple)]
    at = children[choice % len(children)]
    return tree[:at] + (mutated(tree[at], choice // 3),) + tree[at + 1:]
