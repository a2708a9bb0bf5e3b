"""Random instances that satisfy the document's assumptions exactly.

Equations (``H x = \\lambda x``, ``\\sum_k y_k = 1``) are imposed after the
entries are drawn: each entry-equation, at each value of its free indices,
is solved exactly (``fmpq``) for one drawn entry it is linear in -- an
entry of an array whose indices follow the equation's own (``H_{r,r}`` for
row ``r`` of ``H x = \\lambda x``), not used by an earlier equation.
Linearity is checked on the instance (``f(0)``, ``f(1)``, ``f(2)``), and at
the end every equation is evaluated again and must hold exactly; otherwise
the assumptions can not be imposed and the step is ``undecided`` with that
reason -- never tested on an instance that violates them.

Facts (``\\lambda > 0``, ``x \\neq 0``, ``H \\succ 0``, ``x^T H x > 0
\\quad \\forall x \\neq 0``) are checked on each instance; one that fails
is redrawn (:class:`Unsatisfied`).  ``H \\succ 0`` means ``x^T H x > 0`` for
every real ``x \\neq 0``: the symmetric part of ``H`` has positive pivots.
"""

from __future__ import annotations

import itertools
from typing import Any

import sympy
from flint import fmpq
from sympy import Indexed, Sum, Symbol

from deriv.context import Constraint, names_in
from deriv.engine import certified
from deriv.engine.ball_points import meet_array_equations, meet_array_facts
from deriv.engine.differentiate import expand_definitions
from deriv.engine.definiteness import definite
from deriv.engine.eigen import construct, construct_definite, eigen_parts
from deriv.engine.matrix_values import SINGULAR
from deriv.engine.order_draws import construct_ordered
from deriv.errors import UnsupportedError
from deriv.ir import OpaqueCall, OpaqueGrad, Partial, base_name
from deriv.names import Kind
from deriv.engine.linear_facts import coupled, solve_systems
from deriv.engine.residuals import Unsatisfied, line as _line, residual, setter as _setter, value_at
from deriv.engine.scalar_facts import meet_entry_facts, meet_scalar_facts
from deriv.engine.residuals import exact as _exact
from deriv.engine.residuals import get_entry as _get
from deriv.engine.residuals import points as _points
from deriv.engine.residuals import set_entry as _set

#: How the first attempt of a trial solves its equations, by trial (modulo 3): plainly, or
#: for a degenerate solution (one that a rule dividing by what may vanish would miss).
MODES = ("plain", "scalars", "zero")
#: Trials numbered from here on are special instances that choose their own zeros (the
#: boundary instances of claims): always drawn plainly.
SPECIAL_TRIALS = 1000
#: Passes of the solver over the equations, at most.
PASSES = 3


def mode_of(instance) -> str:
    """``plain``, ``scalars`` (solve for scalars first: ``\\lambda = \\mu`` in ``\\lambda x = \\mu x``)
    or ``zero`` (an array zero where that satisfies an equation, ``x = 0``; else a scalar zero)."""
    if instance.attempt != 0 or instance.trial >= SPECIAL_TRIALS:
        return "plain"
    return MODES[instance.trial % len(MODES)]


def impose(instance, compiler) -> None:
    """Make ``instance`` satisfy every assumption of its context, or raise.

    A degenerate solution that can not be drawn is only a redraw
    (:class:`Unsatisfied`): the next attempt solves plainly.
    """
    mode = mode_of(instance)
    try:
        _impose(instance, compiler, mode)
    except Unsatisfied:
        raise
    except UnsupportedError as error:
        if mode == "plain":
            raise
        raise Unsatisfied(f"no degenerate ({mode}) solution of the assumptions: {error.message}") from None


def _impose(instance, compiler, mode: str) -> None:
    constraints = instance.context.assumptions
    equations = [c for c in constraints if c.relation == "="]
    facts = [c for c in constraints if c.relation != "="]
    instance.imposed = bool(equations)
    zeroed = _degenerate(instance, compiler, equations, facts) if mode == "zero" else frozenset()
    handled = construct(instance, equations, facts) if equations else []
    fixed = zeroed | frozenset(name for e in handled for name in eigen_parts(e) or ())  # handled: parts found
    spheres = meet_array_equations(instance, compiler, [e for e in equations if e not in handled], fixed)
    handled, fixed = handled + spheres, fixed.union(*(instance.context.reached(e.expr) for e in spheres))
    construct_definite(instance, facts, fixed, keep=instance.trial >= SPECIAL_TRIALS)
    construct_ordered(instance, compiler, facts, fixed, boundary=instance.trial >= SPECIAL_TRIALS)
    if equations:
        _solve_equations(instance, compiler, [e for e in equations if e not in handled], fixed, mode)
        _verify(instance, compiler, equations)
    if facts:
        in_equations = frozenset().union(*(instance.context.reached(e.expr) for e in equations))
        meet_scalar_facts(instance, compiler, facts, fixed | in_equations, holds)
        meet_entry_facts(instance, compiler, facts, fixed | in_equations)
        meet_array_facts(instance, compiler, facts, fixed | in_equations, holds, random=instance.trial < SPECIAL_TRIALS)
    for fact in constraints:
        if fact.relation != "=" and not holds(instance, compiler, fact):
            raise Unsatisfied(f"the instance violates {fact.latex}")


def _solve_equations(instance, compiler, equations: list[Constraint], fixed: frozenset[str], mode: str) -> None:
    """Entry by entry, and where that fails, again from the drawn values with the equations with free
    indices solved first as one linear system each (:mod:`.linear_facts`); the systems first when a
    row reads every entry of an array (the normal equations: each row solved for another entry
    would undo the others).  The entry solver's reason is the one given.  Checked after."""
    drawn = _copied(instance.arrays)
    routes = (True, False) if any(coupled(e, instance.context) for e in equations) else (False, True)
    failures: dict[bool, UnsupportedError] = {}
    for linear in routes:
        if linear and not any(e.free for e in equations):
            continue
        instance.arrays.update(_copied(drawn))
        try:
            if _passes(instance, compiler, equations, fixed, mode, linear):
                return
        except Unsatisfied:
            raise
        except UnsupportedError as error:
            failures[linear] = error
    if failures:
        raise failures.get(False) or failures[True]


def _copied(arrays: dict) -> dict:
    return {name: dict(t) if isinstance(t, dict) else t for name, t in arrays.items()}


def _passes(instance, compiler, equations: list[Constraint], fixed: frozenset[str], mode: str, linear: bool) -> bool:
    """Up to :data:`PASSES` passes (a later equation may undo an earlier one: ``a = b``, then ``b = 1``);
    whether every equation holds.  With ``linear``, False at once when no equation is a linear system."""
    systems: dict[int, str] = {}
    for _ in range(PASSES):
        if linear:
            systems = solve_systems(instance, compiler, equations, fixed, systems, mode == "scalars")
            if not systems:
                return False
        rest = [e for n, e in enumerate(equations) if n not in systems]
        _solve(instance, compiler, rest, fixed | frozenset(systems.values()), scalars_first=mode == "scalars")
        if all(_holds_everywhere(instance, compiler, e) for e in equations):
            return True
    return False


def _degenerate(instance, compiler, equations: list[Constraint], facts: list[Constraint]) -> frozenset[str]:
    """The names a degenerate solution fixes: zeros (:func:`_zero`); on every other such trial,
    from the first, a ``positive`` matrix an equation reaches (never zero, never solved for) made
    rank one instead, and nothing zeroed in that equation: ``A x = 0`` with ``A`` positive holds
    for ``x \\neq 0`` only where ``A`` is singular, which a random ``A`` never is (``x = 0``
    on every other instance)."""
    ranked = frozenset() if (instance.trial // len(MODES)) % 2 else _rank_one(instance, equations)
    context = instance.context
    rest = [e for e in equations if not names_in(expand_definitions(e.expr, context)) & ranked]
    return ranked | _zero(instance, compiler, rest, facts)


def _rank_one(instance, equations: list[Constraint]) -> frozenset[str]:
    """Each positive matrix the equations reach, every entry set to its first (positive, rank one)."""
    context = instance.context
    reached = frozenset().union(*(names_in(expand_definitions(e.expr, context)) for e in equations))
    made = set()
    for name in sorted(reached):
        declared, table = context.declared.get(name), instance.arrays.get(name)
        if declared is None or not declared.positive or not isinstance(table, dict) or Kind.VECTOR == declared.kind:
            continue
        first = table[min(table)]
        instance.arrays[name] = {k: first for k in table}
        made.add(name)
    return frozenset(made)


def _zero(instance, compiler, equations: list[Constraint], facts: list[Constraint]) -> frozenset[str]:
    """Names set to zero for a degenerate solution (kept so by the solver): for each equation,
    an array of it that alone satisfies it when zero (``x = 0`` in ``H x = \\lambda x``), else one
    of its arrays or scalars in turn by trial (``A = 0`` in ``A x = c``, and then ``c = 0``)."""
    context = instance.context
    nonzero = {base_name(a) for f in facts if f.relation in ("nonzero", "pd") for a in f.expr.atoms(Indexed)}
    zeroed: set[str] = set()
    for equation in equations:
        names = sorted(n for n in names_in(expand_definitions(equation.expr, context))
                       if n in instance.arrays and n not in nonzero and n not in zeroed and not context.declared[n].positive
                       and context.declared[n].kind not in (Kind.IDENTITY, Kind.ONES))
        if not names:
            continue
        saved = dict(instance.arrays)
        for name in names:
            _set_zero(instance, name)
            if isinstance(instance.arrays[name], dict) and _holds_everywhere(instance, compiler, equation):
                break
            instance.arrays[name] = saved[name]
        else:
            name = names[(instance.trial // len(MODES)) % len(names)]
            _set_zero(instance, name)
        zeroed.add(name)
    return frozenset(zeroed)


def _set_zero(instance, name: str) -> None:
    table = instance.arrays[name]
    instance.arrays[name] = {k: fmpq(0) for k in table} if isinstance(table, dict) else fmpq(0)


def _holds_everywhere(instance, compiler, equation: Constraint) -> bool:
    try:
        return all(residual(instance, compiler, equation, p) == 0 for p in _points(instance, equation))
    except Unsatisfied:
        return False


def _undefined_or_nonzero(f, u) -> bool:
    try:
        return f(u) != 0
    except Unsatisfied:
        return True


def _solve(instance, compiler, equations: list[Constraint], fixed: frozenset[str] = frozenset(),
           scalars_first: bool = False) -> None:
    used: set[tuple[str, tuple[int, ...]]] = set()
    context = instance.context
    bodies = [expand_definitions(e.expr, context) for e in equations]
    for n, (equation, body) in enumerate(zip(equations, bodies)):
        later = frozenset().union(*(names_in(b) for b in bodies[n + 1:]))
        if body.has(OpaqueCall, OpaqueGrad, Partial) or any(isinstance(f, sympy.core.function.AppliedUndef) for f in body.atoms(sympy.Function)):
            raise UnsupportedError(f"assumption {equation.latex} involves functions or derivatives; it can not be imposed exactly")
        for point in _points(instance, equation):
            if residual(instance, compiler, equation, point) == 0:
                continue  # already holds (x = 0 in H x = \lambda x): nothing to solve
            for name, idx in _candidates(instance, body, equation, point, scalars_first, later):
                if (name, idx) in used or name in fixed:
                    continue
                solved = _solve_for(instance, compiler, equation, point, name, idx)
                if solved:
                    used.add((name, idx))
                    break
            else:
                raise UnsupportedError(
                    f"assumption {equation.latex} is not linear in any drawn entry that is still free, so random instances can not satisfy it exactly"
                )


def _verify(instance, compiler, equations: list[Constraint]) -> None:
    """Every equation must hold exactly, however the instance was made."""
    for equation in equations:
        for point in _points(instance, equation):
            if residual(instance, compiler, equation, point) != 0:
                raise UnsupportedError(f"the assumptions {', '.join(e.latex for e in equations)} could not be imposed together exactly")


def _candidates(instance, body, equation: Constraint, point, scalars_first: bool = False,
                later: frozenset[str] = frozenset()) -> list[tuple[str, tuple[int, ...]]]:
    """Drawn entries the equation at ``point`` may be solved for, best first (entries of
    arrays, else scalars first; among equals, names no later equation needs)."""
    context = instance.context
    binding = dict(zip(equation.free, point))
    extents = {}
    for s in body.atoms(Sum):
        for var, lower, upper in s.limits:
            extents[var] = (lower, upper)
    found: list[tuple[int, str, tuple[int, ...]]] = []
    for atom in body.atoms(Indexed):
        name = base_name(atom)
        declared = context.declared.get(name)
        if declared is None or declared.kind not in (Kind.VECTOR, Kind.MATRIX, Kind.SYMMETRIC):
            continue
        choices: list[list[Any]] = []
        for i in atom.indices:
            if i in binding:
                choices.append([binding[i]])
            elif i in extents:
                lower, upper = (instance.size(e) for e in extents[i])
                preferred = [point[0] if point else 0, upper, lower]
                choices.append([v for v in dict.fromkeys(preferred) if lower <= v <= upper])
            elif i.is_Integer:
                choices.append([int(i)])
            else:
                break  # an index with no value to try: no point of this entry
        else:
            for idx in itertools.product(*choices):
                found.append((-len(idx), name, tuple(idx)))
    for symbol in body.atoms(Symbol):
        declared = context.declared.get(symbol.name)
        if declared is not None and declared.kind == Kind.SCALAR:
            found.append((-100 if scalars_first else 0, symbol.name, ()))
    found.sort(key=lambda t: (t[0], t[1] in later, t[1], t[2]))
    return list(dict.fromkeys((n, i) for _, n, i in found))


def _solve_for(instance, compiler, equation: Constraint, point, name: str, idx) -> bool:
    """Set entry ``name[idx]`` so the equation holds at ``point``; False if it is not linear there."""
    old = _get(instance, name, idx)
    f = _setter(instance, compiler, equation, point, name, idx)
    try:
        line = _line(f)
    except Unsatisfied:  # undefined there (1/a at a = 0): not solved for this entry
        line = None
    positive = instance.context.declared[name].positive
    if line is None or (positive and line[0] <= 0) or _undefined_or_nonzero(f, line[0]):
        _set(instance, name, idx, old)
        return False
    return True


# -- facts ----------------------------------------------------------------------
def holds(instance, compiler, fact: Constraint) -> bool:
    """Whether a fact holds on the instance (raises when that can not be told)."""
    if fact.relation in ("pd", "psd"):
        rows = instance.size(fact.ranges[0][1])
        matrix = [[_exact(value_at(instance, compiler, fact.expr, fact.free, (i, j)), fact) for j in range(rows)] for i in range(rows)]
        return definite(matrix, strict=fact.relation == "pd")
    if fact.over is not None:
        return definite(gram(instance, compiler, fact), strict=fact.relation == ">")
    if fact.relation == "nonzero":
        return any(_exact(value_at(instance, compiler, fact.expr, fact.free, p), fact) != 0 for p in _points(instance, fact))
    for point in _points(instance, fact):
        value = value_at(instance, compiler, fact.expr, fact.free, point)
        sign = sign_of(value)
        if sign is None:
            raise Unsatisfied(f"the sign of {fact.latex} is not certain on this instance")
        if not relation_holds(fact.relation, sign):
            return False
    return True


def sign_of(value) -> int | None:
    """-1, 0 or 1, certified; None when a ball contains 0."""
    if isinstance(value, Exception):
        return None
    if certified.is_exact(value):
        return (value > 0) - (value < 0)
    ball = certified.to_arb(value)  # a Ball does not compare itself (exp(x) > 3 was a TypeError)
    if ball > 0:
        return 1
    if ball < 0:
        return -1
    return None


def relation_holds(relation: str, sign: int) -> bool:
    return {">": sign > 0, ">=": sign >= 0, "<": sign < 0, "<=": sign <= 0, "!=": sign != 0, "=": sign == 0}[relation]


def gram(instance, compiler, fact: Constraint, bits: int | None = None) -> list[list]:
    """The matrix ``M`` with ``q(x) = x^T M x`` for a quadratic form ``q`` (symmetric part).

    Exact; with ``bits``, entries may be certified balls at that precision.
    A scalar ``x`` is a vector of length 1.
    """
    from deriv.engine.instances import Evaluator  # instances imports the compiler

    name = fact.over
    saved = instance.arrays[name]
    scalar = not isinstance(saved, dict)
    n = 1 if scalar else len(saved)
    evaluator, compiled = Evaluator(instance, compiler, bits or certified.START_PRECISION), compiler.compile(fact.expr)

    def q(vector):
        instance.arrays[name] = fmpq(vector[0]) if scalar else {(k,): fmpq(v) for k, v in enumerate(vector)}
        # One evaluator for every vector: what did not read the vector (H's entries) is remembered.
        cache = evaluator.cache
        assert isinstance(cache, dict)  # a view only while a derivative is taken, put back after it
        evaluator.cache = {k: hit for k, hit in cache.items() if not any(r[0] == name for r in hit[2])}
        with certified.precision(evaluator.precision):
            value = compiled(evaluator)
        return _exact(value, fact) if bits is None else value

    try:
        unit = [[int(k == a) for k in range(n)] for a in range(n)]
        diagonal = [q(unit[a]) for a in range(n)]
        matrix = [[diagonal[a] if a == b else (q([x + y for x, y in zip(unit[a], unit[b])]) - diagonal[a] - diagonal[b]) / 2
                   for b in range(n)] for a in range(n)]
        probe = [saved] if scalar else [saved[(k,)] for k in range(n)]
        expected = sum(probe[a] * matrix[a][b] * probe[b] for a in range(n) for b in range(n))
        if certified.certainly_nonzero(q([0] * n)) or certified.certainly_nonzero(q(probe) - expected):
            raise UnsupportedError(f"{fact.latex}: the left side is not a quadratic form in {name}")
    finally:
        instance.arrays[name] = saved
    return matrix


__all__ = ["Unsatisfied", "definite", "gram", "holds", "impose", "relation_holds", "sign_of", "value_at"]


def satisfied(instance, compiler) -> bool:
    """Whether ``instance`` (given, not drawn: a shrunk counterexample's) satisfies every
    assumption exactly; False also where that can not be told."""
    try:
        for constraint in instance.context.assumptions:
            if constraint.relation == "=":
                if any(residual(instance, compiler, constraint, p) != 0 for p in _points(instance, constraint)):
                    return False
            elif not holds(instance, compiler, constraint):
                return False
    except (Unsatisfied, UnsupportedError, ArithmeticError, ValueError, KeyError, TypeError):
        return False
    return True


def about_functions(context) -> bool:
    """Whether an assumption reaches a declared function (its value depends on which function
    the tester takes, so an instance with other functions is not known to satisfy it)."""
    return any(context.declared[name].is_function for constraint in context.assumptions
               for name in context.reached(constraint.expr) if name in context.declared)


def presupposed(instance, left: list, right: list) -> tuple[list, list]:
    """The two sides' values (``Evaluated``) at each point, a side whose inverse is singular there
    made undefined on both sides when the assumptions set the instance's values.

    Writing ``A^{-1}`` presupposes ``A`` invertible (docs/deciding.md), and random matrices
    are: a singular one here is one the assumptions made (``A x = A c`` solved for ``A``, a
    degenerate ``A = 0``), no counterexample to an identity that assumes it invertible
    (``A^{-1} A x = x`` was refuted).  Elsewhere (``(v v^T)^{-1}``, singular at every
    instance) the step's own claim is at fault and the values are left as they are.  An instance a
    search made (a special trial: a name 0, :mod:`deriv.engine.zero_points`) is made, not drawn."""
    if not instance.imposed and instance.trial < SPECIAL_TRIALS:
        return left, right
    return singular_on_both(left, right)


def singular_on_both(left: list, right: list) -> tuple[list, list]:
    """The two sides' values, a side whose inverse is singular at a point made undefined on
    both sides there (an instance made, not drawn, such as the domain search's)."""
    pairs = [_both_undefined(a, b) for a, b in zip(left, right)]
    return [a for a, _ in pairs], [b for _, b in pairs]


def _both_undefined(a, b) -> tuple:
    for this, other in ((a, b), (b, a)):
        if is_singular(this.value) and not isinstance(other.value, certified.DomainError):
            undefined = type(other)(this.value, other.recorder)
            return (a, undefined) if this is a else (undefined, b)
    return a, b


def is_singular(value) -> bool:
    """Whether ``value`` is the undefined value of a singular matrix's inverse."""
    return isinstance(value, certified.DomainError) and str(value) == SINGULAR


def assumed_names(context) -> set[str]:
    """The drawn names the assumptions write: a counterexample shows them, so that a reader
    can check that it satisfies the assumptions (``A`` for ``c^T x = 0`` under ``A x = 0``)."""
    return {name for constraint in context.assumptions for name in context.reached(constraint.expr)
            if name in context.declared and context.declared[name].is_array and not context.is_defined(name)}
