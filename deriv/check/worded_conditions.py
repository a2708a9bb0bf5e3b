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
    """The names the step writes and those its defined names and recurrences reach (each also by its
    letter), with those of the conditions a recurrence keeps from before it cancelled
    (``x_t = \\frac{a x_{t-1}}{a}`` reaches ``a``: meaning/recurrence_domains.py)."""
    names = _names(written)
    for defined in [n for n in (*context.definitions, *context.recurrences) if _names(n) & names]:
        reached = {defined, *context.dependencies(defined)}
        names |= {part for name in reached for part in (name, *_names(name))}
        names |= {symbol.name for name in reached for symbol in _kept_symbols(context, name)}
    return names


def _kept_symbols(context: Context, name: str) -> set:
    """The symbols of the conditions a recurrence ``name`` keeps (none for anything else)."""
    recurrence = context.recurrences.get(name)
    return {s for c in recurrence.conditions for s in c.expr.free_symbols} if recurrence is not None else set()


#: Relations the tester's relations leave out but a condition states (``a \\in [0, 1]``, ``a \\gg 1``,
#: ``a \\to \\infty``): each limits where the step is claimed.
_OTHER_RELATION = re.compile(
    r"\\(?:in|notin|gg|ll|approx|sim|simeq|nless|ngtr|nleq|ngeq|to|rightarrow|subset|subseteq|succ|succeq|"
    r"prec|preceq|equiv|ne|le|ge)(?![A-Za-z])")
#: A condition in words (``for positive a``, ``when a is nonnegative``, ``assuming positivity``): the words
#: that open it, and words of sign, size or kind that limit where the step is claimed.
_CONDITION_OPENS = re.compile(r"\A[\s(]*(?:\\text\{\s*)?\(?\s*(?:for|if|when|whenever|where|wherever|assuming|given|"
                              r"provided|as|with|on)(?![A-Za-z])", re.I)
_LIMITING = re.compile(r"(?:positiv|negativ|nonzero|non-zero|invertib|singular|large|small|big|bounded|integer|"
                       r"even|odd|distinct|definite|orthogonal|rank|nonneg|non-neg|zero)", re.I)

#: ``for all a``, ``for every a``: a quantifier over every value, which excludes none.
_EVERY = re.compile(r"(?<![A-Za-z])(?:all|every|any|each)(?![A-Za-z])", re.I)


def _states_condition(justification: str, reached: set[str]) -> bool:
    """Whether the justification states a relation, or a condition in words: of sign, size or kind
    on a name the step reaches (``(a positive)``), or opening as one on such a name (``when a is ...``)
    or of sign, size or kind (``assuming positivity``); ``for all a`` limits nothing."""
    if states_relation(justification) or _OTHER_RELATION.search(justification):
        return True
    limiting = _LIMITING.search(justification) is not None
    named = bool(_names(_without_words(justification)) & reached)
    if limiting and named:
        return True
    opens = _CONDITION_OPENS.search(justification) is not None and _EVERY.search(justification) is None
    return opens and (named or limiting)


def _without_words(justification: str) -> str:
    """The justification without its words' letters run together (``\\text{for }`` names no ``f``)."""
    return re.sub(r"[A-Za-z]{2,}", " ", justification)


def worded_condition(justification: str | None, written: str, context: Context) -> str | None:
    """The justification when it states a condition on a name the step reaches, else None."""
    if not justification:
        return None
    reached = _reached(written, context)
    if not _states_condition(justification, reached):
        return None
    return justification if _names(justification) & reached or not states_relation(justification) else None


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
