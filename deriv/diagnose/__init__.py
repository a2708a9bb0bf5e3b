"""Stage 5, diagnose: telling the author how to restate a derivation.

In: index expressions built by :mod:`deriv.meaning` and a
:class:`~deriv.context.Context`.  Out: proposals (a matrix form, in
:mod:`deriv.diagnose.matrix_form`), each one decided by :mod:`deriv.engine`
and kept only when ``proved`` or ``tested``.

It comes before :mod:`deriv.check`, which asks it for the matrix form of
each chain that ends in index form while the chain is checked (in the same
worker, with the same engine session).
"""
