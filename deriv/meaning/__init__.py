"""Stage 3, meaning: syntax trees to SymPy index expressions.

In: :class:`~deriv.latex.ast.Node` trees and the front matter's
declarations.  Out: a :class:`~deriv.context.Context` (what every name is)
and, for each chain member, a :class:`~deriv.meaning.values.Value` (a SymPy
expression in the conventions of :mod:`deriv.ir`, with its shape and the
ranges of its indices).  Shape and index errors are found here.
"""
