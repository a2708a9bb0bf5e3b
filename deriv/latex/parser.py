"""Parse the math of one display into :mod:`deriv.latex.ast` nodes.

``parse_display`` strips decoration (:mod:`deriv.latex.preprocess`), lexes
(:mod:`deriv.latex.lexer`) and parses with the LALR grammar in
``grammar.lark``.  The tree is built by callbacks during the parse itself
(no recursion, so deep input can not overflow the stack here).  Every
problem is a :class:`~deriv.errors.LatexSyntaxError` whose ``column`` is
1-based in the display text as given (newlines count as characters).
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lark import Lark, Token, Transformer
from lark.exceptions import LarkError, UnexpectedInput, UnexpectedToken
from lark.lexer import Lexer

from deriv.errors import LatexSyntaxError
from deriv.latex.ast import (
    Add,
    BigSum,
    Builtin,
    Call,
    ChainSyntax,
    Frac,
    Group,
    Hadamard,
    Name,
    Neg,
    Node,
    Number,
    Partial,
    Prime,
    Product,
    Relation,
    Scripted,
    SumIndex,
)
from deriv.latex.lexer import LexError, tokenize
from deriv.latex.preprocess import PreparedDisplay, prepare

MAX_TREE_DEPTH = 200
_GRAMMAR = Path(__file__).with_name("grammar.lark")
_parser: Lark | None = None


class _Fail(LexError):
    """A syntax problem found while building the tree (math column)."""


def _fail_at(message: str, node: Any) -> _Fail:
    return _Fail(message, getattr(node, "column", 1) or 1)


@dataclass
class _Chain:
    """Factors of a product being collected (left-recursive rule)."""

    factors: list[Node] = field(default_factory=list)
    ops: list[str] = field(default_factory=list)

    def node(self) -> Node:
        if len(self.factors) == 1:
            return self.factors[0]
        return Product(tuple(self.factors), tuple(self.ops), column=self.factors[0].column)


@dataclass(frozen=True)
class _Script:
    """One parsed script: its comma-separated items, or the transpose mark."""

    items: tuple[Node, ...]
    transpose: bool = False
    column: int = 0


def _is_transpose(script: _Script) -> bool:
    """``^T``, ``^{T}``, ``^\\top``, ``^{\\top}``, ``^{\\mathsf{T}}``."""
    if script.transpose:
        return True
    if len(script.items) != 1:
        return False
    item = script.items[0]
    return isinstance(item, Name) and item.name == "T"


def _scripted(base: Node, scripts: list[tuple[str, _Script]]) -> Node:
    """Attach ``_`` and ``^`` scripts to ``base``."""
    sub: tuple[Node, ...] | None = None
    sup: Node | None = None
    transpose = False
    for kind, script in scripts:
        if kind == "_":
            sub = script.items
        elif _is_transpose(script):
            transpose = True
        elif len(script.items) != 1 or isinstance(script.items[0], Relation):
            raise _Fail("a superscript must be a single expression", script.column)
        else:
            sup = script.items[0]
    return Scripted(base, sub=sub, sup=sup, transpose=transpose, column=base.column)


def _sum_indices(sub: _Script, sup: _Script | None) -> tuple[SumIndex, ...]:
    """``\\sum_{i,j}``, ``\\sum_i``, ``\\sum_{ij}``, ``\\sum_{k=1}^{M}``."""
    indices: list[SumIndex] = []
    for item in sub.items:
        if isinstance(item, Name):
            indices.append(SumIndex(item.name, column=item.column))
        elif isinstance(item, Relation) and isinstance(item.left, Name) and item.relation == "=":
            indices.append(SumIndex(item.left.name, lower=item.right, column=item.column))
        elif isinstance(item, Product) and all(isinstance(f, Name) for f in item.factors) \
                and not any(item.ops):
            indices += [SumIndex(f.name, column=f.column) for f in item.factors]  # \sum_{ij}
        else:
            raise _fail_at("unsupported summation index: write \\sum_{i}, \\sum_{i,j} "
                           "or \\sum_{k=1}^{M}", item)
    if sup is not None:
        if len(indices) != 1 or sup.transpose or len(sup.items) != 1:
            raise _Fail("an upper bound needs exactly one summation index", sup.column)
        indices[0] = SumIndex(indices[0].name, indices[0].lower, sup.items[0], indices[0].column)
    return tuple(indices)


class _Build(Transformer):
    """Grammar callbacks, applied as the LALR parser reduces."""

    def start(self, c: list) -> tuple:
        leading = c[0] if isinstance(c[0], Token) else None
        rest = c[1:] if leading is not None else c
        return leading, tuple(rest[0::2]), tuple(rest[1::2])

    def expr(self, c: list) -> Node:
        first: Node
        if isinstance(c[0], Token):
            first = Neg(c[1], column=c[0].column) if c[0] == "-" else c[1]
            c = c[2:]
        else:
            first, c = c[0], c[1:]
        if not c:
            return first
        terms = [(1, first)] + [(1 if op == "+" else -1, t) for op, t in zip(c[0::2], c[1::2])]
        return Add(tuple(terms), column=first.column)

    def term(self, c: list) -> Node:
        operands = [x.node() if isinstance(x, _Chain) else x for x in c[0::2]]
        result = operands[0]
        for right in operands[1:]:
            result = Hadamard(result, right, column=result.column)
        return result

    def ptail(self, c: list) -> Node:
        return c[0].node() if isinstance(c[0], _Chain) else c[0]

    def product_sum(self, c: list) -> Node:
        chain: _Chain = c[0]
        chain.ops.append("" if len(c) == 2 else c[1].value)
        chain.factors.append(c[-1])
        return chain.node()

    def product(self, c: list) -> _Chain:
        if len(c) == 1:
            return _Chain([c[0]], [])
        chain: _Chain = c[0]
        chain.ops.append("" if len(c) == 2 else c[1].value)
        chain.factors.append(c[-1])
        return chain

    def bigsum(self, c: list) -> BigSum:
        sup = c[4] if len(c) == 6 else None
        return BigSum(_sum_indices(c[2], sup), c[-1], column=c[0].column)

    def bigsum_sup_first(self, c: list) -> BigSum:
        return BigSum(_sum_indices(c[4], c[2]), c[-1], column=c[0].column)

    def factor(self, c: list) -> Node:
        return c[0] if len(c) == 1 else _scripted(c[0], c[1])

    bare = factor

    def builtin_bare(self, c: list) -> Builtin:
        return Builtin(c[0].value, c[1], column=c[0].column)

    def builtin_group(self, c: list) -> Builtin:
        func, group = c
        if func.value == "sqrt" and group.bracket == "[":
            raise _fail_at("\\sqrt[n]{...} (an n-th root) is not supported", func)
        return Builtin(func.value, group.body, column=func.column)

    def scripts(self, c: list) -> list[tuple[str, _Script]]:
        return [(c[k].value, c[k + 1]) for k in range(0, len(c), 2)]

    def script(self, c: list) -> _Script:
        return _Script(c[1], column=c[0].column)

    def script_top(self, c: list) -> _Script:
        return _Script((), transpose=True, column=c[0].column)

    def script_name(self, c: list) -> _Script:
        return _Script((self.name(c),), column=c[0].column)

    def script_number(self, c: list) -> _Script:
        return _Script((self.number(c),), column=c[0].column)

    def script_items(self, c: list) -> tuple[Node, ...]:
        return tuple(x for x in c if not isinstance(x, Token))

    def script_item(self, c: list) -> Node:
        return c[0]

    def script_relation(self, c: list) -> Relation:
        return Relation(c[0], c[1].value, c[2], column=c[0].column)

    def group(self, c: list) -> Group:
        return Group(c[1], c[0].value, column=c[0].column)

    def name(self, c: list) -> Name:
        tok = c[0]
        return Name(tok.value, column=tok.column, font=getattr(tok, "font", None))

    def number(self, c: list) -> Number:
        return Number(c[0].value, column=c[0].column)

    def prime(self, c: list) -> Prime:
        return Prime(c[0], column=c[0].column)

    def call(self, c: list) -> Call:
        return Call(c[0], c[2], column=c[0].column)

    def prime_call(self, c: list) -> Call:
        func = Name(c[0].name + "'", column=c[0].column, font=c[0].font)
        return Call(func, c[3], column=c[0].column)

    def frac(self, c: list) -> Frac:
        return Frac(c[1], c[2], column=c[0].column)

    def frac_part(self, c: list) -> Node:
        return c[1]

    def partial(self, c: list) -> Partial:
        return Partial(c[1] if len(c) == 2 else None, column=c[0].column)

    def partial_power(self, c: list) -> Partial:
        raise _fail_at("higher derivatives are not supported (\\partial^n)", c[0])


class _ListLexer(Lexer):
    """Hands the parser the tokens that :func:`tokenize` already made."""

    def __init__(self, lexer_conf: Any) -> None:
        pass

    def lex(self, data: Any) -> Any:  # type: ignore[override]
        return iter(data)


def _cache_path(grammar: str) -> str | bool:
    """Where lark may keep the analysed grammar (about 50 ms saved per run).

    A per-user directory rather than lark's default in the shared temp
    directory, whose predictable file name another user could plant.
    """
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(base, "deriv")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
    except OSError:
        return False  # no cache: lark then simply analyses the grammar
    digest = hashlib.sha256(grammar.encode("utf-8")).hexdigest()[:16]
    return os.path.join(folder, f"grammar-{digest}.lark-cache")


def _get_parser() -> Lark:
    """The LALR parser, built once on first use."""
    global _parser
    if _parser is None:
        grammar = _GRAMMAR.read_text(encoding="utf-8")
        _parser = Lark(
            grammar,
            parser="lalr",
            lexer=_ListLexer,
            transformer=_Build(),
            cache=_cache_path(grammar),
        )
    return _parser


_DESCRIPTIONS = {"RPAR": "')'", "RBRACK": "']'", "RBRACE": "'}'"}
_OPERATOR_TYPES = frozenset({"REL", "ADDOP", "MULOP", "CIRC", "COMMA", "SUB", "SUP"})


def _shown(token: Token, math: str) -> str:
    """How a token was written, quoted for a message."""
    text = math[token.start_pos : token.end_pos]
    return text if text.startswith("\\") else f"'{text}'"


def _unexpected(error: UnexpectedToken, tokens: list[Token], math: str) -> _Fail:
    """A friendly message for a token the grammar did not expect."""
    token = error.token
    at_end = token.type == "$END"
    k = len(tokens) if at_end else next((n for n, t in enumerate(tokens) if t is token), 0)
    prev = tokens[k - 1] if k > 0 else None
    column = len(math) + 1 if at_end else token.column
    if prev is not None and prev.type == "SUM" and token.type != "SUB":
        return _Fail("\\sum needs a summation index, as in \\sum_{i}", prev.column)
    if prev is not None and prev.type == "FRAC":
        return _Fail("\\frac needs two braced arguments, as in \\frac{a}{b}", prev.column)
    if prev is not None and prev.type in _OPERATOR_TYPES and (
        at_end or token.type in _OPERATOR_TYPES or token.type in _DESCRIPTIONS
    ):
        return _Fail(f"expected an expression after {_shown(prev, math)}", column)
    if at_end:
        closers = sorted(_DESCRIPTIONS[t] for t in error.expected if t in _DESCRIPTIONS)
        missing = f" (missing {' or '.join(closers)})" if closers else ""
        return _Fail(f"unexpected end of display{missing}", column)
    if token.type == "PARTIAL":
        return _Fail("\\partial is only understood inside \\frac, as in "
                     "\\frac{\\partial E}{\\partial x}", column)
    if token.type == "TOP":
        return _Fail(f"{_shown(token, math)} is only understood as a superscript", column)
    if token.type == "PRIME":
        return _Fail("a prime ' is only understood right after a name, as in h'", column)
    return _Fail(f"unexpected {_shown(token, math)}", column)


def _check_depth(root: Any) -> None:
    """Reject trees too deep for the recursive code that consumes them."""
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_TREE_DEPTH:
            raise _fail_at(f"expression nested deeper than {MAX_TREE_DEPTH} levels", node)
        for value in vars(node).values():
            children = value if isinstance(value, tuple) else (value,)
            for child in children:
                if isinstance(child, tuple):  # Add terms: (sign, node)
                    child = child[1]
                if hasattr(child, "__dataclass_fields__"):
                    stack.append((child, depth + 1))


_EDGE_SPACING = r"(?:\s|~|&|\\(?:quad|qquad|displaystyle)(?![A-Za-z])|\\[,;:! ])+"
_EDGES = re.compile(f"^{_EDGE_SPACING}|{_EDGE_SPACING}$")


def _source(math: str, start: int, end: int) -> str:
    """A member's LaTeX as written, without spacing at either end."""
    return _EDGES.sub("", math[start:end])


def _parse_chain(math: str) -> ChainSyntax:
    """Tokens, parse and sources of prepared math; raises LexError."""
    tokens = tokenize(math)
    if not tokens:
        raise LexError("empty display (no math to check)", 1)
    try:
        leading, members, relations = _get_parser().parse(tokens)
    except UnexpectedToken as error:
        raise _unexpected(error, tokens, math) from None
    except UnexpectedInput as error:  # not raised with our lexer; be safe
        raise _Fail("could not parse the display", getattr(error, "column", 1) or 1) from None
    except RecursionError:
        raise _Fail("expression nested too deeply", 1) from None
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
        sources=tuple(_source(math, a, b) for a, b in pairs),
    )


def _located(error: LexError, prepared: PreparedDisplay) -> LatexSyntaxError:
    column = prepared.display_column(error.column)
    return LatexSyntaxError(f"{error.message} at column {column}", column=column)


def parse_display(display: str) -> tuple[ChainSyntax, PreparedDisplay]:
    """Prepare and parse one display: ``[REL] member (REL member)*``."""
    prepared = prepare(display)
    if not prepared.math.strip():
        raise LatexSyntaxError("empty display (no math to check)", column=1)
    try:
        return _parse_chain(prepared.math), prepared
    except LexError as error:
        raise _located(error, prepared) from None
    except LarkError as error:  # never let lark's own errors escape
        raise LatexSyntaxError(f"could not parse the display: {error}", column=1) from None


def parse_expression(text: str) -> Node:
    """Parse one expression without a relation (front matter, tests)."""
    chain, prepared = parse_display(text)
    if prepared.tag is not None or prepared.justification is not None:
        raise LatexSyntaxError("\\text and \\tag are not allowed in an expression", column=1)
    if chain.leading is not None or chain.relations:
        raise LatexSyntaxError("expected an expression without a relation", column=1)
    return chain.members[0]
