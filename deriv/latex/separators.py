"""Several results in one display: where one ends and the next begins.

In: the raw text of one display.  Out: the results it holds, each a
:class:`Result` (its offsets and its text, ``\\tag``/``\\label`` blanked),
and the display's tag -- or None when it holds one result (or when where
one ends can not be told: then the display is read as before, and two
claims in it stay an error).

Lecture notes state two gradients side by side:
``\\frac{\\partial L}{\\partial \\beta} = \\sum_i g_i \\qquad
\\frac{\\partial L}{\\partial \\gamma} = \\sum_i g_i \\hat x_i``.  A
separator is, at the top level (outside braces, brackets, ``\\left(
\\right)``, environments and ``\\text``), an optional ``,`` then spacing
holding a ``\\quad``/``\\qquad`` or a connective word (``\\text{and}``,
``\\text{also}``, not ``\\text{or}``: a disjunction is not two results).
The display is split only when every separator separates results: each
piece states a relation, and none starts with a relation, an operator or
words.  Nothing is split after a justification starts (a ``\\quad``
followed by words such as ``\\text{since}``: what follows them is the
reason), nor in a display with a quantifier or an implication
(``\\forall x \\neq 0``, ``a > 0 \\text{ and } b > 0 \\implies ...``): there
``\\text{and}`` joins premises, it does not separate results.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from deriv.latex.scan import argument, command_at, skip_space
from deriv.latex.text import PREMISES, applied_function_word
from deriv.names import TEXT_COMMANDS

#: Words that separate two results; ``or`` does not (a disjunction is one claim).
#: Nor do ``hence``, ``so``, ``thus``: the second result may rest on the first as
#: a premise, and checked alone it could be refuted wrongly (they stay an error).
JOINING_WORDS = frozenset({"and", "also", "and also", "as well as"})
#: Commands that make a display one statement, never several results.
_LOGIC = re.compile(r"\\(?:forall|exists|implies|impliedby|iff|Rightarrow|Leftarrow|Leftrightarrow|"
                    r"Longrightarrow|Longleftrightarrow|succ|succeq|prec|preceq|to|mapsto)(?![A-Za-z])")
_RELATION = re.compile(r"[=<>]|\\(?:leq?|geq?|neq?|leqslant|geqslant|lt|gt|ne)(?![A-Za-z])")
_THIN = frozenset({",", ";", ":", "!", " "})
_OPENERS, _CLOSERS = "([", ")]"
_STARTS_BADLY = re.compile(r"(?:[=<>+\-*/^_'&,.;)\]}]|\\(?:cdot|times|circ|odot|otimes|pm|mp)(?![A-Za-z]))")
_TAG = re.compile(r"\\(tag\*?|label)\s*\{([^{}]*)\}")


@dataclass(frozen=True)
class Result:
    """One result of a display: ``text`` is ``display[start:end]`` with any
    ``\\tag``/``\\label`` blanked (the tag labels the whole display)."""

    start: int
    end: int
    text: str


def _connective(s: str, i: int) -> int | None:
    """The end of a ``\\text{and}`` (a joining word) starting at ``i``, or None."""
    name, j = command_at(s, i)
    if name not in TEXT_COMMANDS:
        return None
    arg = argument(s, j)
    if arg is None or s[arg[0]] != "{":
        return None
    words = " ".join(s[arg[2] : arg[3]].strip(" \t\n,.;:").lower().split())
    return arg[1] if words in JOINING_WORDS else None


def _separator(s: str, i: int) -> int | None:
    """At ``i``: the end of a separator (spacing holding a ``\\quad`` or a
    joining word); None when none starts here."""
    j, strong, joined = i, False, False
    if s[j] == ",":
        j += 1
    while True:
        j = skip_space(s, j)
        if j < len(s) and s[j] == "~":
            j += 1
            continue
        if j >= len(s) or s[j] != "\\":
            break
        name, after = command_at(s, j)
        if name in ("quad", "qquad") or name in _THIN:
            strong = strong or name in ("quad", "qquad")
            j = after
            continue
        end = None if joined else _connective(s, j)
        if end is None:
            break
        joined, j = True, end
    return j if strong or joined else None


def _blank_tags(text: str) -> tuple[str, list[str]]:
    """``text`` with ``\\tag{..}``/``\\label{..}`` as spaces (offsets kept), and the tags."""
    tags = [m.group(2).strip() for m in _TAG.finditer(text) if m.group(1).startswith("tag")]
    return _TAG.sub(lambda m: " " * len(m.group()), text), tags


def _top_level(s: str) -> list[int] | None:
    """The offsets of ``s`` outside braces, brackets, ``\\left( \\right)``,
    environments and ``\\text`` groups; None when these do not balance."""
    found: list[int] = []
    depth, i = 0, 0
    while i < len(s):
        if depth == 0:
            found.append(i)
        c = s[i]
        if c != "\\":
            depth += (c in "{" + _OPENERS) - (c in "}" + _CLOSERS)
            i += 1
        else:
            name, j = command_at(s, i)
            if name in TEXT_COMMANDS or name in ("left", "right", "begin", "end"):
                depth += (name in ("left", "begin")) - (name in ("right", "end"))
                arg = argument(s, j)  # the words, the delimiter or the environment's name
                j = arg[1] if arg is not None else j
            else:
                depth += (name in ("{", "langle")) - (name in ("}", "rangle"))
            i = j
        if depth < 0:
            return None
    return found if depth == 0 else None


def _cuts(s: str, top: list[int]) -> list[tuple[int, int]]:
    """The top-level separators of ``s`` before any justification, as (start, end)."""
    cuts: list[tuple[int, int]] = []
    for i in top:
        if cuts and i < cuts[-1][1] or s[i] not in ",\\~":
            continue
        end = _separator(s, i)
        if end is None:
            continue
        rest = skip_space(s, end)
        if (rest < len(s) and s[rest] == "\\" and command_at(s, rest)[0] in TEXT_COMMANDS
                and not applied_function_word(s, rest)):
            break  # words after a \quad: the justification starts
        cuts.append((i, end))
    return cuts


def _states_relation(s: str, top: list[int], start: int, end: int) -> bool:
    """Whether ``s[start:end]`` has a relation at the top level."""
    return any(start <= i < end and (s[i] in "=<>" or bool(_RELATION.match(s, i))) for i in top)


def _stray_words(s: str, top: list[int], start: int, end: int) -> bool:
    """Whether ``s[start:end]`` holds words (``\\text{ iff }``, ``\\text{since}``)
    other than a justification after a ``\\quad``: then the relations may be
    a condition (``\\delta_{k,n} = 1 \\text{ iff } k = n``), not a result."""
    for i in top:
        if not start <= i < end or s[i] != "\\" or command_at(s, i)[0] not in TEXT_COMMANDS:
            continue
        arg = argument(s, command_at(s, i)[1])
        words = s[arg[2] : arg[3]].strip() if arg is not None else ""
        if (not words.isalpha() or words.lower() in PREMISES) and not _after_quad(s[start:i]):
            return True
    return False


def _after_quad(before: str) -> bool:
    return bool(re.search(r"\\q?quad(?![A-Za-z])(?:\s|~|\\[,;:! ])*\Z", before))


_TOKEN = r"(?:-?\d+|[A-Za-z]|\\[A-Za-z]+)"
#: ``x < 0``, ``k = j``, ``i = 1, \\dots, N``: a piece that reads as a condition on
#: the result before it (``\\mathrm{relu}(x) = 0 \\quad x < 0``), not as a result.
_CONDITION = re.compile(
    rf"\s*{_TOKEN}(?:_(?:\{{[A-Za-z0-9, ]*\}}|[A-Za-z0-9]))?\s*(?:{_RELATION.pattern})"
    rf"\s*{_TOKEN}(?:\s*,\s*{_TOKEN})*\s*[,.;]?\s*"
)


_NOT_EQUAL = re.compile(r"\\(?:neq?|ne)(?![A-Za-z])")
_NUMBER = re.compile(r"\s*-?\s*\d+(?:\.\d+)?\s*[,.;]?\s*\Z")


def _relation_end(s: str, i: int) -> int:
    return i + 1 if s[i] in "=<>" else command_at(s, i)[1]


def _may_be_condition(s: str, top: list[int], start: int, end: int) -> bool:
    """Whether ``s[start:end]``, after a result, may be the condition it holds under, as much as a
    result: a comparison with a number (``a - b \\neq 0``, ``x^T x > 0``: ``\\frac{a-b}{a-b} = 1
    ,\\quad a - b \\neq 0``), or several comparisons a comma apart (``a > 0, b > 0``).  Read as
    results, the other would be refuted without its condition: the display is not split."""
    relations = [i for i in top if start <= i < end and (s[i] in "=<>" or _RELATION.match(s, i))]
    body = s[start:end].rstrip(" \t\n,.;")
    if len(relations) > 1 and any(s[i] == "," and start <= i < start + len(body) for i in top):
        return True
    return any(s[i] != "=" and (_NUMBER.match(s[start:i]) or _NUMBER.match(s[_relation_end(s, i):end]))
               for i in relations)


def _not_equal(s: str, top: list[int], start: int, end: int) -> bool:
    """Whether ``s[start:end]`` states a ``\\neq`` at the top level: before or after a result it is
    what the result excludes (``\\frac{x_i^2 - y_i^2}{x_i - y_i} = x_i + y_i \\qquad x_i \\neq y_i``),
    its condition as much as a result of its own."""
    return any(start <= i < end and _NOT_EQUAL.match(s, i) for i in top)


def split_results(display: str) -> tuple[list[Result], str | None] | None:
    """The results of a display holding several, and its tag; None for one."""
    if _LOGIC.search(display):
        return None
    text, tags = _blank_tags(display)
    if len(tags) > 1:
        return None  # more than one \tag: the preprocessor says so
    top = _top_level(text)
    cuts = _cuts(text, top) if top is not None else []
    if top is None or not cuts:
        return None
    bounds = [0, *(k for cut in cuts for k in cut), len(text)]
    results = []
    for start, end in zip(bounds[::2], bounds[1::2]):
        first = skip_space(text, start)
        if (first >= end or not _states_relation(text, top, start, end) or _STARTS_BADLY.match(text, first)
                or _stray_words(text, top, start, end) or (start > 0 and _CONDITION.fullmatch(text[start:end]))
                or (start > 0 and _may_be_condition(text, top, start, end)) or _not_equal(text, top, start, end)):
            return None
        results.append(Result(start, end, text[start:end]))
    return results, (tags[0] if tags else None)
