"""Tokens of prepared display math, for the grammar in ``grammar.lark``.

A hand-written lexer because LaTeX tokens depend on context that a regular
lexer can not see: ``XW`` is two names, ``x_12`` is ``x_1`` times ``2``, and
``(`` right after a name opens a call.  Spacing and sizing commands vanish
here.  Errors are :class:`LexError` with a 1-based column in the math.
"""

from __future__ import annotations

from typing import NoReturn

from lark import Token

from deriv.latex.arguments import ArgumentError, Arguments
from deriv.latex.literal_tokens import LiteralError, matrix_token
from deriv.latex.scan import argument, command_at, skip_space
from deriv.latex.scripted import CLOSE as SCRIPTED_CLOSE
from deriv.latex.scripted import OPEN as SCRIPTED_OPEN
from deriv.names import (ACCENTS, FUNCTION_COMMANDS, FUNCTION_WORDS, GREEK, LOG_BASES, ONES_NAME, ROMAN_ONLY_OPERATORS,
                         accented)

MAX_DIGITS = 200  # a constant to 100+ places is fine; results are bounded by meaning/magnitude.py
MAX_BRACKET_DEPTH = 64


class LexError(Exception):
    """A problem at 1-based ``column`` of the math; the parser places it."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.column = column


class NameToken(Token):
    """A LETTER or GREEK token that may carry the font it was written in."""

    font: str | None = None


# Commands that only size or space things (docs/format.md: decoration).
_SIZERS = frozenset(
    "left right middle big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr "
    "bigm Bigm".split()
)
_IGNORED = _SIZERS | frozenset(
    "quad qquad displaystyle textstyle limits nolimits nonumber notag".split()
) | frozenset({",", ";", ":", "!", " ", "\n", "\t", "\r"})
_RELATIONS = {
    "leq": "<=", "le": "<=", "leqslant": "<=",
    "geq": ">=", "ge": ">=", "geqslant": ">=",
    "neq": "!=", "ne": "!=", "lt": "<", "gt": ">",
}
_COMMANDS = {
    "cdot": ("MULOP", "*"), "times": ("MULOP", "*"),
    "circ": ("CIRC", "circ"), "odot": ("CIRC", "odot"), "oslash": ("CIRC", "oslash"), "otimes": ("CIRC", "otimes"),
    "sum": ("SUM", "sum"), "prod": ("SUM", "prod"), "partial": ("PARTIAL", "partial"), "nabla": ("NABLA", "nabla"),
    "langle": ("LANGLE", "<"), "rangle": ("RANGLE", ">"),
    "frac": ("FRAC", "frac"), "dfrac": ("FRAC", "frac"), "tfrac": ("FRAC", "frac"),
    "top": ("TOP", "T"), "intercal": ("TOP", "T"),
}
_FONTS = frozenset("mathbf boldsymbol bm mathcal mathrm mathit mathsf".split())
_BOLD = frozenset({"mathbf", "boldsymbol", "bm"})
_PUNCTUATION = {
    "+": "ADDOP", "-": "ADDOP", "=": "REL", "<": "REL", ">": "REL", "/": "MULOP",
    "(": "LPAR", ")": "RPAR", "[": "LBRACK", "]": "RBRACK", "{": "LBRACE",
    "}": "RBRACE", ",": "COMMA", "_": "SUB", "^": "SUP", "'": "PRIME",
}
_OPENERS = frozenset({"LPAR", "CALLPAR", "LBRACK", "LBRACE"})
_CLOSERS = frozenset({"RPAR", "RBRACK", "RBRACE"})


def _token(kind: str, value: str, start: int, end: int) -> Token:
    """A token spanning ``math[start:end]``; columns are 1-based."""
    cls = NameToken if kind in ("LETTER", "GREEK") else Token
    return cls(kind, value, start, 1, start + 1, 1, end + 1, end)


def _span(token: Token) -> tuple[int, int]:
    """Where ``token`` starts and ends: every token made here has both (see :func:`_token`)."""
    assert token.start_pos is not None and token.end_pos is not None
    return token.start_pos, token.end_pos


def _digits_end(math: str, i: int) -> int:
    """End of the digit run starting at ``i``."""
    while i < len(math) and math[i].isascii() and math[i].isdigit():
        i += 1
    return i


def _number(math: str, i: int, single: bool) -> tuple[Token, int]:
    """A NUMBER at ``i``: one digit in a script (``x_12`` is ``x_1 2``),
    else ``\\d+(\\.\\d+)?``, whose integer digits may be grouped in threes
    by thin spaces (``1\\,000`` is one thousand, never ``1 \\cdot 000``)."""
    if single:
        return _token("NUMBER", math[i], i, i + 1), i + 1
    end = _digits_end(math, i)
    digits = math[i:end]
    first = len(digits)
    while math.startswith("\\,", end) and end + 2 < len(math) and math[end + 2].isdigit():
        group_end = _digits_end(math, end + 2)
        if first > 3 or group_end - end - 2 != 3:
            raise LexError(
                f"digits '{math[i:group_end]}' joined by \\, are not groups of three "
                "(write 1\\,000\\,000 for a number, 2 \\cdot 3 for a product)", i + 1
            )
        digits += math[end + 2 : group_end]
        end = group_end
    if end + 1 < len(math) and math[end] == "." and math[end + 1].isdigit():
        start = end
        end = _digits_end(math, end + 1)
        digits += math[start:end]
    if sum(c.isdigit() for c in digits) > MAX_DIGITS:
        raise LexError(f"number too large (more than {MAX_DIGITS} digits)", i + 1)
    return _token("NUMBER", digits, i, end), end


def _wrapped(math: str, after: int, bad: LexError, inner) -> tuple[str, str, int]:
    """The argument of a command at ``after``, braced (``{x}``) or not (`` x``):
    ``inner(i)`` reads it at ``i`` as ``(kind, value, end)``."""
    i = skip_space(math, after)
    braced = i < len(math) and math[i] == "{"
    if braced:
        i = skip_space(math, i + 1)
    if i >= len(math):
        raise bad
    kind, value, end = inner(i, braced)
    if braced:
        end = skip_space(math, end)
        if end >= len(math) or math[end] != "}":
            raise bad
        end += 1
    return kind, value, end


def _font_name(math: str, start: int, font: str, after: int) -> tuple[Token, int]:
    """``\\mathbf{x}``, ``\\mathbf x``, ``\\boldsymbol{\\lambda}``,
    ``\\mathbf{0}``: the wrapped name as one token that remembers the font."""
    bad = LexError(f"\\{font} must be applied to a single letter, digit or Greek letter", start + 1)

    def inner(i: int, braced: bool) -> tuple[str, str, int]:
        c = math[i]
        word_end = i
        while word_end < len(math) and math[word_end].isascii() and math[word_end].isalpha():
            word_end += 1
        if braced and word_end - i > 1:
            # \mathrm{lr}: the preprocessor let only a declared word through
            return "GREEK", math[i:word_end], word_end
        if c.isascii() and c.isalpha():
            return "LETTER", c, i + 1
        if c == "\\" and command_at(math, i)[0] in ACCENTS:
            token, end = _accent_name(math, i, *command_at(math, i))
            return "GREEK", token.value, end
        if c.isascii() and c.isdigit():
            end = _digits_end(math, i)
            if end - i > MAX_DIGITS:
                raise LexError(f"number too large (more than {MAX_DIGITS} digits)", i + 1)
            if math[i:end] == "1" and font in _BOLD:
                return "GREEK", ONES_NAME, end  # \mathbf{1}: the ones vector, not the number
            return "NUMBER", math[i:end], end
        if c == "\\" and command_at(math, i)[0] in GREEK:
            value, end = command_at(math, i)
            return "GREEK", value, end
        raise bad

    kind, value, end = _wrapped(math, after, bad, inner)
    token = _token(kind, value, start, end)
    if isinstance(token, NameToken):
        token.font = font
    return token, end


def _accent_name(math: str, start: int, accent: str, after: int) -> tuple[Token, int]:
    """``\\hat{y}``, ``\\hat y``, ``\\bar{\\lambda}``, ``\\tilde{\\mathbf{W}}``: one
    name of its own (never ``y``), spelled as :func:`deriv.names.accented` spells it."""
    bad = LexError(f"\\{accent} must be applied to a single letter or Greek letter, as in \\{accent}{{y}}", start + 1)

    def inner(i: int, braced: bool) -> tuple[str, str, int]:
        c = math[i]
        if c.isascii() and c.isalpha():
            return "GREEK", c, i + 1
        if accent == "vec" and c in "01" and not math[i + 1 : i + 2].isdigit():
            # \vec{0}: a zero, like \mathbf{0} (meaning/zeros.py); \vec{1}: the ones vector, like \mathbf{1}
            return ("NUMBER", "0", i + 1) if c == "0" else ("GREEK", ONES_NAME, i + 1)
        name, end = command_at(math, i) if c == "\\" else ("", i)
        if name in GREEK:
            return "GREEK", name, end
        if name in _FONTS:
            token, end = _font_name(math, i, name, end)
            if token.type != "GREEK" and token.type != "LETTER" or token.value not in GREEK and len(token.value) != 1:
                raise bad
            return "GREEK", token.value, end
        raise bad

    kind, base, end = _wrapped(math, after, bad, inner)
    plain = kind == "NUMBER" or base == ONES_NAME
    return _token(kind, base if plain else accented(accent, base), start, end), end


def _after_number(tokens: list[Token]) -> bool:
    """Whether the last token is a number that is not a one-digit script
    (``x_1 2`` is ``x_1`` times 2, ``2 3`` is nothing)."""
    if not tokens or tokens[-1].type != "NUMBER":
        return False
    return len(tokens) < 2 or tokens[-2].type not in ("SUB", "SUP")


def _is_call_paren(tokens: list[Token]) -> bool:
    """``(`` opens a call right after a name or a primed name that is not
    itself a one-token script (``x_i (a+b)`` is a product)."""
    if not tokens:
        return False
    last = tokens[-1]
    if last.type == "PRIME":
        return True
    if last.type not in ("LETTER", "GREEK"):
        return False
    return len(tokens) < 2 or tokens[-2].type not in ("SUB", "SUP")


def _log_base(math: str, i: int, after: int) -> tuple[Token, int]:
    """``\\log_2``, ``\\log_{10}`` (``after``: past the ``_``): one builtin, the logarithm
    to that base.  Another base is an error, never a subscripted name or a product."""
    found = argument(math, after)
    base = math[found[2] : found[3]].strip() if found is not None else ""
    if found is None or base not in LOG_BASES:
        raise LexError(f"\\log_{{{base}}}: a logarithm's base may be 2 or 10, as in \\log_2 x and \\log_{{10}} x "
                       "(\\log x is the natural logarithm); for another base b write \\log x / \\log b", i + 1)
    return _token("BUILTIN", LOG_BASES[base], i, found[1]), found[1]


def _command(math: str, i: int, name: str, j: int) -> tuple[Token | None, int]:
    """The token of command ``\\name`` at ``i`` (None when it is ignored)
    and where lexing continues."""
    if name in _IGNORED:
        if name in _SIZERS:
            k = skip_space(math, j)
            if k < len(math) and math[k] == ".":  # \left. is an empty delimiter
                return None, k + 1
        return None, j
    if name in GREEK or name in FUNCTION_WORDS:  # \softmax: from \operatorname{softmax}
        return _token("GREEK", name, i, j), j
    if name in _RELATIONS:
        return _token("REL", _RELATIONS[name], i, j), j
    if name == "sqrt" and math[skip_space(math, j) : skip_space(math, j) + 1] == "[":
        return _token("ROOT", "root", i, j), j  # \sqrt[n]{x}
    if name == "log" and math[skip_space(math, j) : skip_space(math, j) + 1] == "_":
        return _log_base(math, i, skip_space(math, j) + 1)
    if name in FUNCTION_COMMANDS:
        return _token("BUILTIN", FUNCTION_COMMANDS[name], i, j), j
    if name == "operatorname":  # \operatorname{vec}, as the preprocessor left it (\vec is an accent)
        k = skip_space(math, j)
        close = math.find("}", k)
        word = math[k + 1 : close].strip() if k < len(math) and math[k] == "{" and close > k else ""
        if word in ROMAN_ONLY_OPERATORS:
            return _token("BUILTIN", word, i, close + 1), close + 1
    if name in _COMMANDS:
        kind, value = _COMMANDS[name]
        return _token(kind, value, i, j), j
    if name in _FONTS:
        return _font_name(math, i, name, j)
    if name in ACCENTS:
        return _accent_name(math, i, name, j)
    _unknown_command(math, i, name, j)


def _unknown_command(math: str, i: int, name: str, j: int) -> NoReturn:
    """The error for a command deriv does not read, saying what to write where it can."""
    if not name:
        raise LexError("stray backslash at the end of the display", i + 1)
    if name == "\\":
        raise LexError("unexpected line break \\\\ inside one display", i + 1)
    if name in ("begin", "end"):
        k = skip_space(math, j)
        close = math.find("}", k)
        env = math[k + 1 : close] if k < len(math) and math[k] == "{" and close > k else "?"
        raise LexError(f"environment {env} is not supported inside display math (\\{name}{{{env}}})", i + 1)
    if name in ("cdots", "dots", "ldots", "dotsb", "dotsc", "dotsm"):
        raise LexError(f"\\{name}: deriv does not guess the terms an ellipsis leaves out: write a sum or a "
                       "product over an index, as in \\sum_{i=1}^{N} x_i for x_1 + \\cdots + x_N", i + 1)
    if name in _EXTREMA:
        raise LexError(f"\\{name} is not supported: for two scalars write {_EXTREMA[name]} "
                       "(|.| the absolute value)", i + 1)
    raise LexError(f"unknown command \\{name}", i + 1)


#: \max and \min, and what to write for them with two scalars.
_EXTREMA = {"max": "\\frac{a + b + |a - b|}{2} for \\max(a, b)", "min": "\\frac{a + b - |a - b|}{2} for \\min(a, b)"}


#: What ``\\circ`` right after ``^{`` becomes: a name no document can write, which
#: the tree builder turns into a Hadamard power's exponent (``X^{\\circ 2}``).
ENTRYWISE_MARK = "\\circ"


def _entrywise_mark(token: Token, tokens: list[Token]) -> Token:
    """``token``, or the Hadamard-power mark when it is a ``\\circ`` opening a superscript."""
    if token.type == "CIRC" and token.value in ("circ", "odot") and len(tokens) >= 2 \
            and tokens[-1].type == "LBRACE" and tokens[-2].type == "SUP":
        return _token("GREEK", ENTRYWISE_MARK, *_span(token))
    return token


#: Words that, written without their backslash, are a command's name and no product of letters
#: (``lambda`` for ``\\lambda``, ``exp`` for ``\\exp``); shorter ones (``mu``, ``pi``, ``tr``) may be products.
_COMMAND_WORDS = frozenset(w for w in GREEK if len(w) >= 4) | {"exp", "log", "tanh", "sqrt", "sin", "cos", "det"}


def _letter(math: str, i: int, words: frozenset[str] = frozenset()) -> Token:
    """The letter at ``i``; a run of letters there spelling a command without its backslash, or
    holding a declared word, is an error, never a product of its letters (``lambda > 0`` read as
    l a m b d a > 0; ``lr`` with ``lr`` declared, which is written ``\\mathrm{lr}``)."""
    if i == 0 or not (math[i - 1].isalpha() or math[i - 1] == "\\"):
        end = i
        while end < len(math) and math[end].isascii() and math[end].isalpha():
            end += 1
        run = math[i:end]
        if run in _COMMAND_WORDS:
            raise LexError(f"'{run}' would be read as the letters {' '.join(run)} multiplied: write \\{run}", i + 1)
        declared = next((w for w in sorted(words) if w in run), None)
        if declared is not None:
            raise LexError(f"'{run}' would be read as the letters {' '.join(run)} multiplied; the declared name "
                           f"{declared} is written \\mathrm{{{declared}}}", i + 1)
    return _token("LETTER", math[i], i, i + 1)


def tokenize(math: str, names: tuple[str, ...] = (), words: frozenset[str] = frozenset()) -> list[Token]:
    """All tokens of ``math``; raises :class:`LexError`.  ``names`` are the
    scripted names the preprocessor marked (:mod:`deriv.latex.scripted`), ``words``
    the document's declared multi-letter names."""
    tokens: list[Token] = []
    depth = 0
    literals: list[str] = []  # the matrix environments open at i (\\begin{pmatrix})
    arguments = Arguments()  # what \frac and \sqrt still take (TeX's one-token rule)
    i = 0
    while i < len(math):
        c = math[i]
        if arguments.expected(depth) and not c.isspace():
            if c != "{":
                i = _unbraced(arguments, math, i, tokens)
                continue
            arguments.opened()
        if c == "\\" or (c == "&" and literals):
            try:
                made = matrix_token(math, i, literals)
            except LiteralError as error:
                raise LexError(error.message, error.column) from None
            if made is not None:
                tokens.append(made[0])
                i = made[1]
                continue
        if c == SCRIPTED_OPEN:
            end = math.index(SCRIPTED_CLOSE, i)
            tokens.append(_token("GREEK", names[int(math[i + 1 : end])], i, end + 1))
            i = end + 1
            continue
        if c.isspace() or c in "~&":
            i += 1
            continue
        if c == "\\":
            name, j = command_at(math, i)
            token, i = _command(math, i, name, j)
            if token is not None:
                tokens.append(_entrywise_mark(_inverse_top(tokens, token), tokens))
                arguments.command(math, token, depth)
            continue
        if c.isascii() and c.isalpha():
            tokens.append(_letter(math, i, words))
            i += 1
            continue
        if c.isascii() and c.isdigit():
            single = bool(tokens) and tokens[-1].type in ("SUB", "SUP")
            if not single and _after_number(tokens):
                raise LexError(
                    f"two numbers side by side ({tokens[-1].value} {math[i:_digits_end(math, i)]}): "
                    "write 2 \\cdot 3 for a product, 1\\,000 for one number", i + 1
                )
            token, i = _number(math, i, single)
            tokens.append(token)
            continue
        if c == "." and math[i + 1 : i + 2].isdigit() and not math[i - 1 : i].isdigit():
            raise LexError("a number must start with a digit: write 0.5, not .5", i + 1)
        prime = _prime(math, i)
        if prime is not None:
            tokens.append(prime)
            i = _span(prime)[1]
            continue
        kind = _punctuation(c, i, tokens)
        if kind in _OPENERS:
            depth += 1
            if depth > MAX_BRACKET_DEPTH:
                raise LexError(f"brackets nested deeper than {MAX_BRACKET_DEPTH}", i + 1)
        elif kind in _CLOSERS:
            depth -= 1
            arguments.closed(depth, kind)
        tokens.append(_token(kind, c, i, i + 1))
        i += 1
    _finish(arguments)
    if literals:
        raise LexError(f"\\begin{{{literals[-1]}}} is never closed by \\end{{{literals[-1]}}}", len(math))
    return tokens


def _unbraced(arguments: Arguments, math: str, i: int, tokens: list[Token]) -> int:
    """Add the tokens of the one-token argument at ``i`` (:mod:`deriv.latex.arguments`); where lexing goes on."""
    try:
        pieces, end = arguments.unbraced(math, i)
    except ArgumentError as error:
        raise LexError(error.message, error.column) from None
    tokens.extend(_token(*piece) for piece in pieces)
    return end


def _finish(arguments: Arguments) -> None:
    """The end of the math: no ``\\frac`` or ``\\sqrt`` may still wait for an argument."""
    try:
        arguments.finish()
    except ArgumentError as error:
        raise LexError(error.message, error.column) from None


def _prime(math: str, i: int) -> Token | None:
    """``'``, ``''`` or ``^\\prime``, ``^{\\prime\\prime}`` at ``i``: one PRIME token (``f''``), else None."""
    primes = _superscript_primes(math, i) if math[i] == "^" else None
    if primes is not None:
        count, end = primes
        return _token("PRIME", "'" * count, i, end)  # f^{\\prime\\prime} is f''
    if math[i] != "'":
        return None
    end = i
    while end < len(math) and math[end] == "'":
        end += 1
    return _token("PRIME", math[i:end], i, end)


def _punctuation(c: str, i: int, tokens: list[Token]) -> str:
    """The kind of the one-character token ``c`` at ``i`` (a call's ``(`` is ``CALLPAR``)."""
    kind = _PUNCTUATION.get(c)
    if c == ";":
        raise LexError("';' inside a display: write each claim in its own display "
                       "(a display holds one chain)", i + 1)
    if kind is None:
        raise LexError(f"unexpected character {c!r}", i + 1)
    return "CALLPAR" if c == "(" and _is_call_paren(tokens) else kind


_PRIME = "\\prime"


def _inverse_top(before: list[Token], token: Token) -> Token:
    """``\\top`` in ``^{-\\top}`` (the inverse of the transpose) is ``^{-\\mathsf{T}}``: a
    ``T`` that names no scalar or size."""
    if token.type == "TOP" and [t.type for t in before[-3:]] == ["SUP", "LBRACE", "ADDOP"] and before[-1].value == "-":
        letter = _token("LETTER", "T", *_span(token))
        assert isinstance(letter, NameToken)  # a LETTER
        letter.font = "mathsf"
        return letter
    return token


def _superscript_primes(math: str, at: int) -> tuple[int, int] | None:
    """``^\\prime`` or ``^{\\prime ...}`` at ``at`` (the ``^``): (primes, end), else None."""
    i = at + 1
    while i < len(math) and math[i] == " ":
        i += 1
    if math.startswith(_PRIME, i) and not math[i + len(_PRIME) : i + len(_PRIME) + 1].isalpha():
        return 1, i + len(_PRIME)
    if not math.startswith("{", i):
        return None
    i, count = i + 1, 0
    while True:
        while i < len(math) and math[i] == " ":
            i += 1
        if math.startswith(_PRIME, i) and not math[i + len(_PRIME) : i + len(_PRIME) + 1].isalpha():
            count, i = count + 1, i + len(_PRIME)
        elif math.startswith("}", i) and count:
            return count, i + 1
        else:
            return None
