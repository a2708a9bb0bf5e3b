"""The names deriv knows before reading a document: one table of each.

* :data:`GREEK` -- Greek letters usable as names (``\\lambda`` in the math,
  ``lambda:`` in the front matter);
* :data:`FUNCTION_COMMANDS` -- every function and operator written as a
  command, and the subsets the later stages need;
* :class:`Kind` -- the kinds a symbol can be declared as.

Vocabulary: imported by the front matter reader, the lexer, the builder and
the engine alike, so that none of them keeps a copy that could disagree.
"""

from __future__ import annotations

import enum

#: Greek letter commands understood as names (without the backslash).
GREEK = frozenset(
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa varkappa "
    "lambda mu nu xi omicron pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi "
    "psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega".split()
)

#: Functions and operators written as a command (without the backslash) ->
#: the builtin it stands for (``\ln`` is ``\log``).
FUNCTION_COMMANDS: dict[str, str] = {
    "exp": "exp", "log": "log", "ln": "log", "tanh": "tanh",
    "sqrt": "sqrt", "tr": "tr", "Tr": "tr", "norm": "norm", "abs": "abs", "diag": "diag",
}

#: Builtins that are scalar functions applied entry by entry, each the SymPy
#: function of the same name (``sympy.exp``); the engine evaluates them.
SCALAR_FUNCTIONS = frozenset({"exp", "log", "tanh", "sqrt"})

#: Commands that ``\operatorname{..}``/``\mathrm{..}`` may spell too.  ``\sqrt``
#: and the norm have their own notation (``\sqrt{x}``, ``\|x\|``).
ROMAN_OPERATORS = frozenset(FUNCTION_COMMANDS) - {"sqrt", "norm", "abs"}


class Kind(enum.StrEnum):
    """What a declared symbol is.  The values are the front matter's words
    (and compare equal to them: ``Kind.SCALAR == "scalar"``)."""

    SCALAR = "scalar"
    VECTOR = "vector"
    MATRIX = "matrix"
    SYMMETRIC = "symmetric"
    IDENTITY = "identity"
    ONES = "ones"
    FUNCTION = "function"
    ELEMENTWISE = "elementwise"
    ROWS = "rows"
    COLUMNS = "columns"
    #: Functions declared by what they are (``sigma: logistic``): each is
    #: expanded to its definition, so the checker knows its derivatives.
    LOGISTIC = "logistic"
    SOFTPLUS = "softplus"
    RELU = "relu"
    TANH = "tanh"
    SOFTMAX = "softmax"


#: Kinds whose value is an array of numbers (as opposed to a function).
ARRAY_KINDS = frozenset({Kind.SCALAR, Kind.VECTOR, Kind.MATRIX, Kind.SYMMETRIC, Kind.IDENTITY, Kind.ONES})
#: Known functions applied entry by entry (``softmax`` maps a vector to a vector).
KNOWN_FUNCTION_KINDS = frozenset({Kind.LOGISTIC, Kind.SOFTPLUS, Kind.RELU, Kind.TANH, Kind.SOFTMAX})
FUNCTION_KINDS = frozenset({Kind.FUNCTION, Kind.ELEMENTWISE}) | KNOWN_FUNCTION_KINDS
#: Multi-letter names a known function may be declared under, written in the
#: math as ``\operatorname{softmax}``, ``\mathrm{relu}`` or ``\text{softplus}``.
FUNCTION_WORDS = frozenset({"softmax", "softplus", "relu", "logistic", "sigmoid"})
#: Kinds that stand for the rows or columns of another matrix (``y: rows of Y``).
SLICE_KINDS = frozenset({Kind.ROWS, Kind.COLUMNS})

#: ``\mathbf{1}`` (also ``\boldsymbol{1}``, ``\bm{1}``): the ones vector, sized by its surroundings.
ONES_NAME = "\\mathbf{1}"
#: Accent commands that make a name of their own: ``\hat{y}`` is not ``y``.
ACCENTS = frozenset("hat widehat bar overline tilde widetilde dot ddot vec check breve acute grave".split())
#: Words a multi-letter name may not be: they are operators when written in roman.
RESERVED_WORDS = frozenset(FUNCTION_COMMANDS) | {"d", "det", "max", "min", "arg", "sin", "cos"}


def accented(accent: str, base: str) -> str:
    """The name ``\\hat{y}`` (``\\hat{\\lambda}`` for a Greek base): how an
    accented name is spelled everywhere, front matter and math alike."""
    shown = f"\\{base}" if base in GREEK else base
    return f"\\{accent}{{{shown}}}"


def is_word(name: str) -> bool:
    """A multi-letter name (``lr``), written ``\\mathrm{lr}`` in the math:
    not a Greek letter, a known function word or a reserved operator."""
    return (
        len(name) > 1 and name.isascii() and name.isalpha()
        and name not in GREEK and name not in FUNCTION_WORDS and name not in RESERVED_WORDS
    )

#: Commands whose argument is words, not math: ``\text{by (2)}``.
TEXT_COMMANDS = frozenset(
    {"text", "textrm", "textit", "textbf", "textsf", "texttt", "textnormal", "mbox", "hbox"}
)
