"""The symbols of a caller's SymPy expression, held to what deriv reads their names as.

In: a SymPy expression given to the library (:func:`deriv.decide`, a SymPy member of
:class:`deriv.Derivation`) and the declarations.  Out: nothing, or a
:class:`~deriv.errors.MeaningError` naming the first symbol that is not the name deriv reads
(a :class:`ValueError` for a member whose printed LaTeX a document would read otherwise).

SymPy evaluates an expression while it is made, with its symbols' assumptions: with
``x = Symbol('x', positive=True)``, ``sqrt(x**2)`` is ``x`` before deriv sees it, and with a
positive index ``i``, ``KroneckerDelta(i, 0)`` is ``0``.  deriv matches symbols by name, so
such a side would be decided as the simplified one, true of the caller's symbol but not of
the declared real scalar ``x`` or of an index that can be 0: a false step proved.  So a
symbol may carry only facts that hold of what deriv reads its name as (a declared scalar:
real, positive if declared so; a size: a positive integer; any other name: an integer), an
``IndexedBase`` only facts its declared entries have, an ``Idx`` only the range deriv gives
it; and a ``Dummy`` or ``Wild`` is never the declared name its text spells.  An entry's index
in :func:`deriv.decide` is an index (not a declared name, a fraction or past the ends); a
member printed for a document, which counts from 1, uses its indices only where entries,
deltas and sums take them, and names a document reads as those names.
"""

from __future__ import annotations

import re

import sympy
from sympy import Basic, Idx, Indexed, IndexedBase, KroneckerDelta, Sum, Symbol
from sympy.core.assumptions import _assume_defined
from sympy.core.function import AppliedUndef
from sympy.matrices.expressions.matexpr import MatrixElement, MatrixExpr, MatrixSymbol

from deriv.context import Context, Declared
from deriv.errors import MeaningError
from deriv.ir import size
from deriv.names import GREEK, Kind


def check_caller_symbols(expr: Basic, context: Context) -> None:
    """A MeaningError unless every symbol in ``expr`` is one deriv reads as the caller made it."""
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, IndexedBase):
            _check_base(node, context)
            continue  # its label is the array's name, not a scalar's
        if isinstance(node, Symbol):
            _check_symbol(node, context)
        elif isinstance(node, AppliedUndef):
            _check_function(node, context)
        elif isinstance(node, Idx):
            _check_range(node)
        elif isinstance(node, Sum):
            _check_limits(node)
        elif isinstance(node, MatrixSymbol):
            _check_shape(node, context)
        elif isinstance(node, MatrixExpr) and not isinstance(node, MatrixElement):
            raise MeaningError(f"the SymPy matrix expression {node} is not read: give "
                               "entries of declared matrices (A[i, j], with sums written out) or the step in LaTeX")
        stack.extend(node.args)


#: A name a document reads as that one name: a letter with a subscript of letters or digits, or a
#: Greek letter's (printed as its command).  ``xy`` or ``x1`` would be read as a product.
_ONE_NAME = re.compile(r"[A-Za-z](?:_(?:[A-Za-z0-9]|\{[A-Za-z0-9]+\}))?\Z")
#: Undeclared, a document reads these as a constant or the identity matrix, not as a symbol.
_READ_OTHERWISE = {"e": "Euler's number", "pi": "the number pi", "I": "the identity matrix"}


def check_printed_names(expr: Basic, declared: set[str]) -> None:
    """A SymPy member written into a document: a ValueError unless each symbol's printed name reads
    back as that name (``Symbol('xy')`` was printed ``xy``, read as x times y; ``Symbol('e')``
    undeclared ``e``, read as Euler's number)."""
    for constant, name in ((sympy.pi, "pi"), (sympy.E, "e"), (sympy.I, "i")):
        if expr.has(constant) and (name in declared or constant is sympy.I):
            raise ValueError(f"{constant} would be printed as {name}, which a document reads as "
                             f"{'the declared ' + name if name in declared else 'an index'}: write LaTeX")
    for symbol in sorted(expr.free_symbols | _bound(expr), key=str):
        name = str(symbol)
        if not isinstance(symbol, Symbol):
            continue
        if not (_ONE_NAME.match(name) or name in GREEK):
            raise ValueError(f"the symbol {name!r} would be printed as {name}, which a document does not read as one "
                             "name: name it a letter (with a subscript: x_1) or a Greek letter, or write LaTeX")
        if name in _READ_OTHERWISE and name not in declared:
            raise ValueError(f"the symbol {name} is not declared, and a document reads {name} as "
                             f"{_READ_OTHERWISE[name]}: declare it, or write LaTeX")


def _bound(expr: Basic) -> set:
    return {limit[0] for node in sympy.preorder_traversal(expr) if isinstance(node, Sum) for limit in node.limits}


def check_printed_indices(expr: Basic, sizes: set[str]) -> None:
    """A SymPy member written into a document (:class:`deriv.Derivation`): a ValueError unless its
    indices are bare index symbols, each used only where an entry or delta takes it or a sum
    binds it.  The member is printed 1-based (sums from 0 become sums from 1, a pure renaming of
    each index), which keeps its meaning only then: ``Sum(k, (k, 0, N - 1))`` (k's value) was
    printed ``\\sum_{k=1}^{N} k`` (one more for each k), ``A[0, 1]`` ``A_{0,1}``, and
    ``KroneckerDelta(k, 0)`` ``\\delta_{0,k}``, which no k from 1 meets."""
    positions = [p for node in sympy.preorder_traversal(expr) for p in _positions(node)]
    for position in positions:
        if not isinstance(position, (Symbol, Idx)) or str(getattr(position, "label", position)) in sizes:
            raise ValueError(f"an entry or delta at {position} is written in LaTeX, not SymPy: SymPy counts "
                             "from 0 and a document from 1, so only an index symbol is printed as it means")
    valued = _values(expr) & (set(positions) | _bound(expr))
    if valued:
        name = sorted(str(s) for s in valued)[0]
        raise ValueError(f"the index {name} is used as a value (or a sum's limit): SymPy counts it from 0 and a "
                         "document from 1, so write this member in LaTeX")


def _positions(node: Basic) -> tuple:
    if isinstance(node, Indexed):
        return node.indices
    if isinstance(node, MatrixElement):
        return (node.i, node.j)
    if isinstance(node, KroneckerDelta):
        return node.args[:2]
    return ()


def _values(node: Basic) -> set:
    """The symbols ``node`` uses as values: everywhere but where an entry or delta takes an index."""
    if _positions(node):
        return set()
    if isinstance(node, Sum):
        parts = [node.function, *(bound for limit in node.limits for bound in limit[1:])]
    else:
        parts = list(node.args)
    found = {node} if isinstance(node, Symbol) else set()
    return found.union(*(_values(part) for part in parts))


def check_index_extent(given: Basic, extent: sympy.Expr, where: str) -> None:
    """An ``Idx`` with a range used where deriv's index runs over ``0 .. extent - 1``: the same range."""
    if not isinstance(given, Idx) or given.upper is None:
        return
    upper = given.upper.xreplace({s: size(s.name) for s in given.upper.free_symbols if isinstance(s, Symbol)})
    if sympy.expand(upper + 1 - extent) != 0:
        raise MeaningError(f"index {given.label} runs from {given.lower} to {given.upper}, but in {where} it runs "
                           f"from 0 to {extent - 1}: give the Idx that range, or none")


def check_index_name(name: str, context: Context) -> None:
    """A name used as an index that is not a sum's variable: not a declared name or a size, which
    would be one thing where it is a value and another where it is an index (``A[x, 0] x``)."""
    if name in context.declared or name in {s.name for s in context.sizes}:
        what = "a size" if name not in context.declared else f"declared a {context.declared[name].kind.value}"
        raise MeaningError(f"{name} is {what}, not an index: an entry's index is an integer symbol of its own")


def check_index_count(name: str, declared: Declared, count: int) -> None:
    """``A[i, j]`` of a matrix, ``b[i]`` of a vector: as many indices as the declared array has
    (``A[i]`` or ``A[i, j, k]`` was read as another entry, or an entry out of range)."""
    if not declared.is_array or declared.kind == Kind.SCALAR:
        raise MeaningError(f"{name} is declared a {declared.kind.value}, which has no entries: write {name} itself")
    wanted = 1 if declared.kind == Kind.VECTOR or (declared.kind == Kind.ONES and declared.shape[1] == 1) else 2
    if count != wanted:
        raise MeaningError(f"{name} is declared a {declared.kind.value}: its entries take {wanted} "
                           f"ind{'ex' if wanted == 1 else 'ices'}, not {count}")


def check_entry_index(index: sympy.Expr, extent: sympy.Expr, where: str) -> None:
    """An entry's index as adopted: a whole number from 0 to ``extent - 1`` (decide's entries are
    numbered from 0) -- never a scalar, a fraction, or a number past the end: ``A[x, 0]`` or
    ``A[N, 0]`` is no entry, and its equality with itself no claim about one."""
    if index.is_integer is not True:
        raise MeaningError(f"{where}: the index {index} is not a whole number (an index is an integer symbol, "
                           "a number or a sum's variable)")
    if index.is_negative or (index - extent).is_nonnegative:
        raise MeaningError(f"{where}: the index {index} is past the ends 0 and {extent - 1} of the entries")


def _check_symbol(symbol: Symbol, context: Context) -> None:
    name = symbol.name
    if type(symbol) is not Symbol:  # Dummy, Wild: equal to no Symbol, so not the declared name
        raise MeaningError(f"{type(symbol).__name__}('{name}') is not the name {name}: use Symbol('{name}')")
    declared = context.declared.get(name)
    if declared is not None and declared.kind != Kind.SCALAR:
        raise MeaningError(f"{name} is declared a {declared.kind.value}, not a scalar: write its entries "
                           f"(IndexedBase('{name}')[i, j]) or declare it a scalar")
    if declared is not None:
        _require(symbol, _real(declared.positive), f"the declared scalar {name}")
    elif name in {s.name for s in context.sizes}:
        _require(symbol, size("_"), f"the size {name}")
    else:
        _require(symbol, Symbol("_", integer=True), f"the index {name}")


def _check_function(applied: AppliedUndef, context: Context) -> None:
    """``f(x)`` of ``Function('f')``: not a name declared as something else, and no facts its values
    lack (``Function('f', positive=True)``: ``Abs(f(x))`` is ``f(x)`` when made)."""
    name = applied.func.__name__
    declared = context.declared.get(name)
    if declared is not None and not declared.is_function:
        raise MeaningError(f"{name} is declared a {declared.kind.value}, not a function: {applied} is not it")
    _require(applied, _real(declared is not None and declared.positive), f"the values of the function {name}")


def _check_base(base: IndexedBase, context: Context) -> None:
    name = str(base.label)
    declared = context.declared.get(name)
    positive = declared is not None and declared.positive
    what = f"an entry of {name}"
    _require(base, _real(positive), what)
    if isinstance(base.label, Symbol):
        if type(base.label) is not Symbol:
            raise MeaningError(f"the array {name} is named by a {type(base.label).__name__}: use IndexedBase('{name}')")
        _require(base.label, _real(positive), what)


def _check_shape(matrix: MatrixSymbol, context: Context) -> None:
    """A ``MatrixSymbol`` has the declared shape (``MatrixSymbol('A', 2, 2)`` of an ``N x N`` A was
    read as the ``N x N`` one)."""
    declared = context.declared.get(str(matrix.name))
    if declared is None:
        return
    sizes = {s.name: s for s in context.sizes}
    shape = tuple(d.xreplace({s: sizes.get(s.name, s) for s in d.free_symbols if isinstance(s, Symbol)})
                  for d in matrix.shape)  # SymPy's own: made from the caller's numbers when it was
    if any(sympy.expand(a - b) != 0 for a, b in zip(shape, declared.shape)):
        raise MeaningError(f"MatrixSymbol {matrix.name} is {matrix.shape[0]} x {matrix.shape[1]}, but {matrix.name} "
                           f"is declared {declared.shape[0]} x {declared.shape[1]}")


def _check_range(given: Idx) -> None:
    if given.lower is not None and given.lower != 0:
        raise MeaningError(f"index {given.label} runs from {given.lower}: deriv's entries are numbered from 0 "
                           f"(decide's sums run from 0 to N - 1); give the Idx no range, or one from 0")


def _check_limits(total: Sum) -> None:
    for variable, lower, upper in total.limits:
        if isinstance(variable, Idx) and variable.upper is not None and (lower, upper) != (variable.lower, variable.upper):
            raise MeaningError(f"the sum over {variable.label} runs from {lower} to {upper}, but its Idx runs "
                               f"from {variable.lower} to {variable.upper}: give the Idx no range")


def _require(given: Basic, reference: Symbol, what: str) -> None:
    """Every fact SymPy knows of ``given`` holds of ``reference`` (what deriv reads it as)."""
    known = ((fact, getattr(given, f"is_{fact}")) for fact in sorted(_assume_defined))  # an applied Function's too
    wrong = [f"{k}={v}" for k, v in known if v is not None and getattr(reference, f"is_{k}") != v]
    if wrong:
        shown = sorted([f for f in wrong if not f.startswith("extended_")] or wrong, key=lambda f: f.endswith("False"))
        facts = ", ".join(shown[:3])
        raise MeaningError(f"{given} is made with {facts}, which does not hold of {what} as deriv reads it "
                           "(SymPy simplifies with it before deriv sees the expression): make it without")


def _real(positive: bool) -> Symbol:
    return Symbol("_", positive=True) if positive else Symbol("_", real=True)
