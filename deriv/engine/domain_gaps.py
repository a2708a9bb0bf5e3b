"""Which of one side's domain conditions the other side lacks, past what the sign prover shows.

Apart from :mod:`deriv.engine.domains` because the sign prover imports the
decider: the caller (the chain) computes these and hands the decider a
:class:`~deriv.engine.domains.Domains`.
"""

from __future__ import annotations

import functools

from collections.abc import Callable, Iterator, Mapping, Sequence

import sympy

from sympy import Expr, Symbol

from deriv.context import Constraint, Context
from deriv.engine.domains import Conditions, Domains
from deriv.engine.decide import symbolic_form
from deriv.engine.gram import gram_proof
from deriv.engine.signs import prove
from deriv.errors import swallowed
from deriv.ir import Determinant, MatrixArg, substituted
from deriv.meaning.domains import INVERTIBLE, KINK, NONZERO, Condition, bound_renamed, transposed


def _exp_of_sum(product: sympy.Product) -> Expr:
    return sympy.exp(sympy.Sum(product.function.args[0], *product.limits))


def _readings(expr: Expr, context: Context) -> Iterator[Expr]:
    """The condition's expression as written, with definitions expanded, over one
    denominator (``\\sigma(u) - 1``: ``-e^{-u} / (1 + e^{-u})``), and with products of
    exponentials as exponentials of sums: what the sign prover reads each of."""
    yield expr
    expanded = symbolic_form(expr, context)
    yield expanded
    together = sympy.together(expanded)
    yield together
    yield together.replace(lambda e: isinstance(e, sympy.Product) and isinstance(e.function, sympy.exp), _exp_of_sum)


def _matrix_of(fact: Constraint) -> MatrixArg:
    """The square matrix a ``pd`` fact is about."""
    (row, rows), (col, cols) = fact.ranges
    return MatrixArg.from_entry(lambda i, j: substituted(fact.expr, {row: i, col: j}), rows, cols)


def _invertible(condition: Condition, context: Context, facts: Sequence[Constraint]) -> bool:
    """``\\det M \\neq 0`` where a fact says ``M \\succ 0``, or ``M`` is a sum of Gram forms one of
    which is definite (``X^T X + \\lambda I`` with ``\\lambda > 0``): a definite matrix is invertible."""
    if condition.relation != NONZERO or not isinstance(condition.expr, Determinant):
        return False
    arg = condition.expr.arg
    wanted = {bound_renamed(arg), bound_renamed(transposed(arg))}
    if any(f.relation == "pd" and f.over is None and bound_renamed(_matrix_of(f)) in wanted for f in facts):
        return True
    definite = Constraint("M \\succ 0", "pd", arg.body, (arg.row, arg.col), ((arg.row, arg.rows), (arg.col, arg.cols)))
    return gram_proof(definite, context, list(facts)) is not None


def _power_defined(power: sympy.Pow, shown: Callable[[Expr, str], bool]) -> bool:
    """Whether a power by an expression (a *valued* condition: it has a value) is shown defined: its
    base positive, or nonzero with a whole exponent -- not that it is nonzero, which ``(-1)^{N/2}``
    is wherever it is defined (it is not at odd ``N``: ``(-1)^{N/2} (-1)^{N/2} = (-1)^N`` was tested)."""
    if shown(power.base, ">"):
        return True
    return bool(power.exp.is_integer) and shown(power.base, NONZERO)


def _holds(condition: Condition, context: Context, ranges: Mapping[Symbol, Expr], facts: Sequence[Constraint]) -> bool:
    """Whether the sign prover shows the condition everywhere, as written or with
    definitions expanded (``p = \\operatorname{softmax}(z)``: ``p_i > 0``), from the
    assumptions and the ``facts`` the document proved (a definite matrix is invertible)."""
    extended = dict(ranges)
    extended.update({index: upper + 1 for index, _, upper in condition.limits})
    known = [*context.assumptions, *facts]
    try:
        if condition.valued and isinstance(condition.expr, sympy.Pow):
            return _power_defined(condition.expr, lambda e, r: any(
                prove(x, r, context, known, extended) is not None for x in _readings(e, context)))
        return _invertible(condition, context, known) or any(prove(expr, condition.relation, context, known, extended) is not None
                   for expr in _readings(condition.expr, context))
    except Exception:  # noqa: BLE001 - not shown is the safe answer
        swallowed("proving a side's domain condition")
        return False


def unshown(own: Conditions, other: Conditions, context: Context, ranges: Mapping[Symbol, Expr],
            facts: Sequence[Constraint] = (), memo: dict | None = None) -> list[Condition]:
    """``own``'s conditions the other side lacks and that are not shown to hold everywhere
    (``memo``: answers kept for one context, keyed by condition, ranges and facts); an inverse's
    :data:`INVERTIBLE` is presupposed (``A^{-1} A = I`` is proved), never lacked."""
    known = (tuple(ranges.items()), tuple(facts))
    lacked = []
    for condition in sorted((c for c in own - other if c.relation != INVERTIBLE), key=Condition.text):
        if not _remembered_holds(condition, known, memo, functools.partial(_holds, condition, context, ranges, facts)):
            lacked.append(condition)
    return lacked


def _remembered_holds(condition: Condition, known: tuple, memo: dict | None, holds: Callable[[], bool]) -> bool:
    """``holds()``, kept in ``memo`` under the condition and what it was shown from; a budget
    running out is no answer (nothing is kept), nor is a key that can not be hashed."""
    if memo is None:
        return holds()
    key = (condition, known)
    try:
        found = memo.get(key)
    except TypeError:
        return holds()
    if found is None:
        found = memo[key] = holds()
    return found


def _imposed(side: Conditions) -> Conditions:
    return frozenset(c for c in side if c.relation != KINK)


def domains_of(conditions: tuple[Conditions, Conditions], context: Context, ranges: Mapping[Symbol, Expr],
               facts: Sequence[Constraint] = (), memo: dict | None = None) -> Domains:
    """The sides' conditions with those each lacks of the other's (not shown to hold from the
    assumptions and the ``facts`` the document proved); a derivative's
    :data:`deriv.meaning.domains.KINK` is imposed on neither side and matches nothing:
    ``relu'(0)`` is a value in ``[0, 1]`` (docs/deciding.md), so a ``!=`` it matched could only be a
    real denominator (``\\frac{d}{dx} relu(x) = \\frac{relu(x)}{x}`` was tested as if both sides were
    undefined at 0).  ``memo`` keeps what the sign prover showed, for one context (a chain's
    steps share most of their conditions)."""
    left, right = (_imposed(side) for side in conditions)
    return Domains((left, right), (unshown(left, right, context, ranges, facts, memo),
                                   unshown(right, left, context, ranges, facts, memo)))
