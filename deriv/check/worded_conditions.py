"""A refutation the step's own justification may exclude: ``\\sqrt{a^2} = a \\quad \\text{for } a \\geq 0``.

A justification after a ``\\quad`` may state a relation as a reason or a
condition (``since b \\neq 0``, ``for a \\geq 0``, ``where k \\leq n``;
docs/format.md, "Errors, never dropped"), and deriv reads those words, not
the relation: the step is checked without it.  Proved or tested stays true
under any condition, but a counterexample may be one the condition excludes
(``a = -1`` above) -- a false refutation.  So a step refuted as written is
decided again with the condition as an assumption of that step alone, when the
words are a plain condition (:func:`stated_relation`: ``for``, ``since``,
``where``, ...) and the relation reads as an assumption does: refuted there too,
it is ``refuted`` (the counterexample satisfies the condition: ``a^2 = a \\quad
\\text{since } a \\geq 0`` at ``a = 2``); otherwise it is ``undecided``, and the
message says why and what to write instead (a step is never *proved* under its
own words).  A relation that names
nothing the step reaches (``x + x = 3x \\quad \\text{since } B = b``) can
exclude no counterexample: that refutation stands.
"""

from __future__ import annotations

import re
from dataclasses import replace

from deriv.context import Context
from deriv.latex.text import states_relation
from deriv.names import GREEK

#: A name as LaTeX writes it: a Greek command or a single letter standing alone.
_NAME = re.compile(r"\\([A-Za-z]+)|(?<![A-Za-z\\])([A-Za-z])(?![A-Za-z])")


def _names(latex: str) -> set[str]:
    return {command or letter for command, letter in _NAME.findall(latex) if letter or command in GREEK}


def _reached(written: str, context: Context) -> set[str]:
    """The names the step writes and those its defined names reach (each also by its letter)."""
    names = _names(written)
    for defined in [n for n in context.definitions if _names(n) & names]:
        names |= {part for name in context.dependencies(defined) for part in (name, *_names(name))}
    return names


def worded_condition(justification: str | None, written: str, context: Context) -> str | None:
    """The justification when it states a relation on a name the step reaches, else None."""
    if not justification or not states_relation(justification):
        return None
    return justification if _names(justification) & _reached(written, context) else None


def unimposed(condition: str, message: str | None) -> str:
    """Why a step refuted as written is left undecided."""
    found = f" ({message})" if message else ""
    return (f"refuted as written{found}, but the justification states '{condition}', which deriv does not "
            "impose, so the counterexample may be one it excludes: state it under assumptions: to check "
            "the step under it")


#: Words that introduce a condition the step is claimed under (never a denial: ``unless``, ``not``).
_CONDITION_WORDS = ("for", "since", "if", "where", "when", "whenever", "because", "as", "given", "assuming", "with")
_WORDS = "|".join(_CONDITION_WORDS)
_STATED = re.compile(r"(?:\\text\{\s*(?:" + _WORDS + r")\s*\}|(?:" + _WORDS + r")(?![A-Za-z]))\s*(?P<relation>.+)", re.S)
#: A word in what should be math alone (``a > 0 and b > 0``): not read as a product of letters.
_WORD = re.compile(r"(?<![\\A-Za-z])[A-Za-z]{2,}")


def stated_relation(condition: str) -> str | None:
    """The relation of a plain worded condition (``\\text{since } a \\geq 0``: ``a \\geq 0``), or None
    when the words are anything else or more words follow (``\\text{for } a > 0 \\text{ and } ...``)."""
    found = _STATED.fullmatch(condition.strip())
    if found is None:
        return None
    relation = found.group("relation").strip().rstrip(".,;").strip()
    return relation if relation and "\\text" not in relation and not _WORD.search(relation) else None


def with_condition(context: Context, constraint) -> Context:
    """The context with one more assumption, for deciding one step under its condition."""
    return replace(context, assumptions=[*context.assumptions, constraint])
