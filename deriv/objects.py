"""SymPy entries and bases made without deducing their facts again.

``Indexed.__new__`` and ``IndexedBase.__new__`` deduce an object's
assumptions from scratch for every entry the engine makes -- the costliest
part of making one, and the engine makes thousands per document.  Here the
facts are copied from a template made once by SymPy's own constructor, so
the objects are the same (equal, with the same hash, ``srepr`` and facts).
This leans on SymPy internals (``StdFactKB``): ``tests/test_meaning_ir_construction.py``
compares every kind of object made here with SymPy's own, so a SymPy
release that changes them fails there instead of changing a verdict.

Importing this module also makes SymPy remember the free symbols of each
sum and product (``ExprWithLimits.free_symbols``, SymPy's own answer
computed once per sum instead of at every query: :func:`_remembered_free_symbols`);
the same test file compares it with SymPy's on random nested sums.
"""

from __future__ import annotations

import sympy
from sympy import Basic, Expr, Indexed, IndexedBase, Symbol
from sympy.concrete.expr_with_limits import ExprWithLimits
from sympy.core.assumptions import StdFactKB


#: The facts an ``IndexedBase`` without assumptions starts with (its object is
#: thrown away, so they are never told what a query found).
_BASE_FACTS = IndexedBase("_base")._assumptions


def indexed_base(name: str) -> IndexedBase:
    """``IndexedBase(name)``, made as ``IndexedBase.__new__`` makes it for a name
    and no assumptions, with its facts copied instead of deduced again."""
    label = Symbol(name)
    made = Expr.__new__(IndexedBase, label)
    made._shape, made._offset, made._strides, made._name = None, sympy.S.Zero, None, name  # str(label), unprinted
    made._assumptions = _copied(_BASE_FACTS)
    return made


def _copied(facts: StdFactKB) -> StdFactKB:
    """A fresh knowledge base with the same facts (``StdFactKB.copy`` deduces them again)."""
    kb = StdFactKB.__new__(StdFactKB)
    dict.update(kb, facts)
    kb.rules = facts.rules
    kb._generator = facts._generator.copy()
    return kb


#: The facts an ``Indexed`` starts with, by its base's facts: ``Indexed.__new__``
#: deduces them again for every entry, the costliest part of making one.
_ENTRY_FACTS: dict[tuple, StdFactKB] = {}


def indexed(base: IndexedBase, indices: tuple[Basic, ...]) -> Indexed:
    """``Indexed(base, *indices)`` for SymPy indices: the same object (equal,
    with the same facts), its facts copied from the first entry of a base
    with the same facts instead of deduced again."""
    facts = base.assumptions0
    key = tuple(facts.items())
    template = _ENTRY_FACTS.get(key)
    if template is None:
        # Never attached to an entry, so never told what a query found: it
        # stays what Indexed.__new__ deduces.
        template = _ENTRY_FACTS[key] = Indexed(base, *indices)._assumptions
    made = Expr.__new__(Indexed, base, *indices)
    made._assumptions = _copied(template)
    return made


# -- the free symbols of sums and products, remembered ------------------------------

#: SymPy's own ``free_symbols`` of a sum or product (``ExprWithLimits``), kept for the
#: tests' comparison and for what is not remembered yet.
SYMPY_LIMITS_FREE_SYMBOLS = ExprWithLimits.free_symbols.fget
#: How many sums' free symbols are remembered before the table starts again.
LIMITS_REMEMBERED = 1 << 14
_LIMITS_FREE: dict[Basic, frozenset] = {}


def _remembered_free_symbols(self: ExprWithLimits) -> set:
    """SymPy's free symbols of a sum, remembered per sum (a fresh set each time, as SymPy's).

    SymPy computes them again at every query, rebuilding the body (an ``xreplace``) on
    each: a sum's free symbols are asked for whenever an expression holding it is built,
    contracted, compared or printed, and a nested sum is walked again by each sum around
    it -- about a tenth of checking the bundled derivations.  A sum never changes, and
    equal sums have the same free symbols, so the answer is SymPy's own, computed once.
    """
    found = _LIMITS_FREE.get(self)
    if found is None:
        if len(_LIMITS_FREE) >= LIMITS_REMEMBERED:
            _LIMITS_FREE.clear()
        found = _LIMITS_FREE[self] = frozenset(SYMPY_LIMITS_FREE_SYMBOLS(self))
    return set(found)


ExprWithLimits.free_symbols = property(_remembered_free_symbols, doc=SYMPY_LIMITS_FREE_SYMBOLS.__doc__)
