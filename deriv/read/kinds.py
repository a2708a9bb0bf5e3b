"""The kind language of the front matter: ``matrix S x M``, ``rows of Y``, ...

In: the text of one ``symbols:`` entry (a name, a kind).  Out: a
:class:`~deriv.names.Kind` and its size names, or the reason the text is
not a kind (or the name not a usable name).
"""

from __future__ import annotations

import re

from deriv.names import (
    ACCENTS, FUNCTION_WORDS, GREEK, KNOWN_FUNCTION_KINDS, MATRIX_BUILTINS, Family, Kind, accented, is_word, read_scripts, scripted,
    split_scripted,
)

KIND_HELP = (
    "scalar, vector N, matrix R x C, symmetric matrix n x n, identity n, ones n, "
    "function, elementwise function, rows of Y, columns of Y; "
    "logistic, softplus, relu, tanh, softmax, softmax over rows, softmax over columns; "
    "positive scalar, positive vector N, positive matrix R x C; positive integer"
)
#: Kinds that may be declared ``positive`` (entries drawn and assumed > 0).
POSITIVE_KINDS = (Kind.SCALAR, Kind.VECTOR, Kind.MATRIX)

#: What a size name looks like: ``N``, ``S``, ``n_in``.
SIZE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
_NAME = r"[A-Za-z][A-Za-z0-9_]*"
#: A numeric size: ``vector 2``, ``matrix 2 x 3`` (at most 4 digits: a worked example, not a table).
NUMERIC_SIZE = re.compile(r"\d{1,4}\Z")
#: A length written from sizes: ``M+K-1``, ``2N``, ``N+1``, ``N*Q`` (no spaces once read).
_TERM = rf"(\d*{_NAME}(\s*\*\s*{_NAME})*|\d+)"
SIZE_EXPRESSION = re.compile(rf"-?\s*{_TERM}(\s*[+-]\s*{_TERM})*\Z")


#: ``..., for t in 0..T``: a family of members.
_FAMILY = re.compile(r"(?P<kind>.*?),\s*for\s+(?P<index>\\?[A-Za-z]+)\s+in\s+(?P<first>-?\d+)\s*\.\.\s*(?P<last>.+?)\s*\Z")


def split_family(text: str) -> tuple[str, Family | None]:
    """``'vector H, for t in 0..T'`` -> ``('matrix T+1 x H', Family('t', 0, 'T', VECTOR))``: a
    family of scalars or vectors is an array with one more index, its members' count first."""
    found = _FAMILY.match(text)
    if found is None:
        if re.search(r",\s*for\b", text):
            raise ValueError(f"a family is written 'vector H, for t in 0..T' (got '{text}')")
        return text, None
    member, _, positive = parse_positive_kind(found["kind"])
    rest = found["kind"].split()[2 if positive else 1:]
    head = "positive " if positive else ""
    index, first, last = found["index"].lstrip("\\"), int(found["first"]), found["last"].replace(" ", "")
    if len(index) != 1 and index not in GREEK:
        raise ValueError(f"'{index}' can not be a family's index: indices are single letters or Greek letter names")
    if not (SIZE_NAME.match(last) or _written_length(last)):
        raise ValueError(f"a family runs to a size or a length written from sizes, as in 0..T (got '{last}')")
    count = f"{last}{1 - first:+d}" if first != 1 else last
    if member == Kind.SCALAR:
        return head + " ".join(["vector", count]), Family(index, first, last, member)
    if member == Kind.VECTOR:
        return head + " ".join(["matrix", count, "x", *rest]), Family(index, first, last, member)
    raise ValueError(f"a family's members are scalars or vectors (got '{found['kind']}')")


def glued_sizes(name: str, sizes: set[str]) -> str | None:
    """Why the size ``name`` (``NQ``) may be misread: each of its letters is a size of the
    document too, so a reader may take it for the product ``N*Q``; else None."""
    if len(name) < 2 or not name.isalpha() or not all(c in sizes for c in name):
        return None
    return (f"size '{name}' is one size named {name}, though {', '.join(name)} are sizes too: "
            f"write {'*'.join(name)} for their product, or rename the size")


def size_names(extent: str) -> tuple[str, ...]:
    """The size names a written length uses: ``'M+K-1'`` -> ``('M', 'K')``."""
    return tuple(dict.fromkeys(re.findall(_NAME, extent)))


def parse_positive_kind(text: str) -> tuple[Kind, tuple[str, ...], bool]:
    """Like :func:`parse_kind`, also reading a leading ``positive``.

    >>> parse_positive_kind("positive vector N")
    (<Kind.VECTOR: 'vector'>, ('N',), True)
    """
    words = text.split(None, 1)
    positive = len(words) == 2 and words[0].lower() == "positive"
    if positive and words[1].strip().lower() == "integer":
        return Kind.COUNT, (), False  # a size: read where sizes are (meaning/declarations.py)
    kind, sizes = parse_kind(words[1] if positive else text)
    if positive and kind not in POSITIVE_KINDS:
        raise ValueError(f"only a scalar, vector or matrix can be positive (got '{text}')")
    return kind, sizes, positive


def parse_kind(text: str) -> tuple[Kind, tuple[str, ...]]:
    """``'matrix S x M'`` -> ``('matrix', ('S', 'M'))``; raises ValueError with the reason.

    Keywords are case-insensitive; size names keep their case (``S`` and ``s``
    are different sizes).

    >>> parse_kind("Symmetric matrix n × n")
    (<Kind.SYMMETRIC: 'symmetric'>, ('n', 'n'))
    """
    spaced = text.replace("×", " x ").replace("\\times", " x ")
    words = spaced.split()
    lower = [w.lower() for w in words]
    if not words:
        raise ValueError(f"no kind given (expected one of: {KIND_HELP})")
    if len(words) == 3 and lower[0] in ("rows", "columns") and lower[1] == "of":
        if check_name(words[2]):
            raise ValueError(f"'{text}': name the matrix whose {lower[0]} these are, as in '{lower[0]} of Y'")
        return Kind(lower[0]), (words[2],)
    if " ".join(lower) in KNOWN_FUNCTION_KINDS or _whole_number(lower, text):
        return Kind(" ".join(lower)), ()
    if lower in (["scalar"], ["function"], ["elementwise"], ["elementwise", "function"]):
        return Kind(lower[0]), ()
    head, rest = lower[0], words[1:]
    if head == "symmetric" and rest[:1] and rest[0].lower() == "matrix":
        rest = rest[1:]
    if head == "identity" and rest[:1] and rest[0].lower() == "matrix":
        rest = rest[1:]
    if head == "ones" and rest[:1] and rest[0].lower() == "vector":
        rest = rest[1:]
    if head in ("vector", "ones"):
        return Kind(head), (_one_size(text, head, rest),)
    if head == "matrix":
        return Kind.MATRIX, _two_sizes(text, head, rest)
    if head in ("symmetric", "identity"):
        sizes = (_one_size(text, head, rest),) * 2 if len(rest) == 1 else _two_sizes(text, head, rest)
        if sizes[0] != sizes[1]:
            raise ValueError(f"a {head} matrix is square: write '{head} n x n' (got '{text}')")
        return Kind(head), sizes if head == "symmetric" else sizes[:1]
    raise ValueError(f"unknown kind '{text}' (expected one of: {KIND_HELP})")


def _whole_number(lower: list[str], text: str) -> bool:
    """Whether the kind is ``positive integer`` (a size); other whole numbers are refused."""
    if " ".join(lower) in _WHOLE_NUMBERS:
        raise ValueError(f"'{text}' may be 0 or negative to some readers, and deriv reads only whole numbers "
                         "from 1 up: declare 'positive integer' (k = 1, 2, ...), which is read as a size")
    return lower == ["positive", "integer"]


#: Kinds of whole numbers that are not read: what they include (0? negatives?) differs between authors.
_WHOLE_NUMBERS = frozenset({"integer", "int", "natural", "natural number", "nonnegative integer",
                            "non-negative integer", "whole number"})


_FONT = re.compile(r"\\(?:mathbf|boldsymbol|bm|mathcal|mathrm|mathit|mathsf)(?![A-Za-z])\s*")
_ACCENT = re.compile(r"\\([A-Za-z]+)\s*(.*)\Z", re.S)
_CANONICAL_ACCENT = re.compile(r"\\([A-Za-z]+)\{(\\?[A-Za-z]+)\}")


def _base(text: str) -> str | None:
    """A letter or Greek name, fonts stripped (``\\mathbf{y}``, ``\\lambda``)."""
    text = text.strip()
    font = _FONT.match(text)
    if font:
        text = text[font.end():].strip()
        if text.startswith("{") and text.endswith("}"):
            text = text[1:-1].strip()
    if len(text) == 1 and text.isascii() and text.isalpha():
        return text
    if text.startswith("\\") and text[1:] in GREEK:
        return text[1:]
    return None


def declared_name(key: str) -> str:
    """The name a ``symbols:`` key declares, spelled as the math spells it.

    ``lambda`` and ``\\lambda`` are ``lambda``; ``\\hat{y}``, ``\\hat y`` and
    ``\\hat{\\mathbf{y}}`` are ``\\hat{y}``; ``y'`` is ``y'``.  Anything else
    is returned as written, for :func:`check_name` to refuse.
    """
    text = key.strip()
    with_scripts = _scripted_key(text)
    if with_scripts is not None:
        return with_scripts
    core = text.rstrip("'")
    primes = text[len(core):]
    accent = _ACCENT.match(core)
    if accent and accent.group(1) in ACCENTS:
        inner = accent.group(2).strip()
        if inner.startswith("{") and inner.endswith("}"):
            inner = inner[1:-1]
        base = _base(inner)
        return accented(accent.group(1), base) + primes if base else text
    base = _base(core)
    if base is not None:
        return base + primes
    return text.removeprefix("\\")


def _top_level_script(text: str) -> int:
    """Where the first ``_`` or ``^`` outside braces is, or -1."""
    depth = 0
    for k, c in enumerate(text):
        depth += {"{": 1, "}": -1}.get(c, 0)
        if depth == 0 and c in "_^" and k > 0:
            return k
    return -1


def _scripted_key(text: str) -> str | None:
    """``W_1``, ``h_{t - 1}``, ``b^{(l)}``, ``\\alpha_1``, ``\\mathbf{W}_1``:
    the name spelled by :func:`deriv.names.scripted`; None for a key without
    scripts, or one whose base or scripts are not a name's (left for
    :func:`check_name` to refuse as written)."""
    cut = _top_level_script(text)
    if cut < 0:
        return None
    scripts, end = read_scripts(text, cut)
    if not scripts or text[end:].strip():
        return None
    base = declared_name(text[:cut])
    if base.rstrip("'") != base or "_" in base or "^" in base or check_name(base) or is_word(base) or base in FUNCTION_WORDS | MATRIX_BUILTINS:
        return None
    parts = dict(scripts)
    return scripted(f"\\{base}" if base in GREEK else base, parts.get("_"), parts.get("^"))


#: The longest script a name may have (``L_{\\mathrm{reg}}`` is 12 characters).
MAX_SCRIPT = 40


def _script_problem(name: str) -> str | None:
    """Why a scripted name can not be declared (``W^T`` is a transpose), or None."""
    split = split_scripted(name)
    if split is None:
        return "not a name with scripts"
    base, sub, sup = split
    bare = base.removeprefix("\\") if base.removeprefix("\\") in GREEK else base
    if bare.rstrip("'") != bare or check_name(bare) or is_word(bare) or bare in FUNCTION_WORDS | MATRIX_BUILTINS:
        return f"'{name}': the name before a script must be a letter, a Greek letter or an accented letter"
    if sup is not None and (sup in ("T", "\\top", "\\intercal", "-1") or "\\prime" in sup):
        return f"'{name}': ^{sup} after a name is a transpose, an inverse or a prime, not part of a name"
    for script in (sub, sup):
        if script is not None and (
            not script or len(script) > MAX_SCRIPT or "\\\\" in script
            or any(c in script for c in "$%#&'=<>") or not script.isprintable()
        ):
            return f"'{name}': a script must be a short piece of math, as in W_1, h_{{t-1}}, b^{{(l)}}"
    return None


def check_name(name: str) -> str | None:
    """Why ``name`` can not be declared, or None when it can."""
    if split_scripted(name) is not None and not name.startswith(("_", "^")):
        return _script_problem(name)
    core = name.rstrip("'")
    if (len(core) == 1 and core.isascii() and core.isalpha()) or core in GREEK:
        return None
    accent = _CANONICAL_ACCENT.fullmatch(core)
    if accent and accent.group(1) in ACCENTS and _base(accent.group(2)) is not None:
        return None  # \hat{y}, as declared_name spells it
    if name in FUNCTION_WORDS or name in MATRIX_BUILTINS or is_word(name):
        return None  # softmax, lr: written \operatorname{softmax}, \mathrm{lr} in the math
    return (
        f"'{name}' is not a usable name: names are single letters (X, b), Greek letter "
        f"names (lambda, Sigma), accented names (\\hat{{y}}, \\bar{{x}}), primed names (y'), "
        f"names with scripts (W_1, h_{{t-1}}, b^{{(l)}}), "
        f"or words written \\mathrm{{lr}} in the math; 'XW' in the math means X times W"
    )


def _one_size(text: str, head: str, rest: list[str]) -> str:
    if len(rest) != 1 and not (rest and _written_length(" ".join(rest))):
        product = " (for the product of sizes write " + "*".join(rest) + ")" if len(rest) > 1 and all(
            SIZE_NAME.match(w) for w in rest) else ""
        raise ValueError(f"a {head} takes one size: write '{head} n'{product} (got '{text}')")
    return _size(text, " ".join(rest))


def _two_sizes(text: str, head: str, rest: list[str]) -> tuple[str, str]:
    crosses = [k for k, word in enumerate(rest) if word.lower() == "x"]
    if len(rest) == 3 and rest[1].lower() == "x":
        crosses = [1]
    if len(crosses) != 1 or crosses[0] in (0, len(rest) - 1):
        raise ValueError(f"a {head} takes two sizes: write '{head} R x C' with spaces (got '{text}')")
    (cross,) = crosses
    return _size(text, " ".join(rest[:cross])), _size(text, " ".join(rest[cross + 1:]))


def _written_length(size: str) -> bool:
    """``M + K - 1``: sizes and whole numbers joined by + and - (a space only around those)."""
    return bool(SIZE_EXPRESSION.match(size)) and bool(size_names(size))


def _size(text: str, size: str) -> str:
    if NUMERIC_SIZE.match(size):  # vector 2, matrix N x 3
        if int(size) < 1:
            raise ValueError(f"a numeric size is a whole number from 1 (got '{size}' in '{text}')")
        return str(int(size))
    if not (SIZE_NAME.match(size) or _written_length(size)):
        raise ValueError(
            f"sizes are names, whole numbers, or lengths written from names such as M+K-1 "
            f"(write e.g. 'matrix R x C' or 'matrix 2 x 3'; got '{size}' in '{text}')"
        )
    return size.replace(" ", "")
