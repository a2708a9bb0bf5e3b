"""``\\prod_{i=1}^{N} x_i``, ``\\prod_i``, ``\\prod_{i \\neq j}``.

In: a :class:`~deriv.latex.ast.BigSum` marked ``product`` and the builder
(its scope, index uses and sum limits, shared with ``\\sum``).  Out: a
scalar value holding a SymPy ``Product`` over one index per limit, nested.

A ``\\prod`` binds like a ``\\sum``: everything up to the next ``+`` or ``-``
at its level, and its index is a fresh dummy.  Its body must be a scalar (a
product of matrices has an order, which ``\\prod`` does not say).
``\\prod_{i \\neq j} f_i`` is ``\\prod_i (\\delta_{i,j} + (1 - \\delta_{i,j}) f_i)``:
the factor at ``i = j`` is exactly 1, never ``f_j / f_j``, so it is defined
where ``f_j = 0`` -- the form the engine's derivative of a product takes.
"""

from __future__ import annotations

from typing import Any

import sympy
from sympy import Expr, Symbol

from deriv.errors import MeaningError
from deriv.ir import delta, fresh_index
from deriv.latex import ast
from deriv.meaning import values as V


def left_out(body: Expr, dummy: Symbol, excluded: Expr) -> Expr:
    """``body`` where ``dummy`` is not ``excluded``, and 1 where it is."""
    d = delta(dummy, excluded)
    return d + (1 - d) * body


def nested_product(body: Expr, limits: list[tuple]) -> Expr:
    """``Product(body, *limits)`` as one ``Product`` per limit, the first outermost."""
    for limit in reversed(limits):
        body = sympy.Product(body, limit)
    return body


def big_product(builder: Any, node: ast.BigSum) -> V.Value:
    """The value of ``\\prod_{...} body`` (``builder`` is the :class:`~deriv.meaning.builder.Builder`)."""
    outer = dict(builder.scope)
    limits, exclusions = [], []
    for spec in node.indices:
        builder.check_index_name(spec.name)
        # Read outside the product: its own index is not bound there.
        excluded = builder.index_symbols((spec.excluded,))[0] if spec.excluded is not None else None
        dummy = fresh_index(spec.name)
        limits.append(builder.sum_limit(spec, dummy))
        builder.scope[spec.name] = dummy
        if excluded is not None:
            builder.uses.link(dummy.name, excluded.name, f"\\prod_{{{spec.name} \\neq {excluded}}}")
            exclusions.append((dummy, excluded))
    try:
        body = builder.build(node.body)
    finally:
        builder.scope = outer
    if not body.is_scalar:
        raise MeaningError(f"\\prod of {body.describe()}: only of scalars (a product of matrices "
                           "has an order; write it out)")
    expr = body.expr
    for dummy, excluded in exclusions:
        expr = left_out(expr, dummy, excluded)
    return V.scalar(nested_product(expr, limits), f"\\prod {body.text}")
