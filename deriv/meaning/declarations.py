"""Front matter -> :class:`~deriv.context.Context`: shapes, sizes, definitions.

Definitions are LaTeX equations (``Y = X W^T + B``, ``B_{i,j} = b_j``,
``L = g(Y)``); they are built in dependency order, so they may be written
in any order, and a cycle (also ``s_i = s_i + 1``) is an error naming it.
Each is built under the caller's time budget (``budget``, a context
manager that raises a :class:`~deriv.errors.DerivError` when time runs out),
so a slow definition is an error on its own line, like a slow step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext

from sympy import Expr, Symbol

from deriv.context import (
    ONE,
    Context,
    Declared,
    Definition,
    definition_params,
    shape_text,
)
from deriv.errors import DerivError, FrontMatterError, MeaningError
from deriv.read.frontmatter import Declaration, Equation, FrontMatter
from deriv.ir import free_indices, size
from deriv.latex import ast
from deriv.meaning.builder import Builder
from deriv.meaning.domains import definition_conditions
from deriv.meaning.assumptions import build_constraint
from deriv.meaning.conventions import conventional_functions
from deriv.names import Kind
from deriv.meaning.subscripts import subscript_indices
from deriv.meaning.positions import length_problem, written_length
from deriv.read.kinds import size_names as names_of
from deriv.latex.lexicon import Lexicon
from deriv.latex.parser import parse_display
from deriv.meaning.defined_names import defined_names, names_in
from deriv.meaning.scripted import two_readings
from deriv.meaning.recurrences import build_recurrence, split_recurrences


def declared_shape(declaration: Declaration) -> tuple[Expr, Expr]:
    """``(rows, cols)`` of a declaration (``(N, 1)`` for vectors); a length written from
    sizes must be at least 1 at every size."""
    sizes = [written_length(s) for s in declaration.sizes]
    problem = next(filter(None, map(length_problem, sizes)), None)
    if problem:
        raise MeaningError(f"'{declaration.name}': {problem}")
    if (declaration.kind in (Kind.MATRIX, Kind.SYMMETRIC, Kind.VECTOR)
            and all(s == ONE for s in sizes)):
        raise MeaningError(one_by_one_declaration(declaration.name, declaration.kind))
    if declaration.kind in (Kind.MATRIX, Kind.SYMMETRIC):
        return sizes[0], sizes[1]
    if declaration.kind == Kind.IDENTITY:
        return sizes[0], sizes[0]
    if declaration.kind in (Kind.VECTOR, Kind.ONES):
        return sizes[0], ONE
    return ONE, ONE


def one_by_one_declaration(name: str, kind: Kind) -> str:
    """Why a vector or matrix of numeric size 1 x 1 is refused: deriv's values are scalars
    there, so ``|Z|`` would be the absolute value where the declaration says determinant,
    ``Z^{-1}`` a reciprocal with its own domain, and ``Z_{1,1}`` no entry at all."""
    if kind == Kind.VECTOR:
        return f"'{name}': a vector of length 1 is read as a scalar (it has no entry {name}_1 to select): declare '{name}: scalar'"
    return (f"'{name}': a 1 x 1 matrix is read as a scalar (|{name}| would be its absolute value, not its "
            f"determinant, and it has no entry {name}_{{1,1}} to select): declare '{name}: scalar'")


def add_size_names(size_names: list[str], lengths: tuple[str, ...]) -> None:
    """Add the size names ``lengths`` use (``M+K-1``: ``M``, ``K``) that are not yet listed."""
    size_names.extend(n for length in lengths for n in names_of(length) if n not in size_names)


def _declare(context: Context, declaration: Declaration, path: str | None) -> None:
    """Put one front matter declaration in ``context`` (``k: positive integer`` is a size only)."""
    if declaration.kind == Kind.COUNT:
        return
    try:
        shape = declared_shape(declaration)
    except MeaningError as error:
        raise FrontMatterError(error.message, path=path, line=declaration.line) from None
    context.declared[declaration.name] = Declared(
        declaration.name, declaration.kind, shape, declaration.line, declaration.of, declaration.positive,
        family=declaration.family,
    )


def _definition_error(equation, error: DerivError, path: str | None) -> FrontMatterError:
    """The error of a definition, on its line; one that ran out of time keeps its verdict
    (a timeout, not an error of the text)."""
    wrapped = FrontMatterError(f"definition {_clip(equation.latex)!r}: {error.message}", path=path, line=equation.line)
    if hasattr(error, "verdict"):
        wrapped.verdict = error.verdict  # type: ignore[attr-defined]
    return wrapped


def build_context(
    front: FrontMatter, path: str | None = None, budget: Callable[[], AbstractContextManager] = nullcontext,
    math: Iterable[str] = (),
) -> Context:
    """The context a document's front matter declares; each definition built within ``budget()``.
    ``math``: the rest of the document's math, which tells whether ``\\sigma`` is the logistic
    function (:mod:`deriv.meaning.conventions`)."""
    context = Context()
    size_names: list[str] = []
    for declaration in front.symbols:
        _declare(context, declaration, path)
        add_size_names(size_names, declaration.sizes)
    for index_range in front.indices:
        if index_range.size not in size_names:
            raise FrontMatterError(
                f"index {index_range.name} ranges over {index_range.size}, which no declaration uses as a size",
                path=path, line=index_range.line,
            )
        context.index_ranges[index_range.name] = size(index_range.size)
    context.sizes = tuple(size(s) for s in size_names)
    lexicon = Lexicon.of((*context.declared, *defined_names(front.definitions, context.declared, front.macros)), front.macros)
    recurring, plain = split_recurrences(front.definitions, context, lexicon)
    ordered = _in_dependency_order(plain, context, path, lexicon)
    written = (*math, *(e.latex for e in (*front.definitions, *front.assumptions)), *(m.body for m in front.macros))
    context.declared.update(conventional_functions(context, (name for _, (name, _, _) in ordered), written))
    for equation, (name, lhs, rhs) in ordered:
        try:
            if (ambiguous := two_readings(name, context)) is not None:
                raise MeaningError(ambiguous)
            with budget():
                context.definitions[name] = _definition(name, lhs, rhs, context, equation.line)
        except DerivError as error:
            raise _definition_error(equation, error, path) from None
        except RecursionError:
            raise FrontMatterError(f"definition {_clip(equation.latex)!r}: expression nested too deeply",
                                   path=path, line=equation.line) from None
    for equation, name, lhs, rhs in recurring:  # after the definitions their right sides may use
        try:
            if name in context.recurrences or name in context.definitions:
                raise MeaningError(f"{name} is defined twice")
            with budget():
                context.recurrences[name] = build_recurrence(name, lhs, rhs, context, equation.line)
        except DerivError as error:
            raise FrontMatterError(f"definition {_clip(equation.latex)!r}: {error.message}", path=path, line=equation.line) from None
    for assumption in front.assumptions:
        with budget():
            _check_assumption(assumption, context, path, lexicon)
    for declared in context.declared.values():
        if declared.of is not None:
            of_shape = context.shape_of(declared.of)
            if of_shape is None or ONE in of_shape or context.declared.get(declared.of, declared).is_function:
                raise FrontMatterError(
                    f"{declared.name}: {declared.kind} of {declared.of}, but {declared.of} is not a declared or defined matrix",
                    path=path, line=declared.line,
                )
    return context


def _check_assumption(assumption: Equation, context: Context, path: str | None, lexicon: Lexicon) -> None:
    """An assumption must be a relation the engine can use; it is kept in index form."""
    try:
        context.assumptions.append(build_constraint(assumption.latex, context, assumption.line, lexicon))
    except DerivError as error:
        raise FrontMatterError(f"assumption {_clip(assumption.latex)!r}: {error.message}", path=path, line=assumption.line) from None


def _clip(latex: str, width: int = 80) -> str:
    """LaTeX for a message, cut short: a long definition should not swamp it."""
    return latex if len(latex) <= width else latex[: width - 3] + "..."


def _split(equation: Equation, path: str | None, lexicon: Lexicon) -> tuple[str, ast.Node, ast.Node]:
    try:
        chain, _ = parse_display(equation.latex, lexicon)
    except DerivError as error:
        raise FrontMatterError(f"definition {_clip(equation.latex)!r}: {error.message}", path=path, line=equation.line) from None
    if chain.leading or chain.relations != ("=",):
        raise FrontMatterError(
            f"definition {_clip(equation.latex)!r} must have the form NAME = expression", path=path, line=equation.line
        )
    lhs, rhs = chain.members
    target = lhs.base if isinstance(lhs, ast.Scripted) and lhs.sup is None and not lhs.transpose else lhs
    if isinstance(target, ast.Prime):  # y' = ...: the name y'
        target = ast.Name(target.base.name + "'" * target.order, target.column)
    if not isinstance(target, ast.Name):
        raise FrontMatterError(
            f"definition {_clip(equation.latex)!r}: the left side must be a name or an entry such as B_{{i,j}}",
            path=path, line=equation.line,
        )
    return target.name, lhs, rhs


def _in_dependency_order(equations, context: Context, path: str | None, lexicon: Lexicon):
    """The definitions, each after the definitions it uses."""
    split = [(eq, _split(eq, path, lexicon)) for eq in equations]
    by_name: dict[str, tuple] = {}
    for equation, parts in split:
        name = parts[0]
        if name in by_name:
            raise FrontMatterError(f"{name} is defined twice", path=path, line=equation.line)
        declared = context.declared.get(name)
        if declared is not None and declared.is_function:
            raise FrontMatterError(f"{name} is declared as a function and can not be defined", path=path, line=equation.line)
        by_name[name] = (equation, parts)
    uses = {name: sorted(names_in(parts[2]) & set(by_name)) for name, (_, parts) in by_name.items()}
    ordered: list[tuple] = []
    done: set[str] = set()
    for start in by_name:
        # Depth first without recursion: a long chain of definitions is no
        # reason to overflow the stack.  ``path`` is the chain being visited.
        path_: list[tuple[str, int]] = [(start, 0)] if start not in done else []
        while path_:
            name, position = path_[-1]
            if position < len(uses[name]):
                path_[-1] = (name, position + 1)
                used = uses[name][position]
                chain = [n for n, _ in path_]
                if used in chain:
                    raise _cycle(chain[chain.index(used):], by_name, path)
                if used not in done:
                    path_.append((used, 0))
                continue
            path_.pop()
            done.add(name)
            ordered.append(by_name[name])
    return ordered


def _cycle(names: list[str], by_name: dict, path: str | None) -> FrontMatterError:
    """The error for definitions that refer to themselves, on the first one's line."""
    equation = by_name[names[0]][0]
    if len(names) == 1:
        return FrontMatterError(f"definition of {names[0]} refers to {names[0]} itself", path=path, line=equation.line)
    lines = ", ".join(f"{n} (line {by_name[n][0].line})" for n in names)
    return FrontMatterError(f"definitions refer to each other in a cycle: {' -> '.join(names + names[:1])}; "
                            f"defined at {lines}", path=path, line=equation.line)


def inferred_shape(name: str, indices, rhs, builder: Builder, known) -> tuple:
    """The shape an undeclared ``name_{i}`` / ``name_{i,j}`` takes from the
    ranges its indices have on the right side (``s_i = exp(z_i)/...``:
    ``z``'s length); an index the right side does not fix is an error."""
    if len(indices) not in (1, 2) or not rhs.is_scalar:
        raise MeaningError(f"declare {name} under symbols: to define its entries")
    _, free = builder.finish(rhs.expr, known)
    extents = [free.get(symbol.name) for symbol in indices]
    if any(e is None for e in extents):
        raise MeaningError(f"the right side does not fix the range of every index of {name}: "
                           f"declare {name} under symbols: to define its entries")
    return (extents[0], ONE) if len(extents) == 1 else tuple(extents)


def _definition(name: str, lhs: ast.Node, rhs_node: ast.Node, context: Context, line: int) -> Definition:
    builder = Builder(context)
    rhs = builder.build(rhs_node)
    known = {n: (r, "front matter indices") for n, r in context.index_ranges.items()}
    declared_shape_ = context.declared[name].shape if name in context.declared else None
    if isinstance(lhs, ast.Scripted):
        indices = subscript_indices(lhs.sub or ())
        if declared_shape_ is None:
            declared_shape_ = inferred_shape(name, indices, rhs, builder, known)
        for symbol in indices:
            builder.check_index_name(symbol.name)
        if len(set(indices)) != len(indices):
            raise MeaningError(f"the left side {name}_{{...}} repeats an index: each entry index must be a different name")
        extents = (declared_shape_[0],) if declared_shape_[1] == ONE else declared_shape_
        if len(indices) != len(extents):
            raise MeaningError(f"{name} is {shape_text(declared_shape_)}: its entries take {len(extents)} indices")
        for symbol, extent in zip(indices, extents):
            builder.uses.use(symbol.name, extent, f"{name}_{{...}} on the left")
        if not rhs.is_scalar:
            raise MeaningError(f"the entry {name}_{{...}} is a scalar, but the right side is {rhs.describe()}")
        body, _ = builder.finish(rhs.expr, known)
        stray = free_indices(body) - set(indices)
        if stray:
            raise MeaningError(f"indices {', '.join(sorted(map(str, stray)))} on the right side are not on the left")
        entry_params = definition_params(len(indices))
        bits = builder.magnitudes.check(body, "this definition")
        conditions = definition_conditions(builder.conditions, body, tuple(indices), entry_params, context.definitions)
        return Definition(name, entry_params, body.xreplace(dict(zip(indices, entry_params))), declared_shape_, line,
                          bits, conditions, _notes(name, builder))
    shape = rhs.shape
    if declared_shape_ is not None and declared_shape_ != shape:
        raise MeaningError(f"{name} is declared {shape_text(declared_shape_)} but defined as {rhs.describe()}")
    params: tuple[Symbol, ...]
    if rhs.is_scalar:
        params = ()
        body = rhs.expr
    elif rhs.cols == ONE:
        params = definition_params(1)
        body = rhs.entry(params[0], 0)
    else:
        params = definition_params(2)
        body = rhs.entry(*params)
    body, _ = builder.finish(body, known)
    stray = free_indices(body) - set(params)
    if stray:
        raise MeaningError(f"free indices {', '.join(sorted(map(str, stray)))} on the right side of a definition")
    conditions = definition_conditions(builder.conditions, body, params, params, context.definitions)
    return Definition(name, params, body, shape, line, builder.magnitudes.check(body, "this definition"), conditions,
                      _notes(name, builder))


def _notes(name: str, builder: Builder) -> tuple[str, ...]:
    """The broadcasts the definition of ``name`` was read with, as a step using it states them."""
    return tuple(f"in the definition of {name}, {note}" for note in builder.broadcasts)
