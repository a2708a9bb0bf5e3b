"""Words in a display: the justification, ``\\text{...}`` and named functions.

Rules 3, 4 and 6 of :mod:`deriv.latex.preprocess` (docs/format.md).  Nothing a
reader could take for mathematics is dropped here: a ``\\text{...}`` or
``\\mathrm{...}`` name is an operator deriv knows, a single-letter name left
for the lexer (which keeps the font), or a syntax error that names it.

* After the first top-level ``\\quad``/``\\qquad`` whose rest contains
  ``\\text{``, the rest is the justification -- unless the rest begins with
  a connective (``\\text{and}``) and holds a relation: that is a second
  claim, and a display holds one chain.
* Any other ``\\text{...}`` must be a name (``\\text{tr}(A)``) or blank.
"""

from __future__ import annotations

import re

from deriv.latex.scan import argument, command_at, skip_space
from deriv.latex.spans import Span, braced, fail, rewrite
from deriv.names import ACCENTS, FUNCTION_WORDS, GREEK, ROMAN_ONLY_OPERATORS, ROMAN_OPERATORS, TEXT_COMMANDS, is_word

_TEXT_START = re.compile(r"\\(?:" + "|".join(sorted(TEXT_COMMANDS)) + r")\s*\{")
#: Fonts that may spell a name: ``\mathrm{tr}``, ``\mathbf{x}``.
NAME_FONTS = frozenset(
    {"operatorname", "mathrm", "mathsf", "mathit", "mathbf", "mathcal", "boldsymbol", "bm"}
)
_SPACING = frozenset({"quad", "qquad", ",", ";", ":", "!", " "})
#: Words that join two claims; ``a = b \quad\text{and}\quad c = d`` is two equations.
CONNECTIVES = frozenset(
    "and or also while whereas but hence thus so therefore then likewise similarly "
    "resp respectively".split()
    + ["and also", "and hence", "and so", "and thus", "and then", "as well as"]
)
_RELATION = re.compile(r"[=<>]|\\(?:leq?|geq?|neq?|leqslant|geqslant|lt|gt)(?![A-Za-z])")
_SIZER = re.compile(r"\\(?:left|bigl?|Bigl?|biggl?|Biggl?)(?![A-Za-z])")


def states_relation(words: str) -> bool:
    """Whether a justification's text states a relation (``for a \\geq 0``, ``since b \\neq 0``)."""
    return _RELATION.search(words) is not None


def split_justification(span: Span) -> tuple[Span, str | None]:
    """Cut at the first top-level ``\\quad``/``\\qquad`` whose rest
    contains ``\\text{``; the rest is raw justification."""
    s, depth, i = span.text, 0, 0
    while i < len(s):
        c = s[i]
        if c == "\\":
            name, j = command_at(s, i)
            if depth == 0 and name in ("quad", "qquad") and _TEXT_START.search(s, j) and not _continues_math(s[j:]):
                connective = _joining_connective(s[j:])
                if connective is not None:
                    raise _second_claim(connective, span.origin[i])
                _reject_hidden_claim(s[j:], span.origin[i])
                return span.sub(0, i), s[j:]
            i = j
            continue
        depth += (c == "{") - (c == "}")
        i += 1
    return span, None


def reject_spaced_claims(span: Span) -> None:
    """``y = 2x \\quad y = x + x`` is two claims, not the product ``2x y``:
    a top-level ``\\quad`` with a relation on both sides is an error."""
    s, depth, i = span.text, 0, 0
    relations: list[int] = []  # offsets of top-level relations
    quads: list[int] = []
    while i < len(s):
        c = s[i]
        if c == "\\":
            name, j = command_at(s, i)
            if depth == 0 and name in ("quad", "qquad"):
                quads.append(i)
            elif depth == 0 and _RELATION.match(s, i):
                relations.append(i)
            i = j
            continue
        if depth == 0 and c in "=<>":
            relations.append(i)
        depth += (c == "{") - (c == "}")
        i += 1
    for quad in quads:
        if s[command_at(s, quad)[1] :].lstrip().startswith(("\\forall", "\\exists")):
            continue  # a quantifier: the lexer says it is not understood (yet)
        if any(r < quad for r in relations) and any(r > quad for r in relations):
            raise fail(
                f"two claims separated by \\{command_at(s, quad)[0]} in one display: write each in "
                "its own display (a display holds one chain)",
                span.origin[quad],
            )


def _continues_math(rest: str) -> bool:
    """Whether text after a ``\\quad`` starts with a binary operator or a
    function named in words and applied (``\\text{ReLU}(x)``).

    ``x \\qquad + y \\text{bias}`` is spaced-out mathematics, not a
    justification: cutting there would silently drop a term.
    """
    stripped = rest.lstrip()
    return (stripped[:1] in ("+", "-", "=", "<", ">") or stripped.startswith(("\\cdot", "\\times", "\\circ", "\\odot", "\\otimes"))
            or applied_function_word(stripped, 0))


#: The commands whose argument may name a function in words (``\\operatorname{softmax}``, ``\\text{ReLU}``).
_ROMAN = frozenset({"operatorname", "mathrm", *TEXT_COMMANDS})


def applied_function_word(s: str, i: int) -> bool:
    """Whether ``s[i:]`` starts with a function named in words and applied:
    ``\\text{ReLU}(x)``, ``\\operatorname{softmax}\\left(z\\right)`` -- mathematics, not words."""
    if not s.startswith("\\", i):
        return False
    name, j = command_at(s, i)
    arg = argument(s, j) if name in _ROMAN else None
    return arg is not None and s[arg[2] : arg[3]].strip().lower() in FUNCTION_WORDS and _applied(s, arg[1])


def _is_connective(words: str) -> bool:
    return " ".join(words.strip(" \t\n,.;:").lower().split()) in CONNECTIVES


def _joining_connective(rest: str) -> str | None:
    """The connective when ``rest`` (after a ``\\quad``) starts with
    ``\\text{and}`` (after spacing) and states a relation after it."""
    i = skip_space(rest, 0)
    while i < len(rest) and rest[i] == "\\":
        name, j = command_at(rest, i)
        if name in _SPACING:
            i = skip_space(rest, j)
            continue
        if name in TEXT_COMMANDS:
            arg = argument(rest, j)
            if arg is None or rest[arg[0]] != "{" or not _is_connective(rest[arg[2] : arg[3]]):
                return None
            # words in later \text groups state nothing; a relation outside them is a claim
            return rest[arg[2] : arg[3]].strip() if _RELATION.search(_drop_text(rest[arg[1] :])) else None
        return None
    return None


#: Words that make the relations after them a reason or a condition, not a claim
#: (``\\quad \\text{since } B = b``, ``\\text{where } k = n``).  An allow-list:
#: any other words before a relation (``i.e.``, ``that is``, ``giving``) may
#: state a second claim that would never be checked.
PREMISES = frozenset(
    "since because as by from using use via where when whenever if iff unless for with given provided "
    "assuming assume due under recall note definition def".split()
)
#: Words that join two reasons (``since a = b and c = d``).
_JOINERS = frozenset({"and", "or", "resp", "respectively"})
#: Words that may follow a relation written first, as in ``\\delta_{k,n} = 1 \\text{ iff } k = n``:
#: the relation is then a condition, not a claim.
_CONDITIONS = frozenset({"iff", "if", "when", "whenever", "unless", "for", "where"})


def _first_word(words: str) -> str:
    found = re.findall(r"[a-z]+", words.lower())
    return found[0] if found else ""


def _gives_reason(words: str, reason: bool) -> bool:
    """Whether a relation right after ``words`` is a reason or condition.

    Only the last clause counts: ``by (1), i.e.`` and ``due to (3),`` end a
    clause, so what follows them is stated, not assumed."""
    words = words.strip()
    if words[-1:] in tuple(",;:."):
        return False
    clause = words[_last_clause_start(words) :]
    word = _first_word(clause)
    return word in PREMISES or (reason and clause == words and words.lower() in _JOINERS)


def _last_clause_start(words: str) -> int:
    """Where the last clause begins: after the last ``,`` ``;`` ``:`` or ``. `` outside braces
    (``\\href{javascript:...}`` holds a colon that ends nothing)."""
    depth, start = 0, 0
    for i, c in enumerate(words):
        depth += (c == "{") - (c == "}")
        if depth == 0 and (c in ",;:" or (c == "." and words[i + 1 : i + 2].isspace())):
            start = i + 1
    return start


def _runs(raw: str) -> list[tuple[str, str]]:
    """``raw`` as alternating ``("math", ...)`` and ``("text", words)`` runs."""
    runs: list[tuple[str, str]] = []
    last = i = 0
    while i < len(raw):
        if raw[i] != "\\":
            i += 1
            continue
        name, j = command_at(raw, i)
        arg = argument(raw, j) if name in TEXT_COMMANDS else None
        if arg is not None and raw[arg[0]] == "{":
            runs += [("math", raw[last:i]), ("text", raw[arg[2] : arg[3]])]
            last = i = arg[1]
            continue
        i = j
    runs.append(("math", raw[last:]))
    return runs


def _reject_hidden_claim(raw: str, offset: int) -> None:
    """A justification may state relations only as reasons or conditions.

    ``y = x + x \\quad\\text{i.e.}\\quad y = 3x`` (also ``that is``, ``giving``,
    ``(\\text{so } y = 3x)``) reads as a second claim that is never checked:
    an error, whatever the words.  A relation is allowed right after words
    whose last clause starts with a reason (:data:`PREMISES`), after
    ``and``/``or`` once a reason was given, and before a condition word
    (``\\delta_{k,n} = 1 \\text{ iff } k = n``).
    """
    runs = [(k, c) for k, c in _runs(raw) if k == "math" or c.strip()]
    reason = False
    for n, (kind, content) in enumerate(runs):
        if kind == "text":
            found = _RELATION.search(content)
            if found and not _gives_reason(content[: found.start()], reason):
                raise _hidden_claim(content, offset)
            reason = _gives_reason(content, reason) if not found else True
            continue
        if not _RELATION.search(content):
            continue
        if n == 0:
            following = next((_first_word(c) for k, c in runs[1:] if k == "text"), "")
            if following not in _CONDITIONS:
                raise _hidden_claim(content.strip(), offset)
        elif not reason:
            raise _hidden_claim(runs[n - 1][1].strip(), offset)


def _hidden_claim(words: str, offset: int) -> Exception:
    return fail(
        f"the justification states a relation after '{words}', which reads as a second claim that "
        "would not be checked: write it in its own display, or start the reason with a word such as "
        "'since', 'because', 'where' or 'using'",
        offset,
    )


def _drop_text(raw: str) -> str:
    """``raw`` without its ``\\text{...}`` groups."""
    return "".join(content for kind, content in _runs(raw) if kind == "math")


def _second_claim(connective: str, offset: int) -> Exception:
    return fail(
        f"two claims joined by \\text{{{connective}}} in one display: write each in its own "
        "display (a display holds one chain)",
        offset,
    )


def unwrap_text(raw: str) -> str:
    """Justification text: ``\\text{..}`` unwrapped, spacing commands become
    spaces, other LaTeX kept; whitespace normalised."""
    parts: list[str] = []
    last = i = 0
    while i < len(raw):
        if raw[i] != "\\":
            i += 1
            continue
        name, j = command_at(raw, i)
        if name in TEXT_COMMANDS:
            arg = argument(raw, j)
            if arg is not None and raw[arg[0]] == "{":
                parts += [raw[last:i], raw[arg[2] : arg[3]]]
                last = i = arg[1]
                continue
        if name in _SPACING:
            parts += [raw[last:i], " "]
            last = j
        i = j
    parts.append(raw[last:])
    return " ".join("".join(parts).split())


def _is_single_name(text: str) -> bool:
    """A letter, a digit string or one Greek command: what a font may wrap."""
    if len(text) == 1 and text.isascii() and text.isalpha():
        return True
    if text.isascii() and text.isdigit():
        return True
    if text.startswith("\\") and command_at(text, 0)[0] in ACCENTS:
        return True  # \mathbf{\hat{y}}: the lexer reads the accented name
    return text.startswith("\\") and text[1:] in GREEK


def _applied(s: str, end: int) -> bool:
    """Whether what follows ``s[:end]`` is an argument list: ``(``, ``[``,
    ``\\left(``, possibly after a prime."""
    i = skip_space(s, end)
    while i < len(s) and s[i] == "'":
        i = skip_space(s, i + 1)
    m = _SIZER.match(s, i)
    if m:
        i = skip_space(s, m.end())
    return i < len(s) and s[i] in "(["


def _example(content: str, kind: str) -> str:
    """`` (such as 'lr: scalar')`` when ``content`` could be declared as a word."""
    return f" (such as '{content}: {kind}')" if is_word(content) else ""


def _unknown(command: str, content: str, applied: bool, offset: int) -> Exception:
    written = f"\\{command}{{{content}}}"
    known = ", ".join(sorted(ROMAN_OPERATORS | ROMAN_ONLY_OPERATORS))
    if applied:
        return fail(
            f"unknown function name '{content}' in {written}: the known functions are {known}, "
            f"and functions declared under symbols:{_example(content, 'function')}",
            offset,
        )
    return fail(
        f"unknown name '{content}' in {written}: names are single letters, Greek letters or words "
        f"declared under symbols:{_example(content, 'scalar')}, and the known operators are {known}",
        offset,
    )


def _command_for(word: str, s: str, end: int) -> str:
    """``\\word``, spaced so that the letter after it does not glue onto the command name."""
    return f"\\{word} " if end < len(s) and s[end].isalpha() else f"\\{word}"


def read_names(span: Span, words: frozenset[str] = frozenset()) -> Span:
    """Rules 4 and 6: every ``\\text{...}`` left in the math and every
    multi-letter font name becomes an operator command (``\\tr``), a
    single name for the lexer (``\\mathrm{g}``), a space (blank text), or an
    error naming it.  ``words`` are the document's declared multi-letter
    names (``lr``): ``\\mathrm{lr}``, ``\\text{lr}``, ``\\operatorname{lr}``
    are that name, left for the lexer as ``\\mathrm{lr}``."""

    def handle(sp: Span, i: int, name: str, j: int) -> tuple[int, str] | None:
        s = sp.text
        if name in TEXT_COMMANDS:
            _, end, lo, hi = braced(sp, name, i, j)
        elif name in NAME_FONTS:
            if name == "operatorname" and s[j : j + 1] == "*":
                j += 1
            arg = argument(s, j)
            if arg is None:
                raise fail(f"\\{name} needs an argument", sp.origin[i])
            _, end, lo, hi = arg
        else:
            return None
        content = s[lo:hi].strip()
        roman = name in _ROMAN
        if content in ROMAN_OPERATORS or (content in FUNCTION_WORDS and roman):
            return end, _command_for(content, s, end)
        if content in ROMAN_ONLY_OPERATORS and roman:  # \operatorname{vec}: \vec is an accent
            return end, f"\\operatorname{{{content}}}"
        if name in TEXT_COMMANDS and not content:
            return end, " "
        if _is_single_name(content) or content in words:
            if name in TEXT_COMMANDS or name == "operatorname":
                return end, f"\\mathrm{{{content}}}"
            return None  # \mathbf{x}: the lexer keeps the font on the name
        if content.lower() in FUNCTION_WORDS and roman:  # \text{ReLU}, \operatorname{Softmax}
            return end, _command_for(content.lower(), s, end)
        if name in TEXT_COMMANDS and _is_connective(content):
            raise _second_claim(content, sp.origin[i])
        if name in TEXT_COMMANDS and not _applied(s, end):
            raise fail(
                f"\\{name}{{{content}}} inside the math is not understood: words go in a "
                "justification, after a top-level \\quad at the end of the display",
                sp.origin[i],
            )
        raise _unknown(name, content, _applied(s, end), sp.origin[i])

    return rewrite(span, handle)
