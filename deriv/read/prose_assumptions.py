r"""Prose bounds that are standing assumptions: ``We assume $\lambda \geq 0$``.

A comparison of a declared scalar with a number other than ``> 0``
(:class:`~deriv.read.prose_math.Bound`) declares nothing; read as an
assumption only when the prose states it as one, and nothing makes it
hypothetical: right after ``assume``, ``let``, ``suppose`` or ``where``
(``we assume that``, ``Let``, ``where``), with no word anywhere in its
paragraph before it, or in its sentence after it, that makes it a case, a
claim, an example or a supposition for the moment (``if``, ``show``,
``contradiction``, ``now``, ``would``...).  Anything else stays the error
that says how to state it (docs/format.md): misreading a bound as an
assumption would accept steps that need it, so the reading is narrow.
"""

from __future__ import annotations

import re

#: The words right before the math that state it as an assumption.
_ASSUMING = re.compile(r"(?:\A|[\s,;(])(?:we\s+)?(?:assume|let|suppose|where)(?:\s+that)?\s*\Z", re.I)
#: Words that make what follows hypothetical, a case, a claim or an example: anywhere before
#: the math in its paragraph, or after it in its sentence, they leave the bound unread.
_HYPOTHETICAL = re.compile(
    r"\b(?:if|iff|when|whenever|unless|otherwise|cases?|either|whether|show|shows|prove|proves|verify|check|"
    r"claim|conclude|contradiction|contrary|absurd|instead|now|moment|temporarily|would|could|might|should|"
    r"example|instance|e\.g|say|then|only|not|no|never|or|fails?|wrong|false)\b|n't\b|\?", re.I)
_PARAGRAPH = re.compile(r"\n[ \t]*\n")
_SENTENCE_END = re.compile(r"[.!?](?:\s|\Z)|\n[ \t]*\n")
#: How far around the math the prose is read.
REACH = 400


def _paragraph_so_far(text: str, pos: int) -> str:
    before = text[max(0, pos - REACH):pos]
    breaks = list(_PARAGRAPH.finditer(before))
    return before[breaks[-1].end():] if breaks else before


def _rest_of_sentence(text: str, end: int) -> str:
    after = text[end:end + REACH]
    stop = _SENTENCE_END.search(after)
    return after[:stop.start()] if stop else after


def assumed(text: str, opener: int, end: int) -> bool:
    """Whether the math opening at ``opener`` (ending at ``end``) is stated as a standing assumption."""
    before = _paragraph_so_far(text, opener)
    return (_ASSUMING.search(before) is not None and _HYPOTHETICAL.search(before) is None
            and _HYPOTHETICAL.search(_rest_of_sentence(text, end)) is None)
