"""A claim's difference as an exact expression in one value, and certified enclosures of it.

:func:`write_out` puts a difference at an instance's sizes and index values
with every sum written out term by term; :func:`univariate` puts every
declared value but one *target* (a scalar, or one entry of an array) at an
instance's exact values, leaving an expression in :data:`VARIABLE` made of
numbers, ``+``, ``*``, powers, ``|.|``, ``\\log`` and continuous functions --
or None.  :func:`enclose` bounds such an expression on a ball (every point of
an interval at once): a division by a ball that may hold 0, a logarithm or
root of one that may not be positive, or an infinite result raises
:class:`Unknown`, so a finite enclosure means the expression is defined,
and continuous, on the whole interval.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy
from flint import arb, fmpq
from sympy import Expr, Indexed, Rational, Symbol

from deriv.errors import swallowed
from deriv.engine import certified
from deriv.ir import base_name

#: Operations a difference may have before it is not written out.
MAX_OPS = 600
#: Terms its sums may write out, at most.
MAX_TERMS = 2000
#: Working precision of the enclosures.
BITS = 256
#: Functions continuous wherever their enclosure is finite (domains are checked separately).
_CONTINUOUS = {sympy.exp: "exp", sympy.sin: "sin", sympy.cos: "cos", sympy.tanh: "tanh",
               sympy.sinh: "sinh", sympy.cosh: "cosh", sympy.atan: "atan"}
VARIABLE = Symbol("_meet")


class Unknown(Exception):
    """A form the enclosure does not know, or a domain it can not certify."""


@dataclass(frozen=True)
class Target:
    """The one value that varies: a scalar (``key`` None), one entry of an array, or ``every``
    entry of an array at once (``x = t \\mathbf{1}``: where ``\\sum_i x_i < 2`` meets its other side
    inside ``x^T x < 2``, which no one entry reaches with the others drawn)."""

    name: str
    key: tuple[int, ...] | None = None
    every: bool = False

    def __str__(self) -> str:
        if self.every:
            return f"every entry of {self.name}"
        if self.key is None:
            return self.name
        return f"{self.name}_{{{','.join(str(k + 1) for k in self.key)}}}"


def write_out(expr: Expr, sizes: dict, binding: dict) -> Expr | None:
    """``expr`` at these sizes and free-index values, every sum written out term by term
    (SymPy's own ``doit`` looks for closed forms: far slower); None when it can not be."""
    try:  # any form SymPy can not rebuild is no expression to write out
        body = expr.xreplace({**{s: sympy.Integer(v) for s, v in sizes.items()},
                              **{s: sympy.Integer(v) for s, v in binding.items()}})
        if sympy.count_ops(body) > MAX_OPS:
            return None
        return _terms(body, [0])
    except Exception:  # noqa: BLE001
        swallowed("the univariate sign search")
        return None


def _terms(expr: Expr, count: list[int]) -> Expr:
    if isinstance(expr, sympy.Sum):
        terms = [_terms(expr.function, count)]
        for var, lower, upper in expr.limits:
            terms = [t.xreplace({var: sympy.Integer(i)}) for t in terms for i in range(int(lower), int(upper) + 1)]
        count[0] += len(terms)
        if count[0] > MAX_TERMS:
            raise Unknown("too many terms")
        return sympy.Add(*terms)
    if not expr.args or isinstance(expr, Indexed):
        return expr
    return expr.func(*[_terms(a, count) for a in expr.args])


def univariate(body: Expr, target: Target, values: dict) -> Expr | None:
    """A written-out expression (:func:`write_out`) with every value but ``target`` at
    ``values``: an exact expression in :data:`VARIABLE` alone, or None when it is not one."""
    try:
        body = body.xreplace({e: _entry(e, values, target) for e in body.atoms(Indexed)})
        body = body.xreplace({s: VARIABLE if target.key is None and s.name == target.name else _scalar(values.get(s.name))
                              for s in body.free_symbols if isinstance(s, Symbol) and s is not VARIABLE})
    except Exception:  # noqa: BLE001
        swallowed("the univariate sign search")
        return None
    if body.free_symbols - {VARIABLE} or not _known(body):
        return None
    return body


def _entry(e: Indexed, values: dict, target: Target) -> Expr:
    name = base_name(e)
    table = values.get(name)
    if not isinstance(table, dict):
        raise Unknown(name)
    key = tuple(int(i) for i in e.indices)
    key = key if key in table else key[:1] if len(key) == 2 and key[1] == 0 else key
    if name == target.name and (target.every or key == target.key):
        return VARIABLE
    return _scalar(table.get(key))


def _scalar(value) -> Expr:
    if value is None or not certified.is_exact(value):
        raise Unknown("no exact value")
    return exact_rational(value)


def exact_rational(value: fmpq | int) -> Rational:
    """An exact drawn value (an ``fmpq``, an ``fmpz`` or an ``int``) as SymPy's rational."""
    q = fmpq(value)
    return Rational(int(q.p), int(q.q))


def _known(expr: Expr) -> bool:
    """Only numbers, the variable, + * powers and the continuous functions."""
    for node in sympy.preorder_traversal(expr):
        if node.is_Number or node.is_NumberSymbol or node is VARIABLE or isinstance(node, (sympy.Add, sympy.Mul, sympy.Pow, sympy.Abs, sympy.log)):
            continue
        if type(node) in _CONTINUOUS:
            continue
        return False
    return True


# -- certified enclosures ---------------------------------------------------------
def enclose(expr: Expr, at: arb) -> arb:
    """A ball holding ``expr`` at every point of ``at``; raises :class:`Unknown` when
    some point of ``at`` may be outside a domain (a division by a ball holding 0)."""
    if expr is VARIABLE:
        return at
    if expr.is_Rational:
        return arb(fmpq(int(expr.p), int(expr.q)))
    if expr is sympy.E:
        return arb.const_e()
    if expr is sympy.pi:
        return arb.pi()
    args = [enclose(a, at) for a in expr.args] if not isinstance(expr, sympy.Pow) else []
    if isinstance(expr, sympy.Add):
        return _fold(args, lambda a, b: a + b)
    if isinstance(expr, sympy.Mul):
        return _fold(args, lambda a, b: a * b)
    if isinstance(expr, sympy.Pow):
        return _power(enclose(expr.base, at), expr.exp)
    if isinstance(expr, sympy.Abs):
        return abs(args[0])
    if isinstance(expr, sympy.log):
        return _positive(args[0]).log()
    method = _CONTINUOUS.get(type(expr))
    if method is None or len(args) != 1:
        raise Unknown(type(expr).__name__)
    return _finite(getattr(args[0], method)())


def _fold(args: list[arb], op) -> arb:
    total = args[0]
    for a in args[1:]:
        total = op(total, a)
    return _finite(total)


def _power(base: arb, exponent: Expr) -> arb:
    if exponent.is_Integer:
        n = int(exponent)
        if n < 0:
            if base.contains(0):
                raise Unknown("a division by a value that may be 0")
            return _finite(1 / base ** (-n))
        return _finite(base ** n)
    if exponent.is_Rational:
        return _finite((arb(fmpq(int(exponent.p), int(exponent.q))) * _positive(base).log()).exp())
    raise Unknown("a power with a non-rational exponent")


def _positive(x: arb) -> arb:
    if not x > 0:
        raise Unknown("a root or logarithm of a value that may not be positive")
    return x


def _finite(x: arb) -> arb:
    if not x.is_finite():
        raise Unknown("not finite")
    return x


def sign_on(expr: Expr, at: arb) -> int | None:
    """The certified sign of ``expr`` on all of ``at``; None when it is not certain."""
    try:
        with certified.precision(BITS):
            value = enclose(expr, at)
    except (Unknown, ZeroDivisionError, ValueError):
        return None
    return 1 if value > 0 else -1 if value < 0 else 0 if value == 0 else None


def enclose_at(expr: Expr, x: fmpq) -> arb:
    """``expr`` enclosed at the exact point ``x``."""
    with certified.precision(BITS):
        return enclose(expr, arb(x))


def interval(low: fmpq, high: fmpq) -> arb:
    with certified.precision(BITS):
        return arb(low).union(arb(high))


__all__ = ["VARIABLE", "Target", "Unknown", "enclose", "enclose_at", "interval", "sign_on", "univariate", "write_out"]
