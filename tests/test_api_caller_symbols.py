"""The library's SymPy inputs: a symbol that is not the name deriv reads is an error, never the declared name.

SymPy simplifies an expression with its symbols' assumptions while it is made: each case
here was a false step ``proved`` when deriv matched symbols by name alone
(deriv/meaning/caller_symbols.py, docs/library.md).
"""

from __future__ import annotations

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import Abs, Dummy, Function, Idx, IndexedBase, KroneckerDelta, MatrixSymbol, Sum, Symbol, Wild, sqrt

import deriv
from deriv.errors import MeaningError
from deriv.results import Verdict

i, j, k, N = sympy.symbols("i j k N")
A = IndexedBase("A")
MATRIX = {"A": "matrix N x N"}


@pytest.mark.parametrize(("lhs", "rhs", "symbols", "says"), [
    # sqrt(x**2) is x before deriv sees it: proved, for a real scalar x.
    (sqrt(Symbol("x", positive=True) ** 2), Symbol("x", positive=True), {"x": "scalar"}, "positive=True|nonnegative"),
    (Abs(Symbol("x", nonnegative=True)), Symbol("x", nonnegative=True), {"x": "scalar"}, "nonnegative=True"),
    # Abs of a positive IndexedBase's entry is the entry.
    (Abs(IndexedBase("A", positive=True)[i, j]), A[i, j], MATRIX, "an entry of A"),
    # A Dummy named x is not the declared x (two of them are two different symbols).
    (Dummy("x"), Dummy("x"), {"x": "scalar"}, "Dummy"),
    (Wild("x"), Wild("x"), {"x": "scalar"}, "Wild"),
    # An index made positive: SymPy may drop the i = 0 terms.
    (A[Symbol("i", positive=True), j], A[Symbol("i", positive=True), j], MATRIX, "the index i"),
    # A size made negative or not an integer.
    (Sum(A[k, k], (k, 0, Symbol("N", integer=False) - 1)), 0, MATRIX, "the size N"),
    # A declared matrix used as a plain symbol.
    (Symbol("A"), Symbol("A"), MATRIX, "declared a matrix"),
    # A Function made positive: Abs(f(x)) is f(x) when made.
    (Abs(Function("f", positive=True)(Symbol("x"))), Function("f", positive=True)(Symbol("x")), {"x": "scalar"},
     "positive=True"),
    # A declared scalar or matrix applied as a function.
    (Function("x")(Symbol("y")), Function("x")(Symbol("y")), {"x": "scalar", "y": "scalar"}, "not a function"),
    (Function("A")(Symbol("y")), Symbol("y"), {**MATRIX, "y": "scalar"}, "not a function"),
    # An Idx numbered from 1 (SymPy: Max(i, 1) is i), or with a range other than its use's.
    (sympy.Max(Idx("i", (1, N)), 1) * A[Idx("i", (1, N)), j], A[Idx("i", (1, N)), j], MATRIX, "runs from 1"),
    (A[Idx("i", 3), j], A[Idx("i", 3), j], MATRIX, "runs from 0 to 2"),
    # A MatrixSymbol of another shape than the declared one was read as the declared one.
    (MatrixSymbol("A", 2, 2)[i, j], MatrixSymbol("A", 2, 2)[j, i], MATRIX, "is 2 x 2, but A is declared N x N"),
    # A whole matrix expression was an internal error ("Mix of Matrix and Scalar symbols").
    ((MatrixSymbol("A", N, N) * MatrixSymbol("B", N, N)).T, MatrixSymbol("B", N, N).T * MatrixSymbol("A", N, N).T,
     {**MATRIX, "B": "matrix N x N"}, "matrix expression"),
    (sympy.Inverse(MatrixSymbol("A", N, N))[i, j], 0, MATRIX, "matrix expression"),
    (sympy.Trace(MatrixSymbol("A", N, N) * MatrixSymbol("A", N, N).T), 0, MATRIX, "matrix expression"),
])
def test_a_symbol_that_is_not_the_declared_name_is_an_error(lhs, rhs, symbols, says) -> None:
    with pytest.raises(MeaningError, match=says):
        deriv.decide(lhs, rhs, symbols)


@pytest.mark.parametrize(("lhs", "rhs", "symbols", "verdict"), [
    # Plain symbols, as before: sqrt(x^2) is |x| for a real x.
    (sqrt(Symbol("x") ** 2), Symbol("x"), {"x": "scalar"}, Verdict.REFUTED),
    (sqrt(Symbol("x", real=True) ** 2), Abs(Symbol("x", real=True)), {"x": "scalar"}, Verdict.PROVED),
    # A positive declaration allows the positive symbol.
    (sqrt(Symbol("x", positive=True) ** 2), Symbol("x", positive=True), {"x": "positive scalar"}, Verdict.PROVED),
    # Integer indices and positive integer sizes are what deriv reads them as.
    (Sum(KroneckerDelta(Symbol("i", integer=True), k) * A[k, j], (k, 0, Symbol("N", integer=True, positive=True) - 1)),
     A[Symbol("i", integer=True), j], MATRIX, Verdict.PROVED),
    # An Idx with deriv's own range, and a MatrixSymbol's entries.
    (A[Idx("i", N), j], A[Idx("i", N), j], MATRIX, Verdict.PROVED),
    (MatrixSymbol("A", N, N)[i, j], A[j, i], MATRIX, Verdict.REFUTED),
    # A function of no declared kind, or declared, with real values: an arbitrary function.
    (Abs(Function("f")(Symbol("x"))), Function("f")(Symbol("x")), {"x": "scalar"}, Verdict.REFUTED),
    (Function("f", real=True)(Symbol("x")) ** 2, Abs(Function("f", real=True)(Symbol("x"))) ** 2,
     {"x": "scalar", "f": "function"}, Verdict.PROVED),
])
def test_symbols_deriv_reads_as_made_are_decided(lhs, rhs, symbols, verdict) -> None:
    assert deriv.decide(lhs, rhs, symbols).verdict is verdict


def test_a_derivation_member_made_with_assumptions_is_an_error_not_a_simplified_member() -> None:
    x = Symbol("x", positive=True)
    with pytest.raises(MeaningError, match="declared scalar x"):
        deriv.assert_holds(sqrt(x**2), x, {"x": "scalar"})
    d = deriv.Derivation({"A": "matrix N x N"})
    with pytest.raises(MeaningError, match="an entry of A"):
        d.chain(Abs(IndexedBase("A", positive=True)[i, j]), A[i, j])
    assert deriv.assert_holds(sqrt(x**2), x, {"x": "positive scalar"}).verdict is Verdict.PROVED


@pytest.mark.parametrize(("lhs", "symbols", "says"), [
    # x = x proved was no claim about an entry: A[1/2, 0], A[5, 0] of a 2 x 2 A, A[-1, 0] are none.
    (A[sympy.Rational(1, 2), 0], MATRIX, "not a whole number"),
    (A[5, 0], {"A": "matrix 2 x 2"}, "past the ends"),
    (A[-1, 0], {"A": "matrix 2 x 2"}, "past the ends"),
    # A declared scalar or a size as an index was read as an index of the same name: x was two things.
    (A[Symbol("x"), 0] * Symbol("x"), {**MATRIX, "x": "scalar"}, "declared a scalar, not an index"),
    (A[N, 0], MATRIX, "a size, not an index"),
    (KroneckerDelta(i, N) * A[i, 0], MATRIX, "a size, not an index"),
])
def test_an_entry_index_that_is_no_index_is_an_error(lhs, symbols, says) -> None:
    with pytest.raises(MeaningError, match=says):
        deriv.decide(lhs, lhs, symbols)


#: Sides built from a scalar X, as SymPy builds them (simplifying with X's assumptions).
SIDES = [
    (lambda X: sqrt(X**2), lambda X: X),
    (lambda X: Abs(X), lambda X: X),
    (lambda X: Abs(X) ** 2, lambda X: X**2),
    (lambda X: sympy.sign(X) * X, lambda X: Abs(X)),
    (lambda X: sympy.Max(X, 0), lambda X: X),
    (lambda X: sympy.sin(sympy.pi * X), lambda X: sympy.Integer(0)),
    (lambda X: (-1) ** (2 * X), lambda X: sympy.Integer(1)),
    (lambda X: sqrt(X) ** 2, lambda X: X),
    (lambda X: X + 1, lambda X: X + 1),
]
FACTS = ["positive", "nonnegative", "negative", "integer", "even", "zero", "nonzero", "real", "rational", "finite"]
OUTCOME = {Verdict.PROVED: "holds", Verdict.TESTED: "holds"}


@settings(max_examples=60, deadline=None)
@given(side=st.sampled_from(SIDES), facts=st.dictionaries(st.sampled_from(FACTS), st.booleans(), max_size=2))
def test_a_symbol_with_assumptions_is_refused_or_decided_as_the_plain_one(side, facts) -> None:
    """The reference: the same sides made with a plain Symbol, which SymPy can not simplify with
    anything.  With assumptions, decide refuses the symbol or never says it holds where the
    reference refutes it (nor the reverse)."""
    try:
        made = Symbol("x", **facts)
    except (ValueError, TypeError):  # contradictory facts (zero and nonzero)
        return
    plain = Symbol("x")
    reference = deriv.decide(side[0](plain), side[1](plain), {"x": "scalar"}).verdict
    lhs, rhs = side[0](made), side[1](made)
    try:
        found = deriv.decide(lhs, rhs, {"x": "scalar"}).verdict
    except MeaningError:
        return
    if made not in lhs.free_symbols | rhs.free_symbols:
        return  # simplified away before deriv sees it: nothing to hold to (docs/library.md)
    assert not (OUTCOME.get(found) == "holds" and reference is Verdict.REFUTED), (facts, found, reference)
    assert not (found is Verdict.REFUTED and OUTCOME.get(reference) == "holds"), (facts, found, reference)


@pytest.mark.parametrize("member", [
    # k's value: SymPy's k from 0 was printed as the document's k from 1 (one more per term).
    Sum(k, (k, 0, N - 1)),
    Sum(k * A[k, j], (k, 0, N - 1)),
    # A fixed position: A[0, 1] was printed A_{0,1}, KroneckerDelta(k, 0) \delta_{0,k} (no k from 1 meets it).
    A[0, 1],
    Sum(KroneckerDelta(k, 0) * A[k, j], (k, 0, N - 1)),
    # A position that is no bare index, a size at a position, a limit from an index.
    A[i + 1, j],
    A[N, j],
    Sum(Sum(A[i, k], (k, 0, i)), (i, 0, N - 1)),
])
def test_a_sympy_member_whose_indices_the_1_based_document_would_misread_is_refused(member) -> None:
    """Derivation prints SymPy members 1-based; each case was printed with another meaning: the
    first, Sum(k, (k, 0, N - 1)) = N (N + 1) / 2, false, was proved."""
    with pytest.raises(ValueError, match="LaTeX"):
        deriv.assert_holds(member, 0, MATRIX)


def test_a_sympy_member_with_bare_indices_is_printed_as_it_means() -> None:
    assert deriv.assert_holds(Sum(KroneckerDelta(i, k) * A[k, j], (k, 0, N - 1)), A[i, j], MATRIX).verdict is Verdict.PROVED
    assert deriv.assert_holds(Sum(A[k, k], (k, 1, N - 1)), r"\sum_{k=2}^{N} A_{k,k}", MATRIX).verdict is Verdict.PROVED
    with pytest.raises(AssertionError, match="refuted"):
        deriv.assert_holds(Sum(A[k, k], (k, 1, N - 1)), r"\sum_{k=1}^{N} A_{k,k}", MATRIX)


@pytest.mark.parametrize(("lhs", "rhs", "symbols", "says"), [
    # Printed xy and x1, read as x times y and x times 1: both were proved.
    (Symbol("xy"), Symbol("x") * Symbol("y"), {"x": "scalar", "y": "scalar", "xy": "scalar"}, "one name"),
    (Symbol("x1"), Symbol("x"), {"x": "scalar", "x1": "scalar"}, "one name"),
    (Symbol("lamda"), Symbol("lambda"), {"lambda": "scalar", "lamda": "scalar"}, "one name"),
    # Undeclared e, read as Euler's number: Symbol('e') = E was proved.
    (Symbol("e"), sympy.E, {}, "Euler"),
    # sympy.pi beside a declared pi: both printed \pi, read as the declared scalar (proved).
    (Symbol("pi"), sympy.pi, {"pi": "scalar"}, "declared pi"),
    (sympy.I * Symbol("x"), Symbol("x"), {"x": "scalar"}, "an index"),
])
def test_a_sympy_member_whose_names_a_document_reads_otherwise_is_refused(lhs, rhs, symbols, says) -> None:
    with pytest.raises(ValueError, match=says):
        deriv.assert_holds(lhs, rhs, symbols)


def test_names_a_document_reads_as_they_are_are_printed() -> None:
    symbols = {"x_1": "scalar", "lambda": "scalar", "e": "scalar"}
    assert deriv.assert_holds(Symbol("x_1") * Symbol("lambda"), Symbol("lambda") * Symbol("x_1"), symbols).verdict \
        is Verdict.PROVED
    with pytest.raises(AssertionError, match="refuted"):
        deriv.assert_holds(sympy.log(Symbol("e")), 1, symbols)  # the declared e, not Euler's
    assert deriv.assert_holds(sympy.sin(sympy.pi), 0, {}).verdict is Verdict.PROVED


def test_a_size_also_declared_a_scalar_is_an_error_as_in_a_front_matter() -> None:
    """N the scalar and N the size of A were one name for two things: sqrt(N**2) = N was refuted
    at the scalar N = -1 with the size N = 1."""
    with pytest.raises(MeaningError, match="size name 'N'"):
        deriv.decide(sqrt(N**2), N, {"N": "scalar", "A": "matrix N x N"})
    assert "size name 'N'" in (deriv.check_text("---\nsymbols:\n  N: scalar\n  A: matrix N x N\n---\n\n$$ N = N $$\n").error or "")


I, J = sympy.symbols("i j", integer=True)


@pytest.mark.parametrize(("lhs", "rhs", "verdict"), [
    # A free index's value is the index of its entries, counted from 0 (it was an internal KeyError).
    (I * A[I, J], A[I, J] * I, Verdict.PROVED),
    (I * A[I, J], A[I, J] * (I + 1), Verdict.REFUTED),
    (I * A[I, J] * KroneckerDelta(I, 0), 0, Verdict.TESTED),
    ((I + 1) * A[I, J] * KroneckerDelta(I, 0), 0, Verdict.REFUTED),
    ((N - 1 - I) * A[I, J] * KroneckerDelta(I, N - 1), 0, Verdict.TESTED),
    ((N - I) * A[I, J] * KroneckerDelta(I, N - 1), 0, Verdict.REFUTED),
])
def test_a_free_index_used_as_a_value_is_its_entries_index(lhs, rhs, verdict) -> None:
    assert deriv.decide(lhs, rhs, MATRIX).verdict is verdict


@pytest.mark.parametrize(("entry", "says"), [
    # A[i] of a matrix was an entry out of range (undecided), A[i, j, k] a third index no one ranged.
    (A[I], "2 indices, not 1"),
    (A[I, J, k], "2 indices, not 3"),
    (IndexedBase("b")[I, J], "1 index, not 2"),
    (IndexedBase("x")[I], "no entries"),
])
def test_an_entry_with_another_number_of_indices_than_its_array_is_an_error(entry, says) -> None:
    with pytest.raises(MeaningError, match=says):
        deriv.decide(entry, entry, {**MATRIX, "b": "vector N", "x": "scalar"})
