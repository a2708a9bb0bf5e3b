"""Matrix forms of index expressions, each one verified by the engine.

In: one LaTeX member (an index expression such as ``\\sum_i X_{i,n} G_{i,m}``),
the free indices that name the entry (``m, n``) and a context.  Out: a
:class:`MatrixForm` (``G^T X``) whose ``(m, n)`` entry the engine decided
equal to the input, or ``None``.

Candidates come from SymPy's array expressions (``convert_indexed_to_array``
then ``convert_array_to_matrix`` on ``MatrixSymbol`` entries; known to be
wrong at times) and from a small search of our own (one matrix, a trace,
products and Hadamard products of two, with transposes; ``diag`` of a
vector, alone or times a matrix; ``a^T B c``) and from reading the input as
sums of matrix chains (:mod:`deriv.diagnose.index_chains`: inverses,
determinants and powers, ``-X^{-T} a b^T X^{-T}``).  Every candidate
is printed as LaTeX, built by deriv's own front end and decided; one that
is not ``proved`` or ``tested`` is dropped, never shown.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import product

import sympy
from sympy import Expr, Indexed, IndexedBase, MatrixSymbol, Symbol

from deriv.budget import StepTimeout, time_budget
from deriv.context import ONE, Context
from deriv.engine.decide import Session, decide_equal
from deriv.engine.differentiate import evaluate_partials
from deriv.engine.domain_gaps import domains_of
from deriv.errors import DerivError, MeaningError, swallowed
from deriv.diagnose.bracketed import bracketed_form
from deriv.diagnose.index_chains import chain_forms
from deriv.ir import MATRIX_FUNCTIONS, MatrixPower, Partial, base_name, index
from deriv.latex.ast import Node
from deriv.latex.parser import parse_display
from deriv.meaning.builder import Builder
from deriv.meaning.domains import member_conditions, written_definitions
from deriv.results import Verdict

#: Seconds each candidate may take to be built and decided.
CANDIDATE_TIMEOUT = 10.0


@dataclass(frozen=True)
class MatrixForm:
    """A verified matrix form: its LaTeX and the engine's verdict (proved or tested)."""

    latex: str
    verdict: Verdict


@dataclass(frozen=True)
class _Input:
    expr: Expr
    indices: tuple[Symbol, ...]
    shape: tuple[Expr, Expr]
    names: tuple[str, ...]  # the matrices the input uses, in order (stand-ins for gradients)
    stand_in: Expr  # ``expr`` with each gradient entry an entry of its stand-in
    shapes: dict  # name -> (rows, cols)
    latex: dict  # stand-in name -> its LaTeX
    written: str | None = None  # the matrix expression the input is written as an entry of, if it is one
    conditions: frozenset = frozenset()  # where the input is defined (what SymPy cancelled away too)

    def printed(self, candidate: str) -> str:
        """A candidate with stand-in names in LaTeX (bracketed where a transpose follows)."""
        for name, text in self.latex.items():
            candidate = candidate.replace(f"{name}^T", rf"\left({text}\right)^T").replace(name, text)
        return candidate


def matrix_form(latex: str, indices: Sequence[str], context: Context, *, seed: int = 0,
                session: Session | None = None, node: Node | None = None) -> MatrixForm | None:
    """The simplest verified matrix form of ``latex`` whose entry ``indices`` is the input.

    ``indices`` lists the free indices: two (row, column), one (a column
    vector) or none (a scalar such as a trace).  ``None`` when no candidate
    is proved or tested.  Raises :class:`DerivError` when the input is not
    a well-formed scalar index expression with exactly those free indices.
    ``node``, when given, is the input's syntax tree as the caller read it
    (with the document's macros): it is built instead of ``latex``.
    """
    given = _build_input(latex, tuple(indices), context, node)
    session = session or Session(context, seed)
    shrinking, session.shrink = session.shrink, False  # a wrong candidate is dropped: its counterexample unread
    try:
        return _first_verified(given, context, session, seed)
    finally:
        session.shrink = shrinking


def _first_verified(given: _Input, context: Context, session: Session, seed: int) -> MatrixForm | None:
    """The first candidate proved, else the first tested, else ``None``."""
    tested: MatrixForm | None = None
    seen: set[str] = set()
    for candidate in _candidates(given, context):
        if candidate in seen:
            continue
        seen.add(candidate)
        verdict = _verify(candidate, given, context, session, seed)
        if verdict is Verdict.PROVED:
            return MatrixForm(candidate, verdict)
        if verdict is Verdict.TESTED and tested is None:
            tested = MatrixForm(candidate, verdict)
    return tested


# -- the input ------------------------------------------------------------------------
@functools.lru_cache(maxsize=1024)
def _member(latex: str):
    # Syntax trees are frozen: the same candidate (``X W^T``) recurs at every chain end.
    syntax, _ = parse_display(latex)
    if len(syntax.members) != 1 or syntax.leading is not None:
        raise MeaningError("give one expression, not an equation")
    return syntax.members[0]


def _build_input(latex: str, names: tuple[str, ...], context: Context, node: Node | None = None) -> _Input:
    if len(names) > 2 or len(set(names)) != len(names):
        raise MeaningError("give at most two distinct free indices (row, column)")
    builder = Builder(context)
    node = _member(latex) if node is None else node
    value = builder.build(node)
    if not value.is_scalar:
        raise MeaningError(f"the input is {value.describe()}: give an index expression (one entry)")
    known = {n: (r, "front matter") for n, r in context.index_ranges.items()}
    expr, ranges = builder.finish(value.expr, known)
    if set(ranges) != set(names):
        written = ", ".join(sorted(ranges)) or "none"
        raise MeaningError(f"the input's free indices are {written}, not {', '.join(names) or 'none'}")
    extents = [ranges[n] for n in names] + [ONE] * (2 - len(names))
    gradients = _gradients(expr, context)
    stand_in = expr.xreplace({p: IndexedBase(name)[p.var.indices] for p, (name, _, _) in gradients.items()})
    used = [base_name(e) for e in sympy.preorder_traversal(stand_in) if isinstance(e, Indexed)]
    shapes = {name: shape for name, _, shape in gradients.values()}
    matrices = tuple(n for n in dict.fromkeys(used) if n in shapes or _is_matrix(context, n))
    shapes.update({n: context.declared[n].shape for n in matrices if n not in shapes})
    texts = {name: text for name, text, _ in gradients.values()}
    return _Input(expr, tuple(index(n) for n in names), (extents[0], extents[1]), matrices, stand_in, shapes, texts,
                  bracketed_form(node, names), _conditions(builder, expr, context))


def _conditions(builder: Builder, expr: Expr, context: Context) -> frozenset:
    """Where a built member is defined (:func:`~deriv.meaning.domains.member_conditions`), as the chain
    checker records it: a form of ``\\frac{x_i^2 y_j}{x_i}`` is no form of it where ``x_i = 0``."""
    return member_conditions(builder.conditions | written_definitions(expr, context.definitions), expr, builder.sum_limits)


def _gradients(expr: Expr, context: Context) -> dict:
    """``[dL/dY]_{i,m}`` entries (a one-letter scalar by an entry of a matrix) -> (stand-in, LaTeX, shape).

    The matrix of such entries takes part in the search (and in SymPy's
    conversion) under a stand-in name, printed as ``\\frac{\\partial L}{\\partial Y}``.
    """
    found: dict = {}
    names: dict[tuple[str, str], str] = {}
    for node in sympy.preorder_traversal(expr):
        if not (isinstance(node, Partial) and isinstance(node.body, Symbol) and len(str(node.body)) == 1
                and isinstance(node.var, Indexed) and len(node.var.indices) == 2):
            continue
        matrix = base_name(node.var)
        shape = context.shape_of(matrix)
        if shape is not None:
            name = names.setdefault((str(node.body), matrix), f"Dd{len(names)}")
            found[node] = (name, rf"\frac{{\partial {node.body}}}{{\partial {matrix}}}", tuple(shape))
    return found


def _is_matrix(context: Context, name: str) -> bool:
    declared = context.declared.get(name)
    return declared is not None and declared.kind != "scalar" and not declared.is_function


# -- verification ---------------------------------------------------------------------
def _verify(candidate: str, given: _Input, context: Context, session: Session, seed: int) -> Verdict:
    """The engine's verdict on ``entry(candidate) = input``; ``ERROR`` when it does not fit."""
    try:
        with time_budget(CANDIDATE_TIMEOUT):
            builder = Builder(context)
            value = builder.build(_member(candidate))
            if value.shape != given.shape:
                return Verdict.ERROR
            if value.is_scalar:
                expr = value.expr
            else:
                row, col = (list(given.indices) + [sympy.S.Zero, sympy.S.Zero])[:2]
                expr = value.entry(row, col)
            expr, _ = builder.finish(expr, {})
            ranges = dict(zip(given.indices, given.shape))
            domains = domains_of((given.conditions, _conditions(builder, expr, context)), context, ranges)
            return decide_equal(given.expr, expr, context, ranges, seed=seed, session=session, domains=domains).verdict
    except (DerivError, StepTimeout, RecursionError):
        return Verdict.ERROR


# -- candidates -----------------------------------------------------------------------
def _candidates(given: _Input, context: Context) -> Iterator[str]:
    # Our own search first, simplest first: SymPy's conversion costs more
    # than the whole search (it imports and runs the assumptions system),
    # so it is asked only when nothing simpler was proved.  With an inverse,
    # a determinant, a power or a derivative not worked out in the input the
    # chains come first: the search has none of them, and SymPy has none of
    # our arguments (it is not asked: a slow failure).
    if given.written is not None:  # written as an entry of a matrix expression: that expression, as written
        yield given.written
    chains = _chains(given, context)
    ours = given.stand_in.has(*MATRIX_FUNCTIONS, MatrixPower, Partial)
    if ours:
        yield from (given.printed(c) for c in chains)
        chains = iter(())
    for candidate in itertools.chain(_search(given), _with_vectors(given, context)):
        yield given.printed(candidate)
    found = None if ours else _from_sympy(given, context)
    if found is not None:
        yield given.printed(found)
    yield from (given.printed(c) for c in chains)


def _chains(given: _Input, context: Context) -> Iterator[str]:
    """The input read as sums of matrix chains (:mod:`deriv.diagnose.index_chains`), lazily."""
    def shape_of(name: str):
        return given.shapes.get(name) or context.shape_of(name)
    expr = given.stand_in
    if expr.has(Partial):  # a derivative written, not worked out (d det X / dX_{m,n}): worked out by rule
        try:
            expr = evaluate_partials(expr, context)
        except (DerivError, RecursionError):
            return
    try:
        forms = list(chain_forms(expr, given.indices, given.shape, shape_of, context.symmetric_names()))
    except Exception:  # noqa: BLE001 - a proposal is extra: the search goes on without it
        swallowed("the matrix-chain reading")
        return
    yield from forms


def _from_sympy(given: _Input, context: Context) -> str | None:
    """SymPy's proposal, as LaTeX, or ``None`` when it has none (or one we cannot print)."""
    from sympy.tensor.array.expressions import (
        convert_array_to_matrix,
        convert_indexed_to_array,
    )

    def as_matrix_entry(entry: Indexed) -> Expr:
        name = base_name(entry)
        if name not in given.shapes:
            raise _Unprintable(name)
        rows, cols = given.shapes[name]
        subscripts = list(entry.indices) + [sympy.S.Zero] * (2 - len(entry.indices))
        return MatrixSymbol(name, rows, cols)[subscripts[0], subscripts[1]]

    try:
        expr = given.stand_in.replace(lambda e: isinstance(e, Indexed), as_matrix_entry)
        array = convert_indexed_to_array(expr, first_indices=list(given.indices))
        return to_latex(convert_array_to_matrix(array))
    except (_Unprintable, IndexError):
        # SymPy's answer has no LaTeX of ours (an ArrayElement), or its converter fails on an
        # index in three factors (IndexError in array_expressions): SymPy has no proposal
        return None
    except Exception:  # noqa: BLE001 - SymPy's machinery fails in many ways; the search goes on
        swallowed("the matrix-form search")
        return None


def _search(given: _Input) -> Iterator[str]:
    """One matrix, its trace, and products / Hadamard products of two, with transposes.

    A candidate whose shape can be seen not to fit is not yielded: parsing
    and building it only to reject it costs more than deciding the ones
    that fit.  The filter can only drop candidates (each yielded one is
    still built and decided).
    """
    names, target = given.names, given.shape

    def shape(name: str, transposed: str) -> tuple | None:
        found = given.shapes.get(name)
        if found is None or len(found) != 2:
            return None
        return (found[1], found[0]) if transposed else tuple(found)

    def may_fit(found: tuple | None) -> bool:
        return found is None or found == target

    for a in names:
        if may_fit(shape(a, "")):
            yield a
        if may_fit(shape(a, "^T")):
            yield f"{a}^T"
        yield rf"\operatorname{{tr}}({a})"
    for a, b in product(names, repeat=2):
        for ta, tb in product(("", "^T"), repeat=2):
            sa, sb = shape(a, ta), shape(b, tb)
            if sa is None or sb is None or (sa[1] == sb[0] and (sa[0], sb[1]) == target):
                yield f"{a}{ta} {b}{tb}"
            if may_fit(sa) and may_fit(sb):
                yield rf"{a}{ta} \circ {b}{tb}"


def _with_vectors(given: _Input, context: Context) -> Iterator[str]:
    """``\\operatorname{diag}(v)``, alone or scaling the rows or columns of a matrix, and ``a^T B c``."""
    vectors = [n for n in given.names if n in context.declared and context.declared[n].kind == "vector"]
    matrices = [n for n in given.names if n not in vectors]
    for v in vectors:
        yield rf"\operatorname{{diag}}({v})"
        for b in matrices:
            yield rf"\operatorname{{diag}}({v}) {b}"
            yield rf"{b} \operatorname{{diag}}({v})"
            yield rf"\operatorname{{diag}}({v}) {b}^T"
            yield rf"{b}^T \operatorname{{diag}}({v})"
    for a, c in product(vectors, repeat=2):
        for b in matrices:
            yield f"{a}^T {b} {c}"
            yield f"{a}^T {b}^T {c}"


class _Unprintable(Exception):
    """A matrix expression with no LaTeX in deriv's notation."""


def to_latex(expr: Expr) -> str:
    """A SymPy matrix expression in the LaTeX deriv reads (``G^T X``, ``(Y - T)^T X``)."""
    from sympy import HadamardProduct, MatAdd, MatMul, Trace, Transpose

    expr = _factor_transpose(expr)
    if isinstance(expr, MatrixSymbol):
        return str(expr.name)
    if isinstance(expr, Transpose):
        return _atom(expr.arg) + "^T"
    if isinstance(expr, Trace):
        return rf"\operatorname{{tr}}({to_latex(expr.arg)})"
    if isinstance(expr, MatMul):
        coefficient, factors = expr.as_coeff_matrices()
        text = " ".join(_factor(f) for f in factors)
        if coefficient == 1:
            return text
        if coefficient == -1:
            return "-" + text
        if coefficient.is_Rational or coefficient.is_Symbol:
            return f"{sympy.latex(coefficient)} {text}"
        raise _Unprintable(str(coefficient))
    if isinstance(expr, MatAdd):
        terms = sorted(expr.args, key=_is_negative)
        text = to_latex(terms[0])
        for term in terms[1:]:
            part = to_latex(term)
            text += f" - {part[1:]}" if part.startswith("-") else f" + {part}"
        return text
    if isinstance(expr, HadamardProduct):
        return r" \circ ".join(_factor(f) for f in expr.args)
    raise _Unprintable(type(expr).__name__)


def _is_negative(term: Expr) -> bool:
    return term.could_extract_minus_sign()


def _factor_transpose(expr: Expr) -> Expr:
    """``Y^T - T^T`` as ``(Y - T)^T``: a sum whose every term is transposed."""
    from sympy import MatAdd, MatMul, Transpose

    if not isinstance(expr, MatAdd):
        return expr
    inner = []
    for term in expr.args:
        coefficient, factors = term.as_coeff_matrices() if isinstance(term, MatMul) else (1, [term])
        if len(factors) != 1 or not isinstance(factors[0], Transpose):
            return expr
        inner.append(coefficient * factors[0].arg)
    return Transpose(MatAdd(*inner))


def _atom(expr: Expr) -> str:
    text = to_latex(expr)
    return text if isinstance(expr, MatrixSymbol) else f"({text})"


def _factor(expr: Expr) -> str:
    from sympy import HadamardProduct, MatAdd

    expr = _factor_transpose(expr)
    text = to_latex(expr)
    return f"({text})" if isinstance(expr, (MatAdd, HadamardProduct)) else text
