"""The LaTeX front end: one display's text to a syntax tree.

``preprocess`` strips decoration (tags, ``\\text``, ``\\underbrace``, ...),
``lexer`` turns the remaining math into tokens, ``parser`` builds the
:mod:`deriv.latex.ast` nodes with the LALR grammar in ``grammar.lark``.
"""
