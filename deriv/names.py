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

import dataclasses
import enum

#: Greek letter commands understood as names (without the backslash).
GREEK = frozenset(
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa varkappa "
    "lambda mu nu xi omicron pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi "
    "psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega".split()
) | {"ell"}  # \ell, the loss's letter in many notes, is named like a Greek letter

#: Functions and operators written as a command (without the backslash) ->
#: the builtin it stands for (``\ln`` is ``\log``).
FUNCTION_COMMANDS: dict[str, str] = {
    "exp": "exp", "log": "log", "ln": "log", "tanh": "tanh",
    "sqrt": "sqrt", "tr": "tr", "Tr": "tr", "norm": "norm", "abs": "abs", "diag": "diag",
    "det": "det",
}

#: Operators written only in roman (``\operatorname{vec}``, ``\mathrm{vec}``), because
#: their own command means something else (``\vec{x}`` is an accented name): the
#: preprocessor writes each as ``\operatorname{..}``, which the lexer reads.
ROMAN_ONLY_OPERATORS = frozenset({"vec"})

#: The trigonometric, hyperbolic, inverse and error functions, as commands (``\sin``;
#: ``\operatorname{erf}``, ``\operatorname{arctanh}`` have none in LaTeX and are spelled in
#: roman); ``\log_2``, ``\log_{10}`` are the builtins ``log2``, ``log10`` (the lexer reads the base).
ELEMENTARY_COMMANDS: dict[str, str] = {
    name: name for name in "sin cos tan cot sec csc sinh cosh arcsin arccos arctan arctanh erf".split()
} | {"artanh": "arctanh"}
FUNCTION_COMMANDS |= ELEMENTARY_COMMANDS

#: The bases a logarithm may be written with (``\log_2 x``) -> its builtin.
LOG_BASES = {"2": "log2", "10": "log10"}

#: Builtins that are scalar functions applied entry by entry; the engine evaluates them.
SCALAR_FUNCTIONS = frozenset({"exp", "log", "tanh", "sqrt", *ELEMENTARY_COMMANDS.values(), *LOG_BASES.values()})

#: Builtins that are also functions of a square matrix (the matrix exponential,
#: logarithm, square root, sine, ...): of one they are an error unless declared
#: ``elementwise function`` (the only kind these names may be declared as);
#: ``\log_2`` and ``\log_{10}`` go with ``log``.  ``\tanh`` and ``\operatorname{erf}``
#: are activations in ML texts, entry by entry on every shape.
MATRIX_BUILTINS = frozenset({"exp", "log", "sqrt"} | set(ELEMENTARY_COMMANDS.values()) - {"erf"})


def builtin_family(func: str) -> str:
    """The name a builtin is declared under: ``log`` for ``log2`` and ``log10``."""
    return "log" if func in LOG_BASES.values() else func


def shown_builtin(func: str) -> str:
    """A builtin as LaTeX writes it: ``\\sin``, ``\\log_2``, ``\\operatorname{erf}``."""
    for base, name in LOG_BASES.items():
        if func == name:
            return f"\\log_{{{base}}}" if len(base) > 1 else f"\\log_{base}"
    roman = {"erf", "arctanh", "tr", "diag"} | ROMAN_ONLY_OPERATORS  # \\vec is an accent: \\operatorname{vec}
    return f"\\operatorname{{{func}}}" if func in roman else f"\\{func}"


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
    #: Softmax of a matrix, each row (column) normalised on its own: attention's
    #: ``softmax(Q K^T / sqrt(d))``.  A plain ``softmax`` of a matrix is an error.
    SOFTMAX_ROWS = "softmax over rows"
    SOFTMAX_COLUMNS = "softmax over columns"
    #: ``k: positive integer``: a whole number k >= 1, read as a size (``A^k``, ``\\sum_{i=1}^{k}``).
    COUNT = "positive integer"


@dataclasses.dataclass(frozen=True)
class Family:
    """``h: vector H, for t in 0..T``: members ``h_0`` to ``h_T``, each of kind ``member``
   .  Kept as an array with one more (leading) index, ``last`` a
    written length such as ``T`` or ``T+1``."""

    index: str
    first: int
    last: str
    member: Kind


#: Kinds whose value is an array of numbers (as opposed to a function).
ARRAY_KINDS = frozenset({Kind.SCALAR, Kind.VECTOR, Kind.MATRIX, Kind.SYMMETRIC, Kind.IDENTITY, Kind.ONES})
#: Known functions applied entry by entry (``softmax`` maps a vector to a vector).
KNOWN_FUNCTION_KINDS = frozenset(
    {Kind.LOGISTIC, Kind.SOFTPLUS, Kind.RELU, Kind.TANH, Kind.SOFTMAX, Kind.SOFTMAX_ROWS, Kind.SOFTMAX_COLUMNS}
)
#: The softmax kinds (a vector to a vector, or a matrix row by row or column by column).
SOFTMAX_KINDS = frozenset({Kind.SOFTMAX, Kind.SOFTMAX_ROWS, Kind.SOFTMAX_COLUMNS})
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
RESERVED_WORDS = frozenset(FUNCTION_COMMANDS) | {"d", "det", "max", "min", "arg", "sin", "cos", *ROMAN_ONLY_OPERATORS}


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


# -- names written with a script: W_1, h_{t-1}, b^{(l)}, L_{\mathrm{reg}} -------------

#: Spacing commands that a script's spelling ignores (``h_{t - 1}`` is ``h_{t-1}``).
_SCRIPT_SPACING = (r"\,", r"\;", r"\:", r"\!", "\\ ", "~")


def normal_script(text: str) -> str:
    """A script's contents spelled one way: spacing dropped, except the one
    space that keeps a command from gluing onto a letter (``\\mathrm reg``)."""
    for space in _SCRIPT_SPACING:
        text = text.replace(space, " ")
    out: list[str] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c.isspace():
            i += 1
            continue
        if c == "\\":
            j = i + 1
            while j < len(text) and text[j].isascii() and text[j].isalpha():
                j += 1
            j = max(j, i + 2)
            out.append(text[i:j])
            k = j
            while k < len(text) and text[k].isspace():
                k += 1
            if j > i + 2 and k < len(text) and k > j and text[k].isascii() and text[k].isalpha():
                out.append(" ")
            i = k
            continue
        out.append(c)
        i += 1
    return "".join(out)


def _one_token(script: str) -> bool:
    """Whether a normalised script is one character or one command (``1``, ``\\alpha``)."""
    if len(script) == 1:
        return True
    return script.startswith("\\") and len(script) > 1 and script[1:].isascii() and script[1:].isalpha()


def scripted(base: str, sub: str | None, sup: str | None) -> str:
    """The one spelling of a name with scripts: ``W_1``, ``h_{t-1}``,
    ``b^{(l)}``, ``\\alpha_1`` (``base`` as the math writes it: ``\\alpha``).
    Scripts are normalised (:func:`normal_script`), the subscript first."""
    out = base
    for mark, script in (("_", sub), ("^", sup)):
        if script is not None:
            script = normal_script(script)
            out += f"{mark}{script}" if _one_token(script) else f"{mark}{{{script}}}"
    return out


def script_argument(text: str, i: int) -> tuple[str, int] | None:
    """The argument of a ``_`` or ``^`` whose argument starts at or after
    ``i`` (spaces skipped): its contents (braces removed) and its end;
    None when there is none or its braces do not close."""
    while i < len(text) and text[i] in " \t\n\r":
        i += 1
    if i >= len(text) or text[i] in "}_^":
        return None
    if text[i] == "\\":
        j = i + 1
        while j < len(text) and text[j].isascii() and text[j].isalpha():
            j += 1
        j = max(j, i + 2)
        return text[i:j], j
    if text[i] != "{":
        return text[i], i + 1
    depth, j = 0, i
    while j < len(text):
        if text[j] == "\\":
            j += 2
            continue
        depth += {"{": 1, "}": -1}.get(text[j], 0)
        if depth == 0:
            return text[i + 1 : j], j + 1
        j += 1
    return None


def read_scripts(text: str, i: int) -> tuple[list[tuple[str, str]], int]:
    """The scripts right after a name ending at ``i``: at most one ``_``
    and one ``^``, each ``(mark, contents)`` in the order written, and
    where they end.  A prime or anything else ends them."""
    found: list[tuple[str, str]] = []
    end = i
    while True:
        j = end
        while j < len(text) and text[j] in " \t\n\r":
            j += 1
        if j >= len(text) or text[j] not in "_^" or any(m == text[j] for m, _ in found):
            return found, end
        arg = script_argument(text, j + 1)
        if arg is None:
            return found, end
        found.append((text[j], arg[0]))
        end = arg[1]


def split_scripted(name: str) -> tuple[str, str | None, str | None] | None:
    """``W_1`` -> ``('W', '1', None)``, ``b^{(l)}`` -> ``('b', None, '(l)')``;
    None for a name without scripts (or not spelled by :func:`scripted`)."""
    cut = min((k for k in (name.find("_"), name.find("^")) if k > 0), default=-1)
    if cut < 0:
        return None
    scripts, end = read_scripts(name, cut)
    if end != len(name) or not scripts:
        return None
    parts = dict(scripts)
    return name[:cut], parts.get("_"), parts.get("^")


#: Names a message may make up, by what they stand for, most natural first.
DUMMY_NAMES = {
    "matrix": ("Z", "U", "V", "Q", "P", "R"),
    "vector": ("u", "v", "w", "z", "p", "q"),
    "scalar": ("t", "s", "u", "v", "r", "q"),
    "index": ("i", "j", "k", "l", "p", "q"),
}


def fresh(candidates: tuple[str, ...], taken: "set[str] | frozenset[str]") -> str:
    """The first of ``candidates`` (then primed: ``Z'``, ``Z''``, ...) the document does not use.

    A counterexample or repair that names something the author did not (a
    function's dummy argument, the entry of a vector) must not reuse one of
    the author's names, which would read as that object.
    """
    primes = 0
    while True:
        for name in candidates:
            name += "'" * primes
            if name not in taken:
                return name
        primes += 1
