"""Stage 6, diagnose: telling the author how to fix or restate a derivation.

In: index expressions built by :mod:`deriv.meaning` and a
:class:`~deriv.context.Context`.  Out: proposals (a matrix form, in
:mod:`deriv.diagnose.matrix_form`), each one decided by :mod:`deriv.engine`
and kept only when ``proved`` or ``tested``.
"""
