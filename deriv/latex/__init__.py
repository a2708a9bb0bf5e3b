"""Stage 2, syntax: one display's LaTeX text to a syntax tree.

In: the raw text between ``$$``.  Out: a :class:`~deriv.latex.ast.ChainSyntax`
(members as :mod:`deriv.latex.ast` nodes, the relations between them, each
member's source) and a :class:`~deriv.latex.preprocess.PreparedDisplay`
(tag, justification).  ``preprocess`` strips decoration (tags, ``\\text``,
``\\underbrace``, ...), ``lexer`` turns the remaining math into tokens,
``parser`` builds the nodes with the LALR grammar in ``grammar.lark``.
Syntax only: nothing here knows what a name means, nor imports SymPy.
"""
