"""Square matrices where inverse and determinant identities break.

Random square matrices are dense, far from singular and never structured; a
step with an inverse or a determinant is therefore also tried where every
declared square matrix is at once

* upper triangular (``\\det X = \\prod_i X_{i,i}`` holds there, not elsewhere),
* a scaled cyclic permutation (mostly zeros, ``X^{-1} = X^T`` up to scale),
* nearly singular (its last row its first plus ``2^{-20}`` times a unit vector: a
  determinant of small magnitude, inverse entries of large magnitude),

each still invertible (at size 1 the one entry is kept, or made ``2^{-20}`` times itself).
Only a certain difference of two defined values refutes here: an argument a
structure happens to make singular (``A + B`` with both permutations) is no
counterexample to an identity that assumes it invertible.  Documents with
assumptions are left to the random instances (a structure may violate them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

from flint import fmpq
from sympy import Expr

from deriv.engine import certified
from deriv.engine.instances import Instance
from deriv.ir import MATRIX_FUNCTIONS, contains
from deriv.names import Kind
from deriv.results import Counterexample

#: Trial number of these instances (apart from the random ones).
BOUNDARY_TRIAL = 3001
#: The perturbation of a nearly singular matrix.
SMALL = fmpq(1, 1 << 20)
#: Size assignments tried, at most (the first ones the random tests used).
MAX_ASSIGNMENTS = 3


def _triangular(values: dict, n: int) -> dict:
    return {(i, j): v if i <= j else fmpq(0) for (i, j), v in values.items()}


def _permutation(values: dict, n: int) -> dict:
    return {(i, j): values[i, i] if j == (i + 1) % n else fmpq(0) for (i, j) in values}


def _nearly_singular(values: dict, n: int) -> dict:
    if n == 1:
        return {(0, 0): values[0, 0] * SMALL}
    last = n - 1
    return {(i, j): values[0, j] + (SMALL if j == last else 0) if i == last else v for (i, j), v in values.items()}


STRUCTURES: tuple[tuple[str, Callable[[dict, int], dict]], ...] = (
    ("upper triangular", _triangular), ("a scaled cyclic permutation", _permutation),
    ("nearly singular", _nearly_singular),
)


def involves_matrix_functions(exprs: tuple[Expr, ...], context) -> bool:
    """Whether a side, or a definition, takes an inverse or a determinant."""
    bodies = list(exprs) + [d.body for d in context.definitions.values()]
    return any(contains(body, *MATRIX_FUNCTIONS) for body in bodies)


def square_names(context) -> list[str]:
    return [name for name, d in context.declared.items()
            if d.kind == Kind.MATRIX and not d.positive and d.shape[0] == d.shape[1]]


def made_structured(names: list[str], make: Callable[[dict, int], dict], instance: Instance) -> None:
    """Every one of ``names`` (declared square matrices) made so on ``instance``."""
    for name in names:
        n = instance.size(instance.context.declared[name].shape[0])
        instance.arrays[name] = make({k: fmpq(v) for k, v in instance.arrays[name].items()}, n)


def _identity(values: dict, n: int) -> dict:
    return {(i, j): fmpq(int(i == j)) for (i, j) in values}


def alone_structured(names: list[str], name: str, make: Callable[[dict, int], dict], instance: Instance) -> None:
    """``name`` made so and every other of ``names`` the identity: a product's inverse is then the
    structure's own (``(A B)^{-1}`` a permutation's, of trace 0), where structuring all of them
    alike makes it the square of one (``P^2``, of nonzero trace at size 2)."""
    made_structured([name], make, instance)
    made_structured([other for other in names if other != name], _identity, instance)


def boundary_instances(session, sizes: dict) -> Iterator[tuple[str, Instance]]:
    """One instance per structure, every declared square matrix made so."""
    names = square_names(session.context)
    if not names:
        return
    for label, make in STRUCTURES:
        instance = Instance(session.context, session.seed, BOUNDARY_TRIAL, sizes)
        made_structured(names, make, instance)
        session.keep(instance)
        yield f"{', '.join(names)} {label}", instance


def _shown(instance: Instance, names: list[str]) -> tuple:
    out = []
    for name in names:
        table = instance.arrays[name]
        n = 1 + max(i for i, _ in table)
        out.append((name, tuple(tuple(certified.show(table[i, j]) for j in range(n)) for i in range(n))))
    return tuple(out)


def boundary_counterexample(session, lhs: Expr, rhs: Expr, tested: list[dict],
                            compare: Callable[[Instance], object], shown: Callable) -> Counterexample | None:
    """A certain difference of defined values on a structured instance, or None.

    ``compare(instance)`` is the tester's comparison (an ``InstanceResult``);
    ``shown(result, instance)`` its counterexample."""
    context = session.context
    if context.assumptions or not involves_matrix_functions((lhs, rhs), context):
        return None
    for sizes in tested[:MAX_ASSIGNMENTS]:
        for label, instance in boundary_instances(session, sizes):
            result = compare(instance)
            if getattr(result, "kind", None) != "refuted":
                continue
            found = shown(result, instance)
            if "undefined" in found.lhs_value or "undefined" in found.rhs_value:
                continue  # a singular argument: no counterexample to an identity that assumes it invertible
            note = label + (f"; {found.note}" if found.note else "")
            return replace(found, note=note, values=_shown(instance, square_names(context)))
    return None
