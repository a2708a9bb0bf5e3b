"""SymPy entries and bases made without deducing their facts again.

``Indexed.__new__`` and ``IndexedBase.__new__`` deduce an object's
assumptions from scratch for every entry the engine makes -- the costliest
part of making one, and the engine makes thousands per document.  Here the
facts are copied from a template made once by SymPy's own constructor, so
the objects are the same (equal, with the same hash, ``srepr`` and facts).
This leans on SymPy internals (``StdFactKB``): ``tests/test_meaning_ir_construction.py``
compares every kind of object made here with SymPy's own, so a SymPy
release that changes them fails there instead of changing a verdict.
"""

from __future__ import annotations

import sympy
from sympy import Basic, Expr, Indexed, IndexedBase, Symbol
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
