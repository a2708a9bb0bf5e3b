"""Give a parsed display meaning: syntax tree -> SymPy index expressions.

The builder looks every name up in the document's :class:`Context`,
checks shapes, records where each index is used (to infer ranges) and
produces :class:`~deriv.meaning.values.Value` objects whose entries are
index expressions.  Derivatives (:mod:`deriv.meaning.derivatives`) stay
unevaluated :class:`~deriv.ir.Partial` nodes: the engine decides what they are.

In: :mod:`deriv.latex.ast` nodes and a :class:`~deriv.context.Context`.
Out: :class:`~deriv.meaning.values.Value` objects; ``finish`` then fixes the
ranges of summed indices.

Bound indices are bound: every ``\\sum_k`` gets a fresh dummy symbol, and
the ``k`` its body writes is that dummy (inner sums shadow outer ones).  So
an entry index of the same name (``[\\sum_i x_i W]_{i,j}``), a free index
outside the sum, a derivative variable or a definition's parameter is never
captured, and each binding's range is inferred from its own uses only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import sympy
from sympy import Expr, Rational, Symbol

from deriv.context import ONE, Context
from deriv.errors import DerivError, MeaningError, UnsupportedError
from deriv.ir import (
    MatrixArg,
    OpaqueCall,
    elementwise,
    entry,
    fresh_index,
    substituted,
    sum_of,
)
from deriv.latex import ast
from deriv.latex.ast import visits
from deriv.names import KNOWN_FUNCTION_KINDS, SCALAR_FUNCTIONS, SLICE_KINDS, Kind
from deriv.meaning.conventions import unapplied
from deriv.meaning.domains import NONZERO, Condition, condition_at, visible
from deriv.meaning.read_domains import reading
from deriv.meaning.entrywise import apply_builtin, apply_builtin_derivative
from deriv.meaning import known, values as V
from deriv.meaning.applied_names import check_applied_definition
from deriv.meaning.broadcast import Broadcasts
from deriv.meaning.powers import check_power_before_entry, hadamard_quotient
from deriv.meaning.products import big_product
from deriv.meaning.scripted import free_script, script_letters, summed_script, two_readings
from deriv.meaning.derivatives import DerivativeRules
from deriv.meaning.differentials import DifferentialRules
from deriv.meaning.notation import NotationRules
from deriv.meaning.spelled import SpelledNames
from deriv.meaning.implicit import ImplicitShapes
from deriv.meaning.magnitude import Magnitudes
from deriv.meaning.index_values import closed_sum, free_index_value, index_value, subscript_names, unranged
from deriv.meaning.ranges import IndexUses, range_placeholder, unranged_message
from deriv.meaning.rewrite import extend_braced_sums
from deriv.meaning.entries import Entries
from deriv.meaning.literals import Literals, one_cell_in_bars
from deriv.meaning.inverses import check_inverse_after_entry, determinant, matrix_superscript
from deriv.meaning.kronecker import kronecker, vectorized
from deriv.meaning.family_ranges import infer_family_ranges

#: Syntax trees deeper than this are refused before recursion can overflow.
MAX_DEPTH = 400
_CLOSING = {"(": ")", "[": "]", "{": "}"}
#: Nodes whose value has the shape their surroundings require of them
#: (a shape hint for an implicit \mathbf{1} or I passes through them).
_KEEPS_SHAPE = (ast.Add, ast.Neg, ast.Group, ast.Hadamard, ast.Name, ast.Scripted, ast.Product)


def _located(error: DerivError, node: object) -> DerivError:
    column = getattr(node, "column", 0) or None
    return error.located(column=column)


class Builder(Entries, Literals, ImplicitShapes, SpelledNames, DerivativeRules, DifferentialRules, NotationRules, Broadcasts):
    """Builds the members of one chain under a document's context: each node class by the
    method marked ``@visits`` for it, here or in a mixin."""

    def __init__(self, context: Context, *, least_allowed: bool = False) -> None:
        self.context = context
        self.least_allowed = least_allowed  # w_2 reads as K >= 2 (a chain's member), else an error
        self.uses = IndexUses()
        self.magnitudes = Magnitudes(context)
        #: The dummy each summed index name stands for in the sum being built.
        self.scope: dict[str, Symbol] = {}
        self.depth = 0
        self.hint = None
        #: Declared scripted names built (``x_t``): their script's index must not be free.
        self.scripted_names: set[str] = set()
        self.accesses, self.intervals, self.bounded = [], {}, set()
        #: Where the member is defined, recorded before SymPy cancels (meaning/domains.py).
        self.conditions: set[Condition] = set()
        #: Names the members built write in subscripts, and those of them read as numbers (2 j x_j).
        self.subscripted: frozenset[str] = frozenset()
        self.valued: set[str] = set()
        #: The subexpressions whose conditions are in ``conditions`` already (not walked again).
        self._noted: set = set()
        #: The conditions of the defined names and recurrence members each entry read holds.
        self._reading = reading(context)
        #: The limits of every sum and product written, by its dummy: a condition on a summed
        #: index still holds at its every value once its sum is gone (``0 \sum_i 1/v_i``).
        self.sum_limits: dict[Symbol, tuple[Symbol, Expr, Expr]] = {}

    def quotient(self, a: V.Value, b: V.Value) -> V.Value:
        """``a / b``, its denominator recorded before SymPy cancels it."""
        if b.is_scalar:
            self.conditions.add(Condition(NONZERO, b.expr))
        return V.divide(a, b)

    def noted(self, value: V.Value) -> V.Value:
        """``value``, the denominators and radicands written in it (in each entry read
        of an array) recorded before SymPy can cancel them."""
        if value.is_scalar:
            self.conditions |= visible(value.expr, self._noted, self._met)
            return value

        def entry(i: Expr, j: Expr) -> Expr:
            self._every_entry(value, i, j)
            found = value.entry(i, j)
            self.conditions |= visible(found, self._noted, self._met)
            return found

        return replace(value, entry_function=entry)

    def _every_entry(self, value: V.Value, i: Expr, j: Expr) -> None:
        """An entry read at an index no sum binds yet -- a whole matrix's (``\\det(A \\oslash A)``: SymPy
        makes its entries 1), a product's -- has its conditions at every entry: that index's range."""
        for index, extent in ((i, value.rows), (j, value.cols)):
            if isinstance(index, Symbol) and index.name.startswith("_") and index not in self.sum_limits:
                self.sum_limits[index] = (index, sympy.S.Zero, extent - 1)

    def _met(self, node: sympy.Basic) -> set[Condition]:
        """What a node built says beyond its own conditions: a sum's limits (a trace's, a product's
        entry's, which no written sum records: ``0 \\operatorname{tr}(A \\oslash B)``), a defined name's."""
        if isinstance(node, (sympy.Sum, sympy.Product)):
            self.sum_limits.update((limit[0], tuple(limit)) for limit in node.limits)
            return set()
        return self._reading(node, self.sum_limits) if self._reading is not None else set()

    def walked(self) -> set:
        """The subtrees whose conditions :attr:`conditions` holds (with every subtree of
        theirs): :func:`~deriv.meaning.domains.member_conditions` need not walk them again."""
        return set(self._noted)

    def noted_entries(self, value: V.Value) -> V.Value:
        """``value``, each entry read recorded as a denominator (``X \\oslash Y``: the
        entry ``Y_{i,j}`` read is what must not be 0, not every entry)."""
        def entry(i: Expr, j: Expr) -> Expr:
            found = value.entry(i, j)
            self.conditions.add(Condition(NONZERO, found))
            return found

        return replace(value, entry_function=entry)

    # -- entry point ------------------------------------------------------------
    def build(self, node: ast.Node) -> V.Value:
        """The value of a syntax tree node."""
        method = self.visitor_of(node)
        if method is None:
            raise MeaningError(f"{type(node).__name__} is not allowed here", column=node.column or None)
        if self.depth >= MAX_DEPTH:
            raise MeaningError(f"expression nested too deeply (more than {MAX_DEPTH} levels)", column=node.column or None)
        if self.depth == 0:  # a member: where it writes free indices (meaning/index_values.py)
            self.subscripted |= subscript_names(node)
        self.depth += 1
        hint = self.hint
        if not isinstance(node, _KEEPS_SHAPE):
            self.hint = None  # the shape a sum's term must have is not its factors'
        try:
            return self.noted(method(node))
        except DerivError as error:
            _located(error, node)
            raise
        finally:
            self.depth -= 1
            self.hint = hint

    def finish(self, expr: Expr, known: Mapping[str, tuple[Expr, str]]) -> tuple[Expr, dict[str, Expr]]:
        """Replace summation-range placeholders; returns the expression and the
        ranges of its free indices (a dummy's range is its own binding's)."""
        self.magnitudes.check(expr)
        known = dict(known)
        for dummy, name in self.uses.display.items():
            if name in self.context.index_ranges:
                known[dummy] = (self.context.index_ranges[name], "front matter indices")
        known.update(self._family_ranges(known))
        ranges = self.uses.resolve(known)
        replacements = {range_placeholder(n): r for n, r in ranges.items()}
        # Placeholders are never summation variables, so every one of them is free:
        # the symbols of the tree are found without SymPy's (costly) free-symbol rules.
        unresolved = {
            s for s in expr.atoms(Symbol) if s.name.startswith("_range_") and s not in replacements
        }
        if unresolved:
            raise MeaningError(unranged_message([self.uses.shown(str(s)[len("_range_"):]) for s in unresolved]))
        self.check_positions(ranges, expr)
        if (problem := unranged(self.valued, ranges)) is not None:
            raise MeaningError(problem)
        self.sum_limits = {d: tuple(substituted(x, replacements) for x in limit) for d, limit in self.sum_limits.items()}
        # A condition in a sum without bounds (\sqrt{\sum_i v_i}) holds the placeholder too: else dropped
        self.conditions = {condition_at(c, replacements) for c in self.conditions}
        free = {n: r for n, r in ranges.items() if n not in self.uses.display}
        for name in sorted(self.scripted_names):
            problem = free_script(name, frozenset(free) & frozenset(self.uses.mentioned))
            if problem:
                raise MeaningError(problem)
        return substituted(expr, replacements), free

    def _family_ranges(self, known: Mapping[str, tuple[Expr, str]]) -> dict[str, tuple[Expr, str]]:
        """Free indices written only in families' members (:mod:`deriv.meaning.family_ranges`)."""
        linked = {name for link in self.uses.links for name in link[:2]}
        skip = set(known) | set(self.uses.uses) | linked | set(self.uses.display) \
            | {s.name for s in (*self.intervals, *self.bounded, *self.sum_limits)}
        return infer_family_ranges(self.accesses, skip, set(self.context.recurrences),
                                   frozenset(self.context.sizes), self.uses.display)

    # -- leaves -------------------------------------------------------------------
    @visits(ast.Number)
    def _build_number(self, node: ast.Number) -> V.Value:
        return V.scalar(Rational(node.text), node.text)

    @visits(ast.Name)
    def name_value(self, node: ast.Name) -> V.Value:
        """The value a bare name stands for (a declared, defined or size name)."""
        name = node.name
        implicit = self.implicit(node)
        if implicit is not None:
            return self.implicit_from_hint(*implicit, self.hint)
        declared = self.context.declared.get(name)
        ambiguous = (
            two_readings(name, self.context) or summed_script(name, frozenset(self.scope))
            if declared is not None or name in self.context.definitions else None
        )
        if ambiguous:
            raise MeaningError(ambiguous)
        if declared is not None and script_letters(name):
            self.scripted_names.add(name)
        if declared is not None and declared.is_function:
            raise MeaningError(unapplied(declared))
        if declared is not None and declared.of is not None:
            raise MeaningError(f"{name} stands for the {declared.kind} of {declared.of}: write {name}_i for one of them")
        if declared is not None and declared.family is not None:
            raise MeaningError(self.family_text(name) + f": write a member, as in {name}_{declared.family.index}")
        if name in self.context.definitions:
            definition = self.context.definitions[name]
            rows, cols = definition.shape
            if rows == ONE and cols == ONE:
                self.conditions |= definition.conditions  # kept where SymPy cancels the name (w - w)
                return V.scalar(Symbol(name), name)
            if cols == ONE:
                return V.matrix(rows, cols, lambda i, j: entry(name, i), name)
            return V.matrix(rows, cols, lambda i, j: entry(name, i, j), name)
        if declared is not None:
            rows, cols = declared.shape
            return V.matrix(rows, cols, declared.entry, name) if (rows, cols) != (ONE, ONE) else V.scalar(declared.entry(0, 0), name)
        counted = self._counted(name)
        if counted is not None:
            return counted
        constant = self._constant_or_index(node)
        if constant is not None:
            return constant
        written = f"\\{node.font}{{{name}}}" if node.font else name
        raise MeaningError(f"unknown name {written}: declare it under symbols: or define it")

    @visits(ast.Group)
    def _build_group(self, node: ast.Group) -> V.Value:
        inner = self.build(node.body)
        # Braces are invisible in print; only real brackets show in messages.
        return inner if node.bracket == "{" else inner.with_text(f"{node.bracket}{inner.text}{_CLOSING[node.bracket]}")

    # -- operators ----------------------------------------------------------------
    @visits(ast.Add)
    def _build_add(self, node: ast.Add) -> V.Value:
        self.check_operator_scope(node)
        result: V.Value | None = None
        values = self.shaped_operands([term for _, term in node.terms])
        for (sign, _), value in zip(node.terms, values):
            if result is None:
                result = value if sign > 0 else V.negate(value)
            else:
                result = self.summed(result, value, sign)
        assert result is not None
        return result

    @visits(ast.Neg)
    def _build_neg(self, node: ast.Neg) -> V.Value:
        return V.negate(self.build(node.body))

    @visits(ast.Hadamard)
    def _build_hadamard(self, node: ast.Hadamard) -> V.Value:
        operands = self.shaped_operands([node.left, node.right])
        if node.divide:
            return hadamard_quotient(operands[0], self.noted_entries(operands[1]))
        return V.hadamard(*operands)

    @visits(ast.Kronecker)
    def _build_kronecker(self, node: ast.Kronecker) -> V.Value:
        return kronecker(self.build(node.left), self.build(node.right))

    def product_value(self, node: ast.Product) -> V.Value:
        """A product's value (built through :meth:`ImplicitShapes._build_product`)."""
        node = extend_braced_sums(node)
        result: V.Value | None = None
        ops = ("",) + tuple(node.ops)
        hint, self.hint = self.hint, None
        ahead: dict[int, V.Value] = {}  # factors built early, to size an implicit one
        for position, (factor, op) in enumerate(zip(node.factors, ops)):
            request = self.derivative_request(factor)
            operator = request is not None and request[0] is None
            if request is not None and request[0] is None:
                rest = node.factors[position + 1 :]
                if not rest:
                    raise MeaningError("\\frac{\\partial}{\\partial ...} must be followed by what it differentiates")
                operand = rest[0] if len(rest) == 1 else ast.Product(rest, tuple(node.ops[position + 1 :]), rest[0].column)
                value = self.differentiate(self.build(operand), request[1])
            elif (implicit := self.implicit(factor)) is not None:
                value = self.implicit_factor(*implicit, result, self._ahead(node, position + 1, ahead), hint)
            else:
                value = ahead.pop(position) if position in ahead else self.build(factor)
            if result is None:
                result = value
            elif op == "/":
                result = self.quotient(result, value)
            else:
                result = V.multiply(result, value)
            if operator:
                break
        assert result is not None
        return result

    @visits(ast.BigSum)
    def _build_bigsum(self, node: ast.BigSum) -> V.Value:
        if node.product:
            return big_product(self, node)
        outer = dict(self.scope)
        limits = []
        for spec in node.indices:
            self.check_index_name(spec.name)
            # Bounds are read outside the sum: its own index is not bound there.
            dummy = fresh_index(spec.name)
            limits.append(self.sum_limit(spec, dummy))
            self.scope[spec.name] = dummy
        try:
            body = self.build(node.body)
        finally:
            self.scope = outer
        if body.is_scalar:
            lows = {d: limit[1] for d, limit in self.sum_limits.items()}
            return V.scalar(closed_sum(body.expr, limits, lows), f"\\sum {body.text}")
        # The body's dummies are fresh, so the entry indices i, j can not be captured.
        return V.matrix(body.rows, body.cols, lambda i, j: sum_of(body.entry(i, j), *limits), f"\\sum {body.text}")

    def check_index_name(self, name: str) -> None:
        """An index may not share its name with a declared or defined name or a size."""
        what = None
        if name in self.context.definitions:
            what = "defined in the front matter"
        elif name in self.context.declared and not self.context.declared[name].conventional:  # \sum_\sigma
            what = f"declared as a {self.context.declared[name].kind}"
        elif self._size_symbol(name) is not None:
            what = "a size"
        if what is not None:
            raise MeaningError(f"{name} is {what}, so it can not also be an index: rename the index")

    def _constant_or_index(self, node: ast.Name) -> V.Value | None:
        """``e``, ``\\pi`` where not declared, else a free index the member writes in a subscript (``2 j x_j``)."""
        constant = self.constant(node)
        if constant is not None:
            return constant
        number = free_index_value(node.name, self.subscripted)
        if number is not None:
            self.valued.add(node.name)
        return number

    def _counted(self, name: str) -> V.Value | None:
        """A size (``N``, a ``positive integer``) or a summed index (``\\sum_k k``) as a number."""
        size_symbol = self._size_symbol(name)
        if size_symbol is not None:
            return V.scalar(size_symbol, name)
        return index_value(self.scope[name], name) if name in self.scope else None

    def _size_symbol(self, name: str) -> Symbol | None:
        """The size named ``name`` in the declarations, if any."""
        return next((s for s in self.context.sizes if s.name == name), None)

    # -- scripts, entries, deltas -------------------------------------------------
    @visits(ast.Scripted)
    def _build_scripted(self, node: ast.Scripted) -> V.Value:
        base = node.base
        if isinstance(base, ast.Call) and not self._applies_a_function(base):
            # C (A B)^T is C times (A B)^T: the scripts belong to the bracket,
            # not to a product the parser only took for an application.
            group = ast.Scripted(ast.Group(base.arg, "(", column=base.column), node.sub, node.sup, node.transpose, column=node.column)
            return self.juxtaposed(base.func, self.build(group))
        norm = self.scripted_norm(node)
        if norm is not None:
            return norm
        sized = self.sized_implicit(node)
        if sized is not None:
            return sized if node.sup is None else self.power(sized, node.sup)
        implicit = self.implicit(node)
        if implicit is not None:
            return self.implicit_from_hint(*implicit, self.hint)
        self.hint = None  # the base of an entry or a power is not sized like it
        if isinstance(base, ast.Name) and node.sub and (
            (base.name == "delta" and "delta" not in self.context.declared) or self.free_identity(base.name)
        ):  # \delta_{i,j}, and I_{i,j} for the identity
            value = self._delta(node)
        elif isinstance(base, ast.Name) and node.sub and (self.context.kind_of(base.name) in SLICE_KINDS or self.family_of(base.name)):
            value = self.member(base.name, node.sub) if self.family_of(base.name) else self._slice(base.name, node.sub)
            if node.transpose:
                value = V.transpose(value)
        else:
            value = self.build(base)
            if node.transpose:
                if node.letter_t:
                    self._check_scalar_transpose(value, node)
                value = V.transpose(value)
            inverted = matrix_superscript(value, node.sup, self.names_t(), entry_first=node.sub is not None and not node.power_first)  # X^{-1}_{i,j}: an entry of X^{-1}
            if inverted is not None:
                check_inverse_after_entry(node, inverted.text)
                value, node = inverted, replace(node, sup=None)
            if node.sub is not None:
                check_power_before_entry(node, value)
                value = self.select_entry(value, node.sub)
        if node.sup is not None:
            value = self.power(value, node.sup)
        return value

    # -- functions ------------------------------------------------------------------
    def _applies_a_function(self, node: ast.Call) -> bool:
        """Whether ``name(...)`` applies a declared function (else it is a product)."""
        if self._names_an_array(node.func.name):
            return False  # y'(a+b) for a declared y' is a product
        declared = self.context.declared.get(node.func.name.rstrip("'"))
        return declared is not None and declared.is_function

    @visits(ast.Call)
    def _build_call(self, node: ast.Call) -> V.Value:
        name = node.func.name
        base, primes = name.rstrip("'"), len(name) - len(name.rstrip("'"))
        declared = self.context.declared.get(base)
        ambiguous = two_readings(base, self.context) if declared is not None else None
        if ambiguous:
            raise MeaningError(ambiguous)  # w_1(x): a declared function, or entry 1 of w times x?
        if primes and self._names_an_array(name):
            return self.juxtaposed(node.func, self.build(node.arg))
        if declared is None or not declared.is_function:
            if primes:
                raise MeaningError(f"{base} is not a declared function, so {name} means nothing")
            check_applied_definition(node, self.context, self._depends_on)  # L(w), L defined from w
            return self.juxtaposed(node.func, self.build(node.arg))
        arg = self.build(node.arg)
        if declared.kind in KNOWN_FUNCTION_KINDS:
            return known.apply(declared.kind, base, primes, arg)
        if declared.kind == Kind.FUNCTION:
            if primes:
                raise UnsupportedError(f"{name}: derivatives of the opaque function {base} are written \\frac{{\\partial {base}(...)}}{{\\partial ...}}")
            matrix_arg = MatrixArg.from_entry(arg.entry, arg.rows, arg.cols)
            return V.scalar(OpaqueCall(Symbol(base), matrix_arg), f"{name}({arg.text})")
        function = elementwise(base, primes)
        if arg.is_scalar:
            return V.scalar(function(arg.expr), f"{name}({arg.text})", arg.order)
        target = arg.text if isinstance(node.arg, ast.Name) else None
        return V.matrix(arg.rows, arg.cols, lambda i, j: function(arg.entry(i, j)), f"{name}({arg.text})", elementwise_of=target)

    @visits(ast.Builtin)
    def _build_builtin(self, node: ast.Builtin) -> V.Value:
        ambiguous = one_cell_in_bars(node)
        if ambiguous is not None:
            raise ambiguous
        arg = self.build(node.arg)
        if node.func == "det" or (node.func == "abs" and not arg.is_scalar and arg.rows == arg.cols):
            return determinant(arg)  # |X| of a matrix is its determinant, |x| of a scalar its absolute value
        special = self.builtin_value(node.func, arg)
        if special is not None:
            return special
        if node.func in SCALAR_FUNCTIONS:
            return apply_builtin(node.func, arg, self.context)
        if node.func.endswith("'"):
            return apply_builtin_derivative(node.func, arg, self.context)
        if node.func == "tr":
            return V.trace(arg)
        if node.func == "vec":
            return vectorized(arg)
        if node.func == "norm":
            return V.norm(arg)
        raise UnsupportedError(f"\\{node.func} is not supported")

    @visits(ast.Partial)
    def _build_partial(self, node: ast.Partial) -> V.Value:
        raise MeaningError("\\partial may only appear in \\frac{\\partial ...}{\\partial ...}")

    @visits(ast.Relation)
    def _build_relation(self, node: ast.Relation) -> V.Value:
        raise MeaningError(f"unexpected relation {node.relation} inside an expression")
