"""The SymPy objects deriv builds by hand are the objects SymPy's constructors build.

``ir.entry``, ``objects.indexed``, ``objects.indexed_base``, ``ir.delta`` (and ``ir.substituted``, which
rebuilds entries and deltas with them) skip SymPy's constructors for speed,
copying facts instead of deducing them.  That leans on SymPy internals, so
a SymPy release that changes them must fail here, not change a verdict:
each hand-made object is compared with the constructor's on equality,
hash, ``srepr``, attributes and assumption queries.  The free symbols of
sums, which deriv remembers, are compared with SymPy's own on random nested sums.
"""

from __future__ import annotations

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import Indexed, IndexedBase, Integer, Symbol

from deriv.ir import Delta, contains, delta, entry, fresh_index, substituted
from deriv.objects import SYMPY_LIMITS_FREE_SYMBOLS, indexed, indexed_base

i, j = Symbol("i", integer=True), Symbol("j", integer=True)
k = Symbol("k")
QUERIES = ("is_integer", "is_real", "is_positive", "is_nonnegative", "is_zero", "is_commutative",
           "is_finite", "is_complex", "is_rational", "is_number", "is_symbol", "is_Atom")


def _same(made, built) -> None:
    assert type(made) is type(built)
    assert made == built and hash(made) == hash(built)
    assert sympy.srepr(made) == sympy.srepr(built)
    assert made.args == built.args
    for query in QUERIES:
        assert getattr(made, query) == getattr(built, query), query
    assert made.assumptions0 == built.assumptions0


BASES = [IndexedBase("X"), IndexedBase("W", positive=True), IndexedBase("b", real=True),
         IndexedBase("C", integer=True), IndexedBase(Symbol("A", nonnegative=True))]
INDICES = [(i, j), (j, i), (Integer(0), j), (i + 1, Integer(2)), (i,), (k, i), (Integer(3),)]


@pytest.mark.parametrize("base", BASES, ids=str)
@pytest.mark.parametrize("indices", INDICES, ids=str)
def test_an_entry_is_the_one_indexed_makes(base: IndexedBase, indices: tuple) -> None:
    _same(indexed(base, indices), Indexed(base, *indices))


def test_queries_on_one_entry_do_not_reach_the_next() -> None:
    first = indexed(BASES[1], (i, j))
    for query in QUERIES:
        getattr(first, query)  # cached on the entry's own facts
    fresh, built = indexed(BASES[1], (j, i)), Indexed(BASES[1], j, i)
    assert dict(fresh._assumptions) == dict(built._assumptions)
    _same(fresh, built)


@pytest.mark.parametrize("name", ["X", "W", "y_hat", "Dd0"])
def test_entry_by_name_is_indexed_of_indexedbase(name: str) -> None:
    made, built = entry(name, i, j), Indexed(IndexedBase(name), i, j)
    _same(made, built)
    _same(indexed_base(name), IndexedBase(name))
    _same(made.base, built.base)
    for attribute in ("label", "name", "shape", "offset", "strides"):
        assert getattr(made.base, attribute) == getattr(built.base, attribute), attribute
    assert entry(name, 0, 1) == Indexed(IndexedBase(name), 0, 1)  # plain ints are sympified


PAIRS = [(i, j), (j, i), (i, i), (k, i), (i, k), (Symbol("a", integer=True), Symbol("a")),
         (Integer(1), Integer(2)), (Integer(2), Integer(2)), (i, Integer(0)), (i + 1, j)]


@pytest.mark.parametrize(("a", "b"), PAIRS, ids=str)
def test_a_delta_is_the_one_delta_makes(a, b) -> None:
    made, built = delta(a, b), Delta(a, b)
    assert made == built and hash(made) == hash(built) and sympy.srepr(made) == sympy.srepr(built)
    if isinstance(built, Delta):
        _same(made, built)
        assert made.nargs == built.nargs


def test_substituted_rebuilds_entries_and_deltas_as_their_constructors_do() -> None:
    m, n = Symbol("m", integer=True), Symbol("n", integer=True)
    expr = Indexed(BASES[1], i, j) * Delta(i, m) + sympy.Sum(Indexed(BASES[0], i, k) * Delta(k, j), (k, 0, 5))
    for mapping in ({i: n}, {j: m, i: j}, {m: i}, {i: Integer(0)}):
        made, built = substituted(expr, mapping), expr.xreplace(mapping)
        assert made == built and sympy.srepr(made) == sympy.srepr(built)


# -- the free symbols of sums and products, remembered (objects._remembered_free_symbols) --

_X, _W = IndexedBase("X"), IndexedBase("W", positive=True)
_N, _M = Symbol("N", integer=True, positive=True), Symbol("M", integer=True, positive=True)
_LEAVES = [i, j, k, _N, Integer(2), _X[i, j], _W[k], Delta(i, j), Symbol("x")]


@st.composite
def _limited(draw, depth: int = 0) -> sympy.Expr:
    """A random expression with sums and products, nested, over indices that may be free."""
    if depth > 2 or draw(st.booleans()):
        return draw(st.sampled_from(_LEAVES))
    op = draw(st.sampled_from(["sum", "product", "add", "mul", "pow", "unevaluated"]))
    a, b = draw(_limited(depth + 1)), draw(_limited(depth + 1))
    if op in ("sum", "product"):
        var = draw(st.sampled_from([i, j, k, sympy.Dummy("d", integer=True)]))
        low = draw(st.sampled_from([Integer(0), Integer(1), j, var]))
        make = sympy.Sum if op == "sum" else sympy.Product
        return make(a * b, (var, low, draw(st.sampled_from([_N, _M - 1, i, Integer(3)]))))
    if op == "unevaluated":  # rebuilt by SymPy's xreplace inside a sum: its answer is kept as is
        return sympy.Add(a, -a, evaluate=False)
    return {"add": a + b, "mul": a * b, "pow": a ** 2}[op]


@settings(max_examples=100, deadline=None)
@given(_limited(), _limited())
def test_remembered_free_symbols_are_sympys(body, other):
    limited = sympy.Sum(body + other, (i, 0, _N - 1))
    for expr in (limited, sympy.Product(body, (j, 1, i)), sympy.Sum(limited, (k, 0, j))):
        want = SYMPY_LIMITS_FREE_SYMBOLS(expr)
        first = expr.free_symbols
        assert first == want
        first.add(Symbol("mutated"))  # a fresh set each time, as SymPy's
        assert expr.free_symbols == want
        apart = sympy.Sum(*expr.args) if isinstance(expr, sympy.Sum) else sympy.Product(*expr.args)
        assert apart == expr and apart is not expr
        assert apart.free_symbols == want  # an equal sum built apart


def test_a_fresh_index_is_the_symbol_sympy_makes() -> None:
    made = fresh_index("q")
    want = Symbol(made.name, integer=True)
    assert made == want and hash(made) == hash(want)
    assert made._assumptions0 == want._assumptions0 and made._assumptions_orig == want._assumptions_orig
    assert (made.is_integer, made.is_real, made.is_positive, made.is_commutative) == (True, True, None, True)
    assert made.free_symbols == {want} and sympy.Sum(made, (want, 0, 2)).doit() == 3  # one index, as SymPy reads it
    assert fresh_index("q") != made


@pytest.mark.parametrize("expr, kinds", [(sympy.Sum(i, (i, 0, _N)), (sympy.Sum,)), (i * j, (sympy.Sum, sympy.Pow)),
                                         (sympy.sqrt(i) + 1, (sympy.Pow,))])
def test_contains_is_sympys_has(expr, kinds) -> None:
    assert contains(expr, *kinds) == expr.has(*kinds)


_TYPES = [sympy.Sum, sympy.Product, sympy.Pow, sympy.Add, sympy.Mul, Indexed, IndexedBase, sympy.KroneckerDelta,
          Delta, sympy.Dummy, Symbol, Integer, sympy.Piecewise, sympy.Eq, sympy.Number, sympy.Tuple]


@settings(max_examples=200, deadline=None)
@given(_limited(), _limited(), st.lists(st.sampled_from(_TYPES), min_size=1, max_size=3))
def test_contains_is_sympys_has_on_random_trees(body, other, kinds):
    # asked in both orders: a subtree remembered first (node_types) answers as a fresh walk
    whole = sympy.Sum(body * other + body, (i, 0, _N - 1))
    for expr in (body, whole, other, sympy.Add(whole, other, evaluate=False)):
        assert contains(expr, *kinds) == expr.has(*kinds)
