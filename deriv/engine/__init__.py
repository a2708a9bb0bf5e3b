"""Stage 4, deciding: one equality (or claim) of index expressions.

In: two SymPy index expressions in the conventions of :mod:`deriv.ir`, a
:class:`~deriv.context.Context` and the ranges of the free indices.  Out: a
:class:`~deriv.engine.decide.Decision` (verdict, method, message,
counterexample).  ``normal`` (with ``terms`` and ``quotients``) and
``differentiate`` make the symbolic proof (valid for every size); ``instances``, ``sizes``, ``functions``, ``jets``,
``certified``, ``compare`` and ``compiler`` make the random tests (exact
rationals or certified balls, random jets for functions, jets for
derivatives); ``assumptions`` and ``rules`` make instances satisfy a
document's equations and rewrite with them; ``decide`` combines the two.
"""
