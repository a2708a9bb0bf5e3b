"""Parse the math of one display into :mod:`deriv.latex.ast` nodes.

``parse_display`` strips decoration (:mod:`deriv.latex.preprocess`), lexes
(:mod:`deriv.latex.lexer`) and parses with the LALR grammar in
``grammar.lark`` (:mod:`deriv.latex.grammar`).  The tree is built by the
callbacks of :mod:`deriv.latex.reductions` during the parse itself (no
recursion, so deep input can not overflow the stack here).  This module
turns lark's complaints into messages a reader of LaTeX understands.

In: the raw text of one display.  Out: a :class:`~deriv.latex.ast.ChainSyntax`
and the :class:`~deriv.latex.preprocess.PreparedDisplay` it came from.  Every
problem is a :class:`~deriv.errors.LatexSyntaxError` whose ``column`` is
1-based in the display text as given (newlines count as characters).
"""

from __future__ import annotations

import re
from typing import Any

from lark import Token
from lark.exceptions import LarkError, UnexpectedInput, UnexpectedToken

from deriv.errors import LatexSyntaxError
from deriv.latex.ast import ChainSyntax, Node
from deriv.latex.grammar import lalr_parser
from deriv.latex.lexer import LexError, tokenize
from deriv.latex.lexicon import PLAIN, Lexicon
from deriv.latex.scripted import CLOSE as SCRIPTED_CLOSE
from deriv.latex.scripted import OPEN as SCRIPTED_OPEN
from deriv.latex.echo import written
from deriv.latex.preprocess import PreparedDisplay, prepare
from deriv.latex.reductions import SyntaxProblem, problem_at

MAX_TREE_DEPTH = 200
_DESCRIPTIONS = {"RPAR": "')'", "RBRACK": "']'", "RBRACE": "'}'"}
_OPERATOR_TYPES = frozenset({"REL", "ADDOP", "MULOP", "CIRC", "COMMA", "SUB", "SUP"})


def _shown(token: Token, math: str) -> str:
    """How a token was written, quoted for a message."""
    text = math[token.start_pos : token.end_pos]
    return text if text.startswith("\\") else f"'{text}'"


def _column(token: Token) -> int:
    """The column of a token of the display: the lexer gives every token one."""
    assert token.column is not None
    return token.column


def _unexpected(error: UnexpectedToken, tokens: list[Token], math: str) -> SyntaxProblem:
    """A friendly message for a token the grammar did not expect."""
    token = error.token
    at_end = token.type == "$END"
    k = len(tokens) if at_end else next((n for n, t in enumerate(tokens) if t is token), 0)
    prev = tokens[k - 1] if k > 0 else None
    column = len(math) + 1 if at_end else token.column
    if prev is not None and prev.type == "SUM" and token.type != "SUB":
        return SyntaxProblem("\\sum needs a summation index, as in \\sum_{i}", _column(prev))
    if prev is not None and prev.type == "FRAC":
        return SyntaxProblem("\\frac needs two braced arguments, as in \\frac{a}{b}", _column(prev))
    if prev is not None and prev.type in _OPERATOR_TYPES and (
        at_end or token.type in _OPERATOR_TYPES or token.type in _DESCRIPTIONS
    ):
        return SyntaxProblem(f"expected an expression after {_shown(prev, math)}", column)
    if at_end:
        closers = sorted(_DESCRIPTIONS[t] for t in error.expected if t in _DESCRIPTIONS)
        missing = f" (missing {' or '.join(closers)})" if closers else ""
        return SyntaxProblem(f"unexpected end of display{missing}", column)
    if token.type == "COMMA" and _top_level(tokens[:k]) and any(t.type == "REL" for t in tokens[k:]):
        return SyntaxProblem("two claims separated by ',' in one display: write each in its own "
                             "display (a display holds one chain)", column)
    if prev is not None and prev.type in ("MATBEGIN", "AMP", "ROWSEP") and token.type in ("AMP", "ROWSEP", "MATEND"):
        return SyntaxProblem("an empty entry in a matrix literal: write 0 for a zero", column)
    return _token_problem(token, tokens[:k], math, column) or SyntaxProblem(f"unexpected {_shown(token, math)}", column)


def _token_problem(token: Token, before: list[Token], math: str, column: int) -> SyntaxProblem | None:
    """What to write instead, for a token that is only understood elsewhere, else None."""
    if token.type == "SUM" and _after_builtin(before):
        shown = _shown(before[_builtin_before(before)], math)
        return SyntaxProblem(f"{_shown(token, math)} right after {shown} without brackets: write "
                             f"{shown}\\left({_shown(token, math)}_{{...}} ...\\right) around the whole argument", column)
    if token.type == "PARTIAL":
        return SyntaxProblem("\\partial is only understood inside \\frac, as in "
                     "\\frac{\\partial E}{\\partial x}", column)
    if token.type == "TOP":
        return SyntaxProblem(f"{_shown(token, math)} is only understood as a superscript", column)
    if token.type == "PRIME":
        return SyntaxProblem("a prime ' is only understood right after a name, as in h'", column)
    return None


def _builtin_before(before: list[Token]) -> int:
    """The position of the builtin a run of scripts ends at (``\\log_2``, ``\\tanh^2``), else -1."""
    k = len(before) - 1
    while k >= 1 and before[k - 1].type in ("SUB", "SUP"):
        k -= 2  # a script of one token after its mark
    return k if k >= 0 and before[k].type == "BUILTIN" else -1


def _after_builtin(before: list[Token]) -> bool:
    return _builtin_before(before) >= 0


def _top_level(before: list[Token]) -> bool:
    """Whether the tokens ``before`` leave no bracket open."""
    depth = 0
    for t in before:
        depth += t.type in ("LPAR", "CALLPAR", "LBRACK", "LBRACE")
        depth -= t.type in ("RPAR", "RBRACK", "RBRACE")
    return depth <= 0


def _check_depth(root: Any) -> None:
    """Reject trees too deep for the recursive code that consumes them."""
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_TREE_DEPTH:
            raise problem_at(f"expression nested deeper than {MAX_TREE_DEPTH} levels", node)
        for value in vars(node).values():
            children = value if isinstance(value, tuple) else (value,)
            for child in children:
                if isinstance(child, tuple):  # Add terms: (sign, node)
                    child = child[1]
                if hasattr(child, "__dataclass_fields__"):
                    stack.append((child, depth + 1))


_EDGE_SPACING = r"(?:\s|~|&|\\(?:quad|qquad|displaystyle)(?![A-Za-z])|\\[,;:! ])+"
_EDGES = re.compile(f"^{_EDGE_SPACING}|{_EDGE_SPACING}$")


def _source(prepared: PreparedDisplay, start: int, end: int) -> str:
    """A member's LaTeX as written (its macros as called), without spacing at either end."""
    return _EDGES.sub("", written(prepared, start, end))


_MARKER = re.compile(f"{SCRIPTED_OPEN}([0-9]+){SCRIPTED_CLOSE}")


def _unmarked(source: str, names: tuple[str, ...]) -> str:
    """A member's source with each scripted name spelled as declared (``W_1``)."""
    return _MARKER.sub(lambda m: names[int(m.group(1))], source)


def _parse_chain(prepared: PreparedDisplay, names: tuple[str, ...] = (), words: frozenset[str] = frozenset()) -> ChainSyntax:
    """Tokens, parse and sources of prepared math (``names``: the document's
    scripted names, :mod:`deriv.latex.scripted`); raises LexError."""
    math = prepared.math
    tokens = tokenize(math, names, words)
    if not tokens:
        raise LexError("empty display (no math to check)", 1)
    try:
        # The tree builder makes (leading relation token or None, member nodes, relation tokens).
        parsed: Any = lalr_parser().parse(tokens)
        leading, members, relations = parsed
    except UnexpectedToken as error:
        raise _unexpected(error, tokens, math) from None
    except UnexpectedInput as error:  # not raised with our lexer; be safe
        raise SyntaxProblem("could not parse the display", getattr(error, "column", 1) or 1) from None
    except RecursionError:
        raise SyntaxProblem("expression nested too deeply", 1) from None
    for member in members:
        _check_depth(member)
    bounds = [0]
    for rel in ((leading,) if leading is not None else ()) + relations:
        bounds += [rel.start_pos, rel.end_pos]
    bounds.append(len(math))
    pairs = list(zip(bounds[0::2], bounds[1::2]))
    if leading is not None:
        pairs = pairs[1:]
    return ChainSyntax(
        leading=leading.value if leading is not None else None,
        members=members,
        relations=tuple(r.value for r in relations),
        sources=tuple(_unmarked(_source(prepared, a, b), names) for a, b in pairs),
        bounds=tuple(pairs),
    )


def _located(error: LexError, prepared: PreparedDisplay) -> LatexSyntaxError:
    column = prepared.display_column(error.column)
    return LatexSyntaxError(f"{error.message} at column {column}", column=column)


def parse_display(display: str, lexicon: Lexicon = PLAIN) -> tuple[ChainSyntax, PreparedDisplay]:
    """Prepare and parse one display: ``[REL] member (REL member)*``."""
    prepared = prepare(display, lexicon)
    if not prepared.math.strip():
        raise LatexSyntaxError("empty display (no math to check)", column=1)
    try:
        return _parse_chain(prepared, lexicon.scripted, lexicon.words), prepared
    except LexError as error:
        raise _located(error, prepared) from None
    except LarkError as error:  # never let lark's own errors escape
        raise LatexSyntaxError(f"could not parse the display: {error}", column=1) from None


def parse_expression(text: str, lexicon: Lexicon = PLAIN) -> Node:
    """Parse one expression without a relation (front matter, tests)."""
    chain, prepared = parse_display(text, lexicon)
    if prepared.tag is not None or prepared.justification is not None:
        raise LatexSyntaxError("\\text and \\tag are not allowed in an expression", column=1)
    if chain.leading is not None or chain.relations:
        raise LatexSyntaxError("expected an expression without a relation", column=1)
    return chain.members[0]
